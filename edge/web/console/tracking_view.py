"""Small view helpers for the tracking desk pages: ETA windows, "how long ago", names in the page's
language (never a raw code)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from edge import glossary
from edge.tracking import names as L
from edge.web.console.page import Ctx
from edge.web.console.templating import Badge

if TYPE_CHECKING:
    from edge.tracking.service import TrackingService

WEEK_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def lang(ctx: Ctx) -> str:
    return "zh" if ctx.lang == "zh" else "en"


def tz(ctx: Ctx) -> ZoneInfo:
    return ZoneInfo(ctx.daemon.config.site.timezone)


def day(ctx: Ctx, iso: str | None) -> str:
    """'3月12日 周四' / 'Thu 12 Mar' in the site's zone."""
    if not iso:
        return ""
    dt = datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(tz(ctx))
    if ctx.lang == "zh":
        return f"{dt.month}月{dt.day}日 {WEEK_ZH[dt.weekday()]}"
    return dt.strftime("%a %d %b").replace(" 0", " ")


def when(ctx: Ctx, value: str | float | None) -> str:
    """A stored time (ISO or epoch seconds) in the site's zone, 'YYYY-MM-DD HH:MM'."""
    if value in (None, ""):
        return ""
    if isinstance(value, int | float):
        dt = datetime.fromtimestamp(float(value), UTC)
    else:
        dt = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return dt.astimezone(tz(ctx)).strftime("%Y-%m-%d %H:%M")


def ago(ctx: Ctx, hours: float | None) -> str:
    if hours is None:
        return ""
    zh = ctx.lang == "zh"
    if hours < 1:
        n = max(1, round(hours * 60))
        return f"{n} 分钟前" if zh else f"{n} min ago"
    if hours < 48:
        n = round(hours)
        return f"{n} 小时前" if zh else f"{n} h ago"
    n = round(hours / 24)
    return f"{n} 天前" if zh else f"{n} days ago"


def eta_text(ctx: Ctx, eta: dict[str, Any] | None) -> str:
    if not eta or not eta.get("eta_from"):
        return ctx.t("No estimate yet")
    lo, hi = day(ctx, eta["eta_from"]), day(ctx, eta.get("eta_to"))
    span = lo if lo == hi or not hi else f"{lo} – {hi}"
    conf = L.label(L.CONFIDENCE, eta.get("confidence") or eta.get("eta_confidence"), lang(ctx))
    return glossary.qualified(span, conf, ctx.lang) if conf else span


def grade_badge(ctx: Ctx, grade: str) -> Badge:
    names = {"red": "Act now", "yellow": "Watch", "green": "On its way"}
    return Badge(ctx.t(names.get(grade, grade)), grade)


def kind(ctx: Ctx, k: str | None) -> str:
    return L.label(L.KINDS, k, lang(ctx))


def milestone(ctx: Ctx, m: str | None) -> str:
    return L.label(L.MILESTONES, m, lang(ctx))


def owner(ctx: Ctx, o: str | None) -> str:
    return L.label(L.OWNERS, o, lang(ctx)) if o else "—"


def next_action(ctx: Ctx, k: str | None) -> str:
    return L.label(L.NEXT_ACTIONS, k, lang(ctx)) if k else ctx.t("Nothing to do; wait for the next scan")


def place(ctx: Ctx, p: dict[str, Any] | None) -> str:
    if not p or not p.get("name"):
        return ""
    k = L.label(L.PLACE_KINDS, p.get("kind"), lang(ctx))
    return f"{k}：{p['name']}" if ctx.lang == "zh" else f"{k}: {p['name']}"


def category(ctx: Ctx, c: str | None) -> Badge | str:
    if not c or c == "normal":
        return ""
    return Badge(ctx.t(c), "red" if c in ("fresh", "medicine") else "grey")


async def anomaly_grades(tracking: TrackingService | None) -> dict[str, str]:
    """parcel_id -> worst open anomaly severity (yellow/red); empty on a site without tracking."""
    out: dict[str, str] = {}
    for a in await tracking.open_anomalies() if tracking is not None else []:
        pid, sev = a.get("parcel_id"), a.get("severity")
        if pid and sev in ("yellow", "red") and out.get(pid) != "red":
            out[pid] = sev
    return out


async def etas(ctx: Ctx, tracking_numbers: list[str]) -> dict[str, dict[str, Any]]:
    """ETA windows for many waybills in one read (empty when tracking is absent)."""
    if ctx.tracking is None or not tracking_numbers:
        return {}
    from edge.tracking import eta as E

    def fn(tx: Any) -> dict[str, dict[str, Any]]:
        cache: E.DurationCache = {}
        return {tn: E.eta(tx, tn, cache) for tn in tracking_numbers[:1000]}

    return dict(await ctx.daemon.store.read(fn))


def eta_cell(ctx: Ctx, eta: dict[str, Any] | None) -> str:
    """The ETA for a table cell: the window, or '' when the waybill is not followed."""
    if not eta or not eta.get("known"):
        return ""
    if eta.get("arrived_at"):
        return (f"快递称已于{day(ctx, eta['arrived_at'])}送达" if ctx.lang == "zh"
                else f"carrier says delivered {day(ctx, eta['arrived_at'])}")
    return eta_text(ctx, eta)


def carrier(ctx: Ctx, code: str | None) -> str:
    """The carrier's name ('顺丰速运' / 'SF Express'; the glossary's, so a post found by a feed's name, such as
    COLISSIMO, reads 法国邮政 Colissimo), or what staff typed when it is not a known carrier."""
    from edge import glossary

    return glossary.carrier_name(code, ctx.lang) if code else "—"


def actor_name(ctx: Ctx, who: str | None) -> str:
    """Who did it in words: 系统 / System, 员工 desk (not ``staff:desk``), 快递员 (never a courier's id)."""
    if who in ("tracking", "system", "rules"):
        return owner(ctx, "tracking")
    if who and ":" in who:
        from edge.web.console.routes_parcels import who_text

        return who_text(ctx, who)
    return who or ""


def channel(ctx: Ctx, c: str | None) -> str:
    return L.label(L.CHANNELS, c, lang(ctx))


def source(ctx: Ctx, s: str | None) -> str:
    return L.label(L.SOURCES, s or "site", lang(ctx))


async def sources_rows(ctx: Ctx, days: int) -> list[tuple[str, Any, str, str]] | None:
    """Per tracking source: events received in the period and the delay from the carrier's scan to us
    (None when tracking is absent; ``console/_sources.html`` draws it)."""
    if ctx.tracking is None:
        return None
    from datetime import timedelta

    from edge.clock import utc_iso
    from edge.tracking.report import source_freshness

    now = ctx.daemon.clock.now()
    rows = await ctx.daemon.store.read(lambda tx: source_freshness(
        tx, utc_iso(now - timedelta(days=days)), utc_iso(now + timedelta(seconds=1))))

    def hours(s: float) -> str:
        return f"{s / 3600:.1f}"

    return [(source(ctx, name), f["events"], hours(f["avg_s"]), hours(f["p90_s"])) for name, f in rows.items()]
