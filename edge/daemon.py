"""The composition root: builds every part from the config and runs them in the boot order.

Boot: config -> migrate -> drivers (all relays off, no opening) -> reconcile doors and unfinished
commands -> rules, tracking, cloud sync (optional components) -> the web server (started by the CLI
last). Stop in reverse.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import sqlite3
import time
import uuid
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from drivers.locks.base import LockBank
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
from edge.plugins import import_optional
from edge.policy import Policy
from edge.services import Services
from edge.services import compartments as comps
from edge.services.doors import reconcile_boot
from edge.services.notifier import Notifier
from edge.store.db import Store, StoreError

log = logging.getLogger(__name__)

#: optional parts, started in this order after the core (missing modules are skipped)
OPTIONAL_COMPONENTS = [
    "edge.timesync",
    "edge.rules.component",
    "edge.tracking.component",
    "edge.alerts.component",
    "cloudsync.component",
    "edge.notify.component",
    "edge.retention",
]


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
        self.components: dict[str, Any] = {}
        self.ready = False
        self.notifier = Notifier(config.site.name, config.site.locale)
        self.notifier.policy_fn = self.policy
        self.notifier.tz = ZoneInfo(config.site.timezone)
        self.services: Services | None = None
        self.boot_report: dict[str, int] = {}
        self._maintenance: asyncio.Task[None] | None = None
        self._claim: Claim | None = None

    # --- policy -----------------------------------------------------------------------------------
    def policy(self) -> Policy:
        rules = self.components.get("rules")
        current = getattr(getattr(rules, "service", None), "current_policy", None)
        if callable(current):
            try:
                return current()
            except Exception:
                log.exception("rules policy unavailable; using the site config's")
        return self.config.policy

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
        for name in OPTIONAL_COMPONENTS:
            await self._start_component(name)
        self.ready = True
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
        for name, comp in reversed(list(self.components.items())):
            try:
                await comp.stop()
            except Exception:
                log.exception("stopping %s failed", name)
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

    async def _start_component(self, module_name: str) -> None:
        try:
            module = import_optional(module_name)
        except Exception:
            log.warning("optional component %s failed to import", module_name, exc_info=True)
            return
        if module is None:
            return
        try:
            comp = module.create(self)
            if comp is None:
                return
            await comp.start()
        except Exception:
            log.warning("optional component %s failed to start; continuing without it", module_name, exc_info=True)
            return
        default = module_name.split(".")[-2] if module_name.endswith(".component") else module_name.split(".")[-1]
        name = getattr(comp, "name", default)
        if module_name == "cloudsync.component":
            name = "cloud"
        self.components[name] = comp

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
        try:
            from drivers.scanner.factory import create_scanner
        except ImportError:
            log.warning("scanner driver %s is not available", cfg.driver)
            return None
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
        for name, comp in self.components.items():
            status = getattr(comp, "status", None)
            if callable(status):
                try:
                    comps_status[name] = status()
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
            "store": store,
            "doors_record_pending": sorted(self.services.doors.pending_records()) if self.services else [],
        }
