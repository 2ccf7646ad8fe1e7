"""Working days per site: time zone + holiday calendar (China with its make-up working days).

Deadlines are computed in the site's local time and returned in UTC, so a deadline keeps its wall-clock
time across a daylight-saving change. Calendars come from installed packages:

* ``CN``: ``chinesecalendar`` (import ``chinese_calendar``), which knows the State Council's holidays and
  the make-up working days (调休) year by year. It is updated by upgrading the package
  (``pip install -U chinesecalendar``) once the next year's schedule is published (usually November).
* any other ISO country code (``DE``, ``GB``, ``US-CA``, ``DE-BY``...): ``holidays``; weekends are
  Saturday and Sunday.
* ``""`` or ``none``: weekends only.

A year the package does not know (or an unknown country) falls back to "Monday to Friday are working
days" and logs that once per calendar and year, so deadlines are never blocked, only less exact; for ``CN``
the fallback also leaves out the statutory holidays ``holidays`` computes for that year (no 调休 days).
The days the operator enters (``site.rest_days``, ``site.working_days``: the State Council's schedule before the
package knows it) win over all of these.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from edge.config import SiteInfo

log = logging.getLogger(__name__)


class WorkCalendar:
    def __init__(self, timezone: str = "Asia/Shanghai", holiday_calendar: str = "CN", desk_hours: str = "",
                 desk_open_on_rest_days: bool = False, rest_days: frozenset[date] = frozenset(),
                 working_days: frozenset[date] = frozenset()) -> None:
        from edge.config import desk_periods

        self.tz = ZoneInfo(timezone)
        #: the desk's (open, close) local times; empty: no desk hours, deadlines are not moved
        self.desk = desk_periods(desk_hours)
        #: `site.desk_open_on_rest_days`: the desk keeps its hours every day, not on working days only
        self.desk_every_day = desk_open_on_rest_days
        self.code = (holiday_calendar or "").strip().upper()
        #: `site.rest_days` / `site.working_days`: the schedule the operator entered, over the package's
        self.rest_days = rest_days
        self.working_days = working_days
        self._warned: set[int] = set()
        self._years: dict[int, Any] = {}
        self.is_working_day = lru_cache(maxsize=4096)(self._is_working_day)
        self.nth_working_day = lru_cache(maxsize=16384)(self._nth_working_day)

    def __repr__(self) -> str:
        return f"WorkCalendar({self.tz.key!r}, {self.code!r})"

    @classmethod
    def for_site(cls, site: SiteInfo) -> WorkCalendar:
        """The site's calendar as `[site]` configures it, the days the operator entered included."""
        from edge.config import calendar_days

        return cls(site.timezone, site.holiday_calendar, site.desk_hours, site.desk_open_on_rest_days,
                   calendar_days(site.rest_days), calendar_days(site.working_days))

    def entered(self, year: int) -> bool:
        """Whether the operator entered days of this year (`site.rest_days` / `site.working_days`)."""
        return any(d.year == year for d in self.rest_days | self.working_days)

    # --- days ------------------------------------------------------------------------------------
    def _fallback(self, year: int, why: str) -> None:
        if year not in self._warned:
            self._warned.add(year)
            if self.code == "CN":
                log.warning("holiday calendar CN has no data for %s (%s): counting Monday-Friday less the statutory"
                            " holidays (holidays package), without make-up working days; upgrade chinesecalendar",
                            year, why)
                return
            log.warning("holiday calendar %s has no data for %s (%s): counting Monday-Friday as working days",
                        self.code or "none", year, why)

    def _is_working_day(self, d: date) -> bool:
        if d in self.working_days:
            return True
        if d in self.rest_days:
            return False
        weekday = d.weekday() < 5
        if self.code in ("", "NONE"):
            return weekday
        if self.code == "CN":
            import chinese_calendar

            try:
                return bool(chinese_calendar.is_workday(d))
            except NotImplementedError as exc:
                if self.entered(d.year):  # the operator entered the State Council's schedule for it
                    statutory = self._holidays(d.year)
                    return weekday and (statutory is None or d not in statutory)
                # a year chinesecalendar does not know yet (2027 with 1.11): the statutory holidays the `holidays`
                # package computes (元旦, 春节, 清明, 劳动节, 端午, 中秋, 国庆, lunar dates included), without the
                # make-up working days (调休) only the State Council's schedule gives. Weekdays alone counted
                # 1 January 2027 a working day: a notice's deadline fell on 元旦 with the desk closed (trial38).
                self._fallback(d.year, str(exc))
                statutory = self._holidays(d.year)
                return weekday and (statutory is None or d not in statutory)
        holidays_of_year = self._holidays(d.year)
        if holidays_of_year is None:
            return weekday
        return weekday and d not in holidays_of_year

    def _holidays(self, year: int) -> Any:
        if year in self._years:
            return self._years[year]
        import holidays

        country, _, subdiv = self.code.partition("-")
        try:
            cal = holidays.country_holidays(country, subdiv=subdiv or None, years=year)
        except (NotImplementedError, KeyError, ValueError) as exc:
            self._fallback(year, f"unknown calendar: {exc}")
            cal = None
        self._years[year] = cal
        return cal

    def covers(self, year: int) -> bool:
        """Whether the installed package knows this year's holidays, or the operator entered its days (False:
        weekdays fallback)."""
        if self.code in ("", "NONE") or self.entered(year):
            return True
        if self.code == "CN":
            import chinese_calendar

            try:
                chinese_calendar.is_workday(date(year, 6, 1))
            except NotImplementedError:
                return False
            return True
        return self._holidays(year) is not None

    def local(self, t: datetime) -> datetime:
        return t.astimezone(self.tz)

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in (a, b]."""
        n, d = 0, a
        while d < b:
            d += timedelta(days=1)
            n += self.is_working_day(d)
        return n

    # --- deadlines -------------------------------------------------------------------------------
    def add_working_days(self, t: datetime, n: int) -> datetime:
        """The same local wall-clock time on the n-th working day after t's local date, in UTC.

        Stored on Friday 15:00 + 1 working day = Monday 15:00 (or later if Monday is a holiday); a
        Saturday made a working day (调休) counts. A wall-clock time that does not exist that day
        (spring-forward gap) moves forward by the gap.
        """
        if n < 0:
            raise ValueError("n must be 0 or more")
        local = self.local(t)
        return self.at_local(self.nth_working_day(local.date(), n), local.timetz().replace(tzinfo=None))

    def _nth_working_day(self, start: date, n: int) -> date:
        d, count, guard = start, 0, 0
        while count < n:
            d += timedelta(days=1)
            guard += 1
            if guard > 3660:
                raise ValueError("no working day found within 10 years")
            if self.is_working_day(d):
                count += 1
        return d

    def is_desk_day(self, d: date) -> bool:
        """Does the desk keep `desk_hours` on local date `d`: on working days, and on rest days only when
        `site.desk_open_on_rest_days` says so (ADR 0042; the kiosk, the hours residents read, deadlines)."""
        return self.desk_every_day or self.is_working_day(d)

    def desk_open_now(self, t: datetime) -> bool:
        """Is the desk staffed at `t`? No desk hours: always (nothing is said about them)."""
        from edge.config import END_OF_DAY

        if not self.desk:
            return True
        local = self.local(t)
        if not self.is_desk_day(local.date()):
            return False
        wall = local.timetz().replace(tzinfo=None)
        return any(start <= wall and (wall < end or end == END_OF_DAY) for start, end in self.desk)

    def desk_next_open(self, t: datetime) -> datetime | None:
        """The next opening of the desk after `t` (its local date and time), None without desk hours."""
        if not self.desk:
            return None
        local = self.local(t)
        d = local.date()
        wall = local.timetz().replace(tzinfo=None)
        for _ in range(3660):
            if self.is_desk_day(d):
                for start, _end in self.desk:
                    if d != local.date() or start > wall:
                        return self.at_local(d, start)
            d += timedelta(days=1)
        raise ValueError("no desk day found within 10 years")

    def desk_deadline(self, t: datetime) -> datetime:
        """A deadline a resident is told, moved into desk hours; never earlier than `t` (ADR 0042).

        Inside a desk period on a desk day (`is_desk_day`: a working day, or any day with
        `site.desk_open_on_rest_days`): unchanged. Otherwise: the close of the next desk period of a desk day
        that closes after `t` (03:38 -> 20:00 that day; 21:10 -> 20:00 the next working day; with
        "08:00-12:00,14:00-20:00", 12:30 -> 20:00). No desk hours configured: unchanged.
        """
        if not self.desk:
            return t
        local = self.local(t)
        d = local.date()
        wall = local.timetz().replace(tzinfo=None)
        for _ in range(3660):
            if self.is_desk_day(d):
                for start, end in self.desk:
                    if d == local.date() and start <= wall <= end:
                        return t
                    close = self.close_at(d, end)
                    if close >= t and (d != local.date() or wall < start):
                        return close
            d += timedelta(days=1)
        raise ValueError("no desk day found within 10 years")

    def close_at(self, d: date, end: time) -> datetime:
        """A desk period's close on local date `d`, in UTC: "24:00" (`END_OF_DAY`) is the next day's 00:00."""
        from edge.config import END_OF_DAY

        if end == END_OF_DAY:
            return self.at_local(d + timedelta(days=1), time(0, 0))
        return self.at_local(d, end)

    def at_local(self, d: date, wall: time) -> datetime:
        """A local date + wall time as UTC (times in a DST gap move forward by the gap)."""
        naive = datetime.combine(d, wall)
        aware = naive.replace(tzinfo=self.tz)
        utc = aware.astimezone(UTC)
        # a time in the spring-forward gap does not round-trip: zoneinfo used the offset before the gap
        if utc.astimezone(self.tz).replace(tzinfo=None) != naive:
            utc = aware.replace(fold=1).astimezone(UTC)
            utc = max(utc, aware.astimezone(UTC))
        return utc
