"""TrackingService: ingest carrier events (idempotent), keep the per-waybill summary, raise and clear
anomalies incrementally on the injected clock.

All writes go through `store.write` (one transaction each). A new event re-evaluates only its waybill;
`sweep()` re-evaluates only waybills whose `next_check_at` has passed (`full=True`: every open one).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from edge import glossary
from edge.clock import Clock, parse_iso, utc_iso
from edge.domain.vocab import CATEGORIES as CATEGORIES  # defined once (edge/domain/vocab.py)
from edge.errors import DomainError
from edge.services.notifier import Notifier
from edge.store.db import Store, Tx
from edge.tracking import eta as E
from edge.tracking import sources as S
from edge.tracking import tasks as T
from edge.tracking.anomalies import EPS, HANDED, RED, WAYBILL_SQL, Waybill, evaluate
from edge.tracking.carriers import carrier_code, detect_carrier
from edge.tracking.classify import Classifier
from edge.tracking.desk import DeskMixin
from edge.tracking.desk import tn as _tn
from edge.tracking.fallback import RULE_NAME as MODEL_RULE
from edge.tracking.handover import where_it_went
from edge.tracking.labels import LabelsMixin, queue_tx
from edge.tracking.settings import TrackingSettings
from edge.tracking.summary import SUMMARY_COLUMNS, event_time, summarise

log = logging.getLogger(__name__)

MAX_EVENTS = 500
MAX_TEXT = 1000
_CHUNK = 500
#: lockerd parcel states that mean the parcel reached this site (the carrier's part is over)
AT_SITE = ("depositing", "stored", "collected", "returned", "disposed")


def _working_days_fn(timezone: str, holiday_calendar: str) -> Callable[[float, int], float] | None:
    """(epoch seconds, n) -> epoch seconds of the same local wall-clock time n working days later, using
    the rules' WorkCalendar (China's holidays and make-up days); memoised per local date."""
    from edge.rules.calendar import WorkCalendar

    try:
        cal = WorkCalendar(timezone, holiday_calendar)
        tz = ZoneInfo(timezone)
    except Exception:
        log.warning("work calendar %s/%s unavailable; counting 7 days per 5 working days", timezone, holiday_calendar)
        return None
    memo: dict[tuple[date, int], date] = {}

    def add(t: float, n: int) -> float:
        local = datetime.fromtimestamp(t, tz)
        key = (local.date(), n)
        target = memo.get(key)
        if target is None:
            target = cal.add_working_days(local, n).astimezone(tz).date()
            if len(memo) < 20_000:
                memo[key] = target
        return datetime.combine(target, local.timetz()).timestamp()

    return add


class TrackingService(DeskMixin, LabelsMixin):
    def __init__(
        self,
        store: Store,
        clock: Clock,
        settings: TrackingSettings | None = None,
        *,
        timezone: str = "Asia/Shanghai",
        holiday_calendar: str = "CN",
        locale: str = "zh-CN",
        expect: Callable[..., Any] | None = None,
        notifier: Notifier | None = None,
    ) -> None:
        self.store = store
        #: resident messages go through the one Notifier (edge/services/notifier.py)
        self.notifier = notifier or Notifier("", locale)
        self.expect = expect
        self.clock = clock
        self.settings = settings or TrackingSettings()
        self.tz = ZoneInfo(timezone)
        self.locale = locale
        self.classifier = Classifier()
        self._add_working_days = _working_days_fn(timezone, holiday_calendar)
        self._eta_cache: E.DurationCache = {}

    # --- registering a waybill to follow --------------------------------------------------------
    def _ensure(self, tx: Tx, tn: str, carrier: str | None) -> dict[str, Any]:
        row = tx.one("SELECT * FROM tracked WHERE tracking_number = ?", (tn,))
        if row is not None:
            if carrier and not row["carrier"]:
                tx.execute("UPDATE tracked SET carrier = ? WHERE tracking_number = ?", (carrier, tn))
                row["carrier"] = carrier
            return row
        parcel = tx.one(
            "SELECT id, carrier, category, cross_border, expected_by, state FROM parcels WHERE tracking_number = ?"
            " ORDER BY created_at DESC LIMIT 1",
            (tn,),
        )
        p = parcel or {}
        here = p.get("state") in AT_SITE
        tx.execute(
            "INSERT INTO tracked (tracking_number, carrier, parcel_id, category, cross_border, expected_by,"
            " first_seen_at, final, at_site_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (tn, carrier or carrier_code(p.get("carrier")) or detect_carrier(tn), p.get("id"),
             p.get("category") or "normal", int(p.get("cross_border") or 0), self._expected(p.get("expected_by")),
             tx.now.timestamp(), int(here), tx.now.timestamp() if here else None, tx.ts),
        )
        return tx.one("SELECT * FROM tracked WHERE tracking_number = ?", (tn,)) or {}

    async def follow(
        self, tracking_number: str, *, carrier: str | None = None, parcel_id: str | None = None,
        category: str = "normal", cross_border: bool = False, expected_by: str | None = None,
    ) -> dict[str, Any]:
        """Start (or update) following a waybill: the register calls this for expected parcels."""
        args = self._follow_args(tracking_number, carrier, parcel_id, category, cross_border, expected_by)
        return await self.store.write(lambda tx: self._follow_tx(tx, *args))

    async def follow_many(self, items: list[dict[str, Any]]) -> dict[str, int]:
        """follow() for many waybills in one transaction (start-up catch-up); bad items are skipped."""
        args = []
        skipped = 0
        for it in items:
            try:
                args.append(self._follow_args(it.get("tracking_number"), it.get("carrier"), it.get("parcel_id"),
                                              it.get("category") or "normal", bool(it.get("cross_border")),
                                              it.get("expected_by")))
            except DomainError:
                skipped += 1
        if args:
            await self.store.write(lambda tx: [self._follow_tx(tx, *a) for a in args])
        return {"followed": len(args), "skipped": skipped}

    def _follow_args(self, tracking_number: Any, carrier: Any, parcel_id: Any, category: Any, cross_border: Any,
                     expected_by: Any) -> tuple[Any, ...]:
        tn = _tn(tracking_number)
        if category not in CATEGORIES:
            raise DomainError("invalid_category", f"category must be one of {', '.join(CATEGORIES)}", status=422)
        return (tn, carrier_code(carrier) if isinstance(carrier, str) else None, parcel_id, category,
                int(bool(cross_border)), self._expected(expected_by))

    def _follow_tx(self, tx: Tx, tn: str, carrier: str | None, parcel_id: str | None, category: str,
                   cross_border: int, expected: float | None) -> dict[str, Any]:
        self._ensure(tx, tn, carrier)
        tx.execute(
            "UPDATE tracked SET parcel_id = COALESCE(?, parcel_id), category = ?, cross_border = ?,"
            " expected_by = COALESCE(?, expected_by), updated_at = ? WHERE tracking_number = ?",
            (parcel_id, category, cross_border, expected, tx.ts, tn),
        )
        return self._evaluate(tx, tn)

    def _expected(self, value: Any) -> float | None:
        """expected_by as epoch seconds: a bare date means the end of that day in the site's zone."""
        if value in (None, ""):
            return None
        text = str(value).strip()
        try:
            if len(text) == 10:
                day = date.fromisoformat(text)
                return datetime.combine(day + timedelta(days=1), datetime.min.time(), self.tz).timestamp()
            return parse_iso(text).timestamp()
        except ValueError:
            raise DomainError("invalid_date", "expected_by is a date (YYYY-MM-DD) or an ISO 8601 time",
                              status=422) from None

    # --- ingestion --------------------------------------------------------------------------------
    async def ingest(
        self, tracking_number: str, carrier: str | None, events: list[dict[str, Any]], source: str = ""
    ) -> dict[str, Any]:
        """Store new events (the same tracking_number+time+text twice is stored once), classify them,
        re-summarise the waybill and re-evaluate its anomalies. Bad events are listed, never fatal."""
        tn = _tn(tracking_number)
        if not isinstance(events, list):
            raise DomainError("invalid_events", "events must be a list")
        if len(events) > MAX_EVENTS:
            raise DomainError("too_many_events", f"at most {MAX_EVENTS} events per call")
        code = carrier_code(carrier) if isinstance(carrier, str) else None
        rows: list[tuple[Any, ...]] = []
        rejected: list[dict[str, Any]] = []
        for i, ev in enumerate(events):
            try:
                rows.append(self._prepare(ev, code, source))
            except ValueError as exc:
                rejected.append({"index": i, "error": str(exc)})

        def fn(tx: Tx) -> dict[str, Any]:
            self._ensure(tx, tn, code)
            stored = 0
            fresh: list[tuple[str, str, float]] = []
            for r in rows:
                cur = tx.execute(
                    "INSERT OR IGNORE INTO tracking_events (tracking_number, time, text, location, code, milestone,"
                    " confidence, rule, source, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (tn, *r, tx.ts),
                )
                stored += cur.rowcount
                if cur.rowcount:
                    fresh.append((r[1], r[4], r[5]))
            queue_tx(tx, self.classifier, code, fresh)
            if stored:
                self._resummarise(tx, tn)
            result = self._evaluate(tx, tn)
            return {"tracking_number": tn, "stored": stored, "duplicates": len(rows) - stored,
                    "rejected": rejected, **result}

        return await self.store.write(fn)

    def _prepare(self, ev: Any, carrier: str | None, source: str) -> tuple[Any, ...]:
        if not isinstance(ev, dict):
            raise ValueError("an event is an object with time and text")
        text = ev.get("text")
        if not isinstance(text, str) or not text.strip():
            raise ValueError("event text is missing")
        text = text.strip()[:MAX_TEXT]
        when = event_time(ev.get("time"), self.tz)
        loc = ev.get("location")
        loc = str(loc).strip()[:200] if loc not in (None, "") else None
        code = ev.get("code")
        code = str(code)[:60] if code not in (None, "") else None
        provider = source if source in ("kuaidi100", "kdniao", "aftership", "17track") else None
        c = self.classifier.classify(text, carrier, code, provider)
        return (when, text, loc, code, c.milestone, c.confidence, c.rule, str(source)[:40])

    def _resummarise(self, tx: Tx, tn: str) -> None:
        evs = [(datetime.fromisoformat(t).timestamp(), m, loc, src, rec, text) for t, m, loc, src, rec, text in tx.execute(
            # a guess of the learned fallback shows on the timeline but never raises, clears or ends a watch
            "SELECT time, CASE WHEN rule = ? THEN 'unknown' ELSE milestone END, location, source, received_at, text"
            " FROM tracking_events WHERE tracking_number = ? ORDER BY time, id", (MODEL_RULE, tn)
        ).fetchall()]
        s = summarise((t, m, loc) for t, m, loc, *_ in evs)
        handed = [e for e in evs if e[1] in HANDED]
        place = where_it_went(handed[-1][5], handed[-1][2]) if handed else None
        found = S.conflict(S.SourceEvent(t, m, src) for t, m, _loc, src, _rec, _text in evs) if len(
            {src for *_, src, _rec, _text in evs}) > 1 else None
        tx.execute("UPDATE tracked SET handed_place = ?, source_conflict = ? WHERE tracking_number = ?",
                   (json.dumps(place._asdict(), ensure_ascii=False) if place else None, S.encode(found), tn))
        sets = ", ".join(f"{c} = ?" for c in SUMMARY_COLUMNS)
        parcel_final = tx.scalar(
            "SELECT 1 FROM tracked t JOIN parcels p ON p.id = t.parcel_id WHERE t.tracking_number = ?"
            f" AND p.state IN ({','.join('?' * len(AT_SITE))})", (tn, *AT_SITE),
        )
        if parcel_final:
            s["final"] = 1
        tx.execute(f"UPDATE tracked SET {sets}, updated_at = ? WHERE tracking_number = ?",
                   (*[s[c] for c in SUMMARY_COLUMNS], tx.ts, tn))

    # --- parcels at the site ------------------------------------------------------------------------
    async def parcel_reached_site(self, tracking_number: str, parcel_id: str | None = None) -> None:
        """The parcel is in our locker or parcel room (or gone from it): the carrier's part is over."""
        tn = _tn(tracking_number)
        known = await self.store.read(lambda tx: tx.one(
            "SELECT final, parcel_id, at_site_at FROM tracked WHERE tracking_number = ?", (tn,)))
        if known is None or (known["final"] and known["parcel_id"] and known["at_site_at"] is not None):
            return  # nothing to do: no write, so a deposit still costs only its own commits

        def fn(tx: Tx) -> None:
            tx.execute("UPDATE tracked SET final = 1, parcel_id = COALESCE(parcel_id, ?),"
                       " at_site_at = COALESCE(at_site_at, ?), updated_at = ? WHERE tracking_number = ?",
                       (parcel_id, tx.now.timestamp(), tx.ts, tn))
            self._evaluate(tx, tn)

        # advisory (no fsync of its own): after a power cut, reconcile_sites() at start redoes it
        await self.store.write(fn, durable=False)

    async def reconcile_sites(self) -> int:
        """At start: waybills whose parcel is already at the site are finished (redoes what a power cut
        may have lost of parcel_reached_site)."""
        rows = await self.store.read(lambda tx: tx.all(
            "SELECT t.tracking_number, p.id FROM tracked t JOIN parcels p ON p.tracking_number = t.tracking_number"
            f" WHERE (t.final = 0 OR t.at_site_at IS NULL) AND p.state IN ({','.join('?' * len(AT_SITE))})", AT_SITE))
        for r in rows:
            await self.parcel_reached_site(r["tracking_number"], r["id"])
        return len(rows)

    def on_store_events(self, events: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
        """Pick the parcel events tracking reacts to (the component schedules the work)."""
        out = []
        for ev in events:
            if ev.get("type") in ("parcel.stored", "parcel.expected", "parcel.collected", "parcel.returned"):
                out.append((ev["type"], ev.get("data") or {}))
        return out

    # --- evaluation -------------------------------------------------------------------------------
    _OPEN_SQL = ("SELECT id, tracking_number, kind, severity, ((julianday(raised_at) - 2440587.5) * 86400.0),"
                 " escalation, ((julianday(escalated_at) - 2440587.5) * 86400.0) FROM anomalies"
                 " WHERE cleared_at IS NULL")

    def _evaluate(self, tx: Tx, tn: str) -> dict[str, Any]:
        row = tx.execute(f"SELECT {WAYBILL_SQL} FROM tracked WHERE tracking_number = ?", (tn,)).fetchone()
        if row is None:
            return {"raised": [], "cleared": []}
        open_ = {a[2]: a for a in tx.execute(self._OPEN_SQL + " AND tracking_number = ?", (tn,)).fetchall()}
        res, nxt = self._apply(tx, Waybill(*row), open_, tx.now.timestamp())
        if not _same(nxt, row[17]):
            tx.execute("UPDATE tracked SET next_check_at = ? WHERE tracking_number = ?", (nxt, tn))
        res["next_check_at"] = _iso(nxt)
        return res

    def _apply(
        self, tx: Tx, w: Waybill, open_: dict[str, tuple[Any, ...]], now: float,
        evaluated: tuple[dict[str, str], float | None] | None = None,
    ) -> tuple[dict[str, Any], float | None]:
        """Raise / escalate / clear so the open anomalies match the rules; returns (what changed, next check).
        An open anomaly row is (id, tracking_number, kind, severity, raised_s, escalation, escalated_s)."""
        want, nxt = evaluated or evaluate(w, now, self.settings, self._add_working_days)
        raised: list[str] = []
        cleared: list[str] = []
        if not want and not open_:
            return {"raised": raised, "cleared": cleared, "open": []}, nxt
        row = {"tracking_number": w.tracking_number, "parcel_id": w.parcel_id, "carrier": w.carrier}
        esc = self.settings.escalation
        for kind, severity in want.items():
            current = open_.get(kind)
            if current is None:
                self._raise(tx, row, kind, severity)
                raised.append(kind)
                if esc.steps:
                    first = now + esc.after_days * 86400
                    nxt = first if nxt is None or first < nxt else nxt
            elif severity == RED and current[3] != RED:
                tx.execute("UPDATE anomalies SET severity = ? WHERE id = ?", (RED, current[0]))
                tx.emit("parcel.anomaly_escalated", self._data(row, kind, RED, tx))
        for kind, current in open_.items():
            if kind not in want:
                self._clear(tx, row, current[0], kind, current[3], "tracking")
                cleared.append(kind)
            elif esc.steps:
                due = T.escalate_if_due(tx, self.settings, row, current, now)
                if due is not None and (nxt is None or due < nxt):
                    nxt = due
        return {"raised": raised, "cleared": cleared, "open": sorted(want)}, nxt

    def _data(self, row: dict[str, Any], kind: str, severity: str, tx: Tx | None = None) -> dict[str, Any]:
        step = self.settings.playbook(kind).next_action
        # `next_step` (ADR 0046, additive): the playbook's step alone, as `anomalies.next_action` stores it; the
        # place is its own field (`place`, below), so a reader composes both in its own language
        data: dict[str, Any] = {"tracking_number": row["tracking_number"], "kind": kind, "severity": severity,
                                "next_action": step, "next_step": step}
        if row.get("parcel_id"):
            data["parcel_id"] = row["parcel_id"]
        if tx is not None:  # additive fields (issue 16): the ETA window, where the carrier says it went
            data.update(self._context(tx, row["tracking_number"], kind))
        return data

    def _context(self, tx: Tx, tn: str, kind: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        est = E.eta(tx, tn, self._eta_cache)
        if est.get("known"):
            out.update(eta_from=est.get("eta_from"), eta_to=est.get("eta_to"), eta_confidence=est.get("confidence"))
        if kind in ("delivered_not_here", "source_conflict"):
            extra = tx.one("SELECT handed_place, source_conflict FROM tracked WHERE tracking_number = ?", (tn,)) or {}
            if kind == "delivered_not_here" and extra.get("handed_place"):
                out["place"] = json.loads(extra["handed_place"])
            if kind == "source_conflict" and extra.get("source_conflict"):
                out["conflict"] = json.loads(extra["source_conflict"])
        return out

    def _raise(self, tx: Tx, row: dict[str, Any], kind: str, severity: str) -> None:
        pb = self.settings.playbook(kind)
        data = self._data(row, kind, severity, tx)
        next_action = pb.next_action  # stored as the playbook has it: the place stays in the detail (ADR 0046)
        place = data.get("place")
        if place:
            # the event's `next_action` keeps the words it always had (HQ consumers and old readers show it as
            # one text): the step, then where the carrier says it went, in English
            data["next_action"] = next_action + glossary.legacy_place_suffix(place)
        detail = {k: data[k] for k in ("place", "conflict", "eta_from", "eta_to", "eta_confidence") if data.get(k)}
        cur = tx.execute(
            "INSERT INTO anomalies (tracking_number, parcel_id, carrier, kind, severity, owner, next_action, raised_at,"
            " detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (row["tracking_number"], row.get("parcel_id"), row.get("carrier"), kind, severity, pb.owner,
             next_action, tx.ts, json.dumps(detail, ensure_ascii=False)),
        )
        anomaly_id = int(cur.lastrowid or 0)
        tx.emit("parcel.anomaly_raised", data)
        if row.get("parcel_id"):
            tx.log(row["parcel_id"], "anomaly_raised", "tracking", anomaly=kind, severity=severity)
        T.on_raised(tx, self.settings, row, anomaly_id, kind, self.locale, detail, str(self.tz),
                    notifier=self.notifier)

    def _clear(self, tx: Tx, row: dict[str, Any], anomaly_id: int, kind: str, severity: str, by: str,
               note: str = "") -> None:
        tx.execute("UPDATE anomalies SET cleared_at = ?, cleared_by = ? WHERE id = ?", (tx.ts, by, anomaly_id))
        tx.emit("parcel.anomaly_cleared", self._data(row, kind, severity, tx))
        if row.get("parcel_id"):
            # staff's reason on the parcel's timeline ("原因：住户已到驿站取走"), not only in the audit
            tx.log(row["parcel_id"], "anomaly_cleared", by, anomaly=kind, **({"reason": note} if note else {}))
        T.on_cleared(tx, anomaly_id, by)

    async def sweep(self, *, full: bool = False, batch: int = 2000) -> dict[str, int]:
        """Re-evaluate waybills due for a check (`full`: all not finished), `batch` waybills per transaction so
        a long catch-up (first start, after a power cut) never holds the single writer for long."""
        total = {"checked": 0, "raised": 0, "cleared": 0}
        after = ""
        if not full and not await self.store.read(lambda tx: tx.scalar(
                "SELECT 1 FROM tracked WHERE next_check_at <= ? LIMIT 1", (tx.now.timestamp() + EPS,))):
            return total  # nothing due: no write transaction at all
        while True:
            res = await self.store.write(partial(self.sweep_tx, full=full, limit=batch, after=after))
            for k in total:
                total[k] += res[k]
            if res["checked"] < batch:
                return total
            after = str(res.get("last", ""))

    def sweep_tx(self, tx: Tx, *, full: bool = False, limit: int = 1_000_000, after: str = "") -> dict[str, Any]:
        """The sweep inside one transaction: due waybills (`full`: every one not finished, in tracking-number
        order from `after`)."""
        if full:
            cur = tx.execute(f"SELECT {WAYBILL_SQL} FROM tracked WHERE (final = 0 OR next_check_at IS NOT NULL)"
                             " AND tracking_number > ? ORDER BY tracking_number LIMIT ?", (after, limit))
        else:
            cur = tx.execute(f"SELECT {WAYBILL_SQL} FROM tracked WHERE next_check_at <= ? ORDER BY next_check_at"
                             " LIMIT ?", (tx.now.timestamp() + EPS, limit))
        rows = cur.fetchall()
        open_by: dict[str, dict[str, tuple[Any, ...]]] = {}
        if full and len(rows) > 20_000:
            found = tx.execute(self._OPEN_SQL).fetchall()
        else:
            found = []
            for i in range(0, len(rows), _CHUNK):
                tns = [r[0] for r in rows[i:i + _CHUNK]]
                found += tx.execute(self._OPEN_SQL + f" AND tracking_number IN ({','.join('?' * len(tns))})",
                                    tns).fetchall()
        for a in found:
            open_by.setdefault(a[1], {})[a[2]] = a
        updates: list[tuple[float | None, str]] = []
        raised = cleared = 0
        now = tx.now.timestamp()
        settings, add_wd = self.settings, self._add_working_days
        for r in rows:
            w = Waybill(*r)
            want, nxt = evaluate(w, now, settings, add_wd)
            current = open_by.get(r[0])
            if want or current:  # something to raise, keep, escalate or clear
                res, nxt = self._apply(tx, w, current or {}, now, (want, nxt))
                raised += len(res["raised"])
                cleared += len(res["cleared"])
            prev = r[17]
            if nxt != prev and (nxt is None or prev is None or abs(nxt - prev) >= 0.002):
                updates.append((nxt, r[0]))
        if updates:
            tx.conn.executemany("UPDATE tracked SET next_check_at = ? WHERE tracking_number = ?", updates)
        return {"checked": len(rows), "raised": raised, "cleared": cleared, "last": rows[-1][0] if rows else after}

    # --- staff actions ------------------------------------------------------------------------------
    async def resolve(self, tracking_number: str, kind: str, *, actor: str, note: str = "") -> dict[str, Any]:
        """Staff close an anomaly by hand (e.g. the resident got a refund for a returned parcel)."""
        tn = _tn(tracking_number)

        def fn(tx: Tx) -> dict[str, Any]:
            row = tx.one("SELECT * FROM tracked WHERE tracking_number = ?", (tn,))
            a = tx.one("SELECT * FROM anomalies WHERE tracking_number = ? AND kind = ? AND cleared_at IS NULL", (tn, kind))
            if row is None or a is None:
                raise DomainError("anomaly_not_found", f"no open {kind} anomaly for {tn}", status=404)
            self._clear(tx, row, a["id"], kind, a["severity"], actor, note)
            tx.execute("UPDATE tracked SET final = 1, closed_at = ?, next_check_at = NULL WHERE tracking_number = ?",
                       (tx.now.timestamp(), tn))
            tx.audit(actor, "tracking.resolve", tn, note, kind=kind)
            return {"tracking_number": tn, "kind": kind, "cleared": True}

        return await self.store.write(fn)



def _iso(t: float | None) -> str | None:
    return None if t is None else utc_iso(datetime.fromtimestamp(t, UTC))


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) < 0.002
