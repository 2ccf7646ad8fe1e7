"""The daemon's command line keeps out modules no daemon path uses (mem38, docs/performance.md): httpx's own
command-line client (rich, pygments), pydantic.v1 (FastAPI imports it only to refuse v1 models) and sqlite-utils
(click, pluggy, dateutil; built only on a Tx.db first use). Together 6.4 MB of the restart RSS."""

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
print(json.dumps({"loaded": loaded, "fastapi_ok": ok, "httpx_client": hasattr(httpx, "AsyncClient")}))
"""


def test_daemon_imports_leave_the_unused_modules_out() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got == {"loaded": [], "fastapi_ok": True, "httpx_client": True}


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
