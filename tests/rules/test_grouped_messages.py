"""One message per resident and pickup code (issue 18): three parcels of one unit under one code used to give
three reminders, three overdue messages and three notices in one sweep. Records, stages, timelines and HQ events
stay per parcel; only what the resident reads is grouped."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import pytest

from edge.rules.engine import RulesEngine


def _texts(site: Any, kind: str) -> list[str]:
    return [n["text"] for n in site.q("SELECT text FROM notifications WHERE kind = ? ORDER BY rowid", (kind,))]


def _queued(site: Any, kind: str) -> int:
    return len(site.q("SELECT id FROM messages WHERE kind = ?", (kind,)))


def _three(site: Any, carriers: tuple[str, ...] = ("SF", "JD", "ZTO"), code: str = "1234567890") -> list[str]:
    pids = [site.add_parcel(code=code) for _ in carriers]
    site.store.write_sync(lambda tx: tx.conn.executemany(
        "UPDATE parcels SET carrier = ? WHERE id = ?", list(zip(carriers, pids, strict=True))))
    return pids


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_three_parcels_under_one_code_get_one_reminder_naming_the_count(make_site: Any, lang: str) -> None:
    site = make_site(lang=lang)
    pids = _three(site)
    site.advance(24)
    site.sweep()
    texts = _texts(site, "reminder")
    assert len(texts) == 1, texts  # today's behaviour: 3
    assert _queued(site, "reminder") == 1
    (text,) = texts
    if lang == "zh-CN":
        assert "您有3件包裹待取（顺丰速运、京东物流、中通快递），存放在智能柜 A-01、A-02、A-03 格口，取件码 1234567890，" in text, text
        assert "请于6月4日 09:00前取件" in text, text
    else:
        assert ("you have 3 parcels waiting (SF Express, JD Logistics, ZTO Express) in lockers A-01, A-02 and A-03. "
                "Pickup code 1234567890 opens all of them.") in text, text
        assert "04 Jun 2026 09:00" in text, text
    # HQ and audit stay per parcel
    assert all(site.done(p) == ["reminder:1"] for p in pids)
    assert len(site.events("parcel.reminder")) == 3
    assert all(site.parcel(p)["stage"] == "reminded" for p in pids)
    details = {json.loads(r["detail"])["message"] for r in site.q("SELECT detail FROM rule_actions")}
    assert len(details) == 1  # each record names the one message


def test_two_codes_give_two_messages_and_one_parcel_keeps_the_singular(make_site: Any) -> None:
    site = make_site()
    _three(site, ("SF", "JD"), code="1111111111")
    site.add_parcel(code="2222222222")
    site.advance(24)
    site.sweep()
    texts = _texts(site, "reminder")
    assert len(texts) == 2, texts
    assert sum("您有2件包裹待取" in t for t in texts) == 1, texts
    (single,) = [t for t in texts if "2222222222" in t]
    assert "提醒：您的包裹（顺丰速运 SF" in single, single


def test_overdue_and_notice_are_grouped_too(make_site: Any) -> None:
    site = make_site()
    pids = _three(site)
    for _ in range(30):
        site.advance(24)
        site.sweep()
        if all("notice" in site.done(p) for p in pids):
            break
    assert len(_texts(site, "overdue")) == 1
    (notice,) = _texts(site, "notice")
    assert "您有3件包裹（顺丰速运、京东物流、中通快递）已逾" in notice, notice
    assert "1234567890" not in notice  # public: the code stays masked
    assert len(site.events("parcel.notice_posted")) == 3


def test_a_crash_mid_sweep_neither_resends_nor_loses_the_message(make_site: Any, monkeypatch: Any) -> None:
    site = make_site()
    pids = _three(site)
    site.advance(24)
    real = RulesEngine.perform
    calls = {"n": 0}

    def crash_on_third(self: Any, tx: Any, parcel: Any, action: Any, actor: str = "rules") -> bool:
        calls["n"] += 1
        if calls["n"] == 3:
            raise SystemExit("power cut")  # not an Exception: the savepoint does not catch it
        return real(self, tx, parcel, action, actor)

    monkeypatch.setattr(RulesEngine, "perform", crash_on_third)
    with pytest.raises(SystemExit):
        site.sweep()
    monkeypatch.setattr(RulesEngine, "perform", real)
    assert _texts(site, "reminder") == []  # nothing half-written: the round's transaction did not commit
    # restart: a new engine on the same SQLite file
    site.store.close()
    site.store.open()
    site.sweep()
    site.sweep()
    assert len(_texts(site, "reminder")) == 1
    assert _queued(site, "reminder") == 1
    assert all(site.done(p) == ["reminder:1"] for p in pids)
    # the file on disk says the same
    con = sqlite3.connect(site.store.path)
    try:
        assert con.execute("SELECT COUNT(*) FROM messages WHERE kind = 'reminder'").fetchone()[0] == 1
    finally:
        con.close()
