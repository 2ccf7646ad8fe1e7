// Deposit in progress: door open -> parcel placed -> door closed (stored), with cancel, jam and failure.
import { api } from "../api.js";
import { has as hasKey } from "../i18n.js";
import { T, button, deskWhere, fullKey, h, message, setT, showError, showMessage } from "../ui.js";
import { courierBar } from "./courier.js";

const POLL_MS = 1000;

/** POST the deposit; on success go to the door screen, else tell the caller what the API wants. */
export async function startDeposit(ctx, body, { msg, onRecipient, onFull, onUnknownUnit }) {
  showMessage(msg, "info", "common.wait");
  const r = await api("POST", "/deposits", body, ctx.courier && ctx.courier.token);
  if (r.ok && r.data.deposit_id) {
    ctx.go("depositDoor", { deposit: r.data, tracking: body.tracking_number, size: body.size });
    return;
  }
  const code = r.data.error;
  if (r.status === 401) return ctx.go("courierLogin", { notice: "courier.expired" });
  if (code === "recipient_required") return onRecipient();
  if (code === "unit_unknown" && onUnknownUnit) {
    showMessage(msg, "error", "err.unit_unknown");
    return onUnknownUnit(Array.isArray(r.data.suggestions) ? r.data.suggestions : []);
  }
  // sent to the desk: say where it is, its hours and phone, as every other dead end does (trial 2026-12-07)
  if (code === "locker_refused" || code === "category_not_in_locker") {
    return showMessage(msg, "error", "err." + code, { where: deskWhere(ctx.info) });
  }
  if (code === "no_compartment" || (r.status === 409 && Array.isArray(r.data.free_sizes))) {
    const sizes = Array.isArray(r.data.free_sizes) ? r.data.free_sizes : [];
    if (!sizes.length) showMessage(msg, "error", fullKey(ctx.info, r.data), { where: deskWhere(ctx.info) });
    return onFull(sizes);
  }
  showError(msg, r);
}

export function depositDoor(ctx, args) {
  const dep = args.deposit;
  let compartment = dep.compartment;
  // "open" only once the sensor said so (the stream or the poll). The deposit's answer's "door" is the command
  // (sent: "open", DESIGN.md section 3; not sent: "failed") and "door_confirmed" is false: neither is the sensor's
  // word (ADR 0040), so the door starts unknown.
  // A door without a sensor is taken as open after the confirm timeout.
  let door = "unknown";
  let seenOpen = false;
  let noSensor = false;
  const started = Date.now();
  const confirmMs = (Number(ctx.info.confirm_timeout_s) || 3) * 1000 + 500;
  let cancelling = false;
  let timer = null;
  let stopped = false;
  let failCode = null;

  const big = h("div", { class: "door-id huge", testid: "compartment" }, compartment);
  const title = h("h1", { testid: "deposit-title" });
  const instruction = h("p", { class: "lead" });
  const doorLine = h("p", { class: "door-state", testid: "door-state" });
  const note = message("notice");
  const msg = message();
  const cancel = button("deposit.cancel", () => doCancel(), { cls: "btn btn-danger", testid: "cancel" });
  const confirm = button("deposit.confirm_closed", () => doConfirm(), { cls: "btn btn-primary", testid: "confirm-closed" });
  confirm.hidden = true;
  const actions = h("div", { class: "row" }, cancel, confirm);
  const el = h(
    "section",
    { class: "screen deposit-door" },
    courierBar(ctx),
    h("div", { class: "split" }, h("div", { class: "col center" }, big, doorLine), h("div", { class: "col" }, title, instruction, note, msg)),
    actions,
  );

  function render() {
    if (el.dataset.state === "failed" || failCode) return;
    big.textContent = compartment;
    if (door === "open") seenOpen = true;
    if (!seenOpen && door === "unknown" && Date.now() - started > confirmMs) noSensor = true;
    const opening = !seenOpen && !noSensor;
    el.dataset.door = opening ? "opening" : door;
    if (opening) {
      setT(title, "deposit.opening_title", { c: compartment });
      setT(instruction, "deposit.opening", { c: compartment });
      setT(doorLine, "door.opening");
    } else {
      setT(title, cancelling ? "deposit.take_back_title" : "deposit.open_title", { c: compartment });
      setT(instruction, cancelling ? "deposit.take_back" : "deposit.place", { c: compartment });
      setT(doorLine, door === "closed" ? "door.closed" : door === "open" ? "door.open" : "door.unknown");
    }
    // A door without a sensor cannot report itself closed: the courier says so.
    confirm.hidden = !noSensor || cancelling;
  }

  async function poll() {
    timer = null;
    if (stopped) return;
    const r = await api("GET", "/deposits/" + encodeURIComponent(dep.deposit_id), undefined, ctx.courier && ctx.courier.token);
    if (stopped) return;
    if (r.ok) handle(r.data);
    else if (r.status === 401) return ctx.go("courierLogin", { notice: "courier.expired" });
    else showError(msg, r);
    if (!stopped) timer = setTimeout(poll, POLL_MS);
  }

  function handle(d) {
    if (d.compartment && d.compartment !== compartment) {
      showMessage(note, "error", "deposit.moved", { old: compartment, c: d.compartment });
      compartment = d.compartment;
      seenOpen = false; // the new door is not open until its sensor says so
    }
    if (d.door) door = d.door;
    if (d.state === "stored") {
      stopped = true;
      ctx.go("depositDone", { compartment, tracking: args.tracking });
      return;
    }
    if (d.state === "failed") {
      stopped = true;
      showMessage(msg, "", null); // the daemon answered: a "connection lost" from its restart is over
      return failed(d.failure, d.message);
    }
    if (d.state === "cancelled") {
      stopped = true;
      const notice = ctx.info.scanner === false ? "deposit.cancelled.typed" : "deposit.cancelled";
      ctx.go("waybill", { notice, noticeParams: { tn: args.tracking, where: deskWhere(ctx.info) }, noticeKind: "info" });
      return;
    }
    if (d.cancelling && !cancelling) {
      cancelling = true;
      cancel.hidden = true;
    }
    render();
  }

  function failed(code, text) {
    if (code === "interrupted") return interrupted();
    el.dataset.state = "failed";
    el.dataset.door = "failed";
    setT(title, "deposit.failed_title");
    setT(instruction, "deposit.failed", { where: deskWhere(ctx.info) });
    setT(doorLine, "door.not_opened");
    if (code && hasKey("fail." + code)) showMessage(note, "error", "fail." + code);
    else if (text) {
      note.className = "msg msg-error";
      note.textContent = text;
      delete note.dataset.i18n;
    } else showMessage(note, "", null);
    // Two doors in a row did not open: the locker has a fault. The way on is the next parcel (this one goes
    // to the desk); another size stays possible but is not the big button, or the courier walks a bank of
    // faulty doors two at a time (user trial 2026-12-02c).
    const fault = code === "doors_jammed";
    const retry = button(fault ? "deposit.retry_other_size" : "deposit.retry", () => ctx.go("size", { tracking: args.tracking }),
                         { cls: fault ? "btn btn-secondary" : "btn btn-primary", testid: "retry" });
    const other = button("deposit.other", () => ctx.go("waybill"),
                         { cls: fault ? "btn btn-primary" : "btn btn-secondary", testid: "next-parcel" });
    actions.replaceChildren(...(fault ? [other, retry] : [retry, other]));
  }

  // The locker restarted (a power cut) after this door was told to open: the door did open, and the parcel is
  // or will be inside it. Not "the door did not open, take it to the desk": it goes in, staff check and record
  // it, and no second deposit of the same parcel (trial 2026-12-07f).
  function interrupted() {
    failCode = "interrupted";
    el.dataset.state = "interrupted";
    el.dataset.door = door;
    setT(title, "deposit.interrupted_title", { c: compartment });
    setT(instruction, door === "open" ? "deposit.interrupted_open" : "deposit.interrupted_closed",
         { c: compartment, where: deskWhere(ctx.info) });
    setT(doorLine, door === "closed" ? "door.closed" : door === "open" ? "door.open" : "door.unknown");
    showMessage(note, "", null);
    const other = button("deposit.other", () => ctx.go("waybill"), { cls: "btn btn-primary", testid: "next-parcel" });
    actions.replaceChildren(other);
  }

  async function doCancel() {
    cancel.disabled = true;
    const r = await api("POST", "/deposits/" + encodeURIComponent(dep.deposit_id) + "/cancel", {}, ctx.courier && ctx.courier.token);
    if (!r.ok) {
      cancel.disabled = false;
      showError(msg, r);
      return;
    }
    cancelling = true;
    cancel.hidden = true;
    door = (r.data && r.data.door) || "open";
    render();
    kick();
  }

  async function doConfirm() {
    confirm.disabled = true;
    const path = "/deposits/" + encodeURIComponent(dep.deposit_id) + "/confirm";
    const r = await api("POST", path, {}, ctx.courier && ctx.courier.token);
    confirm.disabled = false;
    if (r.ok) handle(r.data);
    else showError(msg, r);
  }

  function kick() {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(poll, 50);
  }

  if (args.size && dep.size && dep.size !== args.size) {
    // the API gives the next size up when the chosen one is full: say so, the courier chose smaller
    showMessage(note, "info", "deposit.bigger", { want: args.size, got: dep.size });
  }
  render();
  timer = setTimeout(poll, POLL_MS / 2);
  const reRender = setInterval(() => (stopped ? clearInterval(reRender) : render()), 500);
  return {
    el,
    idle: "long",
    onDoor(c, state) {
      if (c === compartment) {
        door = state;
        if (state === "closed") showMessage(msg, "", null);
        if (failCode === "interrupted") return interrupted();
        render();
        kick();
      }
    },
    onAlarm(kind, c) {
      if (kind === "door.left_open" && c === compartment && door === "open") {
        showMessage(msg, "error", "door.left_open", { c });
      }
    },
    leave() {
      stopped = true;
      if (timer) clearTimeout(timer);
      clearInterval(reRender);
    },
  };
}

export function depositDone(ctx, args) {
  const el = h(
    "section",
    { class: "screen deposit-done" },
    courierBar(ctx),
    h("div", { class: "door-id huge ok", testid: "compartment" }, args.compartment),
    T("h1", "deposit.stored_title", { c: args.compartment }, { testid: "stored-title" }),
    T("p", "deposit.stored", { c: args.compartment }, { class: "lead" }),
    T("p", ctx.info.scanner === false ? "deposit.next_hint.typed" : "deposit.next_hint", {}, { class: "hint" }),
    h(
      "div",
      { class: "row" },
      button("deposit.next", () => ctx.go("waybill"), { cls: "btn btn-primary btn-wide", testid: "next-parcel" }),
      button("deposit.finish", () => ctx.go("home"), { cls: "btn btn-secondary", testid: "finish" }),
    ),
  );
  return {
    el,
    onKey(k) {
      if (k.length === 1) ctx.go("waybill", { prefill: k });
    },
    onScan(text) {
      ctx.go("size", { tracking: text.trim().toUpperCase() });
    },
  };
}
