// Start screen: resident or courier. Typing or a keyboard-wedge scan here goes straight to pickup.
import { T, h } from "../ui.js";

export function home(ctx) {
  // a QR code is spoken of only when residents' messages can carry one (site.public_url, e-mail, webhook)
  const qr = Boolean(ctx.info.pickup_qr);
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
    qr ? T("p", "home.scan_hint", {}, { class: "hint" }) : null,
  );
  return {
    el,
    idle: "none",
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
