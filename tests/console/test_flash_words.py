"""The flash after a form says what happened, in the staff's language ("已暂停 B-03 号柜门", "包裹 … 已保留至 …"),
not a bare "已保存" / "Saved" (issue 18, user trial)."""

from __future__ import annotations

from tests.console.conftest import flash


async def test_door_actions_say_what_happened(console) -> None:
    client, csrf = await console.as_user("admin")
    await client.post("/compartments/B-03/disable", data={"_csrf": csrf, "reason": "门有异响"})
    assert await flash(client) == "ok: 已暂停 B-03 号柜门"
    await client.post("/compartments/B-03/enable", data={"_csrf": csrf, "reason": "修好了"})
    assert await flash(client) == "ok: 已恢复 B-03 号柜门"
    await client.post("/compartments/B-03/disable?lang=en", data={"_csrf": csrf, "reason": "sticky"})
    client.cookies.set("lockerd_lang", "en")
    assert await flash(client) == "ok: Door B-03 disabled"


async def test_a_hold_says_until_when(console) -> None:
    dep = await console.site.deposit("SF1234567890123")
    client, csrf = await console.as_user("admin")
    r = await client.post(f"/parcels/{dep['parcel_id']}/hold",
                          data={"_csrf": csrf, "until": "2026-03-05", "reason": "住户出差"})
    assert r.status_code == 303
    shown = await flash(client)
    assert shown.startswith("ok: 包裹 SF1234567890123 已保留至 ") and ("3月5日" in shown or "03-05" in shown), shown
    assert "已保存" not in shown


async def test_a_task_done_says_so(console) -> None:
    client, csrf = await console.as_user("admin")
    tid = await console.daemon.store.write(lambda tx: tx.execute(
        "INSERT INTO tasks (kind, title, created_at) VALUES ('check_compartment', 'check', ?)", (tx.ts,)).lastrowid)
    await client.post(f"/tasks/{tid}/assign", data={"_csrf": csrf, "assignee": "lin"})
    assert await flash(client) == "ok: 此待办已交给 lin"
    await client.post(f"/tasks/{tid}/done", data={"_csrf": csrf})
    assert await flash(client) == "ok: 已完成此待办"


async def test_a_locker_parcels_code_at_the_desk_says_where_the_parcel_is(console) -> None:
    """The trial typed a locker parcel's (right) code into the desk's handover: it said 取件码不正确."""
    dep = await console.site.deposit("SF1234567890125")
    code = await console.site.code_of(dep["parcel_id"])
    client, csrf = await console.as_user("staff")
    await client.post("/desk/handover-code", data={"_csrf": csrf, "code": code})
    shown = await flash(client)
    assert shown.startswith("error: ") and f"{dep['compartment']} 号柜门" in shown and "不正确" not in shown, shown
    assert (await console.site.parcel(dep["parcel_id"]))["state"] == "stored"
    await client.post("/desk/handover-code", data={"_csrf": csrf, "code": "0000000000"})
    assert "取件码不正确" in await flash(client)


async def test_a_parcel_that_left_says_when_instead_of_an_empty_hold(console) -> None:
    from tests.console.conftest import HTML

    dep = await console.site.deposit("SF1234567890126")
    client, csrf = await console.as_user("staff")
    await client.post(f"/parcels/{dep['parcel_id']}/handed-over", data={"_csrf": csrf, "reason": "住户在前台"})
    page = (await client.get(f"/parcels/{dep['parcel_id']}?lang=zh", headers=HTML)).text
    assert "离开时间" in page and "保留至" not in page


async def test_an_empty_shelf_list_says_so_instead_of_not_found(console) -> None:
    from tests.console.conftest import HTML

    client, _ = await console.as_user("staff")
    page = (await client.get("/desk?lang=zh", headers=HTML)).text
    assert "货架上没有包裹" in page and "未找到" not in page
    assert "No parcels on the shelves" in (await client.get("/desk?lang=en", headers=HTML)).text
