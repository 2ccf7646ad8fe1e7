"""A driver that is not in lockerd, for tests/drivers/test_registry.py: its own module plus one
registration must be all it takes (docs/adding.md). It speaks the XOR 8A/80 protocol under a new name."""

from __future__ import annotations

from pydantic import Field

from drivers.emulators.xor8a import Xor8AEmulator
from drivers.locks.xor8a import Xor8ABank, Xor8AOptions


class AcmeOptions(Xor8AOptions):
    acme_mode: int = Field(1, ge=1, le=3, description="an option only this driver has")


class AcmeBank(Xor8ABank):
    options_model = AcmeOptions
    known_options = frozenset(AcmeOptions.model_fields)


class AcmeEmulator(Xor8AEmulator):
    kind = "acme-test"
