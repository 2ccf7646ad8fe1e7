"""Every action the software writes into the audit has words in both languages (the trial of 2026-12-03: a unit
added on the Units page read "其他" on the Chinese audit, "unit: add" on the English one; 18 actions had none).
The audit page and its CSV name an action by ``glossary.label("event", action)``; this reads the source for
``.audit(actor, "<action>", ...)`` calls, so a new action without words fails here."""

from __future__ import annotations

import re
from pathlib import Path

from edge import glossary
from tests.console.conftest import HTML, Console

REPO = Path(__file__).resolve().parents[2]


def _audit_actions() -> dict[str, str]:
    found: dict[str, str] = {}
    for root in ("edge", "cloudsync", "drivers", "kiosk"):
        for path in (REPO / root).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            for m in re.finditer(r"\.audit\(", text):
                head = "".join(text[m.end():m.end() + 200].splitlines(keepends=False)[:2])  # the call's first two lines
                for action in re.findall(r'"([a-z_]+\.[a-z_]+)"', head):
                    found.setdefault(action, str(path.relative_to(REPO)))
    return found


def test_every_audited_action_has_words_in_both_languages() -> None:
    actions = _audit_actions()
    assert len(actions) > 40 and "unit.add" in actions and "door.open" in actions, actions  # the scan reads them
    missing = {a: where for a, where in actions.items() if glossary.lookup("event", a) is None}
    assert not missing, missing


async def test_a_unit_added_on_the_console_is_named_on_the_audit(console: Console) -> None:
    client, csrf = await console.as_user("admin")
    await client.post("/units", data={"_csrf": csrf, "unit": "3-1202", "phone": "13800001202", "lang": "zh-CN",
                                      "low_door": "0", "locker_consent": "1"})
    zh = (await client.get("/audit?lang=zh", headers=HTML)).text
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", zh, re.S) if "3-1202" in r)
    assert "添加住户" in row and "其他" not in row, row
    en = (await client.get("/audit?lang=en", headers=HTML)).text
    assert "unit added" in next(r for r in re.findall(r"<tr>(.*?)</tr>", en, re.S) if "3-1202" in r)
