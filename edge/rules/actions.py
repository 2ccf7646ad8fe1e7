"""What each rule action does, inside the sweep's transaction (mixed into RulesEngine).

Every action: a ``rule_actions`` record (the idempotency key), the parcel's stage (forward only), a
timeline line, and its own effect: a resident message through the notifier plus an event for HQ
(reminder, fee notice, overdue, notice) or a staff task (move to the parcel room, dispose).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from edge import glossary
from edge.clock import parse_iso, utc_iso
from edge.money import money, site_currency
from edge.notify import merge
from edge.policy import Policy
from edge.rules import messages as msg
from edge.rules.calendar import WorkCalendar
from edge.rules.schedule import STAGE_OF, STAGE_RANK, Action, notice_deadline
from edge.services.notifier import (
    DEADLINE_TEXT,
    DEADLINE_TEXT_GROUP,
    DEADLINE_TEXT_SHELF,
    DEADLINE_TEXT_SHELF_GROUP,
    Notifier,
    site_heading,
)
from edge.store.db import Tx

#: the resident messages sent once per recipient and pickup code when several parcels fall due in one round
GROUPED = frozenset({"reminder", "overdue", "notice"})


def reminder_number(name: str) -> int:
    """`reminder:2` -> 2 (a bare `reminder` is the first)."""
    head, _, n = name.partition(":")
    return int(n) if head == "reminder" and n.isdigit() else (1 if head == "reminder" else 0)


@dataclass
class Group:
    """Parcels of one recipient under one pickup code whose action of one kind falls due in one round."""

    kind: str
    template: str
    members: list[dict[str, Any]]
    #: the parcels whose action was performed (their record, stage, timeline and event are written)
    performed: list[dict[str, Any]] = field(default_factory=list)
    lang: str = ""
    text: str = ""


class ActionHandlers:
    policy: Callable[[], Policy]
    calendar: WorkCalendar
    notifier: Notifier
    site_name: str
    #: the parcel-room desk as residents are told of it: (place, place in English, hours, phone)
    desk: tuple[str, str, str, str]
    #: (parcel id, kind) -> its group in the round being performed (set by the engine, only groups of 2 or more):
    #: a catch-up sweep can owe one parcel a reminder AND an overdue message, each grouped with the same parcels
    #: (keyed by parcel alone, the overdue group hid the reminder's)
    _grouped: dict[tuple[str, str], Group]

    def perform(self, tx: Tx, parcel: dict[str, Any], action: Action, actor: str = "rules") -> bool:
        """Do one action once. Returns False when it was already done (the UNIQUE record says so)."""
        cur = tx.execute(
            "INSERT OR IGNORE INTO rule_actions (parcel_id, action, due_at, done_at, actor) VALUES (?, ?, ?, ?, ?)",
            (parcel["id"], action.name, utc_iso(action.due_at), tx.ts, actor),
        )
        if cur.rowcount == 0:
            return False
        kind = action.kind
        stage = STAGE_OF.get(kind)
        if stage and STAGE_RANK.get(stage, 0) > STAGE_RANK.get(parcel.get("stage"), 0):
            tx.execute("UPDATE parcels SET stage = ?, updated_at = ? WHERE id = ?", (stage, tx.ts, parcel["id"]))
            parcel["stage"] = stage
        data = self._event_data(parcel, action)
        handler = getattr(self, "_do_" + kind)
        # said before the handler runs: a late reminder is recorded, not sent (_do_reminder)
        logged = ("rules.reminder_late" if kind == "reminder" and self._reminder_is_late(tx, parcel, action.name)
                  else "rules." + kind)
        handler(tx, parcel, action, data)
        tx.log(parcel["id"], logged, actor, action=action.name, due_at=data["due_at"])
        return True

    def _event_data(self, parcel: dict[str, Any], action: Action) -> dict[str, Any]:
        stored = parcel["stored_at"]
        return {
            "parcel_id": parcel["id"],
            "tracking_number": parcel["tracking_number"],
            "carrier": parcel.get("carrier"),
            "unit": parcel.get("unit"),
            "category": parcel.get("category") or "normal",
            "compartment": parcel.get("compartment_id"),
            "shelf_slot": parcel.get("shelf_slot"),
            "stored_at": stored if isinstance(stored, str) else utc_iso(stored),
            "due_at": utc_iso(action.due_at),
        }

    def tracking_words(self, parcel: dict[str, Any], lang: str) -> str:
        """"顺丰速运 SF1234567890128": the carrier's name before the number, as the stored and collected messages
        have it (every message of the rules and the staff's moves and disposals words a parcel this way)."""
        carrier = glossary.carrier_name(parcel.get("carrier"), lang) if parcel.get("carrier") else ""
        return f"{carrier} {parcel['tracking_number']}" if carrier else str(parcel["tracking_number"])

    def message_values(self, parcel: dict[str, Any], lang: str) -> dict[str, Any]:
        """The values every rules message and the staff's moves fill in: site, parcel, place, code, desk."""
        return {
            "site": self.site_for(lang),
            "tracking": self.tracking_words(parcel, lang),
            "location": msg.location_text(parcel.get("compartment_id"), parcel.get("shelf_slot"), lang),
            "code": parcel.get("pickup_code") or "",
            "fee": "",
            "desk": self._desk_words(lang),
        }

    def site_for(self, lang: str) -> str:
        # the English name is the notifier's (`[site].name_en`, set by the daemon)
        return site_heading(self.site_name, self.notifier.site_name_en, lang)

    def _desk_words(self, lang: str) -> str:
        """The desk's place, hours ("工作日 08:00-20:00" unless it opens on rest days too) and phone, in words."""
        return msg.desk_text(self._desk_place(lang), self.desk[2], self.desk[3], lang,
                             working_days_only=not self.calendar.desk_every_day)

    def _desk_place(self, lang: str) -> str:
        place, place_en = self.desk[0], self.desk[1]
        return place_en or place if lang == "en" else place

    def _deadline_text(self, parcel: dict[str, Any], lang: str, *, several: bool = False, mixed: bool = False) -> str:
        """"请于6月4日 09:00前取件，逾期将移至包裹室保管。": when the parcel becomes overdue (the sweep puts the
        planned time on the row as ``overdue_at``), worded as the stored message words it."""
        at = parcel.get("overdue_at")
        if not isinstance(at, datetime):
            return "请尽快取件。" if lang == "zh-CN" else ""
        if mixed:
            table = msg.DEADLINE_TEXT_MIXED
        elif several:
            table = DEADLINE_TEXT_GROUP if parcel.get("compartment_id") else DEADLINE_TEXT_SHELF_GROUP
        else:
            table = DEADLINE_TEXT if parcel.get("compartment_id") else DEADLINE_TEXT_SHELF
        return table.get(lang, table["en"]).format(when=msg.fmt_local(at, self.calendar.tz, lang),
                                                   desk=self._desk_words(lang))

    @staticmethod
    def _door_failed(tx: Tx, parcel: dict[str, Any]) -> bool:
        """Its door did not open for the resident (a "hand it over" task is open): only the desk can give it."""
        return bool(parcel.get("compartment_id")) and bool(tx.scalar(
            "SELECT COUNT(*) FROM tasks WHERE state = 'open' AND kind = 'pickup_failed' AND parcel_id = ?",
            (parcel["id"],)))

    def _notify(self, tx: Tx, parcel: dict[str, Any], kind: str, text: str, code: str | None, *,
                fee_start: datetime | None = None, told: datetime | None = None) -> dict[str, str]:
        group = getattr(self, "_grouped", {}).get((parcel["id"], kind))
        if group is not None:
            # one message for the group, sent by send_groups() once every member's action is done
            if all(p["id"] != parcel["id"] for p in group.performed):
                group.performed.append(parcel)
            return {"lang": group.lang, "text": group.text}
        lang = self.notifier.lang_for(tx, parcel)
        self.notifier.send(tx, kind, parcel, code=code, text=text, lang=lang, fee_start=fee_start, told=told)
        return {"lang": lang, "text": text}

    # --- one message per recipient and code ----------------------------------------------------------
    def group_key(self, tx: Tx, parcel: dict[str, Any], kind: str, name: str = "") -> tuple[str, ...] | None:
        """Who the message goes to (unit and phone, as the notifier sends it), the code and the wording."""
        if kind not in GROUPED or not parcel.get("pickup_code") or not (parcel.get("unit") or parcel.get("phone_tail")):
            return None
        if self._door_failed(tx, parcel):
            return None  # "the door did not open, come to the desk" stays a message of its own
        if kind == "reminder" and self._reminder_is_late(tx, parcel, name):
            return None  # sent to nobody (below)
        # parcels in the locker and in the parcel room under one code are one group: one message names both places
        return (kind, parcel.get("unit") or "", parcel.get("phone_tail") or "", parcel["pickup_code"],
                parcel.get("category") or "normal")

    def make_groups(
        self, tx: Tx, members: dict[tuple[str, ...], list[dict[str, Any]]],
    ) -> dict[tuple[str, str], Group]:
        out: dict[tuple[str, str], Group] = {}
        for key, parcels in members.items():
            unique = list({p["id"]: p for p in parcels}.values())
            if len(unique) < 2:
                continue
            kind = key[0]
            group = Group(kind, _template(kind, unique), unique)
            group.lang, group.text = self._group_text(tx, group, unique)
            for p in unique:
                out[(p["id"], kind)] = group
        return out

    def _group_text(self, tx: Tx, group: Group, parcels: list[dict[str, Any]]) -> tuple[str, str]:
        first = parcels[0]
        lang = self.notifier.lang_for(tx, first)
        names = [glossary.carrier_name(p.get("carrier"), lang) if p.get("carrier") else p["tracking_number"]
                 for p in parcels]
        v = self.message_values(first, lang) | {"count": len(parcels), "carriers": msg.carriers_text(names, lang)}
        template = _template(group.kind, parcels)  # of the parcels told of (a member may have failed)
        mixed = template.endswith("_mixed")
        if mixed:
            v |= self._mixed_values(parcels, lang)
        else:  # every door (or shelf) by name, as the stored message names them
            places = [{"compartment": p.get("compartment_id"), "shelf": p.get("shelf_slot")} for p in parcels]
            doors = {p["compartment"] for p in places if p["compartment"]}
            v |= {"places": merge.places_text(places, lang),
                  "opens_all": msg.OPENS_ALL.get(lang, msg.OPENS_ALL["en"]) if len(doors) > 1 else ""}
        if group.kind == "reminder":
            dated = [p for p in parcels if isinstance(p.get("overdue_at"), datetime)]
            earliest = min(dated, key=lambda p: p["overdue_at"]) if dated else first
            v |= {"fee": self._fee_text(first, lang),
                  "deadline": self._deadline_text(earliest, lang, several=True, mixed=mixed)}
        elif group.kind == "notice":
            v |= self._notice_values(tx, first, lang) | ({"desk": v["desk"]} if mixed else {})
        return lang, msg.render_group(template, lang, **v)

    @staticmethod
    def _mixed_values(parcels: list[dict[str, Any]], lang: str) -> dict[str, str]:
        """Where the parcels of a group in the locker and in the parcel room are ("智能柜 A-01 格口和包裹室 R1 货架"),
        and in English "the one" / "the ones" of each place."""
        places = merge.places_text(
            [{"compartment": p.get("compartment_id"), "shelf": p.get("shelf_slot")} for p in parcels], lang)
        in_locker = sum(1 for p in parcels if p.get("compartment_id"))
        in_room = len(parcels) - in_locker
        return {"places": places, "ones_locker": "the one" if in_locker == 1 else "the ones",
                "ones_room": "the one" if in_room == 1 else "the ones"}

    def send_groups(self, tx: Tx) -> int:
        """Send each group's one message (same transaction as the members' records). Returns messages sent."""
        sent = 0
        for group in {id(g): g for g in getattr(self, "_grouped", {}).values()}.values():
            if not group.performed:
                continue
            lang, text = group.lang, group.text
            if len(group.performed) != len(group.members):  # a member failed or was done already: say what was done
                if len(group.performed) == 1:
                    lang, text = self._single_text(tx, group, group.performed[0])
                else:
                    lang, text = self._group_text(tx, group, group.performed)
            first = group.performed[0]
            code = None if group.kind == "notice" else first.get("pickup_code")
            mid = self.notifier.send(tx, group.kind, first, code=code, text=text, lang=lang,
                                     told=self._told(tx, group.kind, group.performed))
            detail = json.dumps({"message": mid, "grouped": [p["id"] for p in group.performed]})
            tx.conn.executemany(
                "UPDATE rule_actions SET detail = ? WHERE parcel_id = ? AND done_at = ? AND action LIKE ?",
                [(detail, p["id"], tx.ts, group.kind + "%") for p in group.performed],
            )
            sent += 1
        self._grouped = {}
        return sent

    def _single_text(self, tx: Tx, group: Group, parcel: dict[str, Any]) -> tuple[str, str]:
        lang = self.notifier.lang_for(tx, parcel)
        v = self.message_values(parcel, lang)
        if group.kind == "reminder":
            hours = int(round((tx.now - _dt(parcel["stored_at"])).total_seconds() / 3600))
            v |= {"hours": hours, "fee": self._fee_text(parcel, lang), "deadline": self._deadline_text(parcel, lang)}
        elif group.kind == "notice":
            v |= self._notice_values(tx, parcel, lang)
        return lang, msg.render(_template(group.kind, [parcel]), lang, **v)

    def _told(self, tx: Tx, kind: str, parcels: list[dict[str, Any]]) -> datetime | None:
        """The deadline a reminder's or a notice's text tells (the earliest of a group's), kept on its message so an
        SMS template's `deadline` says the same date; None for the other kinds and for a text that names none."""
        if kind == "notice":
            return notice_deadline(self.calendar, self.policy(), tx.now)
        if kind == "reminder":
            dated = [p["overdue_at"] for p in parcels if isinstance(p.get("overdue_at"), datetime)]
            return min(dated) if dated else None
        return None

    def _fee_text(self, parcel: dict[str, Any], lang: str) -> str:
        fee = self.policy().storage_fee
        if not fee.enabled:
            return ""
        if lang == "zh-CN":
            return f"存放超过{fee.free_hours:g}小时将收取保管费。"
        return f" A storage fee applies after {fee.free_hours:g} h."

    @staticmethod
    def _reminder_is_late(tx: Tx, parcel: dict[str, Any], name: str = "") -> bool:
        """A reminder caught up after its parcel's overdue time (a power cut, a clock step) would tell the resident
        to collect by a time already past, beside the overdue message of the same sweep (trial 2026-12-04); one
        a later reminder of the same parcel supersedes in the same sweep would send "stored 24 hours" and
        "stored 48 hours" in the same second (`reminder_last`, set by the engine; trial 2026-12-08)."""
        at = parcel.get("overdue_at")
        if isinstance(at, datetime) and at <= tx.now:
            return True
        return reminder_number(name) < int(parcel.get("reminder_last") or 0)

    def _do_reminder(self, tx: Tx, parcel: dict[str, Any], action: Action, data: dict[str, Any]) -> None:
        number = reminder_number(action.name)
        if self._reminder_is_late(tx, parcel, action.name):
            # the action is done once, as on a site that never lost power (record, stage, timeline, HQ event);
            # only its message, whose deadline has passed, is not sent: the overdue message says what to do
            tx.emit("parcel.reminder", data | {"reminder": number, "message": None, "late": True})
            return
        lang = self.notifier.lang_for(tx, parcel)
        hours = int(round((action.due_at - _dt(parcel["stored_at"])).total_seconds() / 3600))
        v = self.message_values(parcel, lang) | {"hours": hours, "fee": self._fee_text(parcel, lang),
                                          "deadline": self._deadline_text(parcel, lang)}
        template = "reminder_desk" if self._door_failed(tx, parcel) else "reminder"
        message = self._notify(tx, parcel, "reminder", msg.render(template, lang, **v), parcel.get("pickup_code"),
                               told=None if template == "reminder_desk" else self._told(tx, "reminder", [parcel]))
        tx.emit("parcel.reminder", data | {"reminder": number, "message": message})

    def _do_fee_notice(self, tx: Tx, parcel: dict[str, Any], action: Action, data: dict[str, Any]) -> None:
        lang = self.notifier.lang_for(tx, parcel)
        fee = self.policy().storage_fee
        currency = site_currency(fee.currency, self.calendar.code)
        fee_from = action.due_at + timedelta(hours=min(fee.notice_hours, fee.free_hours))
        v = self.message_values(parcel, lang) | {
            "fee_from": msg.fmt_local(fee_from, self.calendar.tz, lang),
            # with the currency's symbol, the site's country's unless the policy names one: "HK$2", "¥2" (trial 07d)
            "amount": money(fee.fee_per_period, currency, lang),
            "period": f"{fee.period_hours:g}",
            "cap": money(fee.cap, currency, lang),
            "currency": currency,
        }
        # the fee start the text tells (holds included) is the notice's deadline for the quiet hours: it waits for
        # their end unless the fee starts first (ADR 0043); the notifier's own guess ignores holds
        message = self._notify(tx, parcel, "fee_notice", msg.render("fee_notice", lang, **v), parcel.get("pickup_code"),
                               fee_start=fee_from)
        tx.emit("parcel.reminder", data | {"reminder": "fee_notice", "message": message})

    def _do_overdue(self, tx: Tx, parcel: dict[str, Any], action: Action, data: dict[str, Any]) -> None:
        lang = self.notifier.lang_for(tx, parcel)
        if self._door_failed(tx, parcel):
            template = "overdue_desk"
        else:
            template = "overdue" if parcel.get("compartment_id") else "overdue_shelf"
        text = msg.render(template, lang, **self.message_values(parcel, lang))
        message = self._notify(tx, parcel, "overdue", text, parcel.get("pickup_code"))
        tx.emit("parcel.overdue", data | {"message": message})

    def _do_move_to_parcel_room(self, tx: Tx, parcel: dict[str, Any], action: Action, data: dict[str, Any]) -> None:
        lang = self.notifier.lang_for(tx, parcel)
        title = msg.task_title(
            "move_to_parcel_room", lang, tracking=parcel["tracking_number"], unit=parcel.get("unit") or "-",
            compartment=parcel.get("compartment_id") or "-",
        )
        self._task(tx, "move_to_parcel_room", parcel, title, action.due_at)

    def _do_notice(self, tx: Tx, parcel: dict[str, Any], action: Action, data: dict[str, Any]) -> None:
        lang = self.notifier.lang_for(tx, parcel)
        deadline = notice_deadline(self.calendar, self.policy(), tx.now)
        v = self.message_values(parcel, lang) | self._notice_values(tx, parcel, lang)
        message = self._notify(tx, parcel, "notice", msg.render("notice", lang, **v), None, told=deadline)
        tx.emit("parcel.notice_posted", data | {"deadline": utc_iso(deadline), "message": message})

    def _notice_values(self, tx: Tx, parcel: dict[str, Any], lang: str) -> dict[str, Any]:
        policy = self.policy()
        deadline = notice_deadline(self.calendar, policy, tx.now)
        how = "、".join if lang == "zh-CN" else " or ".join
        return {
            "code": msg.mask_code(parcel.get("pickup_code")),
            "days": policy.clock(parcel.get("category") or "normal").unclaimed_working_days,
            "deadline": msg.fmt_local(deadline, self.calendar.tz, lang),
            "how": how([msg.how_text(h, lang) for h in policy.disposal_options]),
            # on a shelf only the desk gives it: say where and when (a locker parcel is collected at the kiosk)
            "desk": "" if parcel.get("compartment_id") else
            self._desk_words(lang),
        }

    def _do_disposal_due(self, tx: Tx, parcel: dict[str, Any], action: Action, data: dict[str, Any]) -> None:
        lang = self.notifier.lang_for(tx, parcel)
        title = msg.task_title(
            "dispose", lang, tracking=parcel["tracking_number"], unit=parcel.get("unit") or "-",
            location=msg.location_text(parcel.get("compartment_id"), parcel.get("shelf_slot"), lang),
        )
        # due one working day after disposal became possible (or after now, on a late sweep): a task is not
        # overdue the moment it appears (trial 2026-12-03c showed "已过期" at birth)
        start = max(_dt(action.due_at), tx.now)
        due = self.calendar.add_working_days(start, 1)
        self._task(tx, "dispose", parcel, title, due, options=self.policy().disposal_options)

    @staticmethod
    def _task(tx: Tx, kind: str, parcel: dict[str, Any], title: str, due: datetime, **detail: Any) -> None:
        exists = tx.scalar("SELECT 1 FROM tasks WHERE kind = ? AND parcel_id = ? AND state = 'open'", (kind, parcel["id"]))
        if exists:
            return
        tx.execute(
            "INSERT INTO tasks (kind, parcel_id, compartment_id, title, detail, due_at, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (kind, parcel["id"], parcel.get("compartment_id"), title,
             json.dumps(detail, ensure_ascii=False), utc_iso(due), tx.ts),
        )


def _template(kind: str, parcels: list[dict[str, Any]]) -> str:
    """The template of a grouped kind for these parcels: "<kind>_mixed" when some are in the locker and some in
    the parcel room, "overdue_shelf" when all are in the parcel room, else the kind (one parcel: its own)."""
    in_locker = [bool(p.get("compartment_id")) for p in parcels]
    if len(parcels) > 1 and any(in_locker) and not all(in_locker):
        return kind + "_mixed"
    return "overdue_shelf" if kind == "overdue" and not any(in_locker) else kind


def _dt(v: datetime | str) -> datetime:
    return v if isinstance(v, datetime) else parse_iso(v)
