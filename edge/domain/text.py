"""Free text from outside (couriers, staff, HQ, residents): trimmed, printable, of a bounded length.

Every free-text field a service stores or sends on has a limit here or at its own call site; a
200,000-character carrier name must not reach the database, the outbox or a resident's phone.
"""

from __future__ import annotations

from edge.errors import DomainError

CARRIER_MAX = 32
REASON_MAX = 500
NAME_MAX = 64


def check_text(value: object, field: str, max_len: int, *, required: bool = True, multiline: bool | None = None) -> str:
    """The value trimmed; 422 when missing (if required), too long, or carrying control characters
    (line breaks and tabs are allowed in reasons: `multiline`, default for fields named "reason")."""
    if multiline is None:
        multiline = field == "reason"
    allowed = "\n\t\r" if multiline else ""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise DomainError("invalid_" + field, f"{field} must be text", status=422)
    text = value.strip()
    if required and not text:
        raise DomainError(field + "_required", f"{field} is required", status=422)
    if len(text) > max_len:
        raise DomainError("invalid_" + field, f"{field} is at most {max_len} characters", status=422)
    if any((ord(ch) < 0x20 and ch not in allowed) or ord(ch) == 0x7F for ch in text):
        raise DomainError("invalid_" + field, f"{field} must not contain control characters", status=422)
    return text
