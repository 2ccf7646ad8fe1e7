"""Keep the daemon's resident memory low on a Pi.

glibc serves large allocations from the heap and keeps freed heap memory for reuse, so a single
burst (argon2's 19 MB hashing buffer at a console login) stays resident for the life of the
process. Lowering M_MMAP_THRESHOLD to 128 KiB makes such blocks mmap'd and returned to the kernel
when freed. Measured: 89.9 MB -> 72.8 MB RSS at 10,000 stored parcels (docs/performance.md).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os

log = logging.getLogger(__name__)

M_MMAP_THRESHOLD = -3
THRESHOLD = 128 * 1024


def tune_malloc() -> bool:
    """Best effort, glibc only; an explicit MALLOC_MMAP_THRESHOLD_ in the environment wins."""
    if os.environ.get("MALLOC_MMAP_THRESHOLD_"):
        return False
    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    ok = bool(mallopt(M_MMAP_THRESHOLD, THRESHOLD))
    if not ok:
        log.debug("mallopt(M_MMAP_THRESHOLD) refused")
    return ok


def freeze_startup() -> int:
    """Move everything alive after start-up (modules, FastAPI's routes, pydantic models, the config)
    out of the cyclic collector's reach (``gc.freeze``), after one full collection.

    A full (generation 2) collection otherwise walks all ~90,000 start-up objects: 20-30 ms on a quiet
    2-CPU machine, 100+ ms under load, with the event loop stopped; a pickup in flight waits that long
    (bench_pickup --trace). Frozen objects are still freed by reference counting; only cycles among
    them are never collected, and start-up objects live as long as the process. Returns how many
    objects were frozen."""
    import gc

    gc.collect()
    gc.freeze()
    n = gc.get_freeze_count()
    log.info("gc: %d start-up objects frozen", n)
    return n
