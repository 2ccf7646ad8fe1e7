"""Personal-data retention: a parcel's recipient details are kept only as long as the policy says.

Once a parcel has been closed (collected, returned, disposed, cancelled) for
``policy.personal_data_retention_days``, its phone tail and pickup code are erased, and residents'
messages older than that are deleted. The parcel, its timeline and the audit log stay (they hold
no phone numbers), so disputes can still be settled.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from edge.aio import cancel_and_wait
from edge.clock import Clock, utc_iso
from edge.notify import queue as notify_queue
from edge.policy import Policy
from edge.store.db import Store, Tx

log = logging.getLogger(__name__)

SWEEP_EVERY_S = 6 * 3600


def purge(tx: Tx, retention_days: int) -> dict[str, int]:
    cutoff = utc_iso(tx.now - timedelta(days=retention_days))
    n_parcels = tx.execute(
        "UPDATE parcels SET phone_tail = NULL, pickup_code = NULL, former_contact = NULL, updated_at = ?"
        " WHERE state IN ('collected','returned','disposed','cancelled') AND closed_at IS NOT NULL"
        " AND closed_at < ? AND (phone_tail IS NOT NULL OR pickup_code IS NOT NULL OR former_contact IS NOT NULL)",
        (tx.ts, cutoff),
    ).rowcount
    n_msgs = tx.execute("DELETE FROM notifications WHERE ts < ?", (cutoff,)).rowcount
    n_msgs += notify_queue.purge(tx, cutoff)  # the queued copies carry pickup codes too
    if n_parcels or n_msgs:
        tx.audit("system", "retention.purge", "", f"older than {retention_days} days",
                 parcels=n_parcels, notifications=n_msgs)
    return {"parcels": n_parcels, "notifications": n_msgs}


class RetentionComponent:
    name = "retention"

    def __init__(self, store: Store, clock: Clock, policy: Callable[[], Policy]) -> None:
        self.store = store
        self.clock = clock
        self.policy = policy
        self._task: asyncio.Task[None] | None = None
        self.last: dict[str, int] = {}

    async def run_once(self) -> dict[str, int]:
        days = self.policy().personal_data_retention_days
        self.last = await self.store.write(lambda tx: purge(tx, days))
        return self.last

    async def _loop(self) -> None:
        while True:
            try:
                await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("personal-data purge failed; will retry")
            await self.clock.sleep(SWEEP_EVERY_S)

    async def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="retention")

    async def stop(self) -> None:
        await cancel_and_wait([self._task])
        self._task = None

    def status(self) -> dict[str, Any]:
        return {"last_purge": self.last}
