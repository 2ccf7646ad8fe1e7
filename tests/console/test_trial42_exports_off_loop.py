"""Trial42: with a year of data (39,500 audit rows, 13,000 parcels) /audit.csv took 3.5 s to word, on the daemon's
event loop: /healthz waited 2.8 s behind it, and so would a resident's pickup. The exports are built off the loop."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from edge.web.console import exports
from tests.console.conftest import Console


@pytest.mark.parametrize("path", ["/audit.csv", "/parcels.csv"])
async def test_exports_are_built_off_the_event_loop(console: Console, monkeypatch: pytest.MonkeyPatch,
                                                    path: str) -> None:
    loop_thread = threading.get_ident()
    built_on: list[int] = []
    real = exports.csv_response

    def spy(*a: Any, **kw: Any) -> Any:
        built_on.append(threading.get_ident())
        return real(*a, **kw)

    monkeypatch.setattr(exports, "csv_response", spy)
    import edge.web.console.routes_admin as admin

    monkeypatch.setattr(admin, "csv_response", spy)
    client, _csrf = await console.as_user("admin")
    r = await client.get(path)
    assert r.status_code == 200 and r.text.startswith("\ufeff")
    assert built_on and all(t != loop_thread for t in built_on), "the CSV was worded on the event loop's thread"
