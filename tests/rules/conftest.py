"""Fixtures for the storage-rules tests: a real Store in tmp_path on a frozen SimClock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from edge.clock import SimClock, utc_iso
from edge.ids import uuid7
from edge.policy import Policy
from edge.rules.calendar import WorkCalendar
from edge.rules.engine import RulesEngine
from edge.rules.policy_service import PolicyService
from edge.rules.service import RulesService
from edge.services.notifier import Notifier
from edge.store.db import Store, Tx

# Monday 2026-06-01 09:00 in Shanghai: no Chinese holiday in the following weeks until late September
START = datetime(2026, 6, 1, 1, 0, tzinfo=UTC)


class Site:
    """A store, clock, engine and service wired like the component does, plus helpers."""

    def __init__(self, tmp_path: Any, start: datetime = START, tz: str = "Asia/Shanghai", cal: str = "CN",
                 policy: Policy | None = None, lang: str = "zh-CN", desk_hours: str = "") -> None:
        self.clock = SimClock(start, frozen=True)
        self.store = Store(tmp_path / "lockerd.db", self.clock, "site-1")
        self.store.open()
        self.calendar = WorkCalendar(tz, cal, desk_hours)
        self.policies = PolicyService(self.store, policy or Policy())
        self.notifier = Notifier("Test Court", lang)
        self.notifier.desk_deadline = self.calendar.desk_deadline
        self.engine = RulesEngine(self.store, self.policies.current, self.calendar, self.notifier, batch=50,
                                  policy_since=self.policies.since)
        self.opened: list[tuple[str, str, str]] = []

        async def open_door(compartment: str, actor: str, reason: str, parcel_id: str) -> None:
            # the door is only told to open here: nothing tells the rules it has opened (tests/console
            # test_removal_doors.py runs the door service and its sensor)
            self.opened.append((compartment, actor, reason))

        self.service = RulesService(self.store, self.policies, self.engine, open_door=open_door)

        def setup(tx: Tx) -> None:
            for i in range(1, 21):
                tx.execute(
                    "INSERT INTO compartments (id, bank, size, state, door, updated_at) VALUES (?, 'A', 'M', 'free', 'closed', ?)",
                    (f"A-{i:02d}", tx.ts),
                )
            for unit, tail in (("12-0304", "1234"), ("12-0501", "5678"), ("3-1102", "9012")):
                tx.execute("INSERT INTO units (unit, phone_tail, created_at) VALUES (?, ?, ?)", (unit, tail, tx.ts))

        self.store.write_sync(setup)
        self._next = 1

    def add_parcel(self, *, category: str = "normal", unit: str = "12-0304", compartment: str | None = "auto",
                   stored_at: datetime | None = None, code: str = "1234567890") -> str:
        pid = uuid7(self.clock.now())
        if compartment == "auto":
            compartment = f"A-{self._next:02d}"
            self._next += 1
        when = utc_iso(stored_at or self.clock.now())

        def ins(tx: Tx) -> None:
            tx.execute(
                "INSERT INTO parcels (id, tracking_number, carrier, unit, phone_tail, category, state, compartment_id,"
                " pickup_code, created_at, stored_at, updated_at) VALUES (?, ?, 'SF', ?, '1234', ?, 'stored', ?, ?, ?, ?, ?)",
                (pid, f"SF{self._next:010d}{len(pid)}", unit, category, compartment, code, when, when, when),
            )
            if compartment:
                tx.execute("UPDATE compartments SET state = 'occupied' WHERE id = ?", (compartment,))

        self.store.write_sync(ins)
        return pid

    def advance(self, hours: float = 0, *, days: float = 0) -> None:
        self.clock.advance(hours * 3600 + days * 86400)

    def sweep(self) -> Any:
        return self.engine.sweep_sync()

    def q(self, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        return self.store.read_sync(lambda tx: tx.all(sql, params))

    def done(self, pid: str) -> list[str]:
        return [r["action"] for r in self.q("SELECT action FROM rule_actions WHERE parcel_id = ? ORDER BY id", (pid,))]

    def events(self, type_: str | None = None) -> list[dict[str, Any]]:
        import json

        rows = self.q("SELECT type, ts, data FROM events ORDER BY seq")
        return [r | {"data": json.loads(r["data"])} for r in rows if type_ is None or r["type"] == type_]

    def parcel(self, pid: str) -> dict[str, Any]:
        return self.q("SELECT * FROM parcels WHERE id = ?", (pid,))[0]

    def close(self) -> None:
        self.store.close()


@pytest.fixture
def site(tmp_path: Any) -> Iterator[Site]:
    s = Site(tmp_path)
    yield s
    s.close()


@pytest.fixture
def make_site(tmp_path: Any) -> Iterator[Any]:
    made: list[Site] = []

    def make(**kw: Any) -> Site:
        s = Site(tmp_path / f"s{len(made)}", **kw)
        made.append(s)
        return s

    yield make
    for s in made:
        s.close()
