"""A whole lockerd daemon (simulated locks, cloud sync on) in its own process, for kill -9 tests.

    python tests/cloud/site_child.py DATA_DIR BROKER_URL
Prints "ready" once started; SIGTERM stops it cleanly (offline status published).
"""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from edge.clock import SimClock
from edge.daemon import Daemon
from tests.cloud.conftest import site_config


async def main(data_dir: str, broker: str) -> None:
    d = Daemon(site_config(broker, None), clock=SimClock(), data_dir=data_dir, simulated=True)
    await d.start()
    print("ready", d.boot_id, flush=True)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    await d.stop()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
