"""Boot reconciliation of door commands and deposits a crash left unfinished (opens nothing)."""

from __future__ import annotations

from edge.services import compartments as comps
from edge.store.db import Tx


def reconcile_boot(tx: Tx) -> dict[str, int]:
    """At boot, before any door can move: settle what a crash left unfinished. Opens nothing.

    * a ``pending``/``fired`` command has an unknown outcome: marked ``unknown``, never re-fired;
    * a command whose door opened but whose close was never handled is closed off as interrupted;
    * an unfinished deposit is marked failed and its compartment held for a staff check (the parcel
      may or may not be inside); staff resolve it from the console.
    """
    counts = {"unknown_commands": 0, "interrupted_deposits": 0}
    for cmd in tx.all("SELECT * FROM door_commands WHERE state IN ('pending','fired')"):
        tx.execute(
            "UPDATE door_commands SET state = 'unknown', resolved_at = ?, note = ? WHERE id = ?",
            (tx.ts, "outcome unknown after a restart; not fired again", cmd["id"]),
        )
        tx.audit("system", "door.command_unknown", cmd["compartment_id"], "restart", command=cmd["id"])
        # which parcel it was for (a pickup's or a staff open's ref): the task names it and leads to its page,
        # where "taken out and handed over" settles it (trial 2026-12-07f: a bare "检查格口（A-13）")
        parcel = tx.scalar("SELECT id FROM parcels WHERE id = ? AND state = 'stored'", (cmd["ref"],)) if cmd["ref"] else None
        _check_task(tx, cmd["compartment_id"], f"Restart during a door command ({cmd['purpose']}): check {cmd['compartment_id']}",
                    kind="restart_unknown" if parcel else "check_compartment", parcel_id=parcel)
        counts["unknown_commands"] += 1
    for cmd in tx.all(
        "SELECT * FROM door_commands WHERE state IN ('opened','already_open') AND closed_at IS NULL"
    ):
        tx.execute(
            "UPDATE door_commands SET closed_at = ?, note = ? WHERE id = ?",
            (tx.ts, "close not seen before a restart", cmd["id"]),
        )
        if cmd["purpose"] not in ("deposit", "deposit_cancel"):
            _check_task(tx, cmd["compartment_id"], f"Restart while {cmd['compartment_id']} was open ({cmd['purpose']}): check it")
    for dep in tx.all("SELECT * FROM deposits WHERE state IN ('depositing','cancelling')"):
        tx.execute(
            "UPDATE deposits SET state = 'failed', failure = 'interrupted', updated_at = ? WHERE id = ?",
            (tx.ts, dep["id"]),
        )
        c = dep["compartment_id"]
        if c:
            comps.set_state(tx, c, "fault", "check_after_interrupted_deposit|was=reserved")
            tx.execute(
                "INSERT INTO tasks (kind, parcel_id, compartment_id, title, detail, created_at)"
                " VALUES ('interrupted_deposit', ?, ?, ?, ?, ?)",
                (
                    dep["parcel_id"],
                    c,
                    f"Deposit into {c} was interrupted by a restart: open it, then confirm stored or empty",
                    f'{{"deposit_id": "{dep["id"]}"}}',
                    tx.ts,
                ),
            )
        tx.log(dep["parcel_id"], "deposit_interrupted", "system", deposit_id=dep["id"], compartment=c)
        tx.audit("system", "deposit.interrupted", c or "", "restart during deposit", deposit=dep["id"])
        counts["interrupted_deposits"] += 1
    return counts


def _check_task(tx: Tx, compartment: str, title: str, *, kind: str = "check_compartment",
                parcel_id: str | None = None) -> None:
    tx.execute(
        "INSERT INTO tasks (kind, parcel_id, compartment_id, title, created_at) VALUES (?, ?, ?, ?, ?)",
        (kind, parcel_id, compartment, title, tx.ts),
    )
