"""The outbox drain benchmark with stock paho-mqtt: none of cloudsync/fastclient.py's overrides of paho's
private methods (`_sock_recv`, `_sock_send`, `_sock_close`, `_handle_pubackcomp`), to decide whether
they are still worth pinning paho for (docs/decisions/0006-core-typing.md). Same output and baseline
(`mosquitto_pub -l`, QoS 1, in the same run) as bench_outbox_drain.py.

    .venv/bin/python benchmarks/bench_outbox_drain_stock.py [--events 100000] [--window 50]
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import paho.mqtt.client as mqtt

import cloudsync.link
from benchmarks import bench_outbox_drain


class StockClient(mqtt.Client):
    """paho's Client plus the three no-op hooks the link asks for: nothing of paho overridden."""

    def pending_in(self) -> int:
        return 0

    def pending_out(self) -> int:
        return 0

    def flush_out(self) -> bool:
        return True


def main() -> int:
    cloudsync.link.FastClient = StockClient  # type: ignore[misc,assignment]
    print("variant: stock paho-mqtt (no private overrides)")
    result: Any = bench_outbox_drain.main()
    return int(result)


if __name__ == "__main__":
    raise SystemExit(main())
