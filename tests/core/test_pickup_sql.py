"""The pickup transaction's SQL (issue 18, perf18): how many statements a pickup runs, the indexes its
lookups use, the compartment index migration, and that a compartment is freed only when it is empty."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from edge.errors import DomainError
from edge.ids import uuid7
from edge.services.pickups import PICKUP_ROWS_SQL
from edge.store.db import SCHEMA_VERSION, Store, Tx, migrate
from edge.store.migrations import MIGRATIONS, m011_parcels_compartment
from tests.conftest import Site

RELEASE_COUNT_SQL = "SELECT COUNT(*) FROM parcels WHERE compartment_id = ? AND state IN ('stored','depositing')"


def plan(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...]) -> str:
    return " | ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall())


def fill(conn: sqlite3.Connection, n: int) -> None:
    """One compartment and n parcels stored at the desk, each with its own code."""
    conn.execute("INSERT INTO compartments (id, bank, size, updated_at) VALUES ('A-001', 'A', 'M', 'x')")
    conn.executemany(
        "INSERT INTO parcels (id, tracking_number, state, created_at, updated_at, pickup_code, shelf_slot)"
        " VALUES (?, ?, 'stored', 'x', 'x', ?, 'S1')",
        [(f"p{i}", f"T{i}", f"{i:010d}") for i in range(n)],
    )


def test_migration_adds_the_compartment_index_to_an_old_database(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, None, target=MIGRATIONS.index(m011_parcels_compartment))  # the schema before this migration
    fill(conn, 2000)
    assert "parcels_state" in plan(conn, RELEASE_COUNT_SQL, ("A-001",))  # every stored parcel read
    conn.close()
    s = Store(path, _clock(), "site")
    s.open()
    try:
        assert s.schema_version == SCHEMA_VERSION
        names = s.read_sync(lambda tx: [r["name"] for r in tx.all(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'parcels'")])
        assert "parcels_compartment" in names
        got = s.read_sync(lambda tx: plan(tx.conn, RELEASE_COUNT_SQL, ("A-001",)))
        assert "USING INDEX parcels_compartment (compartment_id=?)" in got
        assert s.read_sync(lambda tx: tx.scalar("SELECT COUNT(*) FROM parcels")) == 2000
    finally:
        s.close()


def test_the_code_is_looked_up_by_its_own_index_however_many_are_stored() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    migrate(conn)
    fill(conn, 3000)
    got = plan(conn, PICKUP_ROWS_SQL, ("0000000007",))
    assert "SEARCH p USING INDEX parcels_code (pickup_code=?)" in got and "parcels_state" not in got
    # the pending-command check reads only open commands
    assert "door_commands_open" in got
    rows = conn.execute(PICKUP_ROWS_SQL, ("0000000007",)).fetchall()
    assert len(rows) == 1


class Statements:
    """The SQL the writer connection runs while it is traced."""

    def __init__(self, store: Store) -> None:
        self.conn = store._conn
        assert self.conn is not None
        self.sql: list[str] = []

    def __enter__(self) -> Statements:
        assert self.conn is not None
        self.conn.set_trace_callback(self.sql.append)
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.conn is not None
        self.conn.set_trace_callback(None)

    def of_write(self) -> list[str]:
        """The statements of the (single) write traced: between its SAVEPOINT and its RELEASE on the writer
        thread, or between BEGIN and COMMIT when it ran inline on the loop (an urgent write, decision 0038)."""
        opened, closed = ("SAVEPOINT", "RELEASE") if any(s.startswith("SAVEPOINT") for s in self.sql) else (
            "BEGIN", "COMMIT")
        start = next(i for i, s in enumerate(self.sql) if s.startswith(opened))
        end = next(i for i, s in enumerate(self.sql) if s.startswith(closed))
        return self.sql[start + 1:end]


async def test_a_one_parcel_pickup_runs_six_statements(site: Site) -> None:
    dep = await site.deposit("SF1000000000001")
    code = await site.code_of(dep["parcel_id"])
    await site.settle()
    with Statements(site.daemon.store) as st:
        res = await site.svc.pickups.submit(code, kiosk="k1")
    assert res["parcels"][0]["door"] == "opening"
    sql = st.of_write()
    assert len(sql) == 6, sql
    assert not any(s.upper().startswith("PRAGMA") for s in st.sql), st.sql  # Tx.db is not built for a pickup
    assert [s.split()[0] for s in sql] == ["SELECT", "SELECT", "INSERT", "INSERT", "INSERT", "INSERT"]
    await site.settle()
    await site.close(dep["compartment"])
    assert (await site.parcel(dep["parcel_id"]))["state"] == "collected"


async def test_a_wrong_code_runs_three_statements_and_still_counts(site: Site) -> None:
    with Statements(site.daemon.store) as st, pytest.raises(DomainError) as exc:
        await site.svc.pickups.submit("0000000000", kiosk="k1")
    assert exc.value.code == "code_invalid"
    assert len(st.of_write()) == 3, st.of_write()  # both scopes read, the code looked up, both scopes written
    rows = await site.daemon.store.read(lambda tx: tx.all(
        "SELECT scope, failures, tokens FROM code_attempts WHERE scope LIKE 'pickup:%' ORDER BY scope"))
    assert [(r["scope"], r["failures"]) for r in rows] == [("pickup:kiosk:k1", 1), ("pickup:site", 0)]
    bucket = site.svc.pickups.policy.pickup_code.site_bucket
    assert rows[1]["tokens"] == bucket - 1  # the site's bucket paid for the wrong code


async def _second_parcel(site: Site, compartment: str, code: str) -> str:
    """A second parcel stored in the same compartment (a resident's two small parcels)."""

    def fn(tx: Tx) -> str:
        pid = uuid7(tx.now)
        tx.execute(
            "INSERT INTO parcels (id, tracking_number, unit, phone_tail, state, compartment_id, pickup_code,"
            " created_at, stored_at, updated_at) VALUES (?, 'SF2000000000002', '1-101', '1234', 'stored', ?, ?,"
            " ?, ?, ?)", (pid, compartment, code, tx.ts, tx.ts, tx.ts))
        return pid

    return str(await site.daemon.store.write(fn))


async def _comp_state(site: Site, compartment: str) -> str:
    return str(await site.daemon.store.read(
        lambda tx: tx.scalar("SELECT state FROM compartments WHERE id = ?", (compartment,))))


async def test_two_parcels_one_code_one_door_freed_once_both_are_collected(site: Site) -> None:
    dep = await site.deposit("SF1000000000001")
    code = await site.code_of(dep["parcel_id"])
    other = await _second_parcel(site, dep["compartment"], code)
    res = await site.svc.pickups.submit(code, kiosk="k1")
    assert sorted(p["parcel_id"] for p in res["parcels"]) == sorted([dep["parcel_id"], other])
    cmds = await site.daemon.store.read(lambda tx: tx.all(
        "SELECT ref FROM door_commands WHERE purpose = 'pickup' AND compartment_id = ?", (dep["compartment"],)))
    assert len(cmds) == 1  # one door, one command
    await site.settle()
    await site.close(dep["compartment"])
    # the command's parcel is collected; the other parcel is still in the compartment, which stays occupied
    assert (await site.parcel(cmds[0]["ref"]))["state"] == "collected"
    left = other if cmds[0]["ref"] == dep["parcel_id"] else dep["parcel_id"]
    assert (await site.parcel(left))["state"] == "stored"
    assert await _comp_state(site, dep["compartment"]) == "occupied"
    # the same code again opens the door for the parcel left; once it is taken the compartment is free
    res = await site.svc.pickups.submit(code, kiosk="k1")
    assert [p["parcel_id"] for p in res["parcels"]] == [left]
    await site.settle()
    await site.close(dep["compartment"])
    assert (await site.parcel(left))["state"] == "collected"
    assert await _comp_state(site, dep["compartment"]) == "free"


async def test_two_codes_in_one_compartment_free_it_only_when_empty(site: Site) -> None:
    dep = await site.deposit("SF1000000000001")
    code = await site.code_of(dep["parcel_id"])
    other = await _second_parcel(site, dep["compartment"], "9876543210")
    await site.svc.pickups.submit(code, kiosk="k1")
    await site.settle()
    await site.close(dep["compartment"])
    assert (await site.parcel(dep["parcel_id"]))["state"] == "collected"
    assert await _comp_state(site, dep["compartment"]) == "occupied"
    await site.svc.pickups.submit("9876543210", kiosk="k2")
    await site.settle()
    await site.close(dep["compartment"])
    assert (await site.parcel(other))["state"] == "collected"
    assert await _comp_state(site, dep["compartment"]) == "free"


async def test_a_double_tap_opens_once_and_a_faulted_door_says_jammed(site: Site) -> None:
    dep = await site.deposit("SF1000000000001")
    code = await site.code_of(dep["parcel_id"])
    first = await site.svc.pickups.submit(code, kiosk="k1")
    again = await site.svc.pickups.submit(code, kiosk="k2")  # the door is open, its command not yet done
    assert first["parcels"][0]["door"] == again["parcels"][0]["door"] == "opening"
    n = await site.daemon.store.read(lambda tx: tx.scalar(
        "SELECT COUNT(*) FROM door_commands WHERE purpose = 'pickup' AND ref = ?", (dep["parcel_id"],)))
    assert n == 1
    log = await site.daemon.store.read(lambda tx: [r["kind"] for r in tx.all(
        "SELECT kind FROM parcel_log WHERE parcel_id = ? ORDER BY id", (dep["parcel_id"],))])
    assert log[-2:] == ["pickup_opened", "pickup_repeat_ignored"]
    await site.settle()
    await site.close(dep["compartment"])
    dep2 = await site.deposit("SF1000000000003")
    code2 = await site.code_of(dep2["parcel_id"])
    await site.daemon.store.write(lambda tx: tx.execute(
        "UPDATE compartments SET state = 'fault' WHERE id = ?", (dep2["compartment"],)))
    res = await site.svc.pickups.submit(code2, kiosk="k1")
    assert res["parcels"][0]["door"] == "jammed"


async def test_recursive_triggers_stay_on_and_tx_db_still_works(site: Site) -> None:
    store = site.daemon.store
    assert await store.write(lambda tx: tx.scalar("PRAGMA recursive_triggers")) == 1
    assert await store.read(lambda tx: tx.scalar("PRAGMA recursive_triggers")) == 1
    assert await store.read(lambda tx: tx.db["compartments"].count) > 0  # sqlite-utils, built on first use


def _clock() -> Any:
    from edge.clock import SimClock

    return SimClock()
