// Live events from the daemon (Server-Sent Events): serial-scanner scans and door changes.
// EventSource reconnects by itself after a network drop; listeners stay registered.
const listeners = { scan: new Set(), door: new Set(), status: new Set() };
let source = null;

function dispatch(kind, raw) {
  let data;
  try {
    data = JSON.parse(raw);
  } catch {
    return;
  }
  for (const fn of listeners[kind]) fn(data);
}

export function connect(url = "/api/v1/kiosk/stream") {
  if (source) return;
  source = new EventSource(url);
  source.addEventListener("scan", (e) => dispatch("scan", e.data));
  source.addEventListener("door", (e) => dispatch("door", e.data));
  source.addEventListener("open", () => listeners.status.forEach((fn) => fn(true)));
  source.addEventListener("error", () => listeners.status.forEach((fn) => fn(false)));
}

/** Register fn for "scan" ({text}), "door" ({compartment, door}) or "status" (bool); returns an unsubscribe. */
export function on(kind, fn) {
  listeners[kind].add(fn);
  return () => listeners[kind].delete(fn);
}

export function close() {
  if (source) source.close();
  source = null;
}
