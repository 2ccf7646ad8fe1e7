"""The site's [memory] settings reach glibc and the store (edge/memory.py, decision 0031).

Each check runs in a fresh interpreter (glibc's malloc parameters are per process, and arenas are made as
threads first allocate): it applies a MemoryConfig, starts four threads that allocate at the same time,
and reads back from glibc how many arenas there are (malloc_info) and whether a 100 KiB block was mmap'd
(mallinfo2). A second of work in all.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from edge.cli.simulate import SIM_PROFILE
from edge.clock import SimClock
from edge.config import ConfigError, load_config, parse_config
from edge.daemon import Daemon
from edge.memory import MemoryConfig
from edge.runner import tune_memory

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc malloc")

CHILD = r"""
import ctypes, json, sys, tempfile, threading
from edge.memory import MemoryConfig, apply

applied = apply(MemoryConfig.model_validate_json(sys.argv[1]))
libc = ctypes.CDLL("libc.so.6")
libc.malloc.restype = ctypes.c_void_p
libc.malloc.argtypes = [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
barrier = threading.Barrier(4)

def work():
    blocks = [libc.malloc(1000) for _ in range(50)]
    barrier.wait()  # all four threads hold memory at once: none hands its arena to the next
    for b in blocks:
        libc.free(b)

threads = [threading.Thread(target=work) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()

libc.fopen.restype = ctypes.c_void_p
libc.fopen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
libc.fclose.argtypes = [ctypes.c_void_p]
with tempfile.NamedTemporaryFile(suffix=".xml") as out:
    f = libc.fopen(out.name.encode(), b"w")
    libc.malloc_info(0, f)
    libc.fclose(f)
    arenas = open(out.name).read().count("<heap nr=")

class MallInfo2(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]

libc.mallinfo2.restype = MallInfo2
before = libc.mallinfo2().hblks
block = libc.malloc(100 * 1024)
mmapped = libc.mallinfo2().hblks > before
libc.free(block)
print(json.dumps({"applied": applied, "arenas": arenas, "mmapped_100k": mmapped}))
"""

MALLOC_ENV = ("MALLOC_ARENA_MAX", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "GLIBC_TUNABLES")


def child(cfg: dict[str, Any], **env: str) -> dict[str, Any]:
    clean = {k: v for k, v in os.environ.items() if k not in MALLOC_ENV}
    out = subprocess.run([sys.executable, "-c", CHILD, json.dumps(cfg)], cwd=REPO, env={**clean, **env},
                         capture_output=True, text=True, timeout=60, check=True)
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def test_arena_limit_and_mmap_threshold_are_applied() -> None:
    default = child({"arena_max": 0, "mmap_threshold_kib": 0})
    assert default["applied"] == {"trim_threshold_kib": 64, "top_pad_kib": 0}
    assert default["arenas"] >= 4  # glibc's own: an arena per thread up to 8 per core
    assert not default["mmapped_100k"]  # glibc's sliding threshold starts at 128 KiB

    shipped = child({})  # the defaults the daemon runs with
    assert shipped["applied"] == {"arena_max": 2, "mmap_threshold_kib": 64, "trim_threshold_kib": 64, "top_pad_kib": 0}
    assert shipped["arenas"] == 2
    assert shipped["mmapped_100k"]

    tuned = child({"arena_max": 1, "mmap_threshold_kib": 256, "trim_threshold_kib": 1024, "top_pad_kib": 128})
    assert tuned["applied"] == {"arena_max": 1, "mmap_threshold_kib": 256, "trim_threshold_kib": 1024, "top_pad_kib": 128}
    assert tuned["arenas"] == 1
    assert not tuned["mmapped_100k"]


def test_the_environment_wins_over_the_config() -> None:
    res = child({"arena_max": 1}, MALLOC_ARENA_MAX="3")
    assert "arena_max" not in res["applied"]
    assert res["arenas"] == 3


def test_the_daemon_start_sets_the_trim_interval(tmp_path: Path) -> None:
    cfg = load_config(SIM_PROFILE)
    assert cfg.memory == MemoryConfig()  # no [memory] section: the defaults
    for every, want in ((30.0, 30.0), (0.0, math.inf)):
        # glibc left alone here (the malloc settings are the child checks' job): only the interval
        memory = MemoryConfig(arena_max=0, mmap_threshold_kib=0, trim_every_s=every)
        site = cfg.model_copy(update={"memory": memory})
        daemon = Daemon(site, clock=SimClock(), data_dir=tmp_path, simulated=True)
        tune_memory(daemon)
        assert daemon.store.TRIM_EVERY_S == want


def test_a_bad_memory_setting_is_named() -> None:
    data = {"site": {"id": "s1"}, "memory": {"arena_max": 65, "trim_every_s": -1},
            "banks": [{"id": "A", "driver": "sim", "compartments": [{"id": "A-01", "size": "S"}]}]}
    with pytest.raises(ConfigError) as exc:
        parse_config(data, "site.toml")
    keys = {key for key, _ in exc.value.problems}
    assert keys == {"memory.arena_max", "memory.trim_every_s"}, exc.value.problems
