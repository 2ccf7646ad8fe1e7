"""The carrier chart's geometry (edge/web/console/svg.py): drawn at a 390 px phone's width and never scaled, so its
13 px labels stay 13 px (trial 2026-12-07c: about 9 px on a phone); a long carrier name is cut with "…" inside its
column, the legend wraps within the width, and no value runs past the right edge."""

from __future__ import annotations

import re

from edge.web.console import svg


def _texts(markup: str) -> list[tuple[float, float, str]]:
    return [(float(x), float(y), t) for x, y, t in re.findall(r'<text x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)</text>',
                                                                markup)]


def test_the_storage_chart_fits_a_phone_without_scaling() -> None:
    rows = [("顺丰速运", [7.0, 0.0]), ("A carrier with a very long English name", [5.0, 2.0]), ("中通快递", [6.0, 1.0])]
    out = str(svg.hbars("快递公司报表", rows, ["包裹", "超期"]))
    width = int(re.search(r'viewBox="0 0 (\d+) (\d+)"', out).group(1))  # type: ignore[union-attr]
    height = int(re.search(r'viewBox="0 0 (\d+) (\d+)"', out).group(2))  # type: ignore[union-attr]
    assert width <= 356 and f'width="{width}"' in out  # a 390 px phone's content box: shown at 1:1
    assert svg.FONT >= 12
    texts = _texts(out)
    names = [t for _, _, t in texts]
    assert "顺丰速运" in names and "包裹" in names and "超期" in names
    long = next(t for t in names if t.startswith("A carrier"))
    assert long.endswith("…") and svg.text_width(long) <= width * 0.42
    for x, y, t in texts:  # values and legend entries end inside the chart
        if 'text-anchor="end"' not in out.split(f">{t}<")[0].rsplit("<text", 1)[-1]:
            assert x + svg.text_width(t) <= width + 0.5, (x, t)
        assert y <= height, (y, t)


def test_a_legend_of_four_rates_wraps_within_the_width() -> None:
    names = ["First-scan rate", "On-time rate", "Exception rate", "Last-mile failure"]
    out = str(svg.hbars("Carriers", [("SF Express", [0.9, 0.8, 0.1, 0.05])], names, percent=True))
    width = int(re.search(r'viewBox="0 0 (\d+) ', out).group(1))  # type: ignore[union-attr]
    legend = [(x, y, t) for x, y, t in _texts(out) if t in names]
    assert len(legend) == 4 and len({y for _, y, _ in legend}) >= 2  # two rows at least
    assert all(x + svg.text_width(t) <= width for x, _, t in legend), legend
