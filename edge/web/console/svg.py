"""Server-rendered SVG charts (no chart library, no CDN): horizontal bars, one series or grouped."""

from __future__ import annotations

from collections.abc import Sequence

from edge.web.console.html import Safe, join, render

PALETTE = ("#2b6cb0", "#38a169", "#d69e2e", "#c53030", "#6b46c1")


def hbars(title: str, rows: Sequence[tuple[str, Sequence[float | None]]], series: Sequence[str], *,
          percent: bool = False, width: int = 520) -> Safe:
    """One bar group per row label; one bar per series. Values are shown at the bar ends."""
    label_w, bar_h, gap, top = 110, 14, 8, 28
    n = max(1, len(series))
    group_h = n * bar_h + gap
    height = top + max(1, len(rows)) * group_h + 24
    vmax = max([v for _, vals in rows for v in vals if v is not None] + [1.0 if percent else 0.0, 1e-9])
    if percent:
        vmax = max(vmax, 1.0)
    scale = (width - label_w - 60) / vmax
    parts = [render('<text x="0" y="16" class="ct">{t}</text>', t=title)]
    for i, (label, vals) in enumerate(rows):
        y0 = top + i * group_h
        parts.append(render('<text x="{x}" y="{y}" class="cl" text-anchor="end">{l}</text>', x=label_w - 6,
                            y=y0 + n * bar_h / 2 + 4, l=label[:16]))
        for j, v in enumerate(vals):
            w = 0.0 if v is None else max(0.0, v * scale)
            y = y0 + j * bar_h
            if v is None:
                shown = "–"  # no data for this figure
            else:
                shown = f"{v * 100:.0f}%" if percent else (f"{v:.1f}" if v % 1 else f"{v:.0f}")
            parts.append(render(
                '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{c}"><title>{s}: {v}</title></rect>'
                '<text x="{tx}" y="{ty}" class="cv">{v}</text>',
                x=label_w, y=y, w=f"{w:.1f}", h=bar_h - 2, c=PALETTE[j % len(PALETTE)], s=series[j] if j < len(series) else "",
                v=shown, tx=f"{label_w + w + 4:.1f}", ty=y + bar_h - 4))
    legend = join(render('<rect x="{x}" y="{y}" width="10" height="10" fill="{c}"/><text x="{tx}" y="{ty}" class="cl">{s}</text>',
                         x=label_w + k * 120, y=height - 14, c=PALETTE[k % len(PALETTE)], tx=label_w + k * 120 + 14,
                         ty=height - 5, s=s) for k, s in enumerate(series)) if len(series) > 1 else Safe("")
    return render(
        '<svg class="chart" role="img" aria-label="{t}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}"'
        ' width="{w}" height="{h}">{body}{legend}</svg>', t=title, w=width, h=height, body=join(parts), legend=legend)
