"""A name with its qualifier in brackets is composed in one place, `edge.glossary.qualified` (fix41 item 4).

The console's header ("staff（员工）"), the desk's and expected parcels' counts, the lock confirmation, task titles,
a door's repeated jams, the ETA's confidence and the labelling page's waybills each wrote `（`/`）` or ` (`/`)` by
hand, beside the helper that HQ's pages use; the pickup link page said "包裹间前台（…）" where the glossary says
包裹室. The scan fails on the code before the fix (9 places)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from edge import glossary
from tests.console.conftest import HTML

REPO = Path(__file__).resolve().parents[2]
#: a template choosing the bracket by language, or Python composing "（{…}）" beside a language test
HAND_TEMPLATE = re.compile(r'"（" if|"）" if')
HAND_PY = re.compile(r'f"[^"]*（\{[^"]*）[^"]*"[^\n]*(lang|zh)|（" \+|\+ "（')


def test_no_page_composes_full_width_brackets_by_hand() -> None:
    found = []
    for path in sorted((REPO / "edge" / "web" / "templates").rglob("*.html")):
        found += [f"{path.relative_to(REPO)}:{i}" for i, line in enumerate(path.read_text().splitlines(), 1)
                  if HAND_TEMPLATE.search(line)]
    for top in ("edge/web", "kiosk"):
        for path in sorted((REPO / top).rglob("*.py")):
            found += [f"{path.relative_to(REPO)}:{i}" for i, line in enumerate(path.read_text().splitlines(), 1)
                      if HAND_PY.search(line)]
    assert found == [], "compose with edge.glossary.qualified: " + ", ".join(found)


def test_qualified_in_both_languages() -> None:
    assert glossary.qualified("staff", "员工", "zh") == "staff（员工）"
    assert glossary.qualified("staff", "Staff", "en") == "staff (Staff)"


async def test_the_header_names_the_user_and_role_through_it(console: Any) -> None:
    client, _ = await console.as_user("staff")
    zh = (await client.get("/?lang=zh", headers=HTML)).text
    en = (await client.get("/?lang=en", headers=HTML)).text
    assert re.search(r'<span class="user">staff（[^<（）]+）</span>', zh), zh[:3000]
    assert '<span class="user">staff (Staff)</span>' in en, en[:3000]
    desk = (await client.get("/desk?lang=zh", headers=HTML)).text
    assert re.search(r"（\d+）</h2>", desk) and " (" not in re.findall(r"<h2>[^<]*</h2>", desk)[0], desk[:3000]
