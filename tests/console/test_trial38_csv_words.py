"""The carrier report's CSV as a spreadsheet shows it (trial of 2026-12-07c): the Chinese headings mixed "平均存放（小时）"
with "首扫率 (%)" (half-width brackets and a space) in one row; each heading now takes its language's brackets."""

from __future__ import annotations


async def test_the_carrier_csv_headings_use_their_languages_brackets(console) -> None:
    await console.site.deposit("SF1234567890123")
    client, _ = await console.as_user("staff")
    head = (await client.get("/reports/carriers.csv?days=7")).text.lstrip("\ufeff").split("\r\n")[0].split(",")
    assert "首扫率（%）" in head and "平均存放（小时）" in head, head
    assert not [h for h in head if "(" in h or ")" in h], head
    client.cookies.set("lockerd_lang", "en")
    head = (await client.get("/reports/carriers.csv?days=7")).text.lstrip("\ufeff").split("\r\n")[0].split(",")
    assert "First-scan rate (%)" in head and "Avg storage (h)" in head, head
    assert not [h for h in head if "（" in h], head
