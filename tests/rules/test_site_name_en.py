"""`[site].name_en` (trial of 2026-12-04: every English message was headed "【Sunny Gardens】"'s Chinese twin or the
other way round): a Chinese message is headed by `name`, an English one by `name_en`, the stored message and a
reminder alike; an empty `name_en` keeps `name` in both."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import start_site


async def _messages(tmp_path: Path, **site: str) -> list[str]:
    s = await start_site(tmp_path, **{f"site__{k}": v for k, v in site.items()})
    try:
        await s.deposit("SF1234567890121")
        s.clock.advance(24 * 3600 + 60)
        await s.daemon.rules.sweep()
        rows = await s.daemon.store.read(lambda tx: tx.all(
            "SELECT kind, text FROM notifications WHERE kind IN ('stored', 'reminder') ORDER BY rowid"))
        return [f"{r['kind']}:{r['text']}" for r in rows]
    finally:
        await s.daemon.stop()


@pytest.mark.parametrize(("locale", "head", "other"), [("zh-CN", "【阳光花园】", "Sunny Gardens"),
                                                      ("en", "[Sunny Gardens]", "阳光花园")])
async def test_each_language_is_headed_by_its_own_name(tmp_path: Path, locale: str, head: str, other: str) -> None:
    texts = await _messages(tmp_path / "s", name="阳光花园", name_en="Sunny Gardens", locale=locale)
    kinds = [t.split(":", 1)[0] for t in texts]
    assert "stored" in kinds and "reminder" in kinds, texts
    for t in texts:
        assert head in t and other not in t, t


async def test_without_name_en_the_name_heads_english_too(tmp_path: Path) -> None:
    texts = await _messages(tmp_path / "s", name="阳光花园", locale="en")
    assert texts and all("[阳光花园]" in t for t in texts), texts
