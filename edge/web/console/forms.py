"""A console form as an operation of the registry (edge/operations/registry.py): the form's fields are
parsed into the operation's model and the operation runs with the staff member as the actor. A bad
field is refused `invalid` naming the field; the route's `act` shows it as a flash message."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from edge import glossary
from edge.errors import DomainError
from edge.operations import Caller, Operation, Targets
from edge.services.staff import StaffUser
from edge.web.console.guard import actor
from edge.web.console.page import Ctx, form_value


def fields(form: Any, *names: str) -> dict[str, str]:
    """The named form fields that were filled in (trimmed); an empty field counts as left out."""
    return {n: v for n in names if (v := form_value(form, n))}


async def run_form(ctx: Ctx, op: Operation[Any], data: Mapping[str, Any], user: StaffUser, *,
                   confirmed: bool = False) -> Any:
    """Run `op` for a form post. An operation flagged `confirm` runs only once the route has seen the
    second screen's confirmation (`confirmed=True`)."""
    if user.role not in op.roles:
        raise DomainError("forbidden", "only an administrator may do this", status=403)
    if op.confirm and not confirmed:
        raise DomainError("confirm_required", "press the confirm button first", status=422)
    try:
        model = op.parse(data, prefix="")
    except DomainError as exc:
        raise _worded(exc) from None
    targets = Targets(services=ctx.services, rules=ctx.rules)
    return await op.run(targets, model, Caller(actor(user), "console"))


def _worded(exc: DomainError) -> DomainError:
    """A refused field under the code staff have words for (`unit_required`, `invalid_unit`...), so the
    flash message names the field in the staff's language; `invalid` when there is none."""
    field = str(exc.extra.get("field") or "")
    candidates = ([f"{field}_required"] if exc.extra.get("missing") else []) + [f"invalid_{field}"]
    for code in candidates:
        words = glossary.lookup("error", code) if field else None
        if words:
            detail = exc.message.partition(": ")[2] if not exc.extra.get("missing") else ""
            return DomainError(code, words[1] + (f" ({detail})" if detail else ""), status=422)
    return exc
