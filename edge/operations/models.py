"""The input model of each operation: strict types, limits and a description on every field.

docs/schemas/cmd.json and the command part of docs/asyncapi.yaml are generated from these (and from
the directory's models in edge/services/unit_rows.py): `python -m edge.operations.schema --write`."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints, field_validator, model_validator

from edge.clock import parse_iso
from edge.domain.vocab import CategoryName
from edge.operations.base import OpModel

Compartment = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=16),
                        Field(description="compartment id, bank letter + number, e.g. A-07")]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500),
                   Field(description="why (audited with the actor)")]
Operator = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64),
                     Field(description="the HQ operator; the actor is recorded as hq:<operator>")]
TrackingNumber = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64),
                           Field(description="the carrier's tracking number")]
Unit = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32),
                 Field(description="the recipient's unit (房号), e.g. 3-1202")]
IsoTime = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


def _iso(v: str | None) -> str | None:
    if v is not None:
        parse_iso(v)  # ValueError: the field's refusal names the problem
    return v


class DoorOpen(OpModel):
    """`door.open`: open one door now (HQ remote open). Audited as hq:<operator> with the reason."""

    compartment: Compartment
    reason: Reason
    operator: Operator


class CompartmentChange(OpModel):
    """`compartment.disable` / `compartment.enable`: take a compartment out of service or back."""

    compartment: Compartment
    reason: Reason
    operator: Operator | None = None


class ParcelExpect(OpModel):
    """`parcel.expect`: pre-register a parcel for a unit (idempotent per tracking number)."""

    tracking_number: TrackingNumber
    unit: Unit
    carrier: Annotated[str, StringConstraints(min_length=1, max_length=32)] | None = Field(
        None, description="carrier code, e.g. sf; detected from the number when absent")
    phone_tail: Annotated[str, StringConstraints(min_length=1, max_length=8)] | None = Field(
        None, description="last 4 digits of the recipient's phone")
    category: CategoryName | None = Field(None, description="parcel category; default normal")
    expected_by: IsoTime | None = Field(None, description="ISO 8601 day (YYYY-MM-DD) or time with zone it should arrive by")
    cross_border: bool = Field(False, description="an international parcel (customs milestones apply)")
    operator: Operator | None = None

    @field_validator("expected_by")
    @classmethod
    def _expected_by(cls, v: str | None) -> str | None:
        if v is not None and "T" not in v:
            date.fromisoformat(v)  # a day (the console's date picker), as the parcel service takes it
            return v
        return _iso(v)


class ParcelHold(OpModel):
    """`parcel.hold`: pause a parcel's storage clock until a time (one of parcel_id, tracking_number)."""

    model_config = ConfigDict(json_schema_extra={"anyOf": [
        {"required": ["parcel_id"], "properties": {"parcel_id": {"type": "string"}}},
        {"required": ["tracking_number"], "properties": {"tracking_number": {"type": "string"}}}]})

    parcel_id: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = Field(
        None, description="the site's parcel id")
    tracking_number: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = Field(
        None, description="the tracking number, when the parcel id is not known")
    until: IsoTime = Field(description="ISO 8601 UTC time the hold ends (in the future)")
    reason: Annotated[str, StringConstraints(max_length=200)] = Field("", description="why (audited)")
    operator: Operator | None = None

    @field_validator("until")
    @classmethod
    def _until(cls, v: str) -> str:
        return _iso(v) or v

    @model_validator(mode="after")
    def _one_ref(self) -> ParcelHold:
        if not (self.parcel_id or self.tracking_number):
            raise ValueError("data.parcel_id or data.tracking_number is required")
        return self

    @property
    def ref(self) -> str:
        return self.parcel_id or self.tracking_number or ""


class PolicySet(OpModel):
    """`policy.set`: a new storage policy document (DESIGN.md section 6); an older version is refused.
    Every other field is a policy setting, validated by the rules part."""

    model_config = ConfigDict(extra="allow")

    version: int = Field(description="the document's version: only a newer one replaces the policy")
    operator: Operator | None = None


class Resync(OpModel):
    """`resync`: put events from_seq..to_seq of a stream back into the outbox (sent again)."""

    from_seq: int = Field(ge=1, description="first seq to send again")
    to_seq: int | None = Field(None, ge=1, description="last seq to send again (included); none: up to the newest")
    stream: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = Field(
        None, description="default: the site's current stream")

    @model_validator(mode="after")
    def _range(self) -> Resync:
        if self.to_seq is not None and self.to_seq < self.from_seq:
            raise ValueError("data.to_seq must be an integer >= from_seq")
        return self


class TelemetryNow(OpModel):
    """`telemetry.now`: publish a telemetry document now; the result carries it."""


# --- kiosk operations (the kiosk API's request bodies, docs/openapi.json) ------------------------------
class DepositIn(OpModel):
    """A courier starts a deposit: a free door of the size (or larger) opens."""

    model_config = ConfigDict(extra="ignore")

    tracking_number: TrackingNumber
    size: Literal["S", "M", "L", "XL"] | None = Field(None, description="smallest size that fits; none: any")
    unit: Annotated[str, StringConstraints(max_length=32)] | None = Field(
        None, description="recipient's unit, when no expected parcel names it")
    phone_tail: Annotated[str, StringConstraints(max_length=8)] | None = Field(
        None, description="last 4 digits of the recipient's phone")
    category: CategoryName | None = Field(None, description="parcel category; default normal")
    low_door: bool = Field(False, description="the recipient needs a door within reach")


class PickupIn(OpModel):
    """A resident enters a pickup code: the doors of the code's parcels open."""

    code: Annotated[str, StringConstraints(min_length=1, max_length=64)] = Field(description="the pickup code")
