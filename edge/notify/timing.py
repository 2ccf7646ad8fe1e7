"""When a resident's message may leave: the merge window and quiet hours (ADR 0043, docs/notifications.md).

Two rules, applied once, when a message is queued (its ``next_at``):

1. **Merge window.** A message of a mergeable kind waits ``notify.merge_window_s`` so that the dispatcher can
   fold the same recipient's other messages of that kind (and code) into it (edge/notify/merge.py).
2. **Quiet hours.** A message of a kind in `QUIET_KINDS` that would leave inside ``notify.quiet_hours`` (site
   local time) waits for their end. Every other kind is urgent and goes at once. One exception: when the
   message tells the resident a deadline that falls before the delayed send time, it goes now (a resident told
   at 08:00 of a deadline of 07:00 has been told nothing).

The message's expiry counts from the time it may leave, not from when it was queued.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

#: kinds that wait for the end of quiet hours: nothing in them needs the resident tonight. A fee notice says a
#: charge starts later (its deadline: the fee's start, so one whose fee starts before the morning goes now)
QUIET_KINDS = frozenset({"reminder", "overdue", "notice", "moved", "disposed", "anomaly", "fee_notice"})
#: kinds the dispatcher folds (per recipient, language and code): "stored" only when codes are shared per unit
MERGE_KINDS = frozenset({"moved", "collected", "stored"})

#: edge.config.END_OF_DAY, a range's "24:00" (not imported at load: edge.config imports this package's config)
_END_OF_DAY = time.max

QUIET_HOURS_FORM = 'one range HH:MM-HH:MM in site local time, may run past midnight, e.g. "21:30-08:00" (empty: none)'


def quiet_range(text: str) -> tuple[time, time] | None:
    """``notify.quiet_hours`` as (start, end) local times, None when empty. The end may be before the start
    (the night). Typed like ``site.desk_hours`` (full-width digits and dashes read as ASCII, the same parser)."""
    from edge.config import (  # edge.config imports this package's config: not at load
        clock_range,
        desk_hours_text,
    )

    text = desk_hours_text(text)
    if not text:
        return None
    if "," in text:
        raise ValueError(f"{text!r} has more than one range: expected {QUIET_HOURS_FORM}")
    start, end = clock_range(text, QUIET_HOURS_FORM)
    if start == end or (start == time(0, 0) and end == _END_OF_DAY):  # all day: nothing would ever be sent
        raise ValueError(f"{text!r} starts and ends at the same time: expected {QUIET_HOURS_FORM}")
    return start, end


def quiet_end(at: datetime, quiet: tuple[time, time] | None, tz: ZoneInfo) -> datetime | None:
    """The end of the quiet hours `at` falls in (an aware datetime), or None when `at` is outside them.

    Computed on the local calendar day and then placed in `tz`, so "08:00" is 08:00 on the wall clock on a
    day the clocks change (a 23- or 25-hour night), not a fixed number of hours after the start."""
    if quiet is None:
        return None
    start, end = quiet
    local = at.astimezone(tz)
    now_t = local.time().replace(tzinfo=None)
    day = local.date()
    if end == _END_OF_DAY:  # "22:00-24:00": quiet to midnight, which is the next day's 00:00
        if now_t < start:
            return None
        return _at(day + timedelta(days=1), time(0, 0), tz, at)
    if start < end:  # inside one day, e.g. 01:00-06:00
        if not (start <= now_t < end):
            return None
        end_day = day
    elif now_t >= start:  # the evening part of a night range: it ends tomorrow
        end_day = day + timedelta(days=1)
    elif now_t < end:  # the early morning part: it ends today
        end_day = day
    else:
        return None
    return _at(end_day, end, tz, at)


def _at(day: date, wall: time, tz: ZoneInfo, at: datetime) -> datetime:
    # a wall time in a clock change's gap (none at these hours in practice) lands just after it
    out = datetime.combine(day, wall, tzinfo=tz)
    return out.astimezone(at.tzinfo) if at.tzinfo else out


@dataclass(frozen=True)
class SendTiming:
    """The site's `[notify]` timing: merge window (seconds, 0 = off) and quiet hours (None = none)."""

    merge_window_s: float = 0.0
    quiet: tuple[time, time] | None = None

    def plan(self, kind: str, now: datetime, tz: ZoneInfo, *, mergeable: bool,
             deadline: datetime | None = None) -> datetime:
        """When a message of `kind` queued at `now` may leave. `deadline`: a time the message tells the
        resident (collect by, pay from); a delay past it is not taken."""
        at = now + timedelta(seconds=self.merge_window_s) if mergeable and self.merge_window_s > 0 else now
        if kind in QUIET_KINDS:
            end = quiet_end(at, self.quiet, tz)
            if end is not None:
                if deadline is not None and deadline <= end:
                    return now  # the deadline falls in the quiet hours: late at night beats too late
                at = end
        return at

    def retry_at(self, kind: str, created: datetime, nxt: datetime, tz: ZoneInfo) -> datetime:
        """A retry of a quiet kind that would fall inside the quiet hours waits for their end, unless the message
        was queued inside them and sent anyway (the deadline rule): its deadline has not moved."""
        if kind not in QUIET_KINDS or quiet_end(created, self.quiet, tz) is not None:
            return nxt
        return quiet_end(nxt, self.quiet, tz) or nxt
