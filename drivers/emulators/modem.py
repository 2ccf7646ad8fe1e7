"""A GSM modem emulator on a pty: the AT commands lockerd uses, answered as a real modem does.

AT, ATE0/ATE1 (echo), AT+CMEE, AT+CPIN? / AT+CPIN="...", AT+CMGF=1, AT+CSCS="GSM"|"UCS2", AT+CSMP, and
AT+CMGS="<da>" -> "> " prompt -> text up to Ctrl-Z (Esc cancels) -> "+CMGS: <mr>" OK. Received messages
are decoded (UCS-2 hex, concatenation headers) into `sent` and joined in `messages()`.

Faults: ``cms_errors`` (a list of +CMS ERROR codes for the next sends), ``no_reply`` (silent modem),
``pin`` (a SIM that asks for a PIN), and vanish()/reappear() (USB modem unplugged and plugged back).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from drivers.emulators.base import BoardEmulator


@dataclass
class SentPart:
    number: str
    charset: str
    dcs: int
    text: str
    ref: int | None = None
    total: int = 1
    seq: int = 1


@dataclass
class ModemState:
    echo: bool = True
    text_mode: bool = False
    charset: str = "GSM"
    fo: int = 17
    dcs: int = 0
    pin_ok: bool = True
    awaiting: str | None = None  # destination number while the > prompt is open
    mr: int = 0
    sent: list[SentPart] = field(default_factory=list)


class GsmModemEmulator(BoardEmulator):
    kind = "gsm-modem"

    def __init__(self, *, workdir: str | Path | None = None, name: str = "modem", pin: str = "") -> None:
        super().__init__([], transport="pty", workdir=workdir, name=name)
        self.pin = pin
        self.st = ModemState(pin_ok=not pin)
        self.cms_errors: list[int] = []
        self.commands: list[str] = []

    # --- framing: command lines end in CR; after the prompt, the text ends in Ctrl-Z or Esc --------------
    def extract(self, buf: bytes) -> tuple[bytes | None, bytes]:
        if self.st.awaiting is not None:
            for i, b in enumerate(buf):
                if b in (0x1A, 0x1B):
                    return buf[: i + 1], buf[i + 1:]
            return None, buf
        i = buf.find(b"\r")
        if i < 0:
            return None, buf
        line = buf[:i].lstrip(b"\n")
        return (line if line else b"\n"), buf[i + 1:]

    def respond(self, frame: bytes) -> bytes | None:
        st = self.st
        if st.awaiting is not None:
            return self._message(frame)
        line = frame.decode("ascii", "replace").strip()
        at = line.upper().find("AT")
        line = line[at:] if at > 0 else line  # a stray Esc or noise before the command is ignored
        if not line:
            return None
        self.commands.append(line)
        echo = (line + "\r").encode() if st.echo else b""
        return echo + self._command(line)

    def _ok(self, info: str = "") -> bytes:
        return (f"\r\n{info}\r\n" if info else "").encode() + b"\r\nOK\r\n"

    def _command(self, line: str) -> bytes:
        st = self.st
        up = line.upper()
        if up == "AT":
            return self._ok()
        if up in ("ATE0", "ATE1"):
            st.echo = up == "ATE1"
            return self._ok()
        if up.startswith("AT+CMEE="):
            return self._ok()
        if up == "AT+CPIN?":
            return self._ok("+CPIN: READY" if st.pin_ok else "+CPIN: SIM PIN")
        m = re.fullmatch(r'AT\+CPIN="?(\d+)"?', up)
        if m:
            if m.group(1) == self.pin:
                st.pin_ok = True
                return self._ok()
            return b"\r\n+CME ERROR: 16\r\n"
        if not st.pin_ok:
            return b"\r\n+CMS ERROR: 311\r\n"
        if up in ("AT+CMGF=1", "AT+CMGF=0"):
            st.text_mode = up.endswith("1")
            return self._ok()
        m = re.fullmatch(r'AT\+CSCS="(GSM|UCS2|IRA)"', up)
        if m:
            st.charset = m.group(1)
            return self._ok()
        m = re.fullmatch(r"AT\+CSMP=(\d+),(\d+),(\d+),(\d+)", up)
        if m:
            st.fo, st.dcs = int(m.group(1)), int(m.group(4))
            return self._ok()
        m = re.fullmatch(r'AT\+CMGS="([^"]+)"', line, flags=re.IGNORECASE)
        if m:
            if not st.text_mode:
                return b"\r\n+CMS ERROR: 304\r\n"
            da = m.group(1)
            if st.charset == "UCS2":
                try:
                    da = bytes.fromhex(da).decode("utf-16-be")
                except ValueError:
                    return b"\r\n+CMS ERROR: 304\r\n"
            st.awaiting = da
            return b"\r\n> "
        return b"\r\nERROR\r\n"

    def _message(self, frame: bytes) -> bytes | None:
        st = self.st
        number, st.awaiting = st.awaiting or "", None
        if frame.endswith(b"\x1b"):
            return self._ok()  # cancelled
        body = frame[:-1].decode("ascii", "replace")
        if self.cms_errors:
            return f"\r\n+CMS ERROR: {self.cms_errors.pop(0)}\r\n".encode()
        part = SentPart(number, st.charset, st.dcs, body)
        if st.charset == "UCS2" and st.dcs == 8:
            data = bytes.fromhex(body)
            if st.fo & 0x40 and data[:3] == b"\x05\x00\x03":
                part.ref, part.total, part.seq = data[3], data[4], data[5]
                data = data[6:]
            part.text = data.decode("utf-16-be")
        st.sent.append(part)
        st.mr = (st.mr + 1) % 256
        return self._ok(f"+CMGS: {st.mr}")

    # --- observation ------------------------------------------------------------------------------
    def messages(self) -> list[tuple[str, str]]:
        """(number, whole text) of each message, concatenated parts joined."""
        out: list[tuple[str, str]] = []
        pending: dict[tuple[str, int], list[SentPart]] = {}
        for p in self.st.sent:
            if p.ref is None or p.total == 1:
                out.append((p.number, p.text))
                continue
            key = (p.number, p.ref)
            pending.setdefault(key, []).append(p)
            if len(pending[key]) == p.total:
                parts = sorted(pending.pop(key), key=lambda x: x.seq)
                out.append((p.number, "".join(x.text for x in parts)))
        return out

    def power_cycle(self) -> None:
        """The modem restarted: echo on, PDU mode, PIN asked again."""
        with self.lock:
            sent = self.st.sent
            self.st = ModemState(pin_ok=not self.pin, sent=sent)
