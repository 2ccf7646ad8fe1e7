"""kill -9 campaign driver: deposits and pickups over HTTP against `lockerd simulate`, killed at random.

The driver plays couriers and residents against a `lockerd simulate` subprocess (200 simulated
compartments), and kills it with SIGKILL either at a quiet moment (between operations) or at a
random moment while an operation is in flight (a timer thread). After each kill it restarts the
simulator on the same data dir and carries on. It records what it knows for sure:

* every tracking number whose deposit it saw ``stored`` (and the pickup code it was sent);
* every pickup code it submitted (whether or not the answer arrived);
* per quiet lifetime: the simulated boards' ``opens`` counters just before the kill.

`check()` then verifies, on the final database: no stored parcel lost, no tracking number active
twice, nothing fired at boot, each quiet lifetime's board opens equal to the commands it fired
(no door opened twice), no command left pending/fired, every interrupted deposit with a staff task,
the event log gap-free with one ``parcel.stored`` per stored parcel, and PRAGMA integrity_check ok.
"""

from __future__ import annotations

import http.client
import random
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.conftest import REPO, SimServer, launch_sim

BANKS = "ABCD"
PER_BANK = 50
SIZES = ["S", "S", "M", "M", "L", "XL"]


def write_site_config(path: Path) -> Path:
    """The simulator profile with 4 banks x 50 compartments (interrupted deposits hold theirs)."""
    base = (REPO / "firmware-config" / "sim.toml").read_text()
    head = base.split("[[banks]]", 1)[0]
    lines = [head.rstrip(), ""]
    for b in BANKS:
        lines += ["[[banks]]", f'id = "{b}"', 'driver = "sim"', 'port = "sim://"', ""]
        for i in range(1, PER_BANK + 1):
            lines += ["[[banks.compartments]]", f'id = "{b}-{i:03d}"', f'size = "{SIZES[i % len(SIZES)]}"',
                      f"height_cm = {60 + (i % 10) * 12}", ""]
    path.write_text("\n".join(lines))
    return path


@dataclass
class Ledger:
    """What the driver knows happened."""

    stored: dict[str, str] = field(default_factory=dict)  # tracking -> pickup code
    picked_codes: set[str] = field(default_factory=set)  # codes submitted (answer seen or not)
    picked: set[str] = field(default_factory=set)  # tracking numbers a submitted code covered
    attempted: set[str] = field(default_factory=set)  # tracking numbers a deposit was tried for
    ops: int = 0
    deposits_ok: int = 0
    pickups_ok: int = 0
    interrupted_ops: int = 0
    kills_quiet: int = 0
    kills_inflight: int = 0
    door_open_kills: int = 0  # quiet kills taken while a door of the operation was open
    kills_aimed: int = 0  # in-flight kills aimed 0-15 ms after a deposit or pickup request was sent
    boot_opens: list[int] = field(default_factory=list)  # sum of opens right after each boot
    quiet_checks: list[tuple[int, int]] = field(default_factory=list)  # (board opens, commands fired)


class Killed(Exception):
    pass


class Campaign:
    def __init__(self, data_dir: Path, seed: int, ops: int, *, inflight_share: float = 0.6,
                 ops_per_life: tuple[int, int] = (4, 12), door_open_kill: float = 0.03) -> None:
        self.data = data_dir
        self.rng = random.Random(seed)
        self.target = ops
        self.inflight_share = inflight_share
        self.ops_per_life = ops_per_life
        self.door_open_kill = door_open_kill
        self._armed: int | None = None  # ops left before a kill aimed inside a request
        self._aim_timer: threading.Timer | None = None
        self.ledger = Ledger()
        # the first lifetimes try each kind of kill once, in an order of the seed's choosing, so that a
        # short (CI) campaign still tries every fault; the lifetimes after them draw their kind at random
        self._forced = ["quiet", "timer", "aimed", "door_open"]
        self.rng.shuffle(self._forced)
        self._force_door_open = False
        self.config = write_site_config(data_dir.parent / "campaign-site.toml")
        self.sim: SimServer | None = None
        self.token = ""
        self.units: list[dict[str, str]] = []
        self._n = 0

    # --- lifetimes ----------------------------------------------------------------------------
    def run(self) -> Ledger:
        try:
            while self.ledger.ops < self.target:
                self._life()
        finally:
            if self.sim is not None:
                self.sim.stop()
        # a last clean start and stop: reconciliation of the last kill, then a graceful shutdown
        sim = self._launch()
        self._close_open_doors(sim)
        sim.stop()
        return self.ledger

    def _launch(self) -> SimServer:
        sim = launch_sim(self.data, "--config", str(self.config), "--confirm-timeout", "1", wait=60)
        opens = sum(d["opens"] for d in sim.api("GET", "/api/v1/sim/doors")[1])
        self.ledger.boot_opens.append(opens)
        return sim

    def _life(self) -> None:
        sim = self.sim = self._launch()
        self.units = sim.api("GET", "/api/v1/sim/demo")[1]["units"]
        self._login()
        self._close_open_doors(sim)
        known = self._command_ids()
        n = self.rng.randint(*self.ops_per_life)
        inflight = self.rng.random() < self.inflight_share
        aimed = self.rng.random() < 0.5
        if self._forced:
            kind = self._forced.pop(0)
            inflight, aimed = kind in ("timer", "aimed"), kind == "aimed"
            self._force_door_open = self._force_door_open or kind == "door_open"
        killer = None
        self._armed = None
        if inflight and aimed:
            # aimed: the kill lands 0-15 ms after the request of a chosen operation is sent
            self._armed = self.rng.randrange(n)
        elif inflight:
            killer = threading.Timer(self.rng.uniform(0.05, 0.12 * n), sim.proc.kill)
            killer.start()
        try:
            for _ in range(n):
                if self.ledger.ops >= self.target:
                    break
                self.ledger.ops += 1
                self._op(sim)
        except Killed:
            pass
        if killer is not None:
            killer.cancel()
            time.sleep(0.05)
        if self._aim_timer is not None:
            self._aim_timer.join()  # an aimed kill always lands, even after a door-open kill
            self._aim_timer = None
            time.sleep(0.05)
        if sim.proc.poll() is not None:  # a timer killed it, in the middle of an operation or not
            sim.proc.wait(10)
            self.ledger.kills_inflight += 1
            self.ledger.kills_aimed += int(self._armed is not None)
            self.sim = None
            return
        # a quiet kill: count what the boards received against the commands this lifetime fired, once
        # every command of the lifetime has its outcome (none pending or fired)
        self._await_commands_settled()
        opens = sum(d["opens"] for d in sim.api("GET", "/api/v1/sim/doors")[1])
        fired = self._fired_since(known)
        sim.kill9()
        self.ledger.quiet_checks.append((opens, fired))
        self.ledger.kills_quiet += 1
        self.sim = None

    # --- operations ---------------------------------------------------------------------------
    def _op(self, sim: SimServer) -> None:
        try:
            if self.ledger.stored.keys() - self._picked_tracking() and self.rng.random() < 0.45:
                self._pickup(sim)
            else:
                self._deposit(sim)
        except (OSError, http.client.HTTPException):
            # the connection died (or a response was cut short): the process was killed under us
            self.ledger.interrupted_ops += 1
            sim.proc.wait(10)
            raise Killed from None

    def _aim(self, sim: SimServer) -> None:
        """Called just before an operation's main request: fire an aimed kill if this is the one."""
        if self._armed is None:
            return
        if self._armed == 0:
            self._aim_timer = threading.Timer(self.rng.uniform(0.0, 0.015), sim.proc.kill)
            self._aim_timer.start()
        self._armed -= 1

    def _api(self, sim: SimServer, method: str, path: str, body: Any = None, auth: bool = False) -> tuple[int, Any]:
        if sim.proc.poll() is not None:
            raise ConnectionResetError("simulator is gone")
        headers = {"Authorization": "Bearer " + self.token} if auth else None
        return sim.api(method, path, body, headers=headers, timeout=5)

    def _login(self) -> None:
        assert self.sim is not None
        st, body = self.sim.api("POST", "/api/v1/kiosk/courier/session", {"courier_code": "100001"})
        assert st == 200, body
        self.token = body["token"]

    def _deposit(self, sim: SimServer) -> None:
        # one retry in five reuses a tracking number whose deposit may have been cut off
        retry = [t for t in self.ledger.attempted if t not in self.ledger.stored]
        if retry and self.rng.random() < 0.2:
            tn = self.rng.choice(sorted(retry))
        else:
            self._n += 1
            tn = f"SF{9000000000000 + self._n * 7 + self.rng.randrange(7)}"
        unit = self.rng.choice(self.units)
        self.ledger.attempted.add(tn)
        self._aim(sim)
        st, dep = self._api(sim, "POST", "/api/v1/kiosk/deposits",
                            {"tracking_number": tn, "unit": unit["unit"], "phone_tail": unit["phone_tail"]}, auth=True)
        if st == 401:
            self._login()
            return
        if st != 201:
            assert st in (409, 422), (st, dep)  # already deposited/interrupted, or no compartment
            return
        if self._door_open_kill():
            raise Killed  # the power goes while the courier's door is open
        time.sleep(self.rng.uniform(0.06, 0.2))  # the courier puts the parcel in
        self._api(sim, "POST", f"/api/v1/sim/doors/{dep['compartment']}/close")
        state = self._await_deposit(sim, dep["deposit_id"])
        if state == "stored":
            code = self._code_of(sim, tn)
            self.ledger.stored[tn] = code
            self.ledger.deposits_ok += 1

    def _await_deposit(self, sim: SimServer, dep_id: str) -> str:
        deadline = time.monotonic() + 3
        state = "depositing"
        while time.monotonic() < deadline:
            st, body = self._api(sim, "GET", f"/api/v1/kiosk/deposits/{dep_id}", auth=True)
            if st == 200:
                state = body["state"]
                if state != "depositing":
                    return str(state)
            time.sleep(0.03)
        return state

    def _code_of(self, sim: SimServer, tn: str) -> str:
        for n in self._api(sim, "GET", "/api/v1/sim/notifications?limit=50")[1]:
            if n["tracking_number"] == tn and n["pickup_code"]:
                return str(n["pickup_code"])
        raise AssertionError(f"no pickup code sent for stored parcel {tn}")

    def _picked_tracking(self) -> set[str]:
        return self.ledger.picked

    def _pickup(self, sim: SimServer) -> None:
        waiting = sorted(self.ledger.stored.keys() - self._picked_tracking())
        code = self.ledger.stored[self.rng.choice(waiting)]
        self.ledger.picked_codes.add(code)
        # a unit's parcels share one code: the code opens every one of them stored so far
        self.ledger.picked |= {t for t, c in self.ledger.stored.items() if c == code}
        self._aim(sim)
        st, body = self._api(sim, "POST", "/api/v1/kiosk/pickup", {"code": code})
        assert st == 200, (st, body)
        if self._door_open_kill():
            raise Killed  # the power goes while the resident's doors are open
        time.sleep(self.rng.uniform(0.06, 0.2))  # the resident takes the parcels
        for p in body["parcels"]:
            self._api(sim, "POST", f"/api/v1/sim/doors/{p['compartment']}/close")
        self.ledger.pickups_ok += 1

    def _door_open_kill(self) -> bool:
        """Whether the power goes now, with this operation's doors open (a forced lifetime's first success)."""
        if not (self.rng.random() < self.door_open_kill or self._force_door_open):
            return False
        self._force_door_open = False
        self.ledger.door_open_kills += 1
        return True

    def _close_open_doors(self, sim: SimServer) -> None:
        """Doors left open by a kill: closed by staff after the restart."""
        for d in sim.api("GET", "/api/v1/sim/doors")[1]:
            if d["door"] == "open":
                sim.api("POST", f"/api/v1/sim/doors/{d['compartment']}/close")

    # --- the database, read beside the running daemon (WAL readers do not block it) ------------
    def _db(self) -> sqlite3.Connection:
        return sqlite3.connect(f"file:{self.data / 'lockerd.db'}?mode=ro", uri=True, timeout=10)

    def _command_ids(self) -> set[str]:
        with self._db() as conn:
            return {r[0] for r in conn.execute("SELECT id FROM door_commands")}

    def _await_commands_settled(self, limit: float = 10.0) -> None:
        """Wait (polling, with a deadline) until no door command is pending or fired without an outcome."""
        deadline = time.monotonic() + limit
        while True:
            with self._db() as conn:
                left = conn.execute(
                    "SELECT COUNT(*) FROM door_commands WHERE state IN ('pending','fired')").fetchone()[0]
            if not left:
                return
            assert time.monotonic() < deadline, f"{left} door commands still without an outcome after {limit} s"
            time.sleep(0.02)

    def _fired_since(self, known: set[str]) -> int:
        with self._db() as conn:
            rows = conn.execute(
                "SELECT id FROM door_commands WHERE fired_at IS NOT NULL OR state IN ('opened','already_open','jammed')"
            ).fetchall()
        return sum(1 for (cid,) in rows if cid not in known)


def check(data_dir: Path, ledger: Ledger) -> dict[str, Any]:
    """Every invariant of the campaign, on the final database. Returns counts for the report."""
    conn = sqlite3.connect(data_dir / "lockerd.db")
    conn.row_factory = sqlite3.Row
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        parcels = {r["tracking_number"]: r for r in conn.execute(
            "SELECT * FROM parcels WHERE state IN ('depositing','stored','collected')")}
        # no stored parcel lost: each one the driver saw stored is stored, or collected by its code
        for tn, code in ledger.stored.items():
            p = parcels.get(tn)
            assert p is not None, f"stored parcel {tn} lost"
            assert p["state"] in ("stored", "collected"), (tn, p["state"])
            if p["state"] == "collected":
                assert code in ledger.picked_codes, f"{tn} collected but its code was never entered"
        # no parcel duplicated: at most one active parcel per tracking number (a tracking number may
        # come back after its parcel was collected: a retried deposit whose first attempt the driver
        # never saw stored, collected meanwhile under the unit's shared code, is a new delivery)
        dups = conn.execute(
            "SELECT tracking_number, COUNT(*) FROM parcels WHERE state IN ('depositing','stored')"
            " GROUP BY tracking_number HAVING COUNT(*) > 1").fetchall()
        assert dups == [], [tuple(d) for d in dups]
        # no door opened twice: nothing fired at boot, and each quiet lifetime's boards received
        # exactly the commands that lifetime fired
        assert all(n == 0 for n in ledger.boot_opens), ledger.boot_opens
        for opens, fired in ledger.quiet_checks:
            assert opens == fired, (opens, fired)
        left = conn.execute("SELECT COUNT(*) FROM door_commands WHERE state IN ('pending','fired')").fetchone()[0]
        assert left == 0
        # interrupted deposits end failed, their compartment held, with a staff task
        interrupted = conn.execute(
            "SELECT d.id, d.compartment_id FROM deposits d WHERE d.state = 'failed' AND d.failure = 'interrupted'"
        ).fetchall()
        for d in interrupted:
            n = conn.execute("SELECT COUNT(*) FROM tasks WHERE kind = 'interrupted_deposit' AND compartment_id = ?",
                             (d["compartment_id"],)).fetchone()[0]
            assert n >= 1, f"interrupted deposit {d['id']} has no staff task"
        assert conn.execute(
            "SELECT COUNT(*) FROM deposits WHERE state IN ('depositing','cancelling')").fetchone()[0] == 0
        # the event log: gap-free, one parcel.stored per stored/collected parcel
        n_ev, max_seq = conn.execute("SELECT COUNT(*), COALESCE(MAX(seq), 0) FROM events").fetchone()
        assert n_ev == max_seq, f"event seq has gaps: {n_ev} events, max seq {max_seq}"
        per = conn.execute(
            "SELECT p.tracking_number, (SELECT COUNT(*) FROM events e WHERE e.type = 'parcel.stored'"
            " AND json_extract(e.data, '$.parcel_id') = p.id) AS n FROM parcels p"
            " WHERE p.state IN ('stored','collected')").fetchall()
        bad = [(r[0], r[1]) for r in per if r[1] != 1]
        assert bad == [], bad[:10]
        unknown = conn.execute("SELECT COUNT(*) FROM door_commands WHERE state = 'unknown'").fetchone()[0]
        commands = conn.execute("SELECT COUNT(*) FROM door_commands").fetchone()[0]
        collected = conn.execute("SELECT COUNT(*) FROM parcels WHERE state = 'collected'").fetchone()[0]
        still = conn.execute("SELECT COUNT(*) FROM parcels WHERE state = 'stored'").fetchone()[0]
    finally:
        conn.close()
    return {
        "ops": ledger.ops, "deposits_stored": ledger.deposits_ok, "pickups": ledger.pickups_ok,
        "kills_quiet": ledger.kills_quiet, "kills_inflight": ledger.kills_inflight,
        "kills_with_door_open": ledger.door_open_kills, "kills_aimed_in_request": ledger.kills_aimed,
        "ops_cut_by_kill": ledger.interrupted_ops, "interrupted_deposits": len(interrupted),
        "unknown_commands": unknown, "door_commands": commands, "collected": collected, "still_stored": still,
        "events": n_ev, "lost": 0, "duplicated": 0, "doors_opened_twice": 0,
    }
