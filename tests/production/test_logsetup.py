"""Logging: journald native protocol against a test socket, priority prefixes, masking."""

from __future__ import annotations

import io
import logging
import os
import socket
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest

from edge.logsetup import JournaldHandler, RedactFilter, redact, setup_logging, stderr_is_journal


def _parse(datagram: bytes) -> dict[str, str]:
    out: dict[str, str] = {}
    i = 0
    while i < len(datagram):
        nl = datagram.index(b"\n", i)
        line = datagram[i:nl]
        if b"=" in line:
            k, v = line.split(b"=", 1)
            out[k.decode()] = v.decode()
            i = nl + 1
        else:
            (size,) = struct.unpack("<Q", datagram[nl + 1 : nl + 9])
            out[line.decode()] = datagram[nl + 9 : nl + 9 + size].decode()
            i = nl + 9 + size + 1
    return out


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[tuple[socket.socket, str]]:
    path = str(tmp_path / "journal.sock")
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    s.settimeout(2)
    yield s, path
    s.close()


@pytest.fixture(autouse=True)
def restore_root() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for h in list(root.handlers):
        if h not in handlers:
            root.removeHandler(h)
            h.close()
    root.setLevel(level)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pickup code 123456 accepted", "pickup code ****56 accepted"),
        ("code=12345678", "code=******78"),
        ('{"courier_code": "987654321012"}', '{"courier_code": "**********12"}'),
        ("Code is 246810", "Code is ****10"),
        ("tracking SF1234567890123 stored", "tracking SF1234567890123 stored"),
        ("code for unit 1-101 is 123456 (parcel SF1234567890)", "code for unit 1-101 is ****56 (parcel SF1234567890)"),
        ("reissued codes 111222, 333444", "reissued codes ****22, ****44"),
        ("123456 is your code", "****56 is your code"),
        ("door A-07 opened by 1234567 staff", "door A-07 opened by 1234567 staff"),
        ("code 1234567890123 is too long", "code 1234567890123 is too long"),
        ("code 12345 too short", "code 12345 too short"),
        ("password=hunter2 user=admin", "password=*** user=admin"),
        ("Authorization: Bearer abc.def-ghi", "Authorization: Bearer ***"),
        ("token: 'xyz123'", "token: '***'"),
        ("key -----BEGIN PRIVATE KEY-----\nMIIabc\n-----END PRIVATE KEY----- end", "key [private key redacted] end"),
    ],
)
def test_redact(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_journald_fields(journal: tuple[socket.socket, str]) -> None:
    s, path = journal
    h = setup_logging("DEBUG", journald=True, socket_path=path)
    assert isinstance(h, JournaldHandler)
    log = logging.getLogger("edge.services.pickups")
    log.warning("wrong code %s at kiosk %s", "123456", "k1", extra={"journal": {"compartment": "A-07", "_PID": "1"}})
    f = _parse(s.recv(65536))
    assert f["MESSAGE"] == "wrong code ****56 at kiosk k1"
    assert f["PRIORITY"] == "4"
    assert f["SYSLOG_IDENTIFIER"] == "lockerd"
    assert f["LOGGER"] == "edge.services.pickups"
    assert f["CODE_FUNC"] == "test_journald_fields"
    assert f["COMPARTMENT"] == "A-07"
    assert "_PID" not in f  # trusted fields cannot be forged


def test_journald_multiline_and_exception(journal: tuple[socket.socket, str]) -> None:
    s, path = journal
    setup_logging("INFO", journald=True, socket_path=path)
    try:
        raise ValueError("bad code 55554444")
    except ValueError:
        logging.getLogger("x").exception("failed for code %s", "11112222")
    f = _parse(s.recv(65536))
    assert f["PRIORITY"] == "3"
    assert "Traceback" in f["MESSAGE"] and "\n" in f["MESSAGE"]
    assert "11112222" not in f["MESSAGE"] and "55554444" not in f["MESSAGE"]
    assert "******22" in f["MESSAGE"] and "******44" in f["MESSAGE"]


def test_debug_filtered_by_level(journal: tuple[socket.socket, str]) -> None:
    s, path = journal
    setup_logging("INFO", journald=True, socket_path=path)
    logging.getLogger("x").debug("hidden")
    logging.getLogger("x").info("shown")
    assert _parse(s.recv(65536))["MESSAGE"] == "shown"


def test_socket_gone_falls_back_to_prefixed_stderr(tmp_path: Path, journal: tuple[socket.socket, str]) -> None:
    s, path = journal
    buf = io.StringIO()
    setup_logging("INFO", journald=True, socket_path=path, stream=buf)
    s.close()
    os.unlink(path)
    logging.getLogger("a.b").error("door %s jammed", "A-01")
    assert buf.getvalue() == "<3>a.b: door A-01 jammed\n"


def test_journal_stream_prefix(tmp_path: Path) -> None:
    err = open(tmp_path / "stderr.txt", "w+")
    st = os.fstat(err.fileno())
    env = {"JOURNAL_STREAM": f"{st.st_dev}:{st.st_ino}"}
    assert stderr_is_journal(env, err)
    assert not stderr_is_journal({"JOURNAL_STREAM": "1:2"}, err)
    assert not stderr_is_journal({}, err)
    setup_logging("INFO", journald=True, socket_path=str(tmp_path / "none"), stream=err, env=env)
    logging.getLogger("edge.x").info("line one\nline two")
    logging.getLogger("edge.x").warning("pickup code 445566")
    err.seek(0)
    assert err.read().splitlines() == ["<6>edge.x: line one", "<6>line two", "<4>edge.x: pickup code ****66"]
    err.close()


def test_plain_stderr_and_idempotent(tmp_path: Path) -> None:
    buf = io.StringIO()
    setup_logging("INFO", journald=False, stream=buf)
    setup_logging("INFO", journald=False, stream=buf)
    logging.getLogger("p").info("code: 778899")
    lines = buf.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].endswith("p: code: ****99")
    with pytest.raises(ValueError):
        setup_logging("LOUD")


def test_filter_survives_bad_args() -> None:
    rec = logging.LogRecord("n", logging.INFO, __file__, 1, "x %s %s", ("only-one",), None)
    assert RedactFilter().filter(rec)
    assert "unformattable" in rec.getMessage()


def test_journald_auto_detect(journal: tuple[socket.socket, str]) -> None:
    s, path = journal
    buf = io.StringIO()
    h = setup_logging("INFO", socket_path=path, stream=buf, env={})
    assert not isinstance(h, JournaldHandler)
    h = setup_logging("INFO", socket_path=path, stream=buf, env={"INVOCATION_ID": "abc"})
    assert isinstance(h, JournaldHandler)


def test_a_failed_log_setup_is_said_not_hidden(monkeypatch: pytest.MonkeyPatch,
                                               caplog: pytest.LogCaptureFixture) -> None:
    """`lockerd`'s log setup fell back to plain stderr logging in silence when edge.logsetup failed (review of
    2026-12-08: `except Exception: pass`); the fallback now says why."""
    import edge.logsetup
    from edge.cli import main

    def broken(level: int) -> None:
        raise OSError("no journald socket")

    monkeypatch.setattr(edge.logsetup, "setup_logging", broken)
    with caplog.at_level(logging.WARNING, logger="edge.cli.main"):
        main.setup_logging("INFO")
    said = [r.getMessage() for r in caplog.records if r.name == "edge.cli.main"]
    assert said == ["the log setup failed (OSError: no journald socket); logging plainly to stderr"]
