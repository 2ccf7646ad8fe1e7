"""A refused console page opened in a browser is a console page in the staff's language, not the API's JSON
(trial of 2026-12-07: the desk account opened /audit and got {"error":"forbidden","message":"this needs an admin
account"}; an unknown parcel's page and an unknown path answered JSON as well). Scripts keep the JSON."""

from __future__ import annotations

from tests.console.conftest import HTML


async def test_a_desk_account_on_an_admin_page_reads_why_in_chinese_and_english(console) -> None:
    client, _ = await console.as_user("staff")
    r = await client.get("/audit", headers=HTML)
    assert r.status_code == 403 and r.headers["content-type"].startswith("text/html")
    assert "这一页只有管理员可以打开，需要时请找管理员。" in r.text and "无法打开这一页" in r.text
    assert "forbidden" not in r.text and "admin account" not in r.text
    assert "<nav" in r.text  # the console's own layout: the way on is the menu
    r = await client.get("/settings?lang=en", headers=HTML)
    assert r.status_code == 403 and "Only an admin can open this page. Ask an admin if you need it." in r.text


async def test_an_unknown_parcel_and_an_unknown_page_are_pages_too(console) -> None:
    client, _ = await console.as_user("staff")
    r = await client.get("/parcels/no-such-parcel", headers=HTML)
    assert r.status_code == 404 and "找不到这件包裹" in r.text and "parcel_unknown" not in r.text
    r = await client.get("/no-such-page", headers=HTML)
    assert r.status_code == 404 and "没有这一页，请从菜单中选择。" in r.text and "Not Found" not in r.text


async def test_scripts_and_the_api_keep_the_json(console) -> None:
    client, _ = await console.as_user("staff")
    r = await client.get("/audit")
    assert r.status_code == 403 and r.json()["error"] == "forbidden"
    r = await client.get("/api/v1/no-such-endpoint", headers=HTML)
    assert r.status_code == 404 and r.json()["error"] == "not_found"
