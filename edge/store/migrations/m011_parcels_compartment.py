"""An index on the compartment a parcel is in (issue 18, perf18).

``release_if_empty`` (edge/services/doors.py) counts the parcels still stored in a compartment each time its
door closes after a pickup or a removal; ``compartments`` counts the same before re-planning a cell. Without an
index on ``compartment_id`` SQLite searched ``parcels_state`` and read every stored parcel of the site (1.2-2.4 ms
of CPU at 10,000 stored in memory, 0.002-0.006 ms with it; docs/performance.md, perf18), on every pickup's close.
Parcels at the desk (no compartment) are left out of the index.
"""

SQL = """
CREATE INDEX parcels_compartment ON parcels(compartment_id) WHERE compartment_id IS NOT NULL;
"""
