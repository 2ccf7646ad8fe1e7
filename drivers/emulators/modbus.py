"""Emulator of Modbus RTU relay boards with digital inputs (Waveshare-style map, one slave per board).

Relays: FC05 coil ch, FC05 0x00FF (all), FC05 0x0200+ch "flash" (a pulse: the lock releases); FC01
reads coils, FC02 reads the door inputs (1 = door closed). An unknown slave stays silent; an
unsupported address gets exception 02, as real slaves do.
"""

from __future__ import annotations

from drivers.emulators.base import BoardEmulator, EmuDoor
from drivers.protocols import modbus_relay as mp
from drivers.protocols.common import FrameError


class ModbusRelayEmulator(BoardEmulator):
    kind = "modbus-relay"

    def __init__(self, doors: list[EmuDoor], **kwargs: object) -> None:
        super().__init__(doors, **kwargs)  # type: ignore[arg-type]
        self.coils: dict[tuple[int, int], bool] = {}

    def extract(self, buf: bytes) -> tuple[bytes | None, bytes]:
        return mp.extract_request(buf)

    def corrupt(self, reply: bytes) -> bytes:
        return reply[:-2] + bytes([reply[-2] ^ 0x5A, reply[-1]])

    def respond(self, frame: bytes) -> bytes | None:
        try:
            req = mp.decode_request(frame)
        except FrameError:
            return None
        slave = req.slave
        if slave not in self.boards():
            return None
        if req.function == mp.FC_WRITE_COIL:
            if req.address == mp.ALL_RELAYS:
                for ch in range(mp.CHANNELS):
                    self._set_coil(slave, ch, req.value == mp.COIL_ON)
            elif req.address < mp.CHANNELS and req.value in (mp.COIL_ON, mp.COIL_OFF):
                self._set_coil(slave, req.address, req.value == mp.COIL_ON)
            elif mp.FLASH_ON_BASE <= req.address < mp.FLASH_ON_BASE + mp.CHANNELS:
                self.unlock(slave, req.address - mp.FLASH_ON_BASE + 1)
            else:
                return mp.exception_reply(slave, req.function, 2)
            return frame  # FC05 echoes the request
        if req.function == mp.FC_READ_INPUTS:
            values = []
            for i in range(req.address, req.address + req.value):
                door = self.by_addr.get((slave, i + 1))
                values.append(door is None or not door.open)
            return mp.bits_reply(slave, req.function, values)
        if req.function == mp.FC_READ_COILS:
            values = [self.coils.get((slave, i), False) for i in range(req.address, req.address + req.value)]
            return mp.bits_reply(slave, req.function, values)
        return None

    def _set_coil(self, slave: int, ch: int, on: bool) -> None:
        was = self.coils.get((slave, ch), False)
        self.coils[(slave, ch)] = on
        if on and not was:
            self.unlock(slave, ch + 1)
