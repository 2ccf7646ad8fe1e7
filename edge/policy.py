"""The storage policy: a typed, versioned document (site config, console, `policy.set` command).

Defaults follow DESIGN.md section 6. The rules engine (edge/rules/) reads only this model; the keys,
their defaults and their meaning are listed in docs/rules.md.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from edge.domain.vocab import CATEGORIES, CategoryName

Category = CategoryName
DisposalHow = Literal["return_to_sender", "hand_over", "parcel_room"]


#: categories a courier may put in a locker by default (valuables go to the desk)
_LOCKER_DEFAULT: tuple[Category, ...] = tuple(c for c in CATEGORIES if c != "valuable")  # type: ignore[misc]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_hours(v: list[float] | None) -> list[float] | None:
    if v is None:
        return v
    if any(h <= 0 for h in v):
        raise ValueError("reminder hours must be greater than 0")
    if len(set(v)) != len(v):
        raise ValueError("reminder hours must not repeat")
    if len(v) > 10:
        raise ValueError("at most 10 reminders")
    return sorted(v)


class CategoryClock(_Strict):
    """Per-category clocks; None = use the site-wide default."""

    reminder_hours: list[float] | None = Field(None, description="reminders, hours after storing")
    overdue_hours: float | None = Field(None, gt=0, description="overdue after this many hours")
    locker_max_hours: float | None = Field(
        None, gt=0, description="hours in a locker before a 'move to the parcel room' task"
    )
    unclaimed_working_days: int | None = Field(None, ge=1, description="working days before the public notice")

    @field_validator("reminder_hours")
    @classmethod
    def _hours(cls, v: list[float] | None) -> list[float] | None:
        return _check_hours(v)


class StorageFee(_Strict):
    """Optional storage fee, off by default. Residents are told before it applies (`notice_hours`)."""

    enabled: bool = Field(False, description="charge for long storage")
    free_hours: float = Field(48, ge=0, description="storage hours free of charge")
    fee_per_period: float = Field(1.0, ge=0, description="in the site's currency")
    period_hours: float = Field(24, gt=0, description="a started period is charged in full")
    cap: float = Field(10.0, ge=0, description="most a parcel is ever charged")
    currency: str = Field("", pattern=r"^([A-Za-z]{3})?$",
                          description="ISO 4217 currency code; empty: the site's country's (holiday_calendar: HK ->"
                                      " HKD, CN -> CNY; edge/money.py)")
    notice_hours: float = Field(12, ge=0, description="a 'fee soon' message this long before the fee starts")


class PickupCodePolicy(_Strict):
    """Pickup codes and the guessing lockout. See docs/security.md for the arithmetic."""

    length: int = Field(10, ge=6, le=12, description="digits in a pickup code")
    share_per_unit: bool = Field(True, description="a unit's parcels stored together share one code")
    kiosk_attempts: int = Field(5, ge=1, le=20, description="wrong codes in a row before a kiosk locks")
    kiosk_lockout_s: float = Field(60, gt=0, description="first kiosk lockout; doubles each time")
    kiosk_lockout_max_s: float = Field(900, gt=0, description="longest kiosk lockout")
    site_bucket: int = Field(20, ge=1, description="site-wide wrong-code burst allowance")
    site_refill_per_hour: float = Field(2.0, gt=0, description="site-wide wrong codes allowed per hour, sustained")
    assumed_active_parcels: int = Field(500, ge=1, description="for the guessing bound")


class EffectiveClock(BaseModel):
    """The clocks that apply to one category once the defaults are filled in."""

    model_config = ConfigDict(frozen=True)

    reminder_hours: list[float]
    overdue_hours: float
    locker_max_hours: float
    unclaimed_working_days: int


#: category clocks that differ from the site-wide ones (DESIGN.md section 6)
_CATEGORY_DEFAULTS: dict[str, dict[str, object]] = {
    "fresh": {"reminder_hours": [4.0], "overdue_hours": 12, "locker_max_hours": 12},
    "medicine": {"reminder_hours": [12.0]},
}


_DEFAULT_DISPOSAL: list[DisposalHow] = ["return_to_sender", "hand_over"]


class Policy(_Strict):
    version: int = Field(1, ge=1, description="policy documents only move forward")
    reminder_hours: list[float] = Field(default_factory=lambda: [24.0, 48.0],
                                        description="reminders, storage hours after storing (all before overdue)")
    overdue_hours: float = Field(72, gt=0, description="a parcel is overdue after this many storage hours")
    fresh: CategoryClock = Field(CategoryClock.model_validate(_CATEGORY_DEFAULTS["fresh"]),
                                 description="clocks of fresh food")
    medicine: CategoryClock = Field(CategoryClock.model_validate(_CATEGORY_DEFAULTS["medicine"]),
                                    description="clocks of medicine")
    valuable: CategoryClock = Field(CategoryClock(), description="clocks of valuables")
    oversize: CategoryClock = Field(CategoryClock(), description="clocks of oversize parcels")
    locker_max_hours: float = Field(72, gt=0, description="after this, a 'move to the parcel room' task")
    unclaimed_working_days: int = Field(15, ge=1, description="working days after storing before the public notice")
    notice_working_days: int = Field(3, ge=1, description="length of the public notice, in working days")
    disposal_options: list[DisposalHow] = Field(default_factory=lambda: _DEFAULT_DISPOSAL.copy(),
                                                description="how this site may dispose of unclaimed parcels")
    hold_max_days: int = Field(14, ge=0, description="most a parcel's clock may be paused by holds, in total")
    vacation_max_days: int = Field(30, ge=0, description="longest vacation a unit may set at once")
    storage_fee: StorageFee = Field(StorageFee(), description="optional storage fee (off)")
    locker_categories: list[Category] = Field(
        default_factory=lambda: list(_LOCKER_DEFAULT),
        description="categories a courier may put in a locker; the others go to the parcel-room desk",
    )
    pickup_code: PickupCodePolicy = Field(PickupCodePolicy(), description="pickup codes and guessing lockouts")
    personal_data_retention_days: int = Field(
        90, ge=1, description="days after a parcel ends before its personal data is erased (docs/security.md)")
    sweep_interval_s: float = Field(60, ge=1, le=3600, description="how often the rules run")
    _clocks: dict[str, EffectiveClock] = PrivateAttr(default_factory=dict)

    @field_validator("reminder_hours")
    @classmethod
    def _hours(cls, v: list[float]) -> list[float]:
        return _check_hours(v) or []

    @model_validator(mode="before")
    @classmethod
    def _category_defaults(cls, data: object) -> object:
        """A category section given in part keeps that category's defaults for the keys it leaves out."""
        if isinstance(data, dict):
            for cat, default in _CATEGORY_DEFAULTS.items():
                given = data.get(cat)
                if isinstance(given, dict):
                    data = {**data, cat: {**default, **given}}
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Policy:
        if not self.disposal_options:
            raise ValueError("disposal_options needs at least one way to dispose of a parcel")
        for cat in CATEGORIES:
            c = self.clock(cat)  # type: ignore[arg-type]
            if c.reminder_hours and c.reminder_hours[-1] >= c.overdue_hours:
                raise ValueError(f"{cat}: reminders must come before overdue ({c.overdue_hours} h)")
        return self

    def clock(self, category: Category | str) -> EffectiveClock:
        """The clocks for a category (unknown categories get the defaults). Cached: the model is frozen."""
        cached = self._clocks.get(category)
        if cached is not None:
            return cached
        own: CategoryClock | None = getattr(self, category, None) if category in _CATS else None
        if not isinstance(own, CategoryClock):
            own = CategoryClock()
        eff = EffectiveClock(
            reminder_hours=list(own.reminder_hours if own.reminder_hours is not None else self.reminder_hours),
            overdue_hours=own.overdue_hours if own.overdue_hours is not None else self.overdue_hours,
            locker_max_hours=own.locker_max_hours if own.locker_max_hours is not None else self.locker_max_hours,
            unclaimed_working_days=(
                own.unclaimed_working_days
                if own.unclaimed_working_days is not None
                else self.unclaimed_working_days
            ),
        )
        self._clocks[category] = eff
        return eff


_CATS = frozenset(CATEGORIES) - {"normal"}
