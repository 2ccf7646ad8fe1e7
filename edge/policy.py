"""The storage policy: a typed, versioned document (site config, console, `policy.set` command).

Defaults follow DESIGN.md section 6. The rules engine (edge/rules/) reads only this model.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CategoryClock(_Strict):
    """Hours after storing at which a category is reminded / overdue (None = use the default)."""

    reminder_hours: list[float] | None = Field(None, description="reminders, hours after storing")
    overdue_hours: float | None = Field(None, gt=0, description="overdue after this many hours")


class StorageFee(_Strict):
    enabled: bool = False
    free_hours: float = Field(48, ge=0)
    fee_per_period: float = Field(1.0, ge=0, description="in the site's currency")
    period_hours: float = Field(24, gt=0)
    cap: float = Field(10.0, ge=0)
    currency: str = "CNY"


class PickupCodePolicy(_Strict):
    """Pickup codes and the guessing lockout. See docs/security.md for the arithmetic."""

    length: int = Field(10, ge=6, le=12, description="digits in a pickup code")
    share_per_unit: bool = Field(True, description="a unit's parcels stored together share one code")
    kiosk_attempts: int = Field(5, ge=1, le=20, description="wrong codes in a row before a kiosk locks")
    kiosk_lockout_s: float = Field(60, gt=0, description="first kiosk lockout; doubles each time")
    kiosk_lockout_max_s: float = Field(900, gt=0)
    site_bucket: int = Field(20, ge=1, description="site-wide wrong-code burst allowance")
    site_refill_per_hour: float = Field(2.0, gt=0, description="site-wide wrong codes allowed per hour, sustained")
    assumed_active_parcels: int = Field(500, ge=1, description="for the guessing bound")


class Policy(_Strict):
    version: int = Field(1, ge=1, description="policy documents only move forward")
    reminder_hours: list[float] = Field(default_factory=lambda: [24.0, 48.0])
    overdue_hours: float = Field(72, gt=0)
    fresh: CategoryClock = CategoryClock(reminder_hours=[4.0], overdue_hours=12)
    medicine: CategoryClock = CategoryClock(reminder_hours=[12.0], overdue_hours=None)
    valuable: CategoryClock = CategoryClock()
    oversize: CategoryClock = CategoryClock()
    locker_max_hours: float = Field(72, gt=0, description="after this, a 'move to the parcel room' task")
    unclaimed_working_days: int = Field(15, ge=1)
    notice_working_days: int = Field(3, ge=1)
    disposal_options: list[Literal["return_to_sender", "hand_over", "parcel_room"]] = Field(
        default_factory=lambda: ["return_to_sender", "hand_over"]
    )
    hold_max_days: int = Field(14, ge=0)
    vacation_max_days: int = Field(30, ge=0)
    storage_fee: StorageFee = StorageFee()
    pickup_code: PickupCodePolicy = PickupCodePolicy()
    personal_data_retention_days: int = Field(90, ge=1)
