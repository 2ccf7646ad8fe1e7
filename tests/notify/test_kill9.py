"""kill -9 between the commit of a message and its send (and during the send): the message is never lost,
and every send of it carries the same id."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO
from tests.notify.receiver import Receiver


def _start(data_dir: Path, url: str, later_s: float = 0, parcels: int = 1) -> tuple[subprocess.Popen[str], list[str]]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}
    p = subprocess.Popen([sys.executable, "-m", "tests.notify.child", str(data_dir), url, str(later_s), str(parcels)],
                         cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines: list[str] = []

    def read() -> None:
        assert p.stdout is not None
        for line in p.stdout:
            lines.append(line.strip())

    threading.Thread(target=read, daemon=True).start()
    return p, lines


def _wait(cond: Any, timeout: float = 30, what: str = "") -> Any:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = cond()
        if v:
            return v
        time.sleep(0.05)
    raise AssertionError(f"timed out: {what}")


def _kill9(p: subprocess.Popen[str]) -> None:
    p.send_signal(signal.SIGKILL)
    p.wait(10)


@pytest.mark.timeout(120)
def test_kill9_after_commit_before_any_send(tmp_path: Path) -> None:
    hold = threading.Event()
    seen: list[str] = []

    def refuse(r: Receiver, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
        seen.append(headers.get("idempotency-key", ""))
        if not hold.is_set():
            return 503, b"{}"
        return 200, b"{}"

    srv = Receiver(refuse).start()
    try:
        p, out = _start(tmp_path / "site", srv.url + "/hook")
        stored = _wait(lambda: next((ln for ln in out if ln.startswith("STORED")), None), what="stored")
        mid = stored.split()[1]
        _kill9(p)  # the message is committed; whatever was attempted was refused
        hold.set()
        p2, out2 = _start(tmp_path / "site", srv.url + "/hook", later_s=3600)
        try:
            _wait(lambda: seen and seen[-1] == mid and len(srv.requests) >= 1 and _sent(tmp_path, mid), what="delivered")
            assert set(seen) == {mid}
        finally:
            _kill9(p2)
    finally:
        hold.set()
        srv.stop()


@pytest.mark.timeout(120)
def test_kill9_during_the_send(tmp_path: Path) -> None:
    release = threading.Event()
    seen: list[str] = []
    first = threading.Event()

    def slow(r: Receiver, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
        seen.append(headers.get("idempotency-key", ""))
        if len(seen) == 1:
            first.set()
            release.wait(30)  # the first send never gets its answer: the process dies meanwhile
        return 200, b"{}"

    srv = Receiver(slow).start()
    try:
        p, out = _start(tmp_path / "site", srv.url + "/hook")
        assert first.wait(30), "no send"
        _kill9(p)
        p2, _ = _start(tmp_path / "site", srv.url + "/hook", later_s=3600)
        try:
            _wait(lambda: len(seen) >= 2, what="sent again after the restart")
            mid = _only_message(tmp_path)
            assert seen[0] == seen[1] == mid  # sent twice, never with a different id
            _wait(lambda: _sent(tmp_path, mid), what="marked sent")
        finally:
            _kill9(p2)
    finally:
        release.set()
        srv.stop()


@pytest.mark.timeout(150)
def test_kill9_before_the_fold_and_during_the_folded_send(tmp_path: Path) -> None:
    """Three stored messages under one code (ADR 0043). Killed while they wait in the merge window (before any
    fold), then again while the folded message is on the wire (after the fold's commit): the resident gets one
    message naming three parcels, every send of it with the first message's id, and never the other two."""
    release = threading.Event()
    seen: list[tuple[str, str]] = []
    first = threading.Event()

    def slow(r: Receiver, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
        import json

        seen.append((headers.get("idempotency-key", ""), json.loads(body)["text"]))
        if len(seen) == 1:
            first.set()
            release.wait(30)  # the process dies before this answer
        return 200, b"{}"

    srv = Receiver(slow).start()
    try:
        p, out = _start(tmp_path / "site", srv.url + "/hook", parcels=3)
        stored = _wait(lambda: next((ln for ln in out if ln.startswith("STORED")), None), what="stored")
        ids = stored.split()[1:]
        assert len(ids) == 3
        time.sleep(0.5)
        assert seen == []  # the clock stands inside the merge window
        _kill9(p)  # before the fold
        p2, _ = _start(tmp_path / "site", srv.url + "/hook", later_s=3600, parcels=3)
        assert first.wait(30), "no send after the restart"
        _kill9(p2)  # the fold is committed; its send never got an answer
        assert _states(tmp_path) == {ids[0]: "pending", ids[1]: "merged", ids[2]: "merged"}
        p3, _ = _start(tmp_path / "site", srv.url + "/hook", later_s=7200, parcels=3)
        try:
            _wait(lambda: len(seen) >= 2 and _sent(tmp_path, ids[0]), what="sent again and marked sent")
            assert {mid for mid, _ in seen} == {ids[0]}
            assert all("您的3件包裹" in text for _, text in seen), seen
            assert _states(tmp_path) == {ids[0]: "sent", ids[1]: "merged", ids[2]: "merged"}
        finally:
            _kill9(p3)
    finally:
        release.set()
        srv.stop()


def _states(tmp_path: Path) -> dict[str, str]:
    import sqlite3

    con = sqlite3.connect(tmp_path / "site" / "lockerd.db", timeout=10)
    try:
        return {str(r[0]): str(r[1]) for r in con.execute("SELECT id, state FROM messages")}
    finally:
        con.close()


def _only_message(tmp_path: Path) -> str:
    import sqlite3

    con = sqlite3.connect(tmp_path / "site" / "lockerd.db", timeout=10)
    try:
        rows = con.execute("SELECT id FROM messages").fetchall()
        assert len(rows) == 1, rows
        return str(rows[0][0])
    finally:
        con.close()


def _sent(tmp_path: Path, mid: str) -> bool:
    import sqlite3

    con = sqlite3.connect(tmp_path / "site" / "lockerd.db", timeout=10)
    try:
        row = con.execute("SELECT state FROM messages WHERE id = ?", (mid,)).fetchone()
        return bool(row) and row[0] == "sent"
    finally:
        con.close()
