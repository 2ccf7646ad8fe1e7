"""What every channel shares: the message as a channel sees it, the two ways a send fails, secrets from files."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

from edge import hant
from edge.notify import merge

if TYPE_CHECKING:
    import httpx

    from edge.store.db import Tx


class ChannelError(Exception):
    """A send that did not go through; the message is tried on the next channel and retried later."""


class NotForThisChannel(ChannelError):
    """This channel cannot carry this message (no phone number, kind not handled): try the next one."""


class SecretError(ValueError):
    """A secret file named in the config cannot be read."""


#: a pickup link in a resident's message, with what to do with it (docs/notifications.md, "The pickup link")
LINK_WORDS = {
    "zh-CN": "点开链接显示取件二维码，对准柜机扫码口即可开门：{link}",
    # short: an English SMS goes as UCS-2 ("[Site]" is outside the plain GSM set), 67 characters a part; the
    # sentence of 99 characters made a typical stored message 5 parts, this one 4 (tests/notify/test_pickup_qr.py)
    "en": "Tap for your pickup QR code: {link}",
}


@dataclass(frozen=True)
class Outgoing:
    id: str
    kind: str
    lang: str
    text: str
    unit: str | None
    tracking_number: str | None
    pickup_code: str | None = None
    deadline: str | None = None
    subkind: str | None = None
    phone_tail: str | None = None
    phone: str | None = None
    email: str | None = None
    parcel_id: str | None = None
    #: the pickup QR's payload and (site.public_url set) the link to its page (edge/notify/pickup_qr.py)
    pickup_qr: str | None = None
    pickup_link: str | None = None
    #: what the message tells of each of its parcels (edge/notify/merge.py parts, in queue order): several for a
    #: folded message, one for a mergeable message alone, none for the other kinds
    parts: tuple[dict[str, Any], ...] = ()
    #: the site's IANA time zone: the template value `deadline` is its local time, as the text says it
    #: (the stored deadline is UTC); empty: the stored time as it is
    tz: str = ""
    #: the site's calling code for a phone stored without + ("852"), when one sender serves many sites (HQ's
    #: channels, ADR 0049: the site's hq channel puts it in the event); a site's own channels use their config's
    country_code: str = ""

    @classmethod
    def from_row(cls, row: dict[str, Any], tz: str = "") -> Outgoing:
        try:
            parts = tuple(merge.parts(row.get("merge_data")))
        except ValueError:
            parts = ()
        return cls(id=row["id"], kind=row["kind"], lang=row["lang"], text=row["text"], unit=row.get("unit"),
                   tracking_number=row.get("tracking_number"), pickup_code=row.get("pickup_code"),
                   deadline=row.get("deadline"), subkind=row.get("subkind"), phone_tail=row.get("phone_tail"),
                   phone=row.get("phone"), email=row.get("email"), parcel_id=row.get("parcel_id"), parts=parts, tz=tz)

    def qr_hint(self) -> str:
        """One sentence for channels that show the QR image (e-mail)."""
        if not self.pickup_qr:
            return ""
        if self.lang.startswith("zh"):
            return hant.out("到柜机前把下面的二维码对准扫码口，柜门就会打开；也可以输入取件码。", self.lang)
        return "Hold the QR code below up to the locker's scanner to open the door, or type the pickup code."

    def plain_qr_hint(self) -> str:
        """The same for a plain text that shows no image and carries no link (an e-mail's plain part): the code
        works, and the mail's formatted version has the QR; "" without a QR."""
        if not self.pickup_qr:
            return ""
        if self.lang.startswith("zh"):
            return hant.out("在柜机上输入取件码即可开门；这封邮件的图文版还附有取件二维码，可对准柜机扫码口扫码。", self.lang)
        return ("Type the pickup code at the locker to open the door; the formatted version of this e-mail also has"
                " a pickup QR code to hold to the locker's scanner.")

    def link_words(self) -> str:
        """The pickup link with what to do with it, in words (nothing to scan in an SMS: open it, then hold the
        QR it shows to the scanner); "" without a link."""
        if not self.pickup_link:
            return ""
        words = LINK_WORDS.get(hant.base(self.lang), LINK_WORDS["en"])
        return hant.out(words, self.lang).format(link=self.pickup_link)

    def text_with_link(self) -> str:
        """The text, with the pickup link when there is one (SMS and other text-only channels)."""
        if not self.pickup_link:
            return self.text
        return f"{self.text}{'' if self.lang.startswith('zh') else ' '}{self.link_words()}"

    def params(self, limit: int = 35) -> dict[str, str]:
        """Template variables for providers that send approved templates (Aliyun, Tencent).

        ``count`` (how many parcels the message tells of, "1" alone) always; for the mergeable kinds also
        ``carriers`` and ``places`` of every parcel, and for a folded message ``tracking`` lists every parcel's
        number: as many whole values as fit in `limit` characters, then "等3件" / "and 1 more" (docs/notifications.md,
        "Folded messages on SMS templates"). ``code`` and ``deadline`` are the folded message's (one code per
        fold; the earliest deadline).

        With a pickup link (``site.public_url`` set, a message that carries a code): ``link``, the whole
        address, and ``qr``, the part after ``<public_url>/p/``, for templates whose approved text holds the
        site's fixed address ("点开链接显示取件二维码，对准柜机扫码口即可开门：https://lockers.example.cn/p/${qr}"; both providers refuse a link's
        domain in a variable). Without a public address neither is sent (docs/operations.md)."""
        out = {"code": self.pickup_code or "", "tracking": self.tracking_number or "", "unit": self.unit or "",
               "deadline": self.deadline_local()}
        values = merge.template_values(list(self.parts), hant.base(self.lang), limit, self.tracking_number or "")
        out |= {k: hant.out(v, self.lang) for k, v in values.items()}
        if self.pickup_link:
            # without the doors and deadline the link adds for its page (fix40): a template value has a length
            # limit (Aliyun 35), and the template's own text already says them
            bare = self.pickup_link.partition("?")[0]
            out["link"] = bare
            out["qr"] = bare.rpartition("/p/")[2]
        return {k: v for k, v in out.items() if v}

    def deadline_local(self) -> str:
        """The deadline as "YYYY-MM-DD HH:MM" in the site's time (`tz`), the wall time the message's text gives
        ("请于3月5日 09:00前取件"); the stored deadline is UTC, which a template showed as it was, 8 hours early
        in China."""
        if not self.deadline:
            return ""
        if self.tz:
            try:
                at = datetime.fromisoformat(self.deadline.replace("Z", "+00:00"))
                if at.tzinfo is not None:
                    return at.astimezone(ZoneInfo(self.tz)).strftime("%Y-%m-%d %H:%M")
            except (ValueError, KeyError):
                pass
        return self.deadline[:16].replace("T", " ")

    def params_json(self, limit: int = 35) -> str:
        return json.dumps(self.params(limit), ensure_ascii=False, separators=(",", ":"))


class Channel(Protocol):
    name: str
    kind: str

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def send(self, msg: Outgoing) -> str:
        """Deliver; return a provider reference (may be empty). Raise ChannelError when not delivered."""
        ...


def read_secret(path: str, what: str) -> str:
    """The first line of a secret file (no secret is ever written in the config itself)."""
    if not path:
        raise SecretError(f"{what}: no file named")
    try:
        text = Path(path).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise SecretError(f"{what}: cannot read {path}: {exc.strerror or exc}") from None
    if not text:
        raise SecretError(f"{what}: {path} is empty")
    return text.splitlines()[0].strip()


def need_deadline(msg: Outgoing, names: list[str], *, given: bool) -> None:
    """An approved SMS template that names `deadline` is never sent without one (it would read "请于  前取件"): a
    "stored" message queued while the clock was not trusted has none, and waits here until the clock is right and
    the notifier dates it (Notifier.date_pending); a free-text channel after this one may carry it undated
    meanwhile. `given`: the names are the kind's own list (its template surely has them), not a common default
    that other kinds' templates may not use (docs/notifications.md "A clock not yet right")."""
    if "deadline" in names and not msg.deadline and (given or msg.kind == "stored"):
        raise NotForThisChannel("its SMS template names the pickup deadline: it waits for the clock to be right")


def need_phone(msg: Outgoing) -> str:
    if not msg.phone:
        raise NotForThisChannel("no phone number in the directory for this unit")
    return msg.phone


class BaseChannel:
    kind = "base"

    def __init__(self, name: str, kinds: list[str] | None = None) -> None:
        self.name = name or self.kind
        self.kinds = set(kinds or [])

    def carries(self, msg: Outgoing) -> bool:
        return not self.kinds or msg.kind in self.kinds

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def send(self, msg: Outgoing) -> str:
        """Deliver; return a provider reference (may be empty). Raise ChannelError when not delivered."""
        raise NotImplementedError

    #: the mark "delivered" of this channel's messages is fsynced (the hq channel's mark carries an event)
    durable_mark = False

    def handed_over(self, tx: Tx, msg: Outgoing) -> None:
        """In the transaction that marks `msg` delivered by this channel (the `hq` channel commits its
        `notify.message` event here, ADR 0049); nothing for a channel that delivered it itself."""
        return None


class HttpChannel(BaseChannel):
    """A channel that speaks HTTP to a provider: one client, opened at start and closed at stop."""

    def __init__(self, name: str, kinds: list[str] | None, timeout_s: float) -> None:
        super().__init__(name, kinds)
        self._timeout_s = timeout_s
        self._client: httpx.AsyncClient | None = None

    async def start(self) -> None:
        import httpx  # on first use (decision 0048)
        self._client = httpx.AsyncClient(timeout=self._timeout_s, trust_env=False)

    async def stop(self) -> None:
        if self._client is not None:
            await self._client.aclose()
        self._client = None

    @property
    def client(self) -> httpx.AsyncClient:
        assert self._client is not None, "channel not started"
        return self._client
