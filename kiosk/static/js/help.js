// Help overlay: shown over the current screen (so a half-finished flow is kept), with the property's contact.
import { T, button, deskWhere, h } from "./ui.js";

let overlay = null;

export function openHelp(info) {
  closeHelp();
  const site = (info && info.site) || {};
  const qr = Boolean(info && info.pickup_qr); // a QR code only where messages carry one
  const typed = Boolean(info && info.scanner === false); // no scanner driver: couriers type (a wedge may scan)
  overlay = h(
    "div",
    { class: "overlay", role: "dialog", "aria-modal": "true", testid: "help-dialog" },
    h(
      "div",
      { class: "sheet" },
      T("h1", "help.title"),
      h(
        "div",
        { class: "help-cols" },
        h("div", {}, T("h2", "help.resident_title"), T("p", qr ? "help.resident" : "help.resident.no_qr")),
        h("div", {}, T("h2", "help.courier_title"), T("p", typed ? "help.courier.typed" : "help.courier")),
      ),
      T("p", "help.door"),
      // where a person stuck at the locker goes: the desk's place and hours (and when a closed desk opens); its
      // phone is the line below (trial look-2026-12-08: the help gave a phone number only)
      site.desk_place || site.desk_hours ? T("p", "help.desk", deskAway(info), { testid: "help-desk" }) : null,
      h(
        "p",
        { class: "contact" },
        T("strong", "help.contact"),
        " ",
        h("span", { testid: "contact" }, site.contact || ""),
        site.contact ? null : T("span", "help.no_contact"),
      ),
      button("common.close", closeHelp, { cls: "btn btn-primary btn-wide", testid: "help-close" }),
    ),
  );
  document.body.append(overlay);
  overlay.querySelector("button").focus();
}

/** The desk's place and hours for the help's line, without the phone (the contact line gives it). */
function deskAway(info) {
  const where = deskWhere(info);
  where.desk.phone = "";
  return { where };
}

export function closeHelp() {
  if (overlay) overlay.remove();
  overlay = null;
}

export function helpOpen() {
  return overlay !== null;
}
