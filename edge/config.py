"""Typed site configuration (TOML), with errors that name the file, the key and the reason."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from cloudsync.config import CloudSyncExtras
from drivers import registry
from drivers.reservations import reserve_hardware
from edge import hant
from edge.alerts.settings import AlertSettings
from edge.memory import MemoryConfig
from edge.notify.config import NotifyConfig
from edge.policy import Policy
from edge.secret_files import SECRET_FILE
from edge.tracking.settings import TrackingSettings
from edge.web.webconfig import WebConfig

CONFIG_VERSION = 1

Size = Literal["S", "M", "L", "XL"]
SIZE_ORDER: dict[str, int] = {"S": 0, "M": 1, "L": 2, "XL": 3}
#: a lock-bank driver registered in drivers/registry.py (sim, gpio, kerong-cu16, kerong-cu48, xor8a, modbus-relay)
DriverName = str


class HardwareClash(ValueError):
    """Two config keys claim one lock address or GPIO pin (drivers/reservations.py)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{key}: {why}" for key, why in problems))


class ConfigError(Exception):
    """A config file that cannot be used. `problems` is a list of (key, reason)."""

    def __init__(self, file: str, problems: list[tuple[str, str]]) -> None:
        self.file = file
        self.problems = problems
        super().__init__(self.explain())

    def explain(self) -> str:
        lines = [f"{self.file}: {len(self.problems)} problem(s)"]
        lines += [f"  {key or '(top level)'}: {reason}" for key, reason in self.problems]
        return "\n".join(lines)


DESK_HOURS_FORM = 'HH:MM-HH:MM, or several separated by commas, e.g. "08:00-12:00,14:00-20:00" (empty: no desk hours)'


def desk_hours_text(text: str) -> str:
    """The desk hours as typed, with a Chinese input method's full-width digits, colons, dashes, tildes and commas
    ("０８：００－２０：００", "08:00～20:00", "，") read as their ASCII forms (NFKC), surrounding spaces dropped."""
    return unicodedata.normalize("NFKC", text or "").strip()


#: a range's end "24:00": the end of the day (midnight after it), not 23:59 (a desk open 08:00-24:00 is open at
#: 23:59:30; a deadline told at its close is the next day's 00:00). Readers of a range's end compare with it
END_OF_DAY = time.max


def clock_range(part: str, form: str) -> tuple[time, time]:
    """One "HH:MM-HH:MM" range (normalised by desk_hours_text) as two local times; an end of "24:00" is
    `END_OF_DAY`. Shared by ``site.desk_hours`` and ``notify.quiet_hours``; errors say `form`, the expected form."""
    # ASCII digits only: \d would take other scripts' digits ("٨:00") as 8 o'clock
    m = re.fullmatch(r"([0-9]{1,2}):([0-9]{2})\s*[-~]\s*([0-9]{1,2}):([0-9]{2})", part)
    if not m:
        raise ValueError(f"{part!r} is not a time range: expected {form}")
    h1, m1, h2, m2 = (int(x) for x in m.groups())
    if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2):
        raise ValueError(f"{part!r} has a time that does not exist: expected {form}")
    return time(h1, m1), END_OF_DAY if h2 == 24 else time(h2, m2)


def desk_periods(text: str) -> list[tuple[time, time]]:
    """``site.desk_hours`` as sorted (open, close) local times. Empty text: no desk hours (always open)."""
    text = desk_hours_text(text)
    out: list[tuple[time, time]] = []
    for part in text.split(",") if text else []:
        part = part.strip()
        if not part:
            raise ValueError(f"{text!r} has an empty part between commas: expected {DESK_HOURS_FORM}")
        start, end = clock_range(part, DESK_HOURS_FORM)
        if end <= start:
            raise ValueError(f"{part!r} closes before it opens (overnight hours are not supported):"
                             f" expected {DESK_HOURS_FORM}")
        out.append((start, end))
    out.sort()
    for (_a, b), (c, _d) in zip(out, out[1:], strict=False):
        if c < b:
            raise ValueError(f"desk hours overlap ({text!r}): expected {DESK_HOURS_FORM}")
    return out


DAYS_FORM = 'dates as "2027-02-05" or ranges as "2027-02-05..2027-02-13"'


def calendar_days(items: list[str]) -> frozenset[date]:
    """`site.rest_days` / `site.working_days` as dates: each item a day ("2027-02-20") or a range of days
    ("2027-02-05..2027-02-13", both ends included); raises ValueError naming the item and the expected form."""
    out: set[date] = set()
    for item in items:
        first, sep, last = str(item).strip().partition("..")
        try:
            a = date.fromisoformat(first.strip())
            b = date.fromisoformat(last.strip()) if sep else a
        except ValueError:
            raise ValueError(f"{item!r} is not a day: expected {DAYS_FORM}") from None
        if b < a or (b - a).days > 366:
            raise ValueError(f"{item!r}: a range runs forward, at most a year: expected {DAYS_FORM}")
        out.update(a + timedelta(days=i) for i in range((b - a).days + 1))
    return frozenset(out)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SiteInfo(_Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", description="site id, also the MQTT client id")
    name: str = Field("Parcel lockers", description="the site's name on screens and in messages")
    name_en: str = Field("", description="the site's name in English messages and on English kiosk and console screens, e.g. Sunny Gardens for 阳光花园"
                                         " (empty: name is used)")
    timezone: str = Field("Asia/Shanghai", description="IANA time zone of the site's clocks and deadlines")
    locale: Literal["zh-CN", "en"] = Field("zh-CN", description="first language of screens and messages")
    holiday_calendar: str = Field("CN", description="CN (with make-up working days), or an ISO country code")
    languages: list[str] | None = Field(
        None, description="the languages the kiosk, the console and residents' messages offer, the first the"
        " default, from zh-CN (简体中文; also zh), zh-HK (繁體中文 as written in Hong Kong; also zh-Hant) and en, e.g."
        " [\"zh-HK\", \"en\", \"zh-CN\"] (a resident the directory gives no language reads the first); empty: locale,"
        " the other of zh-CN and en, and zh-HK at a site with timezone Asia/Hong_Kong or holiday_calendar HK"
        " (docs/decisions/0050-zh-hk-by-conversion.md)")
    contact: str = Field("", description="shown on the kiosk help screen and in messages sending a resident to the desk")
    desk_hours: str = Field("", description="when the parcel-room desk is staffed, HH:MM-HH:MM[,HH:MM-HH:MM] local time, e.g. 08:00-20:00 (kiosk dead ends, desk messages; deadlines residents are told end inside these hours)")
    desk_open_on_rest_days: bool = Field(
        False, description="the desk keeps desk_hours on rest days too (weekends and holidays of holiday_calendar);"
        " false: on working days only, and the kiosk, the hours residents read and their deadlines say so")
    rest_days: list[str] = Field(
        default_factory=list, description="days off the installed holiday calendar does not know yet, e.g. the State"
        " Council's schedule for a year chinesecalendar has no data for: [\"2027-02-05..2027-02-13\"] (days or"
        " ranges, local dates); they win over holiday_calendar (docs/rules.md)")
    working_days: list[str] = Field(
        default_factory=list, description="make-up working days (调休) the installed holiday calendar does not know"
        " yet, e.g. [\"2027-02-20\"]; they win over holiday_calendar and weekends")
    desk_place: str = Field("", description="where the parcel-room desk is, e.g. 1号楼大堂 (kiosk dead ends, desk messages)")
    desk_place_en: str = Field("", description="the same place in English for English screens, e.g. Building 1"
                                                " lobby (empty: desk_place is shown)")
    public_url: str = Field("", pattern=r"^(https?://[^\s/?#]+(/[^\s?#]*)?)?$",
                            description="an address residents' phones reach this locker's pickup page at, e.g."
                            " https://lockers.example.cn; when set, SMS messages carry a pickup QR link")

    @field_validator("desk_hours")
    @classmethod
    def _desk_hours(cls, v: str) -> str:
        desk_periods(v)  # raises ValueError naming the expected form
        return desk_hours_text(v)  # residents' messages show the hours in ASCII, as the desk's sign has them

    @field_validator("rest_days", "working_days")
    @classmethod
    def _days(cls, v: list[str]) -> list[str]:
        calendar_days(v)  # raises ValueError naming the item and the expected form
        return [str(x).strip() for x in v]

    @model_validator(mode="after")
    def _days_apart(self) -> SiteInfo:
        both = calendar_days(self.rest_days) & calendar_days(self.working_days)
        if both:
            raise ValueError(f"site.rest_days and site.working_days both name {min(both).isoformat()}")
        return self

    @field_validator("languages")
    @classmethod
    def _languages(cls, v: list[str] | None) -> list[str] | None:
        if v is None:
            return None
        out: list[str] = []
        for name in v:
            lang = hant.norm(name, "")
            if not lang:
                raise ValueError(f"unknown language {name!r}: expected zh-CN, zh-HK or en")
            if lang not in out:
                out.append(lang)
        return out or None

    def language_list(self) -> list[str]:
        """The languages offered, the first the default (`languages`, else by the site's place and locale)."""
        return hant.site_languages(self.languages, self.timezone, self.holiday_calendar, self.locale)

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {v!r}") from exc
        return v


class CompartmentConfig(_Strict):
    id: str = Field(pattern=r"^[A-Z]-\d{2,3}$", description="bank letter + number, e.g. A-07")
    size: Size = Field(description="door size, smallest to largest")
    height_cm: int = Field(100, ge=0, le=250, description="door bottom height; within reach when bottom and top are 38-122 cm")
    board: int | None = Field(None, ge=0, le=255, description="board address on the bus")
    lock: int | None = Field(None, ge=1, le=48, description="lock number on the board, 1-based")
    relay_pin: str | int | None = Field(None, description="GPIO relay pin (gpio driver)")
    sensor_pin: str | int | None = Field(None, description="GPIO door-sensor pin (gpio driver)")


class BankConfig(_Strict):
    id: str = Field(pattern=r"^[A-Z]$", description="bank letter, one capital")
    driver: DriverName = Field("sim", description="lock-board driver: sim, gpio, kerong-cu16, kerong-cu48, xor8a,"
                                                 " modbus-relay")
    port: str = Field("sim://", description="/dev/ttyUSB0, socket://host:port, or sim://")
    baud: int = Field(19200, description="serial speed")
    options: dict[str, Any] = Field(default_factory=dict, description="driver-specific settings")
    compartments: list[CompartmentConfig] = Field(min_length=1, description="the bank's doors")

    @field_validator("driver")
    @classmethod
    def _driver(cls, v: str) -> str:
        if v not in registry.DRIVERS:
            raise ValueError(f"unknown driver {v!r}; choose from {', '.join(registry.DRIVERS)}")
        return v

    @model_validator(mode="after")
    def _check(self) -> BankConfig:
        # a lock address or pin used twice is refused site-wide (SiteConfig._reserve), naming both keys
        addressing = registry.DRIVERS[self.driver].addressing
        for c in self.compartments:
            if not c.id.startswith(self.id + "-"):
                raise ValueError(f"compartment {c.id} does not belong to bank {self.id}")
            if addressing is registry.Addressing.BUS and (c.board is None or c.lock is None):
                raise ValueError(f"compartment {c.id}: driver {self.driver} needs board and lock")
            if addressing is registry.Addressing.PINS and c.relay_pin is None:
                raise ValueError(f"compartment {c.id}: driver {self.driver} needs relay_pin")
        return self


class ScannerConfig(_Strict):
    driver: str = Field("sim", description="none, sim or serial (drivers/registry.py)")
    port: str = Field("", description="serial scanner's device, e.g. /dev/ttyACM0")
    baud: int = Field(9600, description="serial speed")
    prefix: str = Field("", description="characters the scanner sends before a code (removed)")
    suffix: str = Field("", description="characters the scanner sends after a code (removed)")
    max_length: int = Field(128, ge=4, le=512, description="longest scan taken (a pickup QR payload is up to ~100)")

    @field_validator("driver")
    @classmethod
    def _driver(cls, v: str) -> str:
        if v not in registry.SCANNERS:
            raise ValueError(f"unknown scanner driver {v!r}; choose from {', '.join(registry.SCANNERS)}")
        return v

    @model_validator(mode="after")
    def _port(self) -> ScannerConfig:
        if registry.SCANNERS[self.driver].needs_port and not self.port:
            raise ValueError("a serial scanner needs port (e.g. /dev/ttyACM0)")
        return self


class DoorsConfig(_Strict):
    confirm_timeout_s: float = Field(3.0, gt=0, le=60, description="a door not seen open this long is jammed")
    left_open_after_s: float = Field(120, gt=0, description="raise door.left_open after this")
    poll_interval_s: float = Field(0.5, gt=0, le=10, description="how often door sensors are read")
    pulse_ms: int = Field(500, ge=50, le=5000, description="500 for solenoid, 1000 for motor locks")
    late_open_grace_s: float = Field(
        1.5, ge=0, le=30, description="after the confirm timeout, a door still seen opening this long after is the commanded open"
    )
    sensor_debounce_reads: int = Field(2, ge=1, le=10, description="serial banks: reads in a row that must agree")
    forced_open_alarm_every_s: float = Field(60, ge=0, description="at most one forced-open alarm per door this often")
    request_deadline_s: float = Field(
        10, gt=0, le=120, description="a pickup the process could not act on this soon (a freeze) is not acted on"
    )


class CloudConfig(_Strict):
    enabled: bool = Field(False, description="connect to HQ over MQTT")
    broker: str = Field("", description="mqtt://host:port or mqtts://host:port")
    ca_file: str = Field("", description="CA certificate file the broker is checked against")
    cert_file: str = Field("", description="this site's client certificate file")
    key_file: str = Field("", json_schema_extra=SECRET_FILE,
                          description="this site's private key file (mode 0600, or 0640 root:lockerd)")
    command_pubkeys: list[str] = Field(default_factory=list, description="PEM files of Ed25519 public keys")
    session_expiry_s: int = Field(7 * 24 * 3600, ge=60, description="the broker keeps the session this long offline")
    telemetry_interval_s: float = Field(60, ge=1, description="how often health telemetry is sent")
    outbox_window: int = Field(50, ge=1, le=1000, description="events in flight, not yet acknowledged")
    outbox_max_rows: int = Field(2_000_000, ge=1000, description="cap before telemetry is dropped")
    sync: CloudSyncExtras = Field(
        default_factory=CloudSyncExtras,
        description="cloud sync extras: retention, reconnect, staff alert webhooks (cloudsync/config.py)",
    )

    @field_validator("broker")
    @classmethod
    def _broker(cls, v: str) -> str:
        if v:
            from cloudsync.topics import parse_broker_url

            parse_broker_url(v)
        return v


class ConsoleConfig(_Strict):
    bind: str = Field("127.0.0.1", description="address the HTTP server listens on")
    port: int = Field(8080, ge=1, le=65535, description="HTTP port")
    session_hours: float = Field(12, gt=0, description="a staff login lasts this long")
    secure_cookies: bool = Field(False, description="set when the console is served over HTTPS")
    login_attempts: int = Field(5, ge=1, description="wrong passwords in a row before a lockout")
    login_lockout_s: float = Field(300, gt=0, description="how long a locked-out login waits")


class SiteConfig(_Strict):
    config_version: int = Field(CONFIG_VERSION, description="format version of this file")
    site: SiteInfo = Field(description="the site: name, clocks, desk")
    banks: list[BankConfig] = Field(min_length=1, description="lock banks, one per board chain or cabinet")
    scanner: ScannerConfig = Field(ScannerConfig(), description="barcode scanner")
    doors: DoorsConfig = Field(DoorsConfig(), description="door timing and alarms")
    policy: Policy = Field(Policy(), description="storage rules: reminders, overdue, fees, pickup codes (docs/rules.md)")
    cloud: CloudConfig = Field(CloudConfig(), description="MQTT link to HQ (off by default)")
    console: ConsoleConfig = Field(ConsoleConfig(), description="HTTP server: staff console, kiosk API")
    web: WebConfig = Field(default_factory=WebConfig, description="HTTP hardening (edge/web/webconfig.py)")
    tracking: TrackingSettings | None = Field(
        None, description="anomaly thresholds and playbooks (edge/tracking/settings.py); defaults when absent"
    )
    alerts: AlertSettings = Field(
        default_factory=AlertSettings,
        description="staff alerts to WeCom/DingTalk robots, with or without cloud sync (edge/alerts/settings.py)")
    notify: NotifyConfig = Field(
        default_factory=NotifyConfig, description="resident message channels (edge/notify/config.py)"
    )
    memory: MemoryConfig = Field(
        default_factory=MemoryConfig, description="glibc malloc tuning and trimming (edge/memory.py)"
    )
    data_dir: str = Field("/var/lib/lockerd", description="SQLite database and state")

    @field_validator("config_version")
    @classmethod
    def _version(cls, v: int) -> int:
        if v > CONFIG_VERSION:
            raise ValueError(f"config_version {v} is newer than this lockerd understands ({CONFIG_VERSION})")
        if v < 1:
            raise ValueError("config_version must be 1 or more")
        return v

    @model_validator(mode="after")
    def _unique(self) -> SiteConfig:
        banks: set[str] = set()
        doors: set[str] = set()
        ports: dict[str, str] = {}
        for b in self.banks:
            if b.id in banks:
                raise ValueError(f"bank {b.id} is defined twice")
            banks.add(b.id)
            if registry.DRIVERS[b.driver].addressing is registry.Addressing.BUS:
                if b.port in ports and ports[b.port] != b.driver:
                    raise ValueError(f"banks on port {b.port} use different protocols")
                ports[b.port] = b.driver
            for c in b.compartments:
                if c.id in doors:
                    raise ValueError(f"compartment {c.id} is defined twice")
                doors.add(c.id)
        return self

    @model_validator(mode="after")
    def _reserve(self) -> SiteConfig:
        """Each (port, board, lock) and each GPIO pin once, site-wide; a clash names both keys."""
        problems = reserve_hardware(self)
        if problems:
            raise HardwareClash(problems)
        return self

    @model_validator(mode="after")
    def _link_needs_an_address(self) -> SiteConfig:
        """An SMS template with the pickup link ('qr' or 'link') needs `site.public_url`: without it the
        provider would get an empty value and refuse every message of that kind."""
        if self.site.public_url:
            return self
        for ch in self.notify.channels:
            lists = [getattr(ch, "template_params", None) or [],
                     *(getattr(ch, "template_params_by_kind", None) or {}).values()]
            if any(name in ("qr", "link") for names in lists for name in names):
                raise ValueError(f"notify channel {ch.name or ch.kind}: its template values name the pickup link ('qr' or"
                                 " 'link'), but site.public_url is empty; set the site's public address or drop"
                                 " them from template_params")
        return self

    def compartments(self) -> list[tuple[BankConfig, CompartmentConfig]]:
        return [(b, c) for b in self.banks for c in b.compartments]





def error_key(loc: tuple[Any, ...], data: Any) -> str:
    """A pydantic error location as the TOML key it is about ("notify.channels[0].from_number", "banks[A].port"):
    list items named by their `id` where they have one, and the tag of a union picked by `kind` left out (pydantic
    puts it in the location: "channels[0].sms-twilio.from_number"). "" for the top level. The one definition for
    the site file and HQ's `--notify` file (cloudsync/hq/notify.py)."""
    parts: list[str] = []
    node: Any = data
    for item in loc:
        if isinstance(item, int):
            ident = None
            if isinstance(node, list) and 0 <= item < len(node) and isinstance(node[item], dict):
                ident = node[item].get("id")
            parts[-1:] = [f"{parts[-1] if parts else ''}[{ident if ident else item}]"]
            node = node[item] if isinstance(node, list) and 0 <= item < len(node) else None
        elif isinstance(node, dict) and item not in node and node.get("kind") == item:
            continue  # the discriminated union's tag: the item's own kind, not a key of the file
        else:
            parts.append(str(item))
            node = node.get(item) if isinstance(node, dict) else None
    return ".".join(parts)


def parse_config(data: dict[str, Any], file: str = "<config>") -> SiteConfig:
    try:
        return SiteConfig.model_validate(data)
    except ValidationError as exc:
        problems: list[tuple[str, str]] = []
        for err in exc.errors():
            clash = (err.get("ctx") or {}).get("error")
            if isinstance(clash, HardwareClash):
                problems.extend(clash.problems)
                continue
            loc = tuple(x for x in err["loc"] if x not in ("function-after[_check(), BankConfig]",))
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = "unknown key"
            problems.append((error_key(loc, data), msg))
        raise ConfigError(file, problems) from None


def load_config(path: str | Path) -> SiteConfig:
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise ConfigError(str(p), [("", f"cannot read file: {exc.strerror or exc}")]) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(str(p), [("", "file is not UTF-8 text")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(p), [("", f"TOML syntax: {exc}")]) from None
    return parse_config(data, str(p))
