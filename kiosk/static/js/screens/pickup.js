// Resident pickup: keypad (or keyboard / wedge scanner / serial scanner) -> doors opening -> open -> closed.
// Door truth: a door reads "opening" until its sensor says open; a jam is said within the confirm timeout,
// with "door didn't open?" (one more try, then staff are told and the desk's number is shown).
import { api, retrySeconds } from "../api.js";
import { Entry, T, button, deskWhere, digitPad, h, message, setT, showError, showMessage } from "../ui.js";

const POLL_MS = 1000;
// A pickup QR from the resident's message (docs/decisions/0019-pickup-qr.md): LKP1:<site>:<code>.
// The daemon reads it (and counts it as a typed code would be counted); the screen never shows it.
const QR = /^LKP1[:;]/i;
export const isPickupQr = (text) => QR.test(String(text || "").trim());

export function pickup(ctx, args = {}) {
  const length = Number(ctx.info.code_length) || 0;
  // no more characters than the site's codes have: an 11th tap changes nothing (a wedge scanner's QR is read from
  // `raw` below, never from the boxes); the trial of 2026-12-05 typed 32 digits into 10-digit boxes, unreadable
  const entry = new Entry({ max: length || 32, allow: /^[0-9A-Za-z]$/, boxes: length, testid: "code", label: "code" });
  entry.el.classList.add("entry-code");
  if (length >= 8) entry.el.dataset.groups = length % 3 === 0 ? "3" : "4";
  const msg = message();
  let busy = false;
  let locked = false;
  let lockTimer = null;
  let raw = ""; // every key since the last Enter: a keyboard-wedge scanner types a QR's ':' too

  const submit = button("pickup.open", () => send(), { cls: "btn btn-primary btn-wide", testid: "submit" });
  const pad = digitPad((k) => press(k));
  const el = h(
    "section",
    { class: "screen pickup split" },
    h(
      "div",
      { class: "col" },
      T("h1", "pickup.title"),
      T("p", ctx.info.pickup_qr ? "pickup.hint" : "pickup.hint.no_qr", { n: length || "" }, { class: "hint" }),
      entry.el,
      msg,
      h("div", { class: "row" }, submit),
    ),
    h("div", { class: "col" }, pad),
  );

  function press(k) {
    if (busy || locked) return;
    if (entry.press(k) && msg.dataset.kind !== "lock") showMessage(msg, "", null);
    update();
  }

  function update() {
    submit.disabled = busy || locked || entry.value.length === 0;
  }

  function setBusy(b) {
    busy = b;
    for (const k of pad.querySelectorAll("button")) k.disabled = b || locked;
    update();
  }

  async function send(code = entry.value) {
    if (busy || locked) return;
    code = String(code || "").trim();
    if (!code) return;
    const qr = isPickupQr(code);
    if (!qr && length && code.length !== length) {
      showMessage(msg, "error", "pickup.wrong_length", { n: length });
      return;
    }
    setBusy(true);
    showMessage(msg, "info", "common.wait");
    const r = await api("POST", "/pickup", { code });
    if (r.ok) {
      ctx.go("pickupOpen", { parcels: r.data.parcels || [], atDesk: Number(r.data.at_desk) || 0, code });
      return;
    }
    entry.set("");
    if (r.status === 429 || r.data.error === "code_locked" || r.data.error === "too_many_attempts") {
      return lockout(retrySeconds(r.data));
    }
    setBusy(false);
    if (r.data.error === "qr_other_site" || r.data.error === "qr_unreadable") {
      showMessage(msg, "error", "scan." + r.data.error);
    } else if (r.data.error === "code_invalid" && qr) {
      const left = Number(r.data.attempts_left);
      if (Number.isFinite(left) && left <= 0) return checkLock();
      showMessage(msg, "error", "scan.qr_spent");
    } else if (r.data.error === "code_invalid") {
      const left = Number(r.data.attempts_left);
      if (Number.isFinite(left) && left <= 0) return checkLock(); // never "0 tries left" with a live keypad
      if (Number.isFinite(left)) showMessage(msg, "error", "pickup.invalid_left", { n: left });
      else showMessage(msg, "error", "pickup.invalid");
    } else {
      showError(msg, r);
    }
  }

  function lockout(seconds) {
    let left = seconds;
    locked = true;
    setBusy(false);
    msg.dataset.kind = "lock";
    el.dataset.locked = "true";
    const where = deskWhere(ctx.info);
    let ticks = 0;
    const tick = () => {
      ticks += 1;
      // staff may clear the lockout on the console's Safety locks page: ask every 5 s, end at once if so
      if (ticks % 5 === 0 && left > 1) {
        api("GET", "/pickup/lock").then((r) => {
          if (r.ok && !r.data.locked && locked) left = 0;
        });
      }
      if (left <= 0) {
        clearInterval(lockTimer);
        lockTimer = null;
        locked = false;
        delete msg.dataset.kind;
        delete el.dataset.locked;
        setBusy(false);
        showMessage(msg, "info", "pickup.lock_over");
        return;
      }
      const m = Math.floor(left / 60);
      const s = left % 60;
      const key = m ? (s ? "pickup.locked_min" : "pickup.locked_whole_min") : "pickup.locked_sec";
      showMessage(msg, "error", key, { m, s, n: left, where });
      left -= 1;
    };
    tick();
    if (lockTimer) clearInterval(lockTimer);
    lockTimer = setInterval(tick, 1000);
  }

  /** Someone walked up to a locked kiosk: say so before they type a single digit. */
  async function checkLock() {
    const r = await api("GET", "/pickup/lock");
    if (r.ok && r.data.locked) lockout(Math.max(1, Number(r.data.retry_after) || 1));
    else if (r.ok) showMessage(msg, "error", "pickup.invalid");
  }

  if (args.typed) {
    raw = args.typed;
    press(args.typed);
  }
  if (args.rejected) showMessage(msg, "error", "scan.rejected");
  if (args.code) {
    if (!isPickupQr(args.code)) entry.set(args.code);
    if (args.submit) queueMicrotask(() => send(args.code));
  }
  update();
  api("GET", "/pickup/lock").then((r) => {
    if (r.ok && r.data.locked && !locked) {
      entry.set("");
      lockout(Math.max(1, Number(r.data.retry_after) || 1));
    }
  });

  return {
    el,
    onKey(key) {
      if (key === "Enter") {
        const scanned = raw;
        raw = "";
        if (isPickupQr(scanned)) send(scanned);
        else send();
      } else if (key === "Escape") {
        raw = "";
        press("Clear");
      } else {
        if (key.length === 1 && raw.length < 160) raw += key;
        if (isPickupQr(raw)) {
          if (entry.value) entry.set(""); // a QR is being typed by a wedge scanner: never show its text
          update();
        } else {
          press(key);
        }
      }
    },
    onScan(text) {
      if (busy || locked) return;
      if (!isPickupQr(text)) entry.set(text.trim());
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
  // compartment -> {door: opening|open|closed|jammed|failed, parcel, retries, staff}
  const doors = new Map();
  for (const p of parcels) {
    if (p.compartment && !doors.has(p.compartment)) {
      doors.set(p.compartment, { door: p.door === "jammed" ? "jammed" : "opening", parcel: p.parcel_id, retries: 1 });
    }
  }
  const counts = new Map();
  for (const p of parcels) counts.set(p.compartment, (counts.get(p.compartment) || 0) + 1);
  const where = deskWhere(ctx.info);

  const title = h("h1", { testid: "open-title" });
  const cards = h("div", { class: "doors" });
  const rows = new Map();
  for (const c of doors.keys()) {
    const state = h("span", { class: "door-state" });
    const help = h("p", { class: "door-help" });
    const retry = button("pickup.didnt_open", () => retryDoor(c), { cls: "btn btn-primary", testid: "retry-" + c });
    const refuse = refuseRow(c);
    const card = h(
      "div",
      { class: "door-card", testid: "door-" + c, "data-door": "opening" },
      h("span", { class: "door-id" }, c),
      counts.get(c) > 1 ? T("span", "pickup.n_parcels", { n: counts.get(c) }, { class: "small" }) : null,
      state,
      help,
      retry,
      refuse,
    );
    rows.set(c, { card, state, help, retry, refuse });
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
      if (ok) {
        row.dataset.done = "true"; // stays in view with its answer ("put it back and close the door")
        for (const b of row.querySelectorAll("button")) b.disabled = true;
      }
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
  const desk = args.atDesk && doors.size
    ? T("p", "pickup.at_desk", { n: args.atDesk, where }, { class: "msg msg-info", testid: "at-desk" })
    : null;
  let doneTimer = null;
  let pollTimer = null;
  let stopped = false;
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
    const open = [];
    const stuck = [];
    let opening = 0;
    let bad = 0;
    let done = 0;
    let pending = 0;
    let restarted = 0;
    for (const [c, d] of doors) {
      const { card, state, help, retry, refuse } = rows.get(c);
      card.dataset.door = d.door;
      card.dataset.record = d.record || "ok";
      const key = { opening: "door.opening", open: "door.open_take", closed: "door.closed_done",
        jammed: "door.jammed", failed: "door.jammed", restarted: "door.restarted" }[d.door];
      if (d.record === "pending") {
        // the door's outcome is not saved yet (storage trouble): never show it as final
        pending += 1;
        setT(state, "door.record_pending");
        setT(help, "pickup.record_pending_hint", { c, where });
        retry.hidden = true;
        continue;
      }
      setT(state, key);
      if (d.door === "restarted") {
        // a power cut between the command and the sensor: the door may have opened (trial 2026-12-07f)
        bad += 1;
        restarted += 1;
        stuck.push(c);
        setT(help, d.retries > 0 ? "pickup.restarted_hint" : "pickup.restarted_staff", { c, where });
      } else if (d.door === "jammed" || d.door === "failed") {
        bad += 1;
        stuck.push(c);
        setT(help, d.retries > 0 ? "pickup.try_again_hint" : "pickup.staff_told", { c, where });
      } else {
        setT(help, null);
      }
      // "door didn't open?" once the door is known not to have opened, until the one retry is used
      retry.hidden = !(d.door === "jammed" || d.door === "failed" || d.door === "restarted") || d.retries <= 0;
      // refusing means putting the parcel back: only while this door is open (not opening, jammed or closed)
      if (refuse) refuse.hidden = d.door !== "open" && !refuse.dataset.done;
      if (d.door === "open") open.push(c);
      if (d.door === "opening") opening += 1;
      if (d.door === "closed") done += 1;
    }
    el.dataset.state = pending ? "pending" : bad ? "trouble" : opening ? "opening" : open.length ? "open" : "done";
    if (pending) {
      setT(title, "pickup.record_pending_title");
      setT(instruction, null);
    } else if (doors.size === 0) {
      setT(title, args.atDesk ? "pickup.all_at_desk" : "pickup.nothing", { n: args.atDesk, where });
      setT(instruction, null);
    } else if (bad && !open.length && !opening) {
      // the other doors did their job: say which door failed, not "the door did not open" over them all
      if (restarted) setT(title, "pickup.restarted_title");
      else if (done) setT(title, "pickup.jammed_rest_done", { c: stuck });
      else setT(title, "pickup.jammed_title");
      setT(instruction, null);
    } else if (opening && !open.length) {
      setT(title, "pickup.opening");
      setT(instruction, "pickup.opening_hint");
    } else if (!open.length && !opening) {
      setT(title, "pickup.all_done");
      setT(instruction, "pickup.thanks");
      el.dataset.finished = "true";
      if (!doneTimer) doneTimer = setTimeout(() => ctx.go("home"), 8000);
    } else if (open.length === 1) {
      setT(title, "pickup.open_one", { c: open[0] });
      setT(instruction, "pickup.take_and_close");
    } else {
      setT(title, "pickup.open_many", { n: open.length, c: open });
      setT(instruction, "pickup.take_and_close");
    }
  }

  /** Ask the daemon what each door not yet settled is doing (the sensor's word, or the jam). */
  async function poll() {
    pollTimer = null;
    if (stopped) return;
    const pending = [...doors.entries()].filter(([, d]) => d.door === "opening" || d.door === "open" || d.record === "pending");
    for (const [, d] of pending) {
      const r = await api("GET", "/pickup/" + encodeURIComponent(d.parcel));
      if (stopped) return;
      if (r.ok) update(d, r.data);
    }
    render();
    if (!stopped && pending.length) pollTimer = setTimeout(poll, POLL_MS);
  }

  function update(d, data) {
    if (data.door === "open" && d.door === "closed") return;
    d.door = data.door;
    d.record = data.record === "pending" ? "pending" : "ok";
    d.retries = Number(data.retries_left) || 0;
    d.staff = !!data.staff_told;
  }

  async function retryDoor(c) {
    const d = doors.get(c);
    const { retry } = rows.get(c);
    retry.disabled = true;
    const r = await api("POST", "/pickup/" + encodeURIComponent(d.parcel) + "/retry", {});
    retry.disabled = false;
    if (r.ok) update(d, r.data);
    else d.retries = 0;
    render();
    if (!pollTimer) pollTimer = setTimeout(poll, POLL_MS / 2);
  }

  render();
  pollTimer = setTimeout(poll, POLL_MS / 2);

  return {
    el,
    idle: "long",
    onDoor(c, state, record) {
      const d = doors.get(c);
      if (!d) return;
      if (record === "pending" || d.record === "pending") {
        d.record = record === "pending" ? "pending" : "ok";
        if (d.record === "pending" && !pollTimer && !stopped) pollTimer = setTimeout(poll, POLL_MS);
      }
      if (state !== "open" && state !== "closed") return render();
      if (state === "closed" && d.door === "opening") return; // closed before it opened: not news
      if (d.door === "restarted") return render(); // its outcome was lost in a restart: a close is not a pickup
      d.door = state;
      if (state === "closed" && reminder.dataset.door === c) showMessage(reminder, "", null);
      render();
    },
    onAlarm(kind, c) {
      const d = doors.get(c);
      if (kind === "door.left_open" && d && d.door === "open") {
        reminder.dataset.door = c;
        showMessage(reminder, "error", "door.left_open", { c });
      }
    },
    leave() {
      stopped = true;
      if (doneTimer) clearTimeout(doneTimer);
      if (pollTimer) clearTimeout(pollTimer);
    },
  };
}
