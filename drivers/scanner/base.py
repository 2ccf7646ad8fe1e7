"""Barcode scanner interface: a scanner delivers one decoded line per scan, already cleaned."""

from __future__ import annotations

import abc
from collections.abc import Callable

#: called on the loop with each clean scan; what it returns is ignored
ScanListener = Callable[[str], object]

#: a waybill is <= 40; a pickup QR payload LKP1:<site id, <= 64>:<code> up to ~100 (edge/notify/pickup_qr.py)
MAX_SCAN_LENGTH = 128


class ScanRejected(ValueError):
    """Input that is not a plausible barcode (too long, non-printable)."""


def clean_scan(raw: str | bytes, *, prefix: str = "", suffix: str = "", max_length: int = MAX_SCAN_LENGTH) -> str:
    """Turn one raw scanner line into a code, or raise ScanRejected with a plain reason.

    Control bytes (CR, LF, STX/ETX framing some scanners add) are stripped; anything else non-printable
    is refused rather than guessed at.
    """
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ScanRejected("scan is not valid UTF-8") from exc
    else:
        text = raw
    text = "".join(ch for ch in text if ch not in "\r\n\x02\x03\x00\t")
    if prefix and text.startswith(prefix):
        text = text[len(prefix) :]
    if suffix and text.endswith(suffix):
        text = text[: -len(suffix)]
    text = text.strip()
    if not text:
        raise ScanRejected("empty scan")
    if len(text) > max_length:
        raise ScanRejected(f"scan longer than {max_length} characters")
    if not text.isprintable():
        raise ScanRejected("scan contains non-printable characters")
    return text


class Scanner(abc.ABC):
    @abc.abstractmethod
    async def start(self, on_scan: ScanListener) -> None:
        """Begin delivering scans to `on_scan` on the event loop."""

    @abc.abstractmethod
    async def stop(self) -> None: ...
