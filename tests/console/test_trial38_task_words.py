"""The tasks page as the desk read it a week into a busy site (trial of 2026-12-07c): every Chinese title ended in
half-width brackets with a space, "移至包裹室 (A-02)" and "柜门没有打开：请检查门锁 (A-36)", and the count read
"已过期: 13"; Chinese takes full-width punctuation as everywhere else on the console."""

from __future__ import annotations

from typing import Any

from tests.console.conftest import HTML


async def test_task_titles_and_the_past_due_count_in_each_languages_punctuation(console: Any) -> None:
    dep = await console.site.deposit("SF2030000000038")
    pid, c = str(dep["parcel_id"]), str(dep["compartment"])

    def seed(tx: Any) -> None:
        tx.execute("INSERT INTO tasks (kind, parcel_id, compartment_id, title, created_at, due_at) VALUES"
                   " ('move_to_parcel_room', ?, ?, 'move', ?, '2020-01-01T00:00:00.000Z')", (pid, c, tx.ts))

    await console.daemon.store.write(seed)
    client, _ = await console.as_user("admin")
    page = (await client.get("/tasks?lang=zh", headers=HTML)).text
    assert f"移至包裹室（{c}）" in page, page
    assert f"移至包裹室 ({c})" not in page
    assert "已过期：1" in page and "已过期: " not in page
    page = (await client.get("/tasks?lang=en", headers=HTML)).text
    assert f"({c})" in page and "（" not in page
    assert "Past due: 1" in page


async def test_the_printed_public_notice_in_chinese_punctuation(console: Any) -> None:
    """The notice residents read on the notice board said "桂花园: 招领公告" and "领取地点: 1号楼大堂物业前台；开放时间:
    工作日 08:00-20:00；联系电话: 010-5555-0100": half-width colons between full-width semicolons."""
    client, _ = await console.as_user("staff")
    page = (await client.get("/tasks/notice?lang=zh", headers=HTML)).text
    site = console.daemon.config.site
    assert "：招领公告</h1>" in page, page
    assert f"领取地点：{site.desk_place}" in page and "开放时间：" in page and f"联系电话：{site.contact}" in page
    assert ": " not in page.split("<h1>", 1)[1].split("<script", 1)[0], page
    page = (await client.get("/tasks/notice?lang=en", headers=HTML)).text
    assert ": Public notice</h1>" in page and f"Desk phone: {site.contact}" in page and "：" not in page


async def test_a_chinese_timeline_names_its_details_with_a_full_width_colon(console: Any) -> None:
    """The parcel page's timeline read "已入柜 快递员 顺丰速运 王师傅 格口: A-02" (and "原因: …；货架位: …")."""
    dep = await console.site.deposit("SF2030000000039")
    c = str(dep["compartment"])
    client, _ = await console.as_user("admin")
    page = (await client.get("/parcels/SF2030000000039?lang=zh", headers=HTML)).text
    assert f"格口：{c}" in page and f"格口: {c}" not in page, page
    page = (await client.get("/parcels/SF2030000000039?lang=en", headers=HTML)).text
    assert f"Compartment: {c}" in page, page


async def test_the_settings_dashboard_and_messages_labels_take_a_full_width_colon(console: Any) -> None:
    """The settings form said "版本: 1" (the dashboard "云端: …" / "更新时间: …", the Messages page the same): a
    Chinese label takes "：" like the rest of the console."""
    client, _ = await console.as_user("admin")
    page = (await client.get("/settings?lang=zh", headers=HTML)).text
    assert '版本：<b id="policy-version">' in page, page
    page = (await client.get("/settings?lang=en", headers=HTML)).text
    assert 'Version: <b id="policy-version">' in page
    for path in ("/", "/messages"):
        page = (await client.get(f"{path}?lang=zh", headers=HTML)).text
        body = page.split("<main", 1)[1]
        assert "</b>: " not in body and not any(f"{w}: " in body for w in ("更新于", "云端", "最早待发送", "最早未发送", "待发送事件")), path
