// Start screen: resident or courier. Typing or a keyboard-wedge scan here goes straight to pickup.
import { api } from "../api.js";
import { T, deskWhere, h, setT } from "../ui.js";

export function home(ctx) {
  // a QR code is spoken of only when residents' messages can carry one (site.public_url, e-mail, webhook)
  const qr = Boolean(ctx.info.pickup_qr);
  // a kiosk locked out of codes says so here, before anyone taps "pickup" and types ten digits
  const locked = T("p", null, {}, { class: "msg msg-error", testid: "home-locked" });
  locked.hidden = true;
  let lockTimer = null;
  api("GET", "/pickup/lock").then((r) => {
    if (!r.ok || !r.data.locked || !el.isConnected) return;
    const s = Math.max(1, Number(r.data.retry_after) || 1);
    // with the desk (place, hours, phone) as on the pickup screen: who is in a hurry knows where to go at once
    setT(locked, "home.locked", { m: Math.ceil(s / 60), where: deskWhere(ctx.info) });
    locked.hidden = false;
    lockTimer = setTimeout(() => { locked.hidden = true; }, s * 1000);
  });
  const el = h(
    "section",
    { class: "screen home" },
    T("h1", "home.title"),
    h(
      "div",
      { class: "choices" },
      h(
        "button",
        { type: "button", class: "btn btn-primary btn-huge", testid: "go-pickup", onclick: () => ctx.go("pickup") },
        T("span", "home.pickup", {}, { class: "big" }),
        T("span", qr ? "home.pickup_hint" : "home.pickup_hint.no_qr", {}, { class: "small" }),
      ),
      h(
        "button",
        { type: "button", class: "btn btn-secondary btn-huge", testid: "go-courier", onclick: () => ctx.go("courierLogin") },
        T("span", "home.courier", {}, { class: "big" }),
        T("span", "home.courier_hint", {}, { class: "small" }),
      ),
    ),
    locked,
    qr ? T("p", "home.scan_hint", {}, { class: "hint" }) : null,
  );
  return {
    el,
    idle: "none",
    leave() {
      if (lockTimer) clearTimeout(lockTimer);
    },
    onKey(key) {
      // The first keystroke of a typed or scanned code opens the pickup screen with it.
      if (key.length === 1 && /[0-9A-Za-z]/.test(key)) ctx.go("pickup", { typed: key });
    },
    onScan(text) {
      ctx.go("pickup", { code: text, submit: true });
    },
    onScanRejected() {
      ctx.go("pickup", { rejected: true });
    },
  };
}
