"""The dashboard's line for parts that did not start (the daemon's `failed_parts`): names, no traceback."""

from __future__ import annotations

from typing import TYPE_CHECKING

from edge import glossary
from edge.web.console.templating import Markup, render_template

if TYPE_CHECKING:
    from edge.web.console.page import Ctx

#: each part's name in the staff's words (zh, en)
PART_NAMES: dict[str, tuple[str, str]] = {
    "timesync": ("时间同步检查", "clock sync check"),
    "rules": ("存放规则", "storage rules"),
    "tracking": ("物流跟踪", "parcel tracking"),
    "alerts": ("值班提醒", "staff alerts"),
    "cloud": ("云同步", "cloud sync"),
    "notify": ("住户通知", "resident messages"),
    "retention": ("个人信息定期清理", "personal-data clean-up"),
}


def part_name(name: str, lang: str) -> str:
    zh, en = PART_NAMES.get(name, (name, name))
    return zh if lang == "zh" else en


def failed_parts_banner(ctx: Ctx) -> Markup:
    """One short line naming the parts that failed to start (empty when all started)."""
    failed = ctx.daemon.failed_parts
    if not failed:
        return Markup("")
    names = glossary.listed((part_name(n, ctx.lang) for n in failed), ctx.lang)
    text = (f"以下功能没有启动，本站暂时不能使用：{names}。原因见服务日志或 /healthz。" if ctx.lang == "zh"
            else f"Not running on this site: {names}. The service log and /healthz say why.")
    return render_template("_failed_parts.html", {"text": text})
