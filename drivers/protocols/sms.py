"""SMS over AT commands (3GPP TS 27.005 text mode), as pure functions over bytes and strings.

A message is sent as one or more parts. Plain text that the GSM 7-bit default alphabet can carry and that
fits 160 characters goes as one GSM part (``AT+CSCS="GSM"``, DCS 0). Anything else (Chinese, long text)
goes as UCS-2 (``AT+CSCS="UCS2"``, DCS 8): the text as hex of UTF-16BE, 70 units in one part, or 67 units
per part behind a concatenation header (UDH ``05 00 03 ref total seq``, first octet 0x51 via AT+CSMP), so
the phone shows one message. In UCS2 character set mode the destination number is UCS-2 hex too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CTRL_Z = b"\x1a"
ESC = b"\x1b"
#: first octet SMS-SUBMIT with a relative validity period; 0x51 adds UDHI (a user data header follows)
FO_PLAIN, FO_UDH = 17, 81
VP_4_DAYS = 167
DCS_GSM, DCS_UCS2 = 0, 8

# the GSM 03.38 basic set that is plain ASCII (no extension table characters such as [ ] { } ~ \ ^ |)
_GSM_ASCII = set("@$\n\r _!\"#%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
FINAL = re.compile(rb"(?:^|\r\n)(OK|ERROR|\+CMS ERROR: *\d+|\+CME ERROR: *[^\r\n]+)\r\n")
PROMPT = re.compile(rb"\r\n> ?$|^> ?$")

CMS_ERRORS = {
    38: "network out of order", 41: "temporary network failure", 42: "network congestion",
    47: "resources unavailable", 300: "modem failure", 301: "SMS service reserved", 302: "operation not allowed",
    304: "invalid text mode parameter", 310: "no SIM", 311: "SIM PIN required", 313: "SIM failure",
    314: "SIM busy", 322: "SIM memory full", 330: "SMSC address unknown", 331: "no network service",
    332: "network timeout", 500: "unknown error", 512: "message rejected",
}
#: errors that will not heal by retrying the same number (the number itself is refused)
PERMANENT_CMS = {1, 8, 10, 21, 27, 28, 29, 30, 50, 96, 304, 305}


@dataclass(frozen=True)
class Part:
    charset: str  # "GSM" or "UCS2"
    first_octet: int
    dcs: int
    payload: str  # what follows the prompt (before Ctrl-Z)


class AtError(Exception):
    """The modem answered ERROR, +CMS ERROR or +CME ERROR."""

    def __init__(self, line: str) -> None:
        super().__init__(line)
        self.line = line
        m = re.search(r"\+CMS ERROR: *(\d+)", line)
        self.cms = int(m.group(1)) if m else None

    @property
    def permanent(self) -> bool:
        return self.cms in PERMANENT_CMS

    def explain(self) -> str:
        if self.cms is not None:
            return f"+CMS ERROR {self.cms} ({CMS_ERRORS.get(self.cms, 'see 3GPP TS 27.005')})"
        return self.line


def gsm_ok(text: str) -> bool:
    return all(c in _GSM_ASCII for c in text)


def ucs2_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def ucs2_units(text: str) -> list[str]:
    """UTF-16 code units as 4-hex-digit groups, never splitting a surrogate pair between parts."""
    data = text.encode("utf-16-be")
    return [data[i:i + 2].hex().upper() for i in range(0, len(data), 2)]


def split(text: str, ref: int) -> list[Part]:
    """The parts of one message. `ref` (0-255) ties the parts of a concatenated message together."""
    if gsm_ok(text) and len(text) <= 160:
        return [Part("GSM", FO_PLAIN, DCS_GSM, text)]
    units = ucs2_units(text)
    if len(units) <= 70:
        return [Part("UCS2", FO_PLAIN, DCS_UCS2, "".join(units))]
    chunks: list[list[str]] = []
    cur: list[str] = []
    for u in units:
        high = 0xD800 <= int(u, 16) <= 0xDBFF
        if len(cur) >= 67 or (high and len(cur) >= 66):
            chunks.append(cur)
            cur = []
        cur.append(u)
    if cur:
        chunks.append(cur)
    if len(chunks) > 255:
        raise ValueError("message too long for one concatenated SMS")
    total = len(chunks)
    return [Part("UCS2", FO_UDH, DCS_UCS2, f"050003{ref & 0xFF:02X}{total:02X}{i + 1:02X}" + "".join(c))
            for i, c in enumerate(chunks)]


def number_for(charset: str, number: str) -> str:
    return ucs2_hex(number) if charset == "UCS2" else number


def cmd(text: str) -> bytes:
    return text.encode("ascii") + b"\r"


def extract_final(buf: bytes) -> tuple[bytes | None, bytes]:
    """A complete answer: everything up to and including the final result line (OK / ERROR / +CMS ERROR)."""
    m = FINAL.search(buf)
    if m is None:
        return None, buf
    return buf[: m.end()], buf[m.end():]


def extract_prompt_or_final(buf: bytes) -> tuple[bytes | None, bytes]:
    """After AT+CMGS: the "> " prompt, or an error line instead of it."""
    if PROMPT.search(buf):
        return buf, b""
    return extract_final(buf)


def check(answer: bytes) -> list[str]:
    """The information lines of an answer; raises AtError for an error result."""
    lines = [ln.strip() for ln in answer.decode("ascii", "replace").split("\r\n") if ln.strip()]
    if not lines:
        raise AtError("empty answer")
    last = lines[-1]
    if last != "OK":
        raise AtError(last)
    return [ln for ln in lines[:-1] if not ln.startswith("AT")]


def international(number: str, country_code: str) -> str:
    """+CCNNN form for the modem: numbers stored without + get the site's country code."""
    n = number.strip().replace(" ", "").replace("-", "")
    if n.startswith("+"):
        return n
    if n.startswith("00"):
        return "+" + n[2:]
    return f"+{country_code}{n.lstrip('0') if country_code != '86' else n}"
