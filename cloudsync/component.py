"""The daemon's entry point to cloud sync ("cloudsync.component" in OPTIONAL_COMPONENTS).

Kept light on purpose: paho and the sync machinery (about 13 MB resident) are imported only when
the site config enables the cloud, so an offline site does not pay for them.
"""

from __future__ import annotations

from typing import Any


def create(daemon: Any) -> Any:
    cloud = daemon.config.cloud
    if not cloud.enabled or not cloud.broker:
        return None
    from cloudsync.sync import CloudSync

    return CloudSync(daemon)
