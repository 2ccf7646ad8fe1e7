"""The daemon's command line keeps out modules no daemon path uses (mem38, docs/performance.md): httpx's own
command-line client (rich, pygments), pydantic.v1 (FastAPI imports it only to refuse v1 models) and sqlite-utils
(click, pluggy, dateutil; built only on a Tx.db first use), and httpx itself until an HTTP sender or poller
starts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

PROBE = r"""
import json, sys
from edge.cli.main import build_parser
build_parser()
import edge.runner, edge.daemon, edge.web.app  # what `lockerd run` and `simulate` import before serving
lazy = "httpx" not in sys.modules  # imported by the HTTP senders and pollers on first use only
import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel

class Body(BaseModel):
    code: str

app = FastAPI()

@app.post("/p")
def p(body: Body) -> dict[str, str]:
    return {"code": body.code}

ok = TestClient(app).post("/p", json={"code": "12"}).json() == {"code": "12"}
loaded = sorted(n for n in ("rich", "pygments", "sqlite_utils", "pluggy", "dateutil", "httpx._main", "pydantic.v1")
                if sys.modules.get(n) is not None)
print(json.dumps({"loaded": loaded, "fastapi_ok": ok, "httpx_lazy": lazy, "httpx_client": hasattr(httpx, "AsyncClient")}))
"""


def test_daemon_imports_leave_the_unused_modules_out() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got == {"loaded": [], "fastapi_ok": True, "httpx_lazy": True, "httpx_client": True}


def test_tx_db_still_builds_sqlite_utils_on_first_use(tmp_path: Path) -> None:
    probe = (
        "import sqlite3, sys\n"
        "from edge.clock import SimClock\n"
        "from edge.store.tx import Tx\n"
        "assert 'sqlite_utils' not in sys.modules\n"
        f"conn = sqlite3.connect({str(tmp_path / 't.db')!r})\n"
        "conn.execute('CREATE TABLE t (a)')\n"
        "tx = Tx(conn, SimClock(), 'site')\n"
        "tx.db['t'].insert({'a': 1})\n"
        "print(tx.db['t'].count)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "1"


def test_the_dummy_hash_costs_what_a_real_one_does() -> None:
    """An unknown user's login verifies against _DUMMY_HASH: it must carry the hasher's own parameters (else the
    login of a name that does not exist answers faster), and it is a constant, not hashed at every start."""
    import time

    from edge.services import staff

    assert not staff.needs_rehash(staff._DUMMY_HASH)
    assert staff.verify_password(None, "lockerd-no-such-user") is False  # verified, yet never a login
    real = staff.hash_password("correct horse 1")
    t = time.perf_counter()
    staff.verify_password(real, "wrong password")
    t_real = time.perf_counter() - t
    t = time.perf_counter()
    staff.verify_password(None, "wrong password")
    t_none = time.perf_counter() - t
    assert t_none > t_real / 3  # same work, measured loosely (a loaded machine)
