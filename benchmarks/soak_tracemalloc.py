"""Where does memory grow? An in-process soak (deposits, pickups, cancels, console reads) under
tracemalloc, printing the allocation sites that grew most between warm-up and the end.

    .venv/bin/python benchmarks/soak_tracemalloc.py --seconds 180
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


async def cycle(site, i: int) -> None:  # type: ignore[no-untyped-def]
    svc = site.svc
    dep = await svc.deposits.start(site.courier, tracking_number=f"SF9{i:011d}", unit="1-101", phone_tail="1234")
    await site.settle()
    if i % 5 == 0:
        await svc.deposits.cancel(dep["deposit_id"], site.courier)
        await site.settle()
        await site.close(dep["compartment"])
        return
    await site.close(dep["compartment"])
    code = await site.code_of(dep["parcel_id"])
    res = await svc.pickups.submit(code, kiosk="k1")
    await site.settle()
    for p in res["parcels"]:
        await site.close(p["compartment"])
    await svc.compartments.grid()
    site.daemon.health()


async def main(seconds: float, warmup: float) -> None:
    from tests.reliability.faults import start_site_at, stop_site

    with tempfile.TemporaryDirectory() as tmp:
        site, emus = await start_site_at(Path(tmp) / "site")
        site.daemon.hub  # noqa: B018
        i = 0
        t0 = time.monotonic()
        tracemalloc.start(12)
        base = None
        while time.monotonic() - t0 < seconds:
            await cycle(site, i)
            i += 1
            if base is None and time.monotonic() - t0 >= warmup:
                gc.collect()
                base = tracemalloc.take_snapshot()
                print(f"warm-up done after {i} cycles; traced {tracemalloc.get_traced_memory()[0] / 1e6:.2f} MB")
        gc.collect()
        end = tracemalloc.take_snapshot()
        print(f"{i} cycles in {time.monotonic() - t0:.0f} s; traced {tracemalloc.get_traced_memory()[0] / 1e6:.2f} MB")
        assert base is not None
        for stat in end.compare_to(base, "traceback")[:12]:
            print(f"{stat.size_diff / 1024:+9.1f} KiB {stat.count_diff:+6d} blocks")
            for line in stat.traceback.format()[-8:]:
                print("     ", line)
        await stop_site(site, emus)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=180)
    ap.add_argument("--warmup", type=float, default=30)
    a = ap.parse_args()
    asyncio.run(main(a.seconds, a.warmup))
