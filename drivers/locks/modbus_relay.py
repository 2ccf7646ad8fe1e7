"""Modbus RTU relay boards with digital inputs (e.g. Waveshare Modbus RTU Relay (D), 8 relays + 8 inputs).

Compartment ``board`` = Modbus slave address (1-247), ``lock`` = relay channel 1-8; door input = the
discrete input of the same channel (``input_offset`` shifts it). Framing, CRC and the 3.5-character
silence come from minimalmodbus, run on the bus thread with the bus's own port object.

Options:
* ``pulse`` ("flash" default | "coil"): "flash" asks the board for a hardware-timed pulse
  (FC05 at 0x0200+ch, value x 100 ms), so a crash cannot leave a lock energised; "coil" switches the
  coil on and off from the host, for boards without flash.
* ``closed_input`` (0 or 1, default 1): input value when the door is closed (reed closed to common).
* ``input_offset`` (default 0), ``reply_timeout_s``, ``retries``.
At start and stop all relays are switched off (coil 0x00FF = 0).
"""

from __future__ import annotations

import struct
import time
from typing import Any, Literal

import minimalmodbus
from pydantic import Field

from drivers.bus import BusRegistry, Link, ReplyTimeout
from drivers.locks.base import DoorState, LockBankError
from drivers.locks.serial_bank import Job, ReadJob, SerialBank, SerialOptions
from drivers.options import BitOption, IntOption
from drivers.protocols import modbus_relay as mp
from drivers.protocols.common import FrameError


def _instrument(link: Link, slave: int, timeout: float) -> minimalmodbus.Instrument:
    inst = minimalmodbus.Instrument(link.serial, slave)
    inst.serial.timeout = timeout
    inst.clear_buffers_before_each_transaction = True
    return inst


def _call(fn: Any) -> Any:
    """Map minimalmodbus's errors (subclasses of IOError) onto the bus's retry categories."""
    try:
        return fn()
    except minimalmodbus.NoResponseError as exc:
        raise ReplyTimeout(str(exc)) from exc
    except (minimalmodbus.InvalidResponseError, minimalmodbus.SlaveReportedException) as exc:
        raise FrameError(str(exc)) from exc


class ModbusRelayOptions(SerialOptions):
    """``[banks.options]`` of the modbus-relay driver."""

    pulse: Literal["flash", "coil"] = Field("flash", description="board-timed flash pulse, or coil on/off")
    closed_input: BitOption = Field(1, description="input value when the door is closed")
    input_offset: IntOption = Field(0, ge=0, description="first discrete input of channel 1")
    channels: IntOption = Field(mp.CHANNELS, ge=1, description="relay channels per board")


class ModbusRelayBank(SerialBank):
    options_model = ModbusRelayOptions
    known_options = frozenset(ModbusRelayOptions.model_fields)

    def __init__(self, bank: Any, doors: Any, clock: Any, *, buses: BusRegistry | None = None) -> None:
        super().__init__(bank, doors, clock, buses=buses)
        opts = self.opts
        assert isinstance(opts, ModbusRelayOptions)
        self.pulse_mode = opts.pulse
        self.closed_input = opts.closed_input
        self.input_offset = opts.input_offset
        self.channels = opts.channels
        for cid, (board, lock) in self._where.items():
            if not 1 <= board <= 247 or lock > self.channels:
                raise LockBankError(f"compartment {cid}: slave {board} channel {lock} is not a valid relay")

    def _read_job(self, board: int) -> ReadJob:
        count = max(lock for (b, lock) in self._at if b == board)

        def job(link: Link) -> dict[int, DoorState]:
            inst = _instrument(link, board, self.reply_timeout)
            values = _call(lambda: inst.read_bits(self.input_offset, count, functioncode=mp.FC_READ_INPUTS))
            return {
                lock: DoorState.CLOSED if values[lock - 1] == self.closed_input else DoorState.OPEN
                for (b, lock) in self._at
                if b == board
            }

        return job

    def _unlock_job(self, board: int, lock: int) -> Job:
        channel = lock - 1

        def job(link: Link) -> None:
            inst = _instrument(link, board, self.reply_timeout)
            if self.pulse_mode == "flash":
                units = mp.pulse_units(self.pulse_ms)
                # minimalmodbus's write_bit only sends FF00/0000; the flash value needs the raw FC05
                payload = struct.pack(">HH", mp.FLASH_ON_BASE + channel, units)
                _call(lambda: inst._perform_command(mp.FC_WRITE_COIL, payload))
            else:
                _call(lambda: inst.write_bit(channel, 1, functioncode=mp.FC_WRITE_COIL))
                time.sleep(self.pulse_ms / 1000)
                _call(lambda: inst.write_bit(channel, 0, functioncode=mp.FC_WRITE_COIL))
            link.last_write_at = time.perf_counter()

        return job

    def _all_off_job(self, board: int) -> Job | None:
        def job(link: Link) -> None:
            inst = _instrument(link, board, self.reply_timeout)
            payload = struct.pack(">HH", mp.ALL_RELAYS, mp.COIL_OFF)
            _call(lambda: inst._perform_command(mp.FC_WRITE_COIL, payload))

        return job
