// Small DOM helpers and the touch keypads. Text goes through data-i18n so a language switch
// relabels the screen in place without losing what was typed.
import { has as hasKey, t } from "./i18n.js";

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else if (k === "testid") el.dataset.testid = v;
    else if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

/** Give `el` the translated text of `key` (kept up to date on a language switch). */
export function setT(el, key, params = {}) {
  if (!key) {
    delete el.dataset.i18n;
    el.textContent = "";
    return el;
  }
  el.dataset.i18n = key;
  el.dataset.i18nArgs = JSON.stringify(params);
  el.textContent = t(key, params);
  return el;
}

/** A translated element: T("p", "home.title") or T("h1", key, {n: 2}, {class: "x"}). */
export function T(tag, key, params = {}, attrs = {}) {
  return setT(h(tag, attrs), key, params);
}

export function relabel(root = document) {
  for (const el of root.querySelectorAll("[data-i18n]")) {
    const args = el.dataset.i18nArgs ? JSON.parse(el.dataset.i18nArgs) : {};
    el.textContent = t(el.dataset.i18n, args);
  }
}

export function button(key, onClick, { cls = "btn", testid, params = {}, disabled = false } = {}) {
  const b = h("button", { type: "button", class: cls, testid, disabled });
  setT(b, key, params);
  b.addEventListener("click", (e) => {
    if (!b.disabled) onClick(e);
  });
  return b;
}

/** A single-line entry shown as text (or as `boxes` character boxes); fed by keypads and keyboards. */
export class Entry {
  constructor({ max = 32, allow = /^[0-9A-Za-z-]$/, boxes = 0, upper = true, testid = "entry", label = "" } = {}) {
    this.max = max;
    this.allow = allow;
    this.boxes = boxes;
    this.upper = upper;
    this.value = "";
    this.onChange = () => {};
    this.el = h("div", { class: boxes ? "entry entry-boxes" : "entry", testid, role: "textbox", "aria-label": label });
    this.render();
  }

  press(key) {
    if (key === "Backspace") this.value = this.value.slice(0, -1);
    else if (key === "Clear") this.value = "";
    else if (key.length === 1 && this.allow.test(key) && this.value.length < this.max) {
      this.value += this.upper ? key.toUpperCase() : key;
    } else return false;
    this.render();
    this.onChange(this.value);
    return true;
  }

  set(value) {
    this.value = String(value || "").slice(0, this.max);
    this.render();
    this.onChange(this.value);
  }

  render() {
    this.el.dataset.value = this.value;
    if (!this.boxes) {
      this.el.textContent = this.value;
      this.el.classList.toggle("empty", !this.value);
      return;
    }
    this.el.replaceChildren();
    const n = Math.max(this.boxes, this.value.length);
    for (let i = 0; i < n; i++) {
      const c = this.value[i] || "";
      this.el.append(h("span", { class: c ? "box filled" : i === this.value.length ? "box next" : "box" }, c));
    }
  }
}

/** Digits keypad: 1-9, clear, 0, backspace. */
export function digitPad(onKey) {
  const keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "Clear", "0", "Backspace"];
  return h(
    "div",
    { class: "pad pad-digits", testid: "keypad" },
    keys.map((k) => padKey(k, onKey)),
  );
}

/** Letters and digits for waybill numbers and unit numbers. */
export function alnumPad(onKey) {
  const rows = ["1234567890", "QWERTYUIOP", "ASDFGHJKL-", "ZXCVBNM"];
  return h(
    "div",
    { class: "pad pad-alnum", testid: "keyboard" },
    rows.map((r, i) =>
      h("div", { class: "pad-row" }, [...r].map((k) => padKey(k, onKey)), i === 3 ? padKey("Backspace", onKey) : null),
    ),
  );
}

function padKey(k, onKey) {
  const special = k === "Clear" || k === "Backspace";
  const b = h("button", {
    type: "button",
    class: special ? "key key-special" : "key",
    testid: "key-" + k,
  });
  if (special) setT(b, "key." + k.toLowerCase());
  else b.textContent = k;
  b.addEventListener("click", () => onKey(k));
  return b;
}

/** An on/off button (aria-pressed). */
export function toggle(key, value, onChange, testid) {
  const b = h("button", { type: "button", class: "btn toggle", testid, "aria-pressed": String(!!value) });
  setT(b, key);
  b.addEventListener("click", () => {
    const on = b.getAttribute("aria-pressed") !== "true";
    b.setAttribute("aria-pressed", String(on));
    onChange(on);
  });
  return b;
}

/** The words when no door can be given: "full", or, while doors a restore left unchecked are kept out of use
 *  (/info "unchecked", or the deposit's refusal), that the doors are being checked (ADR 0057). */
export function fullKey(info, refusal) {
  const n = (refusal && refusal.unchecked) || (info && info.unchecked) || 0;
  return n > 0 ? "size.unchecked" : "size.full";
}

/** Where the parcel-room desk is, its hours and phone, from /info, as a message parameter: written out
 *  in the language shown at each relabel ("（1号楼大堂，08:00-20:00，…）" / " (Building 1 lobby, 08:00-20:00, …)"). */
export function deskWhere(info) {
  const site = (info && info.site) || {};
  const now = (info && info.desk_now) || { open: true, opens: "" };
  return { desk: { place: site.desk_place || "", place_en: site.desk_place_en || "", place_hk: site.desk_place_hk || "", hours: site.desk_hours || "",
                   working_days_only: !!site.desk_working_days_only, phone: site.contact || "",
                   open: now.open !== false, opens: now.opens || "", opens_on: now.opens_on || "",
                   rest_day: !!now.rest_day } };
}

/** A message line (info, error, ok); setT with key null clears it. */
export function message(testid = "message") {
  return h("p", { class: "msg", testid, role: "status" });
}

export function showMessage(el, kind, key, params = {}) {
  el.className = "msg" + (key ? " msg-" + kind : "");
  setT(el, key, params);
}

/** Show an API failure in plain words: a known error code, else the server's message, else generic. */
export function showError(msg, r) {
  const code = r.data && r.data.error;
  if (r.status === 0) return showMessage(msg, "error", "err.network");
  // a full SD card or a storage fault: say so, not "something went wrong" (trial 2026-12-07f)
  if (code === "storage_full" || code === "storage_unavailable") return showMessage(msg, "error", "err." + code);
  if (r.status >= 500) return showMessage(msg, "error", "err.server");
  const key = "err." + code;
  if (code && hasKey(key)) return showMessage(msg, "error", key);
  if (r.data && r.data.message) {
    msg.className = "msg msg-error";
    delete msg.dataset.i18n;
    msg.textContent = r.data.message;
    return undefined;
  }
  return showMessage(msg, "error", "err.generic");
}
