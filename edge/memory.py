"""Keep the daemon's resident memory low on a Pi.

glibc serves large allocations from the heap and keeps freed heap memory for reuse, so a single
burst (argon2's 19 MB hashing buffer at a console login) stays resident for the life of the
process. Lowering M_MMAP_THRESHOLD to 128 KiB makes such blocks mmap'd and returned to the kernel
when freed. Measured: 89.9 MB -> 72.8 MB RSS at 10,000 stored parcels (docs/performance.md).

Over hours, two more things keep RSS creeping although the Python heap and SQLite's caches are flat
(issue 20's soak, docs/reliability.md "Memory over a soak"): each thread that allocates (the database
writer and reader, the executor) gets its own glibc arena, and freed memory stays in each arena as
holes. The daemon limits glibc to ARENA_MAX arenas and hands free pages back with malloc_trim from the
store's maintenance loop (`trim`, every few minutes).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os

log = logging.getLogger(__name__)

M_MMAP_THRESHOLD = -3
M_ARENA_MAX = -8
THRESHOLD = 128 * 1024
ARENA_MAX = 2


def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        return ctypes.CDLL(name)
    except OSError:
        return None


def tune_malloc() -> bool:
    """Best effort, glibc only; an explicit MALLOC_MMAP_THRESHOLD_ / MALLOC_ARENA_MAX in the environment wins."""
    libc = _libc()
    mallopt = getattr(libc, "mallopt", None)
    if mallopt is None:
        return False
    if not os.environ.get("MALLOC_ARENA_MAX") and not mallopt(M_ARENA_MAX, ARENA_MAX):
        log.debug("mallopt(M_ARENA_MAX) refused")
    if os.environ.get("MALLOC_MMAP_THRESHOLD_"):
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


def trim() -> bool:
    """Give free heap pages back to the kernel (glibc malloc_trim; a few ms). False where unsupported."""
    libc = _libc()
    fn = getattr(libc, "malloc_trim", None)
    if fn is None:
        return False
    return bool(fn(0))
