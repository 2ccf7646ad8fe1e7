"""GPIO lock bank: one relay output and (optionally) one door reed switch per compartment.

Per compartment, ``relay_pin`` drives a gpiozero ``DigitalOutputDevice`` (off at start, never on at
boot) and ``sensor_pin`` a ``DigitalInputDevice`` with the pull-up on and a bounce time. The pin
factory is injected (``MockFactory`` in tests and in ``simulate --hardware gpio``; gpiozero's default,
lgpio on a Pi 5, otherwise).

Options (``[banks.options]``):
* ``relay_active_high`` (bool, default true): most opto-isolated relay boards are active-low; set false.
* ``sensor_closed_when_active`` (bool, default true): with the pull-up, a closed reed pulls the pin low,
  which gpiozero reports as active.
* ``sensor_pull_up`` (bool, default true), ``bounce_ms`` (default 20).

A pulse switches the relay on at once and a timer thread switches it off after ``doors.pulse_ms``, so
the relay drops even if the event loop stalls. Edges from gpiozero's thread hop to the loop with ``call_soon_threadsafe``; a poll every
``doors.poll_interval_s`` catches any edge that was missed. Only changes are reported.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from typing import Any

from gpiozero import DigitalInputDevice, DigitalOutputDevice
from gpiozero.exc import GPIOZeroError
from pydantic import Field, StrictBool

from drivers.locks.base import BankHealth, DoorChange, DoorListener, DoorState, LockBank, LockBankError
from drivers.locks.serial_bank import parse_options
from drivers.options import DriverOptions, IntOption

log = logging.getLogger(__name__)


class GpioOptions(DriverOptions):
    """``[banks.options]`` of the gpio driver."""

    relay_active_high: StrictBool = Field(True, description="false for the usual active-low relay boards")
    sensor_closed_when_active: StrictBool = Field(True, description="a closed reed reads active")
    sensor_pull_up: StrictBool = True
    bounce_ms: IntOption = Field(20, ge=0, le=1000)
    emulated_pins: str | None = Field(None, description="name of an emulated cabinet (lockerd simulate)")


class GpioLockBank(LockBank):
    known_options = set(GpioOptions.model_fields)

    def __init__(self, bank: Any, doors: Any, clock: Any, *, pin_factory: Any = None) -> None:
        super().__init__(bank.id, [c.id for c in bank.compartments])
        self._factory = pin_factory
        self._clock = clock
        opts = parse_options(bank.id, GpioOptions, dict(bank.options))
        self.relay_active_high = opts.relay_active_high
        self.closed_when_active = opts.sensor_closed_when_active
        self.pull_up = opts.sensor_pull_up
        self.bounce_s = opts.bounce_ms / 1000 or None
        self.pulse_s = int(doors.pulse_ms) / 1000
        self.poll_interval_s = float(doors.poll_interval_s)
        self._relay_pins = {c.id: c.relay_pin for c in bank.compartments}
        self._sensor_pins = {c.id: c.sensor_pin for c in bank.compartments if c.sensor_pin is not None}
        self.has_sensors = len(self._sensor_pins) == len(self.compartments)
        self._relays: dict[str, DigitalOutputDevice] = {}
        self._sensors: dict[str, DigitalInputDevice] = {}
        self._states: dict[str, DoorState] = dict.fromkeys(self.compartments, DoorState.UNKNOWN)
        self._listener: DoorListener | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._error = ""
        self._timers: dict[str, threading.Timer] = {}
        self._timer_lock = threading.Lock()

    # --- LockBank -----------------------------------------------------------------------------
    async def start(self, on_change: DoorListener) -> None:
        self._loop = asyncio.get_running_loop()
        try:
            for cid, pin in self._relay_pins.items():
                # initial_value=False: the relay is off from the moment the pin is claimed
                self._relays[cid] = DigitalOutputDevice(
                    pin, active_high=self.relay_active_high, initial_value=False, pin_factory=self._factory
                )
            for cid, pin in self._sensor_pins.items():
                dev = DigitalInputDevice(
                    pin, pull_up=self.pull_up, bounce_time=self.bounce_s, pin_factory=self._factory
                )
                dev.when_activated = self._edge_handler(cid)
                dev.when_deactivated = self._edge_handler(cid)
                self._sensors[cid] = dev
        except (GPIOZeroError, ValueError, OSError) as exc:
            # like a missing serial adapter: the daemon still starts, health says why, opens fail
            self._error = f"GPIO setup failed: {exc}"
            self._close_devices()
            log.error("bank %s: %s", self.bank_id, self._error)
            return
        for cid in self._sensors:
            self._states[cid] = self._read(cid)
        self._listener = on_change
        self._task = asyncio.create_task(self._poll_loop(), name=f"poll gpio bank {self.bank_id}")

    async def stop(self) -> None:
        self._listener = None
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.wait({task}, timeout=2.0)
        self._close_devices()

    async def open(self, compartment: str) -> None:
        relay = self._relays.get(compartment)
        if relay is None:
            if compartment in self._relay_pins:
                raise LockBankError(f"bank {self.bank_id} is not usable: {self._error or 'not started'}")
            raise LockBankError(f"compartment {compartment} is not on bank {self.bank_id}")
        try:
            # fired whatever the sensor says; a timer thread (not the event loop) ends the pulse, so a
            # stalled loop cannot hold a lock energised
            relay.on()
        except GPIOZeroError as exc:
            raise LockBankError(f"relay for {compartment} failed: {exc}") from exc
        with self._timer_lock:
            old = self._timers.pop(compartment, None)
            if old is not None:
                old.cancel()
            timer = threading.Timer(self.pulse_s, self._pulse_end, args=(compartment, relay))
            timer.daemon = True
            self._timers[compartment] = timer
        timer.start()
        log.info("bank %s: relay pulsed for %s", self.bank_id, compartment)

    def _pulse_end(self, compartment: str, relay: DigitalOutputDevice) -> None:
        with self._timer_lock:
            self._timers.pop(compartment, None)
        try:
            relay.off()
        except (GPIOZeroError, OSError) as exc:  # closed by stop() meanwhile: it is off already
            log.debug("relay %s off after pulse: %s", compartment, exc)

    def door_states(self) -> dict[str, DoorState]:
        return dict(self._states)

    def health(self) -> BankHealth:
        ok = not self._error and bool(self._relays)
        return BankHealth(ok, self._error or ("ok" if ok else "not started"), {})

    def probe(self) -> list[Any]:
        """Claim every pin (relays off), read the doors, release: for `lockerd doctor`."""
        from drivers.diagnostics import Finding

        findings = []
        for cid, pin in self._relay_pins.items():
            try:
                dev = DigitalOutputDevice(pin, active_high=self.relay_active_high, initial_value=False,
                                          pin_factory=self._factory)
                dev.close()
            except (GPIOZeroError, ValueError, OSError) as exc:
                findings.append(Finding(f"{cid} relay pin {pin}", False, f"{exc} (busy if lockerd is running)"))
        states: dict[str, str] = {}
        for cid, pin in self._sensor_pins.items():
            try:
                dev = DigitalInputDevice(pin, pull_up=self.pull_up, pin_factory=self._factory)
                active = bool(dev.value)
                dev.close()
            except (GPIOZeroError, ValueError, OSError) as exc:
                findings.append(Finding(f"{cid} sensor pin {pin}", False, f"{exc} (busy if lockerd is running)"))
                continue
            states[cid] = "closed" if active == self.closed_when_active else "open"
        if not findings:
            opened = sorted(c for c, st in states.items() if st == "open")
            findings.append(Finding(f"bank {self.bank_id}", True,
                                    f"{len(self._relay_pins)} relays claimed off and released; "
                                    f"{len(states)} sensors, open: {opened or 'none'}"))
        return findings

    # --- doors --------------------------------------------------------------------------------
    def _read(self, cid: str) -> DoorState:
        try:
            active = bool(self._sensors[cid].value)
        except (GPIOZeroError, OSError):
            return DoorState.UNKNOWN
        return DoorState.CLOSED if active == self.closed_when_active else DoorState.OPEN

    def _edge_handler(self, cid: str) -> Any:
        def handler(*_args: Any) -> None:
            # gpiozero's thread (lgpio) or the caller's thread (MockFactory): hop to the loop
            loop = self._loop
            if loop is not None and not loop.is_closed():
                loop.call_soon_threadsafe(self._refresh, cid)

        return handler

    def _refresh(self, cid: str) -> None:
        if cid not in self._sensors:
            return
        new = self._read(cid)
        if new is self._states[cid]:
            return
        self._states[cid] = new
        if self._listener is not None:
            self._listener(DoorChange(cid, new, self.bank_id))

    async def _poll_loop(self) -> None:
        while True:
            await asyncio.sleep(self.poll_interval_s)
            for cid in list(self._sensors):
                self._refresh(cid)

    def _close_devices(self) -> None:
        with self._timer_lock:
            for timer in self._timers.values():
                timer.cancel()
            self._timers.clear()
        for relay in self._relays.values():
            with contextlib.suppress(Exception):
                relay.off()
                relay.close()
        for sensor in self._sensors.values():
            with contextlib.suppress(Exception):
                sensor.close()
        self._relays.clear()
        self._sensors.clear()

