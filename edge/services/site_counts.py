"""The site's counts, read once: the one read model that telemetry (cloudsync/telemetry.py), /metrics
(edge/web/metrics.py) and the console dashboard (edge/web/console/queries.py) share.

Everything is read in the caller's read transaction, so one document is one consistent snapshot.
Compartments are the configured ones (a compartment removed from the site config is history, not a door).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from edge.domain.parcel import PARCEL_STATES, ParcelState
from edge.store.db import Tx

#: compartment states (DESIGN.md section 2), in the order reports list them
COMPARTMENT_STATES: tuple[str, ...] = ("free", "reserved", "occupied", "disabled", "fault")
#: storage stages past which a stored parcel counts as overdue (section 6)
OVERDUE_STAGES: tuple[str, ...] = ("overdue", "noticed", "disposal_due")


@dataclass
class SiteCounts:
    #: every parcel state -> parcels in it (0 included)
    parcels: dict[str, int]
    #: stored parcels by storage stage ("none" before the first reminder)
    stages: dict[str, int]
    #: size -> {"total", "free", "reserved", "occupied", "disabled", "fault"}
    occupancy: dict[str, dict[str, int]]
    #: compartment state -> count (0 included)
    compartments: dict[str, int]
    doors_open: int
    #: compartments in fault, by id
    faults: list[str]
    open_tasks: int
    tasks: dict[str, int] = field(default_factory=dict)
    outbox_depth: int = 0
    #: the event time of the oldest unsent outbox row, or None
    outbox_oldest_ts: str | None = None

    @property
    def stored(self) -> int:
        return self.parcels.get(ParcelState.STORED, 0)

    @property
    def overdue(self) -> int:
        """Stored parcels past their overdue time (overdue, under notice or due for disposal)."""
        return sum(self.stages.get(s, 0) for s in OVERDUE_STAGES)


def read(tx: Tx) -> SiteCounts:
    """All the counts, in this read transaction."""
    parcels = dict.fromkeys(PARCEL_STATES, 0)
    for r in tx.all("SELECT state, count(*) AS n FROM parcels GROUP BY state"):
        parcels[str(r["state"])] = int(r["n"])
    stages = {str(r["stage"]): int(r["n"]) for r in tx.all(
        "SELECT COALESCE(stage, 'none') AS stage, count(*) AS n FROM parcels WHERE state = 'stored' GROUP BY 1")}
    occupancy: dict[str, dict[str, int]] = {}
    compartments = dict.fromkeys(COMPARTMENT_STATES, 0)
    for r in tx.all("SELECT size, state, count(*) AS n FROM compartments WHERE configured = 1 GROUP BY size, state"):
        row = occupancy.setdefault(str(r["size"]), {"total": 0, **dict.fromkeys(COMPARTMENT_STATES, 0)})
        row[str(r["state"])] = int(r["n"])
        row["total"] += int(r["n"])
        compartments[str(r["state"])] = compartments.get(str(r["state"]), 0) + int(r["n"])
    tasks = {str(r["kind"]): int(r["n"]) for r in tx.all(
        "SELECT kind, count(*) AS n FROM tasks WHERE state = 'open' GROUP BY kind")}
    return SiteCounts(
        parcels=parcels,
        stages=stages,
        occupancy=occupancy,
        compartments=compartments,
        doors_open=int(tx.scalar("SELECT count(*) FROM compartments WHERE door = 'open' AND configured = 1") or 0),
        faults=[str(r["id"]) for r in tx.all(
            "SELECT id FROM compartments WHERE state = 'fault' AND configured = 1 ORDER BY id")],
        open_tasks=sum(tasks.values()),
        tasks=tasks,
        outbox_depth=int(tx.scalar("SELECT count(*) FROM outbox") or 0),
        outbox_oldest_ts=tx.scalar("SELECT e.ts FROM outbox o JOIN events e ON e.seq = o.seq ORDER BY o.seq LIMIT 1"),
    )
