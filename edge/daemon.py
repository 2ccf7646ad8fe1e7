"""The composition root: builds every part from the config, with its real type, and runs them in boot order.

Boot: config -> migrate -> drivers (all relays off, no opening) -> reconcile doors and unfinished
commands -> the parts (`_start_parts`: time sync, rules, tracking, alerts, cloud sync, notify, retention)
-> the web server (started by the CLI last). Stop in reverse.

Each part is an attribute of `Daemon` with its own class (`daemon.tracking: TrackingComponent | None`),
built in `_start_parts` with what it needs passed to its constructor. The store, the doors and the rules
are required, and so is cloud sync when the site config enables it: a failure stops the start with a
clear message. Any other part that fails is left out and recorded in `failed_parts` (name -> reason),
which `/healthz` and the console dashboard show (docs/decisions/0015-composition-root.md).
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import sqlite3
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from drivers.locks.base import LockBank, SimulatedDoors
from drivers.scanner.base import Scanner, ScanRejected, clean_scan
from edge import __version__
from edge.aio import cancel_and_wait
from edge.cli.backup import clean_temp_files
from edge.clock import Clock
from edge.config import ConfigError, SiteConfig
from edge.hub import Hub
from edge.instance import (
    Claim,
    HeldParcelsMark,
    StartRefused,
    check_database,
    claim,
    stamp_identity,
    write_identity,
)
from edge.policy import Policy
from edge.services import Services
from edge.services import compartments as comps
from edge.services.door_boot import reconcile_boot
from edge.services.notifier import Notifier
from edge.store.db import Store, StoreError

if TYPE_CHECKING:
    from cloudsync.sync import CloudSync
    from edge.alerts.component import AlertsComponent
    from edge.notify.component import NotifyComponent
    from edge.retention import RetentionComponent
    from edge.rules.component import RulesComponent
    from edge.timesync import TimeSyncWatcher
    from edge.tracking.component import TrackingComponent

log = logging.getLogger(__name__)


class Part(Protocol):
    """What the daemon asks of every part it runs."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    def status(self) -> dict[str, Any]: ...


P = TypeVar("P", bound=Part)


def load_secret(data_dir: Path, name: str = "secret.key") -> bytes:
    """A per-install random key kept in the data dir (mode 0600), never in the repo or logs."""
    path = data_dir / name
    if path.exists():
        return path.read_bytes()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key)
    return key


class Daemon:
    def __init__(
        self,
        config: SiteConfig,
        *,
        clock: Clock,
        data_dir: str | Path,
        simulated: bool = False,
        banks: list[LockBank] | None = None,
        scanner: Scanner | None = None,
        config_file: str = "<config>",
    ) -> None:
        self.config = config
        self.config_file = config_file
        self.clock = clock
        self.data_dir = Path(data_dir)
        self.simulated = simulated
        self.version = __version__
        self.boot_id = str(uuid.uuid4())
        self.started_monotonic = time.monotonic()
        self.hub = Hub()
        self.store = Store(self.data_dir / "lockerd.db", clock, config.site.id)
        self.banks: list[LockBank] = banks if banks is not None else []
        self.scanner = scanner
        # the parts, in start order (None: not configured here, or failed: see failed_parts)
        self.timesync: TimeSyncWatcher | None = None
        self._rules: RulesComponent | None = None
        self.tracking: TrackingComponent | None = None
        self.alerts: AlertsComponent | None = None
        self.cloud: CloudSync | None = None
        self.notify: NotifyComponent | None = None
        self.retention: RetentionComponent | None = None
        #: optional parts that failed to build or start: name -> the reason (shown in /healthz, the console)
        self.failed_parts: dict[str, str] = {}
        self._started: list[tuple[str, Part]] = []
        #: `lockerd simulate --hardware`: the protocol emulators' simulated doors; the simulated clock's saver
        self.sim_emulators: list[SimulatedDoors] = []
        self.persist_sim_clock: Callable[[], Awaitable[None]] | None = None
        self.ready = False
        self.notifier = Notifier(config.site.name, config.site.locale)
        self.notifier.policy_fn = self.policy
        self.notifier.site_name_en = config.site.name_en
        self.notifier.first_lang = config.site.language_list()[0]
        self.notifier.tz = ZoneInfo(config.site.timezone)
        self.notifier.desk = (config.site.desk_place, config.site.desk_place_en, config.site.desk_hours,
                              config.site.contact)
        self.notifier.desk_working_days_only = not config.site.desk_open_on_rest_days
        self.services: Services | None = None
        self.boot_report: dict[str, int] = {}
        self._maintenance: asyncio.Task[None] | None = None
        self._claim: Claim | None = None

    # --- policy -----------------------------------------------------------------------------------
    def policy(self) -> Policy:
        """The policy in force: the rules part's (set from HQ or the console), else the site config's."""
        if self._rules is not None:
            return self._rules.service.current_policy()
        return self.config.policy

    # --- the parts --------------------------------------------------------------------------------
    @property
    def rules(self) -> RulesComponent:
        """The rules part (required: a started daemon always has it)."""
        if self._rules is None:
            raise RuntimeError("the rules part is not started")
        return self._rules

    @property
    def components(self) -> dict[str, Part]:
        """The running parts by name, in start order (a read-only view for health and tests)."""
        return dict(self._started)

    def require_services(self) -> Services:
        if self.services is None:
            raise RuntimeError("the daemon is not started")
        return self.services

    # --- lifecycle --------------------------------------------------------------------------------
    async def start(self) -> None:
        t0 = time.monotonic()
        await self._open_store()
        secret = load_secret(self.data_dir)
        self.services = Services.build(
            self.store, self.clock, self.config.doors, self.hub, self.policy, self.notifier, secret
        )
        self.services.couriers.lang = self.config.site.locale
        await self.store.write(lambda tx: comps.sync_from_config(tx, self.config))
        if not self.banks:
            self.banks = self._build_banks()
        doors = self.services.doors
        for bank in self.banks:
            doors.attach(bank)
            await bank.start(doors.on_change)  # relays off; never an opening
        self.boot_report = await self.store.write(reconcile_boot)
        if any(self.boot_report.values()):
            log.warning("boot reconciliation: %s", self.boot_report)
        await doors.start()
        self._maintenance = asyncio.create_task(self.store.maintain(), name="wal-checkpoint")
        if self.scanner is None:
            self.scanner = self._build_scanner()
        if self.scanner is not None:
            await self.scanner.start(self.on_scan)
        await self._start_parts(self.services)
        self.ready = True
        doors.watch.ready()  # a stall from now on is a warning
        log.info("lockerd %s ready in %.2f s (site %s, %d doors)", self.version, time.monotonic() - t0,
                 self.config.site.id, len(doors.banks))

    async def _open_store(self) -> None:
        """One daemon per data dir (flock + pid file), then a database that is this locker's own."""
        self._claim = claim(self.data_dir)
        try:
            check_database(self.data_dir, self.store.path)
            clean_temp_files(self.data_dir / "backups", self.data_dir)
            try:
                self.store.open()
            except (sqlite3.Error, StoreError, OSError) as exc:
                raise StartRefused(
                    f"The database {self.store.path} cannot be opened or written ({exc}). lockerd will not "
                    f"start on it.\n数据库 {self.store.path} 无法打开或写入，lockerd 不会启动。"
                ) from None
            site_id = self.config.site.id
            ident = await self.store.write(lambda tx: stamp_identity(self.data_dir, tx, site_id))
            write_identity(self.data_dir, ident)
        except BaseException:
            if self.store._executor is not None:
                self.store.close()
            self._claim.release()
            self._claim = None
            raise

        def mark_db() -> None:
            async def write() -> None:
                try:
                    await self.store.write(lambda tx: tx.meta_set("has_held_parcels", "1"), durable=False, reserve=True)
                except Exception as exc:  # site.json has the mark already; the next start copies it in
                    log.warning("could not mark the database as having held parcels: %s", exc)

            try:
                asyncio.get_running_loop().create_task(write())
            except RuntimeError:
                pass

        self.store.event_listeners.append(HeldParcelsMark(self.data_dir, ident, mark_db))

    async def stop(self) -> None:
        self.ready = False
        await self._stop_parts()
        if self.scanner is not None:
            await self.scanner.stop()
        await cancel_and_wait([self._maintenance])
        self._maintenance = None
        if self.services is not None:
            await self.services.doors.stop()
        for bank in self.banks:
            try:
                await bank.stop()
            except Exception:
                log.exception("stopping bank %s failed", bank.bank_id)
        self.store.close()
        if self._claim is not None:
            self._claim.release()
            self._claim = None

    async def _start_parts(self, services: Services) -> None:
        """Build and start every part, in this order, each given exactly what it needs."""
        from edge.alerts.component import AlertsComponent
        from edge.notify.component import NotifyComponent
        from edge.retention import RetentionComponent
        from edge.rules.component import RulesComponent
        from edge.timesync import TimeSyncWatcher
        from edge.tracking.component import TrackingComponent, load_settings

        cfg = self.config
        if not self.simulated:  # the simulator's clock is always right
            self.timesync = await self._optional("timesync", lambda: TimeSyncWatcher(self.clock))
        self._rules = await self._required("rules", lambda: RulesComponent(
            cfg, self.store, self.clock, self.hub, services.notifier, services.doors))
        self.tracking = await self._optional("tracking", lambda: TrackingComponent(
            cfg.site, self.store, self.clock, load_settings(cfg, self.data_dir), services.parcels.expect,
            self.data_dir, services.notifier))
        self.alerts = await self._optional("alerts", lambda: AlertsComponent(cfg, self.store, self.clock))
        if cfg.cloud.enabled and cfg.cloud.broker:
            from cloudsync.sync import CloudSync  # paho and the sync machinery only when the cloud is on

            self.cloud = await self._required("cloud", lambda: CloudSync(self))
        self.notify = await self._optional("notify", lambda: NotifyComponent(
            cfg, self.store, self.clock, self.notifier, simulated=self.simulated, cloud_up=self.cloud_running))
        self.retention = await self._optional("retention", lambda: RetentionComponent(
            self.store, self.clock, self.policy))

    def cloud_running(self) -> bool:
        return bool(self.config.cloud.enabled and self.cloud is not None)

    async def _optional(self, name: str, build: Callable[[], P]) -> P | None:
        """Build and start an optional part; on failure record why and go on without it."""
        try:
            part = build()
            await part.start()
        except Exception as exc:
            log.warning("part %s failed to start; continuing without it", name, exc_info=True)
            self.failed_parts[name] = _reason(exc)
            return None
        self._started.append((name, part))
        return part

    async def _required(self, name: str, build: Callable[[], P]) -> P:
        """Build and start a required part; on failure stop what is running and refuse the start."""
        try:
            part = build()
            await part.start()
        except Exception as exc:
            log.exception("required part %s failed to start", name)
            reason = _reason(exc)
            await self.stop()
            raise StartRefused(
                f"The {name} part could not start ({reason}); lockerd will not run without it.\n"
                f"{_ZH_NAMES.get(name, name)}无法启动（{reason}），lockerd 不能在缺少它的情况下运行。"
            ) from None
        self._started.append((name, part))
        return part

    async def _stop_parts(self) -> None:
        started, self._started = self._started, []
        for name, part in reversed(started):
            try:
                await part.stop()
            except Exception:
                log.exception("stopping %s failed", name)

    def _build_banks(self) -> list[LockBank]:
        banks: list[LockBank] = []
        for bank_cfg in self.config.banks:
            if bank_cfg.driver == "sim":
                from drivers.locks.sim import SimLockBank

                banks.append(
                    SimLockBank(bank_cfg, self.config.doors, self.clock,
                                state_file=self.data_dir / f"sim-doors-{bank_cfg.id}.json")
                )
            else:
                from drivers.locks.base import LockBankError
                from drivers.locks.factory import create_bank

                try:
                    banks.append(create_bank(bank_cfg, self.config.doors, self.clock))
                except LockBankError as exc:
                    raise ConfigError(self.config_file, [(f"banks[{bank_cfg.id}]", str(exc))]) from None
        return banks

    def _build_scanner(self) -> Scanner | None:
        cfg = self.config.scanner
        if cfg.driver in ("none", "sim"):
            return None  # simulated scans arrive through the simulator API
        from drivers.scanner.factory import create_scanner

        try:
            return create_scanner(cfg)
        except ValueError as exc:
            raise ConfigError(self.config_file, [("scanner", str(exc))]) from None

    # --- scans ------------------------------------------------------------------------------------
    def on_scan(self, raw: str | bytes) -> str | None:
        """A barcode from any scanner: cleaned, then pushed to the kiosk live."""
        cfg = self.config.scanner
        try:
            text = clean_scan(raw, prefix=cfg.prefix, suffix=cfg.suffix, max_length=cfg.max_length)
        except ScanRejected as exc:
            log.info("scan rejected: %s", exc)
            self.hub.publish("scan_rejected", {"reason": str(exc)})
            raise
        self.hub.publish("scan", {"text": text})
        return text

    # --- health -----------------------------------------------------------------------------------
    def health(self) -> dict[str, Any]:
        banks = {b.bank_id: b.health().as_dict() for b in self.banks}
        comps_status: dict[str, Any] = {}
        for name, part in self._started:
            try:
                comps_status[name] = part.status()
            except Exception as exc:  # a status call must never break health
                comps_status[name] = {"error": str(exc)}
        store = self.store.space()
        ok = self.ready and all(b["online"] for b in banks.values()) and store["writable"]
        return {
            "status": "ok" if ok else ("starting" if not self.ready else "degraded"),
            "version": self.version,
            "site": self.config.site.id,
            "boot_id": self.boot_id,
            "simulated": self.simulated,
            "uptime_s": round(time.monotonic() - self.started_monotonic, 1),
            "banks": banks,
            "components": comps_status,
            "failed_parts": dict(self.failed_parts),
            "store": store,
            "doors_record_pending": sorted(self.services.doors.pending_records()) if self.services else [],
        }


#: the parts' names in the refusal's Chinese line
_ZH_NAMES = {"rules": "存放规则部分", "cloud": "云同步部分"}


def _reason(exc: BaseException) -> str:
    """One line for health and the log's summary: what was wrong, never a traceback."""
    if isinstance(exc, ValidationError):  # a settings file or section: name the fields
        text = "; ".join(f"{'.'.join(str(x) for x in e['loc']) or 'value'}: {e['msg']}" for e in exc.errors()[:3])
        return f"invalid {exc.title} ({text})"[:300]
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}"[:300] if text else type(exc).__name__
