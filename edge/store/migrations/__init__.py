"""Schema migrations, applied in order on ``PRAGMA user_version``.

Version N of the schema = the first N entries here. Each entry is a module with ``SQL`` (a script) or
``up(conn)``. Never edit a migration that has shipped in a release; add a new one. Each part of lockerd
owns its own module, so parallel work does not collide on one file.
"""

from __future__ import annotations

from types import ModuleType

from edge.store.migrations import (
    m001_core,
    m002_tracking,
    m003_rules,
    m004_cloud,
    m005_console,
    m006_tracking_labels,
    m007_desk_tracking,
    m008_streams,
    m009_security,
    m010_directory,
    m011_parcels_compartment,
    m012_message_merge,
    m013_anomaly_step,
    m014_former_resident,
    m015_tracking_cannot_tell,
    m016_unconfirmed_doors,
)

MIGRATIONS: list[ModuleType] = [m001_core, m002_tracking, m003_rules, m004_cloud, m005_console, m006_tracking_labels,
                                m007_desk_tracking, m008_streams, m009_security, m010_directory,
                                m011_parcels_compartment, m012_message_merge, m013_anomaly_step,
                                m014_former_resident, m015_tracking_cannot_tell, m016_unconfirmed_doors]
