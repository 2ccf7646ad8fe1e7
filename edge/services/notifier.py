"""Resident notifications: what a resident is told, recorded in the same transaction as the change.

Each message is written twice in the transaction of its cause: the local record (`notifications`, what
`GET /api/v1/sim/notifications` lists in `lockerd simulate`) and a row of the durable queue (`messages`,
edge/notify/queue.py) that the dispatcher delivers through the configured channels. Messages are in the
resident's language when the directory has it, else the site's; "stored" states the pickup deadline.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from edge import glossary, hant
from edge.clock import parse_iso, utc_iso
from edge.notify import merge, queue
from edge.notify.timing import MERGE_KINDS, SendTiming
from edge.policy import Policy
from edge.rules.clockguard import clock_trusted
from edge.services import former
from edge.store.db import Tx

log = logging.getLogger(__name__)

TEMPLATES: dict[str, dict[str, str]] = {
    "stored": {
        "zh-CN": "【{site}】您的包裹（{carrier}{tracking}）已存入{location}，取件码 {code}。{deadline}",
        "en": "[{site}] Your parcel ({carrier}{tracking}) is in {location}. Pickup code {code}.{deadline}",
    },
    "code_reissued": {
        "zh-CN": "【{site}】您的包裹（{tracking}）取件码已更新为 {code}，旧取件码作废。",
        "en": "[{site}] The pickup code for your parcel ({tracking}) is now {code}; the old code no longer works.",
    },
    "collected": {
        "zh-CN": "【{site}】您的包裹（{carrier}{tracking}）已于{location}取出。如非本人操作请联系物业{phone}。",
        "en": "[{site}] Your parcel ({carrier}{tracking}) was collected from {location}. Not you? Contact the front "
        "desk{phone}.",
    },
}


def location_text(compartment: str | None, shelf: str | None, lang: str) -> str:
    if compartment:
        return f"智能柜 {compartment} 格口" if lang == "zh-CN" else f"locker {compartment}"
    if shelf:
        return f"包裹室 {shelf} 货架" if lang == "zh-CN" else f"the parcel room, shelf {shelf}"
    return "包裹室" if lang == "zh-CN" else "the parcel room"


DEADLINE_TEXT = {
    "zh-CN": "请于{when}前取件，逾期将移至包裹室保管。",
    "en": " Please collect it by {when}; after that it moves to the parcel room.",
}
#: a parcel taken in at the desk is in the parcel room already: only the deadline
DEADLINE_TEXT_SHELF = {
    "zh-CN": "请于{when}前到前台取件{desk}。",
    "en": " Please collect it at the desk by {when}{desk}.",
}
#: the same for several parcels in one grouped message (the trial of 2026-12-04: "Please collect it by" for three)
DEADLINE_TEXT_GROUP = {
    "zh-CN": DEADLINE_TEXT["zh-CN"],
    "en": " Please collect them by {when}; after that they move to the parcel room.",
}
DEADLINE_TEXT_SHELF_GROUP = {
    "zh-CN": DEADLINE_TEXT_SHELF["zh-CN"],
    "en": " Please collect them at the desk by {when}{desk}.",
}


def site_heading(name: str, name_en: str, lang: str) -> str:
    """The site's name as a message in `lang` heads it (【阳光花园】 / [Sunny Gardens]): `name_en` in English when set."""
    return (name_en or name) if lang == "en" else name


def desk_hours_words(hours: str, lang: str, working_days_only: bool) -> str:
    """`site.desk_hours` as residents and staff read them: "工作日 08:00-20:00" / "08:00-20:00 on working days" when
    the desk keeps them on working days only (`site.desk_open_on_rest_days = false`, the default), else the hours
    alone; "" without hours. The one rule the kiosk, the messages, the notice and the deadlines share (ADR 0042)."""
    if not hours or not working_days_only:
        return hours
    return f"工作日 {hours}" if lang.startswith("zh") else f"{hours} on working days"


def desk_text(place: str, hours: str, phone: str, lang: str, *, working_days_only: bool = False) -> str:
    """Where, when and whom to call for the desk, as the kiosk's dead ends say it; empty when none is set."""
    zh = lang == "zh-CN"
    hours = desk_hours_words(hours, lang, working_days_only)
    parts = [p for p in (
        place and (f"地点：{place}" if zh else place),
        hours and (f"时间：{hours}" if zh else f"open {hours}"),
        phone and (f"电话：{phone}" if zh else f"phone {phone}"),
    ) if p]
    if not parts:
        return ""
    return f"（{'；'.join(parts)}）" if zh else f" ({'; '.join(parts)})"


def fmt_local(t: datetime, tz: ZoneInfo, lang: str) -> str:
    local = t.astimezone(tz)
    if lang == "zh-CN":
        return f"{local.month}月{local.day}日 {local:%H:%M}"
    return f"{local:%d %b %Y %H:%M}"


def record(
    tx: Tx, kind: str, parcel: dict[str, Any], *, text: str, lang: str, code: str | None = None,
    deadline: str | None = None, subkind: str | None = None, record_kind: str | None = None,
    next_at: datetime | None = None, merge_key: str | None = None, merge_data: str | None = None,
    to: dict[str, Any] | None = None,
) -> str:
    """The local record (`notifications`, what the simulator lists) and the queued message, in this transaction.
    `to`: a former resident's kept contact (edge/services/former.py), instead of the unit's directory entry."""
    cur = tx.execute(
        "INSERT INTO notifications (parcel_id, unit, phone_tail, tracking_number, pickup_code, kind, lang, text, ts)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (parcel.get("id"), parcel.get("unit"), parcel.get("phone_tail"), parcel.get("tracking_number"), code,
         record_kind or kind, lang, text, tx.ts),
    )
    return queue.enqueue(tx, kind=kind, lang=lang, text=text, parcel=parcel, code=code, deadline=deadline,
                         subkind=subkind, notification_id=cur.lastrowid, next_at=next_at, merge_key=merge_key,
                         merge_data=merge_data, to=to)


def unit_reader_lang(tx: Tx, unit: str | None) -> str | None:
    """The language the directory has for the unit, as its resident reads: zh-CN, zh-HK or en; None unknown."""
    if not unit:
        return None
    v = tx.scalar("SELECT lang FROM units WHERE unit = ?", (unit,))
    return str(v) if v else None


def unit_lang(tx: Tx, unit: str | None) -> str | None:
    """The language a message to the unit is worded in (zh-HK is worded in zh-CN and converted when it is sent:
    docs/decisions/0050-zh-hk-by-conversion.md)."""
    v = unit_reader_lang(tx, unit)
    return hant.base(v) if v else None


class Notifier:
    def __init__(self, site_name: str, lang: str) -> None:
        self.site_name = site_name
        #: the site's name in English messages (`[site].name_en`; empty: `site_name`), set by the daemon
        self.site_name_en = ""
        self.lang = lang
        #: set by the daemon: the site's first language (`site.languages`); zh-HK: a resident the directory gives
        #: no language reads traditional Chinese (docs/decisions/0050-zh-hk-by-conversion.md)
        self.first_lang = lang
        #: set by the daemon: the storage policy (for the pickup deadline) and the site's time zone
        self.policy_fn: Callable[[], Policy] | None = None
        self.tz = ZoneInfo("Asia/Shanghai")
        #: called once a transaction that queued a message has committed (wakes the dispatcher)
        self.on_enqueued: Callable[[], None] | None = None
        #: set by the daemon from [site]: the desk's place (zh, en), hours and phone, for the messages that
        #: send the resident to the desk (a parcel on its shelves) or to the property (a collection not theirs)
        self.desk: tuple[str, str, str, str] = ("", "", "", "")
        #: set by the daemon: the desk keeps its hours on working days only (`site.desk_open_on_rest_days` false)
        self.desk_working_days_only = False
        #: set by the rules component: moves a deadline the resident is told into desk hours (ADR 0042)
        self.desk_deadline: Callable[[datetime], datetime] = lambda t: t
        #: set by the notify component from `[notify]`: the merge window and quiet hours (ADR 0043); None (no
        #: dispatcher, the tools): every message may leave at once and none is folded
        self.timing: SendTiming | None = None

    def site_for(self, lang: str) -> str:
        return site_heading(self.site_name, self.site_name_en, lang)

    def desk_words(self, lang: str, *, phone_only: bool = False) -> str:
        place, place_en, hours, phone = self.desk
        if phone_only:
            return desk_text("", "", phone, lang)
        return desk_text(place_en or place if lang == "en" else place, hours, phone, lang,
                         working_days_only=self.desk_working_days_only)

    @staticmethod
    def directory_lang(tx: Tx, parcel: dict[str, Any]) -> str | None:
        """The language the parcel's resident reads as the directory has it: a former resident's as their parcel
        kept it (edge/services/former.py), else the unit's; None unknown."""
        found = former.contact(tx, parcel)
        if found is not None:
            return found.get("lang") or None
        return unit_reader_lang(tx, parcel.get("unit"))

    def lang_for(self, tx: Tx, parcel: dict[str, Any]) -> str:
        """The language the resident's message is worded in: the directory's, else the site's (zh-CN for zh-HK)."""
        v = self.directory_lang(tx, parcel)
        return hant.base(v) if v else hant.base(self.lang)

    def reader_lang(self, tx: Tx, parcel: dict[str, Any], lang: str | None = None) -> str:
        """The language the resident reads (`lang`, the wording's, when given): zh-HK when the directory says so (or
        the site's first language is zh-HK and the directory says nothing) and the wording is Chinese."""
        if lang == hant.HK:
            return lang
        wording = lang or self.lang_for(tx, parcel)
        if wording != hant.CN:
            return wording
        raw = self.directory_lang(tx, parcel)
        return hant.HK if raw == hant.HK or (raw is None and self.first_lang == hant.HK) else wording

    def deadline_for(self, parcel: dict[str, Any], stored: datetime) -> datetime | None:
        """When a stored parcel becomes overdue (the storage period the resident is told)."""
        if self.policy_fn is None:
            return None
        try:
            hours = self.policy_fn().clock(parcel.get("category") or "normal").overdue_hours
        except Exception:
            log.warning("no storage policy for the pickup deadline", exc_info=True)
            return None
        # the same instant the rules' overdue action is planned at (holds aside): inside desk hours
        return self.desk_deadline(stored + timedelta(hours=hours))

    def send(
        self, tx: Tx, kind: str, parcel: dict[str, Any], *, code: str | None = None, text: str | None = None,
        lang: str | None = None, subkind: str | None = None, record_kind: str | None = None,
        fee_start: datetime | None = None, told: datetime | None = None,
    ) -> str:
        """Record and queue one message for the parcel's recipient. `text` overrides the template. `fee_start`
        (a fee notice): when the fee it announces starts, as the rules computed it (holds included). `told`: the
        deadline a caller's text tells (a reminder's "collect by", a notice's "before"), kept on the message so a
        template's `deadline` says the same date (a "stored" message computes its own).

        The one place resident messages are written from (the parcel lifecycle, the storage rules and
        the tracking anomalies all call it). Returns the message's stable id.

        A former resident's parcel (the unit's resident changed since it was stored: edge/services/former.py) is
        told to the contact it kept, never to the unit's new resident; with no contact kept, nothing is queued
        and a staff task says so (returns "")."""
        to = former.contact(tx, parcel)
        if to is not None and not former.reachable(to):
            return former.withhold(tx, kind, parcel)
        reader = self.reader_lang(tx, parcel, lang)
        lang = hant.base(lang or self.lang_for(tx, parcel))
        deadline = utc_iso(told) if told is not None else None
        # on a clock not known to be right (a Pi before NTP answers, or the hold after a large step) the deadline
        # would be a wrong date: the message names the code and the place and no date; the reminders, which wait
        # for the clock, name it, and a channel whose template needs a date holds it until `date_pending`
        if kind == "stored" and not clock_trusted(tx):
            log.info("clock not trusted: the stored message for %s names no deadline", parcel.get("id"))
        elif kind == "stored":
            stored = parcel.get("stored_at")
            at = self.deadline_for(parcel, parse_iso(stored) if isinstance(stored, str) else tx.now)
            deadline = utc_iso(at) if at else None
        # a caller's own wording is never replaced by the folded text; the staff's move is worded as the template
        templated = text is None or kind == "moved"
        if text is None:
            text = self._templated(kind, parcel, lang, code, deadline)
        # a zh-HK reader gets the Chinese wording converted, and the message is queued as zh-HK (ADR 0050)
        text = hant.out(text, reader)
        # a former resident's message is never folded with the unit's (their key is the unit's and tail's)
        next_at, key, part = self._timing(tx, kind, parcel, reader, code, deadline, templated and to is None,
                                          fee_start)
        mid = record(tx, kind, parcel, text=text, lang=reader, code=code, deadline=deadline, subkind=subkind,
                     record_kind=record_kind, next_at=next_at, merge_key=key, merge_data=part, to=to)
        if self.on_enqueued is not None:
            tx.after_commit(self.on_enqueued)
        return mid

    def _templated(self, kind: str, parcel: dict[str, Any], lang: str, code: str | None, deadline: str | None) -> str:
        """The message of a templated kind (stored, code_reissued, collected) in `lang`, with its deadline's
        sentence when it has one."""
        tpl = TEMPLATES[kind][lang if lang in TEMPLATES[kind] else "en"]
        # the carrier's name, not its code: "顺丰速运 SF1234..." rather than "SF SF1234..."
        carrier = glossary.carrier_name(parcel.get("carrier"), lang) if parcel.get("carrier") else ""
        when = ""
        if deadline:
            table = DEADLINE_TEXT if parcel.get("compartment_id") else DEADLINE_TEXT_SHELF
            when = table.get(lang, table["en"]).format(
                when=fmt_local(parse_iso(deadline), self.tz, lang), desk=self.desk_words(lang))
        return tpl.format(
            site=self.site_for(lang),
            carrier=f"{carrier} " if carrier else "",
            tracking=parcel["tracking_number"],
            location=location_text(parcel.get("compartment_id"), parcel.get("shelf_slot"), lang),
            code=code or "",
            deadline=when,
            phone=self.desk_words(lang, phone_only=True),
        )

    def date_pending(self, tx: Tx) -> int:
        """Once the clock is trusted (the rules sweep runs): the "stored" messages still waiting without a date get
        their parcel's deadline, their text with it, and leave at once. They waited because a channel could not
        send them without one (an approved SMS template that names `deadline`: channels/base.py need_deadline);
        one a free-text channel delivered undated has left already and is not touched. Returns how many."""
        rows = tx.all("SELECT m.id, m.lang, m.pickup_code, m.merge_data, m.parcel_id FROM messages m JOIN parcels p"
                      " ON p.id = m.parcel_id WHERE m.state = 'pending' AND m.kind = 'stored' AND m.deadline IS NULL"
                      " AND p.state = 'stored' AND p.stored_at IS NOT NULL")
        dated = 0
        for r in rows:
            parcel = tx.one("SELECT * FROM parcels WHERE id = ?", (r["parcel_id"],))
            at = self.deadline_for(parcel, parse_iso(parcel["stored_at"])) if parcel else None
            if parcel is None or at is None:
                continue
            lang = hant.base(r["lang"])
            parts = merge.parts(r["merge_data"])
            for part in parts:  # a folded message: each of its parcels' deadline (the fold names the earliest)
                other = tx.one("SELECT * FROM parcels WHERE tracking_number = ? AND pickup_code IS ? AND state = 'stored'",
                               (part.get("tracking"), part.get("code") or None))
                when = self.deadline_for(other, parse_iso(other["stored_at"])) if other and other["stored_at"] else None
                if when is None:
                    break
                part |= {"deadline_at": utc_iso(when)} | self._when_words(utc_iso(when), lang)
            else:
                deadline = min([utc_iso(at), *(str(p["deadline_at"]) for p in parts)])
                text = (merge.render("stored", lang, parts) if len(parts) > 1
                        else self._templated("stored", parcel, lang, r["pickup_code"], deadline))
                folded = json.loads(r["merge_data"]) if r["merge_data"] else None
                data = (json.dumps(parts if isinstance(folded, list) else parts[0], ensure_ascii=False, sort_keys=True)
                        if parts else None)
                tx.execute("UPDATE messages SET deadline = ?, text = ?, merge_data = ?, next_at = ? WHERE id = ?",
                           (deadline, hant.out(text, r["lang"]), data, tx.ts, r["id"]))
                log.info("the stored message of parcel %s names its deadline now that the clock is right", parcel["id"])
                dated += 1
        if dated and self.on_enqueued is not None:
            tx.after_commit(self.on_enqueued)
        return dated

    def _when_words(self, deadline: str, lang: str) -> dict[str, str]:
        """A deadline as a folded "stored" message words it, for parcels in the locker and in the parcel room."""
        local = fmt_local(parse_iso(deadline), self.tz, lang)
        return {name: table.get(lang, table["en"]).format(when=local, desk=self.desk_words(lang))
                for name, table in (("when_locker", DEADLINE_TEXT_GROUP), ("when_shelf", DEADLINE_TEXT_SHELF_GROUP))}

    def _timing(
        self, tx: Tx, kind: str, parcel: dict[str, Any], lang: str, code: str | None, deadline: str | None,
        templated: bool, fee_start: datetime | None = None,
    ) -> tuple[datetime | None, str | None, str | None]:
        """When the message may leave, and (a mergeable one) its merge key and what a folded text needs of it."""
        timing = self.timing
        if timing is None:
            return None, None, None
        name = queue.KIND_NAMES.get(kind, kind)
        key: str | None = None
        if templated and timing.merge_window_s > 0 and name in MERGE_KINDS and self._codes_shared(name):
            key = merge.key(name, parcel, lang, code if name == "stored" else parcel.get("pickup_code"))
        told: datetime | None = parse_iso(deadline) if deadline else None
        if told is None and name == "reminder":
            told = self._reminder_deadline(tx, parcel, code)
        if told is None and name == "fee_notice":
            told = fee_start or self._fee_start(parcel)
        at = timing.plan(name, tx.now, self.tz, mergeable=key is not None, deadline=told)
        if key is None:
            return at, None, None
        lang = hant.base(lang)  # the key keeps the reader's language (zh-HK); the parts are worded in zh-CN
        when = self._when_words(deadline, lang) if deadline else {}
        carrier = glossary.carrier_name(parcel.get("carrier"), lang) if parcel.get("carrier") else ""
        part = merge.data(
            name=carrier or parcel.get("tracking_number") or "", compartment=parcel.get("compartment_id"),
            shelf=parcel.get("shelf_slot"), site=self.site_for(lang), code=code or parcel.get("pickup_code") or "",
            tracking=parcel.get("tracking_number") or "",
            desk=self.desk_words(lang), phone=self.desk_words(lang, phone_only=True), deadline_at=deadline, **when,
        )
        return at, key, part

    def _reminder_deadline(self, tx: Tx, parcel: dict[str, Any], code: str | None) -> datetime | None:
        """The "collect by" a reminder tells: the sweep's planned overdue time of its parcel and, a reminder grouped
        under one code, the earliest of the code's stored parcels (their storage deadline without holds: a hold
        only moves it later, so this errs towards sending now)."""
        at = parcel.get("overdue_at")
        out = at if isinstance(at, datetime) else None
        if code:
            for r in tx.all("SELECT category, stored_at FROM parcels WHERE pickup_code = ? AND state = 'stored'"
                            " AND stored_at IS NOT NULL", (code,)):
                d = self.deadline_for(r, parse_iso(r["stored_at"]))
                if d is not None and (out is None or d < out):
                    out = d
        return out

    def _fee_start(self, parcel: dict[str, Any]) -> datetime | None:
        """A fee notice sent without the rules' fee start (`send(fee_start=)`, which the rules always pass): a guess,
        `free_hours` after the parcel was stored. A hold or vacation only moves the rules' start later
        (edge/rules/schedule.py), so this errs towards sending the notice now, never past the fee's start. None
        (no policy, no fee, no stored time): the start is unknown and the notice waits for the end of the quiet
        hours like any quiet kind (no deadline to send it early for)."""
        stored = parcel.get("stored_at")
        at = parse_iso(stored) if isinstance(stored, str) else stored
        if self.policy_fn is None or not isinstance(at, datetime):
            return None
        try:
            fee = self.policy_fn().storage_fee
        except Exception:
            log.warning("no storage policy for the fee notice's time", exc_info=True)
            return None
        return at + timedelta(hours=fee.free_hours) if fee.enabled else None

    def _codes_shared(self, kind: str) -> bool:
        """"stored" messages fold only where a unit's parcels share one code (each code is its own message)."""
        if kind != "stored":
            return True
        if self.policy_fn is None:
            return False
        try:
            return bool(self.policy_fn().pickup_code.share_per_unit)
        except Exception:
            log.warning("no storage policy: stored messages are not folded", exc_info=True)
            return False
