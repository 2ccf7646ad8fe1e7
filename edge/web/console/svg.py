"""Server-rendered SVG charts (no chart library, no CDN): horizontal bars, one series or grouped.

The geometry is computed here; ``console/_hbars.svg`` draws it.

The chart is drawn at the width of a 390 px phone's content box (``WIDTH``) and shown at that size on every screen,
never scaled down: a 520-unit chart shrunk to a phone drew its labels at about 9 px (trial 2026-12-07c). Labels,
values and the legend are 13 px, the legend wraps onto as many rows as it needs.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from edge.web.console.templating import Markup, render_template

PALETTE = ("#2b6cb0", "#38a169", "#d69e2e", "#c53030", "#6b46c1")
#: the chart's width in px: a 390 px phone's content box is 356 px (tests/browser/test_fix39_carrier_chart.py)
WIDTH = 350
#: the labels', values' and legend's size in px, the title's
FONT, TITLE_FONT = 13, 14


def text_width(text: str, size: float = FONT) -> float:
    """A generous estimate of a string's width at `size` px: a CJK character is one em, anything else 0.62 em."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else 0.62 * size for ch in text)


def _fit(label: str, room: float) -> str:
    """`label` cut (with "…") to fit `room` px."""
    if text_width(label) <= room:
        return label
    while label and text_width(label + "…") > room:
        label = label[:-1]
    return label + "…"


def hbars(title: str, rows: Sequence[tuple[str, Sequence[float | None]]], series: Sequence[str], *,
          percent: bool = False, width: int = WIDTH) -> Markup:
    """One bar group per row label; one bar per series. Values are shown at the bar ends."""
    value_w = text_width("100%") + 6
    label_w = min(int(width * 0.42), int(max([text_width(label) for label, _ in rows] + [40.0])) + 8)
    bar_h, gap, top = 18, 10, 30
    n = max(1, len(series))
    group_h = n * bar_h + gap
    # the legend: a swatch and a name each, wrapped onto rows within the width
    legend: list[dict[str, Any]] = []
    if len(series) > 1:
        x, row = 0.0, 0
        for k, s in enumerate(series):
            w = 14 + text_width(s) + 16
            if x and x + w > width:
                x, row = 0.0, row + 1
            legend.append({"x": f"{x:.1f}", "color": PALETTE[k % len(PALETTE)], "tx": f"{x + 14:.1f}", "name": s,
                           "row": row})
            x += w
    legend_rows = (legend[-1]["row"] + 1) if legend else 0
    body = top + max(1, len(rows)) * group_h
    height = body + legend_rows * 20 + 6
    for entry in legend:
        entry["y"] = body + entry["row"] * 20 + 2
        entry["ty"] = entry["y"] + 11
    vmax = max([v for _, vals in rows for v in vals if v is not None] + [1.0 if percent else 0.0, 1e-9])
    if percent:
        vmax = max(vmax, 1.0)
    scale = (width - label_w - value_w) / vmax
    groups: list[dict[str, Any]] = []
    for i, (label, vals) in enumerate(rows):
        y0 = top + i * group_h
        bars = []
        for j, v in enumerate(vals):
            w = 0.0 if v is None else max(0.0, v * scale)
            y = y0 + j * bar_h
            if v is None:
                shown = "–"  # no data for this figure
            else:
                shown = f"{v * 100:.0f}%" if percent else (f"{v:.1f}" if v % 1 else f"{v:.0f}")
            bars.append({"y": y, "w": f"{w:.1f}", "h": bar_h - 4, "color": PALETTE[j % len(PALETTE)],
                         "series": series[j] if j < len(series) else "", "shown": shown,
                         "tx": f"{label_w + w + 4:.1f}", "ty": y + bar_h - 6})
        groups.append({"label": _fit(label, label_w - 6), "y": y0 + n * bar_h / 2 + 3, "bars": bars})
    return render_template("_hbars.svg", {"title": title, "width": width, "height": height, "label_w": label_w,
                                          "groups": groups, "legend": legend})
