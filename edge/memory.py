"""Keep the daemon's resident memory low and flat on a Pi (site config section ``[memory]``).

glibc serves large allocations from the heap and keeps freed heap memory for reuse, so a single
burst (argon2's 19 MB hashing buffer at a console login) stays resident for the life of the
process. Lowering M_MMAP_THRESHOLD to 128 KiB makes such blocks mmap'd and returned to the kernel
when freed. Measured: 89.9 MB -> 72.8 MB RSS at 10,000 stored parcels (docs/performance.md).

Over hours, two more things keep RSS creeping although the Python heap and SQLite's caches are flat
(issue 20's soak, docs/reliability.md "Memory over a soak"): each thread that allocates (the database
writer and reader, the executor) gets its own glibc arena, and freed memory stays in each arena as
holes. The daemon limits glibc to ``arena_max`` arenas and hands free pages back with malloc_trim
every ``trim_every_s`` from the store's maintenance loop, on a worker thread (decisions 0020, 0031).

``tune_malloc`` applies the defaults as the command line starts (no threads yet); ``apply`` applies the
site's ``[memory]`` settings when the daemon starts, before its threads. An explicit MALLOC_ARENA_MAX,
MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_ or MALLOC_TOP_PAD_ in the environment wins (the systemd
unit may set them); glibc only, a no-op elsewhere.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import math
import os
import sys
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

log = logging.getLogger(__name__)

M_TRIM_THRESHOLD = -1
M_TOP_PAD = -2
M_MMAP_THRESHOLD = -3
M_ARENA_MAX = -8
THRESHOLD = 64 * 1024
ARENA_MAX = 2
#: free memory at the top of the main heap above this goes back to the kernel at once; no extra pad asked
#: for when the heap grows (the A/B soaks of decision 0031)
TRIM_THRESHOLD = 64 * 1024
TOP_PAD = 0
TRIM_EVERY_S = 30.0
#: modules that libraries import without the daemon ever using them (mem38, docs/performance.md): httpx imports
#: its command-line client at ``import httpx`` (with rich and pygments where installed, 3.2 MB), FastAPI imports
#: pydantic.v1 to refuse v1 models, which no lockerd model is (1.5 MB). Both imports are inside
#: ``try/except ImportError``, which a None entry in sys.modules takes.
UNUSED_MODULES = ("httpx._main", "pydantic.v1")


def keep_out_unused_modules() -> None:
    """Make the UNUSED_MODULES fail to import from now on (called by the command line before it imports anything
    heavy); a module already imported is left as it is."""
    for name in UNUSED_MODULES:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]


class MemoryConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    arena_max: int = Field(
        ARENA_MAX, ge=0, le=64, description="glibc malloc arenas at most (threads share them); 0 = glibc's own, 8 per core")
    mmap_threshold_kib: int = Field(
        THRESHOLD // 1024, ge=0, le=32 * 1024,
        description="blocks this large or larger are mmap'd and given back when freed; 0 = glibc's sliding default")
    trim_threshold_kib: int = Field(
        TRIM_THRESHOLD // 1024, ge=0, le=64 * 1024,
        description="free memory at the top of the heap above this is given back at once (glibc's own: 128)")
    top_pad_kib: int = Field(
        TOP_PAD // 1024, ge=0, le=64 * 1024,
        description="extra heap asked of the kernel each time it grows (glibc's own: 128)")
    trim_every_s: float = Field(
        TRIM_EVERY_S, ge=0, le=86400, description="hand free heap pages back to the kernel this often (malloc_trim); 0 = never")


#: (config field, mallopt parameter, environment variable that wins, multiplier, 0 means glibc's own)
_PARAMS = (
    ("arena_max", M_ARENA_MAX, "MALLOC_ARENA_MAX", 1, True),
    ("mmap_threshold_kib", M_MMAP_THRESHOLD, "MALLOC_MMAP_THRESHOLD_", 1024, True),
    ("trim_threshold_kib", M_TRIM_THRESHOLD, "MALLOC_TRIM_THRESHOLD_", 1024, False),
    ("top_pad_kib", M_TOP_PAD, "MALLOC_TOP_PAD_", 1024, False),
)


def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        return ctypes.CDLL(name)
    except OSError:
        return None


def apply(cfg: MemoryConfig) -> dict[str, Any]:
    """Set glibc's malloc parameters from ``cfg`` (best effort). Returns what was set, by config field, in the
    config's units; a field left to glibc or to the environment (or refused by mallopt) is not in it."""
    libc = _libc()
    mallopt = getattr(libc, "mallopt", None)
    applied: dict[str, Any] = {}
    if mallopt is None:
        return applied
    for field, param, env, scale, zero_is_glibc in _PARAMS:
        value = getattr(cfg, field)
        if (zero_is_glibc and value == 0) or os.environ.get(env):
            continue
        if mallopt(param, int(value) * scale):
            applied[field] = value
        else:
            log.debug("mallopt(%s) refused", field)
    if applied:
        log.debug("malloc tuned: %s", applied)
    return applied


def tune_malloc() -> bool:
    """The defaults, as the command line starts (before any thread). True if the mmap threshold was set."""
    return "mmap_threshold_kib" in apply(MemoryConfig())


def trim_interval(cfg: MemoryConfig) -> float:
    """Seconds between two malloc_trim calls for the store's maintenance loop (infinite when off)."""
    return cfg.trim_every_s if cfg.trim_every_s > 0 else math.inf


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
