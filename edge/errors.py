"""Domain errors: what a service refuses, with a stable code for APIs, MQTT results and the UI."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refusal a user or caller can act on. Never carries a traceback to the user.

    `code` is stable (snake_case) and part of the API contract; `message` is plain English;
    `status` is the HTTP status the web layer answers with; `extra` is merged into the JSON body.
    """

    def __init__(self, code: str, message: str, *, status: int = 400, **extra: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.extra = extra

    def as_dict(self) -> dict[str, Any]:
        return {"error": self.code, "message": self.message, **self.extra}


class NotFound(DomainError):
    def __init__(self, code: str, message: str, **extra: Any) -> None:
        super().__init__(code, message, status=404, **extra)


class Conflict(DomainError):
    def __init__(self, code: str, message: str, **extra: Any) -> None:
        super().__init__(code, message, status=409, **extra)
