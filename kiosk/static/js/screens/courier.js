// Courier: sign in with the courier code, scan or type the waybill, choose a size, name the recipient.
import { api, retrySeconds } from "../api.js";
import { Entry, T, alnumPad, button, deskWhere, digitPad, fullKey, h, message, setT, showError, showMessage, toggle } from "../ui.js";
import { startDeposit } from "./deposit.js";

export const SIZES = ["S", "M", "L", "XL"];

export function courierLogin(ctx, args = {}) {
  const entry = new Entry({ max: 32, allow: /^[0-9A-Za-z-]$/, testid: "courier-code", label: "courier code" });
  const msg = message();
  let busy = false;
  const submit = button("courier.sign_in", () => send(), { cls: "btn btn-primary btn-wide", testid: "submit" });
  const el = h(
    "section",
    { class: "screen courier-login split" },
    h("div", { class: "col" }, T("h1", "courier.title"), T("p", "courier.hint", {}, { class: "hint" }), entry.el, msg, submit),
    h("div", { class: "col" }, digitPad((k) => press(k))),
  );
  if (args.notice) showMessage(msg, "error", args.notice);

  function press(k) {
    if (!busy) entry.press(k);
    submit.disabled = busy || !entry.value;
  }

  async function send(code = entry.value) {
    code = String(code || "").trim();
    if (busy || !code) return;
    busy = true;
    submit.disabled = true;
    showMessage(msg, "info", "common.wait");
    const r = await api("POST", "/courier/session", { courier_code: code });
    busy = false;
    if (r.ok && r.data.token) {
      ctx.courier = r.data;
      ctx.go("waybill");
      return;
    }
    entry.set("");
    press("");
    if (r.status === 429) showMessage(msg, "error", "courier.locked", { n: retrySeconds(r.data) });
    else if (r.status === 401) showMessage(msg, "error", "courier.invalid");
    else showError(msg, r);
  }
  press("");
  return {
    el,
    onKey: (k) => (k === "Enter" ? send() : k === "Escape" ? press("Clear") : press(k)),
    onScan: (text) => send(text),
    onScanRejected: () => showMessage(msg, "error", "scan.rejected"),
  };
}

/** Who is signed in, with a sign-out button; shown on every courier screen. */
export function courierBar(ctx) {
  const c = (ctx.courier && ctx.courier.courier) || {};
  const name = typeof c === "string" ? c : { company: c.company || "", who: c.name || "" };
  return h(
    "div",
    { class: "courier-bar" },
    T("span", "courier.signed_in", { name }, { testid: "courier-name" }),
    button("courier.sign_out", () => ctx.go("home"), { cls: "btn btn-secondary btn-small", testid: "sign-out" }),
  );
}

export function waybill(ctx, args = {}) {
  if (!ctx.courier) return courierLogin(ctx, { notice: "courier.expired" });
  const entry = new Entry({ max: 40, allow: /^[0-9A-Za-z-]$/, testid: "waybill", label: "waybill" });
  const msg = message();
  const next = button("common.next", () => send(), { cls: "btn btn-primary", testid: "submit" });
  const el = h(
    "section",
    { class: "screen waybill" },
    courierBar(ctx),
    T("h1", ctx.info.scanner === false ? "waybill.title.typed" : "waybill.title"),
    h("div", { class: "row entry-row" }, entry.el, next),
    msg,
    alnumPad((k) => press(k)),
  );
  if (args.notice) showMessage(msg, args.noticeKind || "ok", args.notice, args.noticeParams || {});

  function press(k) {
    entry.press(k);
    next.disabled = !entry.value;
  }

  function send(text = entry.value) {
    const tn = String(text || "").trim().toUpperCase();
    if (tn.length < 4 || !/^[0-9A-Z-]+$/.test(tn)) {
      showMessage(msg, "error", "waybill.bad");
      return;
    }
    ctx.go("size", { tracking: tn });
  }
  if (args.prefill) press(args.prefill);
  press("");
  return {
    el,
    onKey: (k) => (k === "Enter" ? send() : k === "Escape" ? press("Clear") : press(k)),
    onScan: (text) => {
      entry.set(text.trim());
      send(text);
    },
    onScanRejected: () => showMessage(msg, "error", "scan.rejected"),
  };
}

export function size(ctx, args) {
  if (!ctx.courier) return courierLogin(ctx, { notice: "courier.expired" });
  const msg = message();
  let chosen = null;
  let lowDoor = !!args.lowDoor;
  let allowed = null; // sizes the API said are free after a 409
  const buttons = new Map();
  const grid = h("div", { class: "sizes" });
  for (const s of SIZES) {
    const count = h("span", { class: "small" });
    const b = h(
      "button",
      { type: "button", class: "btn size", testid: "size-" + s, "aria-pressed": "false", onclick: () => choose(s) },
      h("span", { class: "big" }, s),
      T("span", "size." + s, {}, { class: "small" }),
      sizeCm(ctx, s),
      count,
    );
    buttons.set(s, { b, count });
    grid.append(b);
  }
  const open = button("size.open", () => send(), { cls: "btn btn-primary btn-wide", testid: "open-door" });
  // the way out when no door fits: the desk, where and when (shown always, red when nothing is free)
  const deskHint = T("p", "size.too_big", { where: deskWhere(ctx.info) }, { class: "msg msg-info", testid: "desk-hint" });
  const el = h(
    "section",
    { class: "screen choose-size" },
    courierBar(ctx),
    T("h1", "size.title"),
    T("p", "size.waybill", { tn: args.tracking }, { class: "hint", testid: "tracking" }),
    grid,
    msg,
    deskHint,
    h(
      "div",
      { class: "row" },
      button("common.back", () => ctx.go("waybill"), { cls: "btn btn-secondary", testid: "back" }),
      toggle("size.low_door", lowDoor, (on) => (lowDoor = on), "recipient-low-door"),
      open,
    ),
  );

  function free(s) {
    if (allowed) return allowed.includes(s) ? Math.max(1, Number(ctx.info.free[s]) || 1) : 0;
    return Number((ctx.info.free || {})[s]) || 0;
  }

  function render() {
    for (const [s, { b, count }] of buttons) {
      const n = free(s);
      b.disabled = n <= 0;
      b.setAttribute("aria-pressed", String(s === chosen));
      setT(count, n > 0 ? "size.free" : "size.none", { n });
    }
    open.disabled = !chosen;
  }

  function choose(s) {
    chosen = s;
    render();
  }

  function suggest() {
    if (chosen && free(chosen) > 0) return;
    chosen = SIZES.find((s) => free(s) > 0) || null;
    if (!chosen) showMessage(msg, "error", fullKey(ctx.info), { where: deskWhere(ctx.info) });
    deskHint.hidden = !chosen;
  }

  async function send() {
    if (!chosen) return;
    open.disabled = true;
    const body = { tracking_number: args.tracking, size: chosen };
    if (args.unit) Object.assign(body, { unit: args.unit, phone_tail: args.phoneTail });
    if (lowDoor) body.low_door = true;
    await startDeposit(ctx, body, {
      msg,
      onRecipient: () => ctx.go("recipient", { tracking: args.tracking, size: chosen, lowDoor }),
      onFull: (sizes) => {
        allowed = sizes;
        chosen = null;
        suggest();
        if (sizes.length) showMessage(msg, "error", "size.no_compartment", { s: body.size, free: sizes });
        render();
      },
    });
    render();
  }

  chosen = args.size || null;
  if (args.freeSizes) {
    allowed = args.freeSizes;
    if (allowed.length) showMessage(msg, "error", "size.no_compartment", { s: args.fullFrom, free: allowed });
  }
  suggest();
  render();
  ctx.refreshInfo().then(() => {
    suggest();
    render();
  });
  return { el, onScan: (text) => ctx.go("size", { tracking: text.trim().toUpperCase() }) };
}

export function recipient(ctx, args) {
  if (!ctx.courier) return courierLogin(ctx, { notice: "courier.expired" });
  // 32: a unit as the directory holds it ("Flat 12B, Tower 2" is 17; at 16 a picked flat was cut to "Flat 12B, Tower": trial39)
  const unit = new Entry({ max: 32, allow: /^[0-9A-Za-z-]$/, testid: "unit", label: "unit" });
  const tail = new Entry({ max: 4, allow: /^[0-9]$/, boxes: 4, testid: "phone-tail", label: "phone tail" });
  const msg = message();
  let active = unit;
  const fieldUnit = h("button", { type: "button", class: "field", testid: "field-unit", onclick: () => focus(unit) },
    T("span", "recipient.unit", {}, { class: "small" }), unit.el);
  const fieldTail = h("button", { type: "button", class: "field", testid: "field-tail", onclick: () => focus(tail) },
    T("span", "recipient.tail", {}, { class: "small" }), tail.el);
  const next = button("size.open", () => send(), { cls: "btn btn-primary", testid: "open-door" });
  // with a site directory: the units that match what was typed, one tap to pick
  const picks = h("div", { class: "row suggestions", testid: "unit-suggestions" });
  let lookup = 0;
  function showUnits(list) {
    picks.replaceChildren(
      ...list.map((u) =>
        h("button", { type: "button", class: "btn btn-secondary btn-small", testid: "unit-pick", onclick: () => pick(u) }, u),
      ),
    );
  }
  function pick(u) {
    unit.set(u);
    showUnits([]);
    focus(tail);
    next.disabled = !unit.value || tail.value.length !== 4;
  }
  async function autocomplete() {
    const mine = ++lookup;
    if (!unit.value) return showUnits([]);
    const r = await api("GET", "/units?q=" + encodeURIComponent(unit.value), undefined, ctx.courier && ctx.courier.token);
    if (mine !== lookup || !r.ok || !r.data.directory) return;
    showUnits((r.data.units || []).filter((u) => u !== unit.value));
  }
  const el = h(
    "section",
    { class: "screen recipient" },
    courierBar(ctx),
    T("h1", "recipient.title"),
    T("p", "recipient.hint", { tn: args.tracking }, { class: "hint" }),
    h("div", { class: "row fields" }, fieldUnit, fieldTail, next),
    // the units to pick and the message share a row, so that at 800x480 the keyboard's last row (Z-M and
    // Delete) stays on the screen under both (trial 2026-12-05: it was 12-51 px below it)
    h("div", { class: "row pick-row" }, picks, msg),
    alnumPad((k) => press(k)),
  );

  function focus(e) {
    active = e;
    fieldUnit.classList.toggle("active", e === unit);
    fieldTail.classList.toggle("active", e === tail);
  }

  function press(k) {
    active.press(k);
    if (active === unit) autocomplete();
    if (active === tail && k !== "Backspace" && k !== "Clear" && !/^[0-9]$/.test(k) && k) {
      showMessage(msg, "error", "recipient.digits");
    }
    next.disabled = !unit.value || tail.value.length !== 4;
  }

  async function send() {
    if (!unit.value || tail.value.length !== 4) {
      showMessage(msg, "error", "recipient.missing");
      return;
    }
    next.disabled = true;
    const body = { tracking_number: args.tracking, size: args.size, unit: unit.value, phone_tail: tail.value };
    if (args.lowDoor) body.low_door = true;
    await startDeposit(ctx, body, {
      msg,
      onRecipient: () => showMessage(msg, "error", "recipient.missing"),
      onUnknownUnit: (list) => showUnits(list),
      onFull: (sizes) =>
        ctx.go("size", {
          tracking: args.tracking,
          lowDoor: args.lowDoor,
          unit: unit.value,
          phoneTail: tail.value,
          fullFrom: args.size,
          freeSizes: sizes,
        }),
    });
    next.disabled = false;
  }

  focus(unit);
  press("");
  return {
    el,
    onKey(k) {
      if (k === "Enter") {
        if (active === unit && unit.value) focus(tail);
        else send();
      } else if (k === "Escape") press("Clear");
      else press(k);
    },
  };
}

/** "40×20×50 cm": the inside of a size, so the courier can judge the parcel. */
function sizeCm(ctx, s) {
  const d = (ctx.info.sizes_cm || {})[s];
  if (!d) return null;
  return h("span", { class: "small cm", testid: "cm-" + s }, d.join("×") + " cm");
}
