"""Kiosk additions of the site directory: unit autocomplete for couriers, and a resident's refusal of a
damaged or unwanted parcel (China's locker rules). Same prefix and error shape as the kiosk API."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from edge.services import Services
from edge.services import directory as D
from edge.web.deps import kiosk_dep, services_dep
from edge.web.kiosk_api import Courier

router = APIRouter(prefix="/api/v1/kiosk", tags=["kiosk"])
Svc = Annotated[Services, Depends(services_dep)]
Kiosk = Annotated[str, Depends(kiosk_dep)]


class UnitsOut(BaseModel):
    directory: bool = Field(description="the site keeps a directory: unknown units are refused")
    units: list[str]


class RefuseIn(BaseModel):
    parcel_id: str = Field(min_length=1, max_length=64)
    code: str = Field(min_length=1, max_length=64)
    reason: Literal["damaged", "unwanted"]
    note: str = Field("", max_length=200)


class RefuseOut(BaseModel):
    parcel_id: str
    reason: str
    already: bool


@router.get("/units", response_model=UnitsOut, summary="Units matching what the courier typed (autocomplete)")
async def units(svc: Svc, who: Courier, q: Annotated[str, Query(max_length=32)] = "") -> dict[str, Any]:
    def fn(tx: Any) -> dict[str, Any]:
        on = D.in_use(tx)
        return {"directory": on, "units": D.suggest(tx, q, 6) if on else []}

    return await svc.directory.store.read(fn)


@router.post("/pickup/refuse", response_model=RefuseOut,
             summary="Resident refuses a parcel (damaged or unwanted): it stays stored, staff get a task")
async def refuse(body: RefuseIn, svc: Svc, kiosk: Kiosk) -> dict[str, Any]:
    return await svc.refusals.refuse(body.parcel_id, body.code, body.reason, kiosk=kiosk, note=body.note)
