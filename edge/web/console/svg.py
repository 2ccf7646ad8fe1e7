"""Server-rendered SVG charts (no chart library, no CDN): horizontal bars, one series or grouped.

The geometry is computed here; ``console/_hbars.svg`` draws it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from edge.web.console.templating import Markup, render_template

PALETTE = ("#2b6cb0", "#38a169", "#d69e2e", "#c53030", "#6b46c1")


def hbars(title: str, rows: Sequence[tuple[str, Sequence[float | None]]], series: Sequence[str], *,
          percent: bool = False, width: int = 520) -> Markup:
    """One bar group per row label; one bar per series. Values are shown at the bar ends."""
    label_w, bar_h, gap, top = 110, 14, 8, 28
    n = max(1, len(series))
    group_h = n * bar_h + gap
    height = top + max(1, len(rows)) * group_h + 24
    vmax = max([v for _, vals in rows for v in vals if v is not None] + [1.0 if percent else 0.0, 1e-9])
    if percent:
        vmax = max(vmax, 1.0)
    scale = (width - label_w - 60) / vmax
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
            bars.append({"y": y, "w": f"{w:.1f}", "h": bar_h - 2, "color": PALETTE[j % len(PALETTE)],
                         "series": series[j] if j < len(series) else "", "shown": shown,
                         "tx": f"{label_w + w + 4:.1f}", "ty": y + bar_h - 4})
        groups.append({"label": label[:16], "y": y0 + n * bar_h / 2 + 4, "bars": bars})
    legend = [{"x": label_w + k * 120, "color": PALETTE[k % len(PALETTE)], "tx": label_w + k * 120 + 14, "name": s}
              for k, s in enumerate(series)] if len(series) > 1 else []
    return render_template("_hbars.svg", {"title": title, "width": width, "height": height, "label_w": label_w,
                                          "groups": groups, "legend": legend})
