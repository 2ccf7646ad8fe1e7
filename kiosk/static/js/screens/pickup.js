// Resident pickup: keypad (or keyboard / wedge scanner / serial scanner) -> doors open -> doors closed.
import { api, retrySeconds } from "../api.js";
import { Entry, T, button, digitPad, h, message, setT, showError, showMessage, toggle } from "../ui.js";

export function pickup(ctx, args = {}) {
  const length = Number(ctx.info.code_length) || 0;
  const entry = new Entry({ max: 32, allow: /^[0-9A-Za-z]$/, boxes: length, testid: "code", label: "code" });
  const msg = message();
  let busy = false;
  let lockTimer = null;

  const submit = button("pickup.open", () => send(), { cls: "btn btn-primary btn-wide", testid: "submit" });
  const pad = digitPad((k) => press(k));
  const el = h(
    "section",
    { class: "screen pickup split" },
    h(
      "div",
      { class: "col" },
      T("h1", "pickup.title"),
      T("p", "pickup.hint", { n: length || "" }, { class: "hint" }),
      entry.el,
      msg,
      h("div", { class: "row" }, submit, toggle("home.low_door", ctx.lowDoor, (on) => (ctx.lowDoor = on), "low-door")),
    ),
    h("div", { class: "col" }, pad),
  );

  function press(k) {
    if (busy) return;
    if (entry.press(k) && msg.dataset.kind !== "lock") showMessage(msg, "", null);
    update();
  }

  function update() {
    submit.disabled = busy || entry.value.length === 0;
  }

  function setBusy(b) {
    busy = b;
    for (const k of pad.querySelectorAll("button")) k.disabled = b;
    update();
  }

  async function send(code = entry.value) {
    if (busy) return;
    code = String(code || "").trim();
    if (!code) return;
    if (length && code.length !== length) {
      showMessage(msg, "error", "pickup.wrong_length", { n: length });
      return;
    }
    setBusy(true);
    showMessage(msg, "info", "common.wait");
    const body = { code };
    if (ctx.lowDoor) body.low_door = true;
    const r = await api("POST", "/pickup", body);
    if (r.ok) {
      ctx.go("pickupOpen", { parcels: r.data.parcels || [], atDesk: Number(r.data.at_desk) || 0, code });
      return;
    }
    entry.set("");
    if (r.status === 429 || r.data.error === "code_locked" || r.data.error === "too_many_attempts") {
      return lockout(retrySeconds(r.data));
    }
    setBusy(false);
    if (r.data.error === "code_invalid") {
      const left = Number(r.data.attempts_left);
      if (Number.isFinite(left)) showMessage(msg, "error", "pickup.invalid_left", { n: left });
      else showMessage(msg, "error", "pickup.invalid");
    } else {
      showError(msg, r);
    }
  }

  function lockout(seconds) {
    let left = seconds;
    setBusy(true);
    msg.dataset.kind = "lock";
    const tick = () => {
      if (left <= 0) {
        clearInterval(lockTimer);
        lockTimer = null;
        delete msg.dataset.kind;
        setBusy(false);
        showMessage(msg, "info", "pickup.lock_over");
        return;
      }
      const m = Math.floor(left / 60);
      const s = left % 60;
      const key = m ? (s ? "pickup.locked_min" : "pickup.locked_whole_min") : "pickup.locked_sec";
      showMessage(msg, "error", key, { m, s, n: left });
      left -= 1;
    };
    tick();
    lockTimer = setInterval(tick, 1000);
  }

  if (args.typed) press(args.typed);
  if (args.rejected) showMessage(msg, "error", "scan.rejected");
  if (args.code) {
    entry.set(args.code);
    if (args.submit) queueMicrotask(() => send(args.code));
  }
  update();

  return {
    el,
    onKey(key) {
      if (key === "Enter") send();
      else if (key === "Escape") press("Clear");
      else press(key);
    },
    onScan(text) {
      if (busy) return;
      entry.set(text.trim());
      send(text);
    },
    onScanRejected() {
      if (!busy) showMessage(msg, "error", "scan.rejected");
    },
    leave() {
      if (lockTimer) clearInterval(lockTimer);
    },
  };
}

export function pickupOpen(ctx, args) {
  const parcels = args.parcels || [];
  const doors = new Map(); // compartment -> "open" | "closed"
  for (const p of parcels) if (p.compartment) doors.set(p.compartment, "open");
  const counts = new Map();
  for (const p of parcels) counts.set(p.compartment, (counts.get(p.compartment) || 0) + 1);

  const title = h("h1", { testid: "open-title" });
  const cards = h("div", { class: "doors" });
  const rows = new Map();
  for (const c of doors.keys()) {
    const state = h("span", { class: "door-state" });
    const card = h(
      "div",
      { class: "door-card", testid: "door-" + c, "data-door": "open" },
      h("span", { class: "door-id" }, c),
      counts.get(c) > 1 ? T("span", "pickup.n_parcels", { n: counts.get(c) }, { class: "small" }) : null,
      state,
      refuseRow(c),
    );
    rows.set(c, { card, state });
    cards.append(card);
  }
  // China's locker rules: a resident may refuse a damaged or unwanted parcel instead of taking it
  function refuseRow(c) {
    const ids = parcels.filter((p) => p.compartment === c).map((p) => p.parcel_id);
    if (!args.code || !ids.length) return null;
    const note = message();
    const ask = async (reason) => {
      let ok = true;
      for (const id of ids) {
        const r = await api("POST", "/pickup/refuse", { parcel_id: id, code: args.code, reason });
        ok = ok && r.ok;
      }
      showMessage(note, ok ? "ok" : "error", ok ? "refuse.done" : "err.generic");
      if (ok) for (const b of row.querySelectorAll("button")) b.disabled = true;
    };
    const row = h(
      "div",
      { class: "refuse", testid: "refuse-" + c },
      T("span", "refuse.ask", {}, { class: "small" }),
      button("refuse.damaged", () => ask("damaged"), { cls: "btn btn-secondary btn-small", testid: "refuse-damaged-" + c }),
      button("refuse.unwanted", () => ask("unwanted"), { cls: "btn btn-secondary btn-small", testid: "refuse-unwanted-" + c }),
      note,
    );
    return row;
  }
  const instruction = T("p", "pickup.take_and_close", {}, { class: "lead" });
  const desk = args.atDesk
    ? T("p", "pickup.at_desk", { n: args.atDesk }, { class: "msg msg-info", testid: "at-desk" })
    : null;
  let doneTimer = null;
  const reminder = message("reminder");
  const el = h(
    "section",
    { class: "screen pickup-open" },
    title,
    instruction,
    reminder,
    cards,
    desk,
    h("div", { class: "row" }, button("common.done", () => ctx.go("home"), { cls: "btn btn-secondary", testid: "done" })),
  );

  function render() {
    let open = 0;
    for (const [c, d] of doors) {
      const { card, state } = rows.get(c);
      card.dataset.door = d;
      setT(state, d === "closed" ? "door.closed_released" : "door.open_take");
      if (d !== "closed") open += 1;
    }
    if (doors.size === 0) {
      setT(title, args.atDesk ? "pickup.all_at_desk" : "pickup.nothing");
      setT(instruction, null);
    } else if (open === 0) {
      setT(title, "pickup.all_done");
      setT(instruction, "pickup.thanks");
      el.dataset.finished = "true";
      if (!doneTimer) doneTimer = setTimeout(() => ctx.go("home"), 8000);
    } else if (doors.size === 1) {
      setT(title, "pickup.open_one", { c: [...doors.keys()][0] });
    } else {
      setT(title, "pickup.open_many", { n: doors.size, c: [...doors.keys()].join(", ") });
    }
  }
  render();

  return {
    el,
    idle: "long",
    onDoor(c, state) {
      if (!doors.has(c) || (state !== "open" && state !== "closed")) return;
      doors.set(c, state);
      if (state === "closed" && reminder.dataset.door === c) showMessage(reminder, "", null);
      render();
    },
    onAlarm(kind, c) {
      if (kind === "door.left_open" && doors.get(c) === "open") {
        reminder.dataset.door = c;
        showMessage(reminder, "error", "door.left_open", { c });
      }
    },
    leave() {
      if (doneTimer) clearTimeout(doneTimer);
    },
  };
}
