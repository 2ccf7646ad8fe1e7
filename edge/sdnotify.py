"""systemd notification protocol (sd_notify), pure stdlib.

The daemon runs as ``Type=notify``: it says READY=1 once the web server is up, pings WATCHDOG=1 from
the event loop (so a hung loop, not only a dead process, gets restarted) and STOPPING=1 at shutdown.
Outside systemd (no ``$NOTIFY_SOCKET``) every call is a cheap no-op.

Protocol: newline-separated ``KEY=VALUE`` assignments in one datagram on the AF_UNIX socket named by
``$NOTIFY_SOCKET``; a leading ``@`` means the Linux abstract namespace. Watchdog interval comes from
``$WATCHDOG_USEC`` and applies only when ``$WATCHDOG_PID`` is unset or our own pid.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Awaitable, Callable, Mapping

log = logging.getLogger(__name__)


class SystemdNotifier:
    """Sends state changes to systemd. Never raises: notification failures are logged once."""

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        self._env = os.environ if env is None else env
        self._address = self._parse_address(self._env.get("NOTIFY_SOCKET", ""))
        self._sock: socket.socket | None = None
        self._failed = False

    @staticmethod
    def _parse_address(raw: str) -> str | bytes | None:
        if not raw:
            return None
        if raw.startswith("@"):
            return b"\0" + raw[1:].encode()
        if raw.startswith("/"):
            return raw
        log.warning("ignoring NOTIFY_SOCKET that is neither a path nor abstract: %r", raw)
        return None

    @property
    def enabled(self) -> bool:
        return self._address is not None

    def notify(self, *assignments: str) -> bool:
        """Send one datagram with the given ``KEY=VALUE`` lines. True if it was sent."""
        if self._address is None:
            return False
        payload = "\n".join(a.replace("\n", " ") for a in assignments).encode("utf-8", "replace")
        try:
            if self._sock is None:
                self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
            self._sock.sendto(payload, self._address)
        except OSError as exc:
            if not self._failed:
                log.warning("sd_notify to %r failed: %s", self._address, exc)
                self._failed = True
            return False
        if self._failed:
            log.info("sd_notify recovered")
            self._failed = False
        return True

    def ready(self, status: str = "") -> bool:
        lines = ["READY=1"]
        if status:
            lines.append(f"STATUS={status}")
        return self.notify(*lines)

    def stopping(self) -> bool:
        return self.notify("STOPPING=1", "STATUS=stopping")

    def reloading(self) -> bool:
        return self.notify("RELOADING=1")

    def status(self, text: str) -> bool:
        return self.notify(f"STATUS={text}")

    def watchdog(self) -> bool:
        return self.notify("WATCHDOG=1")

    def watchdog_interval(self) -> float | None:
        """The watchdog timeout in seconds, or None when systemd does not expect pings from us."""
        usec = self._env.get("WATCHDOG_USEC", "")
        if not usec:
            return None
        pid = self._env.get("WATCHDOG_PID", "")
        if pid:
            try:
                if int(pid) != os.getpid():
                    return None
            except ValueError:
                return None
        try:
            value = int(usec)
        except ValueError:
            log.warning("ignoring malformed WATCHDOG_USEC=%r", usec)
            return None
        return value / 1_000_000 if value > 0 else None

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None


async def watchdog_loop(
    notifier: SystemdNotifier,
    clock_sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> None:
    """Ping the watchdog at half its interval, from the event loop, until cancelled.

    Because the ping runs on the loop, a loop blocked by a stuck call stops the pings and systemd
    restarts the service. ``clock_sleep`` must sleep in real time (the watchdog is wall-clock), it is
    injectable for tests. Returns at once when no watchdog is configured.
    """
    interval = notifier.watchdog_interval()
    if interval is None:
        return
    period = max(interval / 2, 0.01)
    log.info("systemd watchdog: %.1f s, pinging every %.1f s", interval, period)
    while True:
        notifier.watchdog()
        await clock_sleep(period)
