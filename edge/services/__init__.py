"""The service layer: the only writers. Kiosk, console, MQTT commands and rules all call these."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from edge.clock import Clock
from edge.config import DoorsConfig
from edge.hub import Hub
from edge.policy import Policy
from edge.services import login_counts
from edge.services.compartments import CompartmentService
from edge.services.couriers import CourierService
from edge.services.deposits import DepositService
from edge.services.desk import DeskService
from edge.services.directory import DirectoryService
from edge.services.doors import DoorService
from edge.services.notifier import Notifier
from edge.services.parcels import ParcelService
from edge.services.pickups import PickupService
from edge.services.refusals import RefusalService
from edge.services.restore_doors import RestoreDoorService
from edge.services.staff import StaffService
from edge.store.db import Store


@dataclass
class Services:
    doors: DoorService
    deposits: DepositService
    pickups: PickupService
    couriers: CourierService
    parcels: ParcelService
    compartments: CompartmentService
    desk: DeskService
    notifier: Notifier
    directory: DirectoryService
    refusals: RefusalService
    staff: StaffService
    restore_doors: RestoreDoorService

    @classmethod
    def build(
        cls,
        store: Store,
        clock: Clock,
        doors_cfg: DoorsConfig,
        hub: Hub,
        policy: Callable[[], Policy],
        notifier: Notifier,
        secret: bytes,
    ) -> Services:
        doors = DoorService(store, clock, doors_cfg, hub)
        return cls(
            doors=doors,
            deposits=DepositService(store, doors, notifier, policy),
            pickups=PickupService(store, doors, notifier, policy),
            couriers=CourierService(store, secret),
            parcels=ParcelService(store, policy, notifier),
            compartments=CompartmentService(store, doors.unavailable),
            desk=DeskService(store, notifier, policy),
            notifier=notifier,
            directory=DirectoryService(store, secret),
            refusals=RefusalService(store, notifier.lang),
            staff=StaffService(store, store.path.parent / login_counts.FILE_NAME),
            restore_doors=RestoreDoorService(store),
        )
