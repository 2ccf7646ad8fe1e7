import { KIOSK_TOKEN } from "./api.js";

// Live events from the daemon (Server-Sent Events): serial-scanner scans, rejected scans and door changes.
// EventSource retries by itself after a dropped connection, but gives up for good when the daemon
// answers with an error (503 while it restarts): then we open a new one after a pause, forever.
const listeners = { scan: new Set(), scan_rejected: new Set(), door: new Set(), alarm: new Set(), status: new Set() };
const RETRY_MS = 3000;
let source = null;
// EventSource cannot send headers: a kiosk with a token passes it in the query
let url = "/api/v1/kiosk/stream" + (KIOSK_TOKEN ? "?kiosk_token=" + encodeURIComponent(KIOSK_TOKEN) : "");
let retryTimer = null;

function dispatch(kind, raw) {
  let data;
  try {
    data = JSON.parse(raw);
  } catch {
    return;
  }
  for (const fn of listeners[kind]) fn(data);
}

function status(up) {
  for (const fn of listeners.status) fn(up);
}

function open() {
  retryTimer = null;
  source = new EventSource(url);
  for (const kind of ["scan", "scan_rejected", "door", "alarm"]) {
    source.addEventListener(kind, (e) => dispatch(kind, e.data));
  }
  source.addEventListener("open", () => status(true));
  source.addEventListener("error", () => {
    status(false);
    if (source && source.readyState === EventSource.CLOSED && !retryTimer) {
      source = null;
      retryTimer = setTimeout(open, RETRY_MS);
    }
  });
}

export function connect(streamUrl = url) {
  url = streamUrl;
  if (!source && !retryTimer) open();
}

/** Register fn for "scan" ({text}), "scan_rejected" ({reason}), "door" ({compartment, door}),
 * "alarm" ({kind, compartment}) or "status" (bool); returns an unsubscribe function. */
export function on(kind, fn) {
  listeners[kind].add(fn);
  return () => listeners[kind].delete(fn);
}

export function close() {
  if (retryTimer) clearTimeout(retryTimer);
  retryTimer = null;
  if (source) source.close();
  source = null;
}
