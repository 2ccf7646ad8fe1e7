// Talks to the daemon's kiosk API. Never throws on an HTTP error: every call resolves to
// {ok, status, data}; a network failure is status 0 with data.error = "network".
// The server tells kiosks apart by how they connect: the browser on the kiosk itself needs nothing; a
// kiosk on another machine is given ?kiosk_token=... once (kept in localStorage) and sends it back.
const KIOSK_TOKEN_KEY = "lockerd.kioskToken";
export const KIOSK_TOKEN = (() => {
  const given = new URLSearchParams(location.search).get("kiosk_token");
  try {
    if (given) localStorage.setItem(KIOSK_TOKEN_KEY, given);
    return given || localStorage.getItem(KIOSK_TOKEN_KEY) || "";
  } catch {
    return given || "";
  }
})();

export async function api(method, path, body = undefined, token = undefined) {
  const headers = { Accept: "application/json" };
  if (KIOSK_TOKEN) headers["X-Kiosk-Token"] = KIOSK_TOKEN;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = "Bearer " + token;
  let res;
  try {
    res = await fetch("/api/v1/kiosk" + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
    });
  } catch (err) {
    return { ok: false, status: 0, data: { error: "network", message: String(err) } };
  }
  let data = {};
  try {
    data = await res.json();
  } catch {
    data = {};
  }
  const retryHeader = res.headers.get("Retry-After");
  if (retryHeader && data.retry_after === undefined) data = { ...data, retry_after: retryHeader };
  if (!res.ok && typeof data.error !== "string") {
    data = { ...data, error: res.status >= 500 ? "server" : "http_" + res.status };
  }
  return { ok: res.ok, status: res.status, data };
}

/** Seconds to wait from a 429 answer: retry_after as seconds or as an ISO time (at least 1). */
export function retrySeconds(data, now = Date.now()) {
  const raw = data ? data.retry_after : undefined;
  let s = Number(raw);
  if (!Number.isFinite(s) && typeof raw === "string") s = (Date.parse(raw) - now) / 1000;
  return Number.isFinite(s) && s > 0 ? Math.ceil(s) : 30;
}
