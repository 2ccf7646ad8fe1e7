"""`hq` (the default) and `sim`: channels that hand the message on rather than sending it.

`hq`: HQ notifies the resident from the parcel.* event that was committed with the message (the outbox
delivers it at least once), so the message counts as handed over once cloud sync is on. With cloud sync
off, hq refuses and the next channel is tried. `sim`: the simulator's gateway (the notifications list).
"""

from __future__ import annotations

from collections.abc import Callable

from edge.notify.channels.base import BaseChannel, ChannelError, Outgoing


class HqChannel(BaseChannel):
    kind = "hq"

    def __init__(self, name: str, kinds: list[str], cloud_on: Callable[[], bool]) -> None:
        super().__init__(name, kinds)
        self._cloud_on = cloud_on

    async def send(self, msg: Outgoing) -> str:
        if not self._cloud_on():
            raise ChannelError("cloud sync is off: HQ cannot notify the resident")
        return "in the outbox for HQ"


class SimChannel(BaseChannel):
    kind = "sim"

    async def send(self, msg: Outgoing) -> str:
        return "listed at /api/v1/sim/notifications"
