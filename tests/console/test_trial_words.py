"""The software's own reasons and bilingual task titles in the staff's words (trial of 2026-12-02,
docs/trial-2026-12-02b.md): the Chinese audit showed "door_jammed" and "wall clock stepped by forward 17
minutes", and the task list a bare "待办" for the clock-step task."""

from __future__ import annotations

from contextlib import aclosing

from tests.console.conftest import HTML


async def test_audit_reasons_the_software_wrote_are_in_chinese(console) -> None:
    def seed(tx):
        tx.audit("system", "compartment.fault", "A-01", "door_jammed", command_id="x")
        tx.audit("system", "clock.step", "", "wall clock stepped by forward 17 minutes", step_s=1020.0)
        tx.audit("system", "retention.purge", "", "older than 90 days")
        tx.audit("staff:admin", "task.done", "3", "pickup_failed")

    await console.daemon.store.write(seed)
    client, _ = await console.as_user("admin")
    page = (await client.get("/audit", headers=HTML)).text
    for raw in ("door_jammed", "wall clock", "older than", "pickup_failed"):
        assert raw not in page, raw
    for words in ("柜门卡住未打开", "柜机时钟向前跳了 17 分钟", "超过 90 天", "柜门没有为住户打开"):
        assert words in page, words
    client.cookies.set("lockerd_lang", "en")
    page = (await client.get("/audit", headers=HTML)).text
    assert "the door jammed" in page and "the locker&#39;s clock jumped forward 17 minutes" in page
    assert "wall clock" not in page  # a row of the old words reads as the new ones


async def test_the_clock_step_reason_reads_naturally_in_both_languages(console) -> None:
    from edge.rules.clockguard import rebase_tx

    await console.daemon.store.write(lambda tx: rebase_tx(tx, 3 * 3600, tx.now))
    client, _ = await console.as_user("admin")
    page = (await client.get("/audit", headers=HTML)).text
    assert "柜机时钟向前跳了 3.0 小时" in page and "clock jumped" not in page
    client.cookies.set("lockerd_lang", "en")
    page = (await client.get("/audit", headers=HTML)).text
    assert "the locker&#39;s clock jumped forward 3.0 hours" in page  # the page escapes the apostrophe


async def test_a_task_titled_in_both_languages_shows_the_staffs_half(console) -> None:
    title = ("The locker's clock jumped forward 17 minutes. Check the reminders before they go out. / "
             "柜机时钟向前跳了 17 分钟，请在提醒发出前核对。")
    await console.daemon.store.write(lambda tx: tx.execute(
        "INSERT INTO tasks (kind, title, created_at) VALUES ('clock_step', ?, ?)", (title, tx.ts)))
    client, _ = await console.as_user("admin")
    page = (await client.get("/tasks", headers=HTML)).text
    assert "柜机时钟向前跳了 17 分钟，请在提醒发出前核对。" in page and "clock jumped" not in page
    client.cookies.set("lockerd_lang", "en")
    page = (await client.get("/tasks", headers=HTML)).text
    assert "clock jumped forward 17 minutes. Check the reminders" in page and "柜机时钟" not in page


async def test_a_clock_step_task_says_which_way_the_clock_jumped_in_plain_chinese(console) -> None:
    """Trial 2026-12-05 item 14: the task read "柜机时钟跳变了向前 15.1 小时"; it says "向前跳了" / "向后跳了",
    and a task written before with the old words reads the new way on the tasks page."""
    clock = console.site.clock
    guard = console.daemon.rules.guard
    clock.step(3 * 3600)
    assert await guard.check() is not None
    clock.step(-2 * 3600 - 1800)
    assert await guard.check() is not None
    old = ("The locker's clock jumped back 17 minutes. Check the reminders before they go out. / "
           "柜机时钟跳变了向后 17 分钟，请在提醒发出前核对。")
    await console.daemon.store.write(lambda tx: tx.execute(
        "INSERT INTO tasks (kind, title, created_at) VALUES ('clock_step', ?, ?)", (old, tx.ts)))
    rows = await console.daemon.store.read(lambda tx: tx.all("SELECT title FROM tasks WHERE kind = 'clock_step'"))
    titles = " ".join(r["title"] for r in rows)
    assert "柜机时钟向前跳了 3.0 小时，" in titles and "柜机时钟向后跳了 2.5 小时，" in titles
    client, _ = await console.as_user("admin")
    async with aclosing(client):
        page = (await client.get("/tasks", headers=HTML)).text
        assert "柜机时钟向前跳了 3.0 小时" in page and "柜机时钟向后跳了 2.5 小时" in page
        assert "柜机时钟向后跳了 17 分钟" in page and "跳变了" not in page
        client.cookies.set("lockerd_lang", "en")
        page = (await client.get("/tasks", headers=HTML)).text
        assert "clock jumped forward 3.0 hours" in page and "clock jumped back 2.5 hours" in page


async def test_a_code_whose_door_jammed_at_pickup_goes_to_the_parcel_not_back_to_the_kiosk(console) -> None:
    """The kiosk told the resident "A-05 jammed, go to the desk"; the desk then said "请住户在柜机上输入取件码"."""
    from tests.console.conftest import flash

    dep = await console.site.deposit("SF1234567890126")
    code = await console.site.code_of(dep["parcel_id"])
    c = dep["compartment"]
    await console.daemon.store.write(lambda tx: tx.execute(
        "INSERT INTO tasks (kind, parcel_id, compartment_id, title, created_at) VALUES ('pickup_failed', ?, ?, 'x', ?)",
        (dep["parcel_id"], c, tx.ts)))
    client, csrf = await console.as_user("staff")
    r = await client.post("/desk/handover-code", data={"_csrf": csrf, "code": code})
    assert r.status_code == 303 and r.headers["location"].startswith(f"/parcels/{dep['parcel_id']}")
    shown = await flash(client)
    assert shown == f"error: {c} 号柜门没有为住户打开：请取出包裹（可用下面的远程开门，或用钥匙），然后点“已取出并当面交付”"
    page = (await client.get(f"/parcels/{dep['parcel_id']}", headers=HTML)).text
    assert "已取出并当面交付" in page


async def test_a_parcel_that_left_shows_no_storage_stage(console) -> None:
    """A disposed parcel read "已退回 · 待处置" (disposal due) and a remotely opened one "已取件 · 超期"."""
    import re

    dep = await console.site.deposit("SF1234567890127")
    pid = dep["parcel_id"]
    await console.daemon.store.write(lambda tx: tx.execute("UPDATE parcels SET stage = 'overdue' WHERE id = ?", (pid,)))
    client, csrf = await console.as_user("staff")
    page = (await client.get(f"/parcels/{pid}", headers=HTML)).text
    assert re.search(r"在存 · 超期</span>", page)  # while stored, the stage is news
    await client.post(f"/parcels/{pid}/handed-over", data={"_csrf": csrf, "reason": "钥匙开门交付"})
    await console.daemon.store.write(lambda tx: tx.execute("UPDATE parcels SET stage = 'disposal_due' WHERE id = ?",
                                                           (pid,)))
    page = (await client.get(f"/parcels/{pid}", headers=HTML)).text
    assert re.search(r"已取件</span>", page) and "待处置" not in page.split("<main>")[1].split("时间线")[0]


async def test_a_refused_settings_form_names_the_rule_and_keeps_what_was_typed(console) -> None:
    """Overdue (12 h) before the reminders (24, 48 h): the flash said "：填写的值不被接受" with no field and the
    page came back with the old values, the typed ones lost."""
    import re

    client, csrf = await console.as_user("admin")
    page = (await client.get("/settings", headers=HTML)).text
    base = re.search(r'name="base_version" value="(\d+)"', page).group(1)
    fields = dict(re.findall(r'<input name="([a-z_.]+)" value="([^"]*)"', page))
    fields.update({"_csrf": csrf, "base_version": base, "overdue_hours": "12", "locker_max_hours": "6",
                   "disposal_options": ["return_to_sender"],
                   "locker_categories": re.findall(r'name="locker_categories" value="([a-z]+)" checked', page)})
    r = await client.post("/settings", data=fields)
    assert r.status_code == 200
    assert "普通：提醒住户取件的时间要早于超期时间（12 小时）" in r.text and "填写的值不被接受" not in r.text
    assert 'name="overdue_hours" value="12"' in r.text and 'name="locker_max_hours" value="6"' in r.text
    assert console.daemon.policy().overdue_hours != 12  # nothing saved
    fields.update({"overdue_hours": "72", "locker_max_hours": "72", "fresh.overdue_hours": "0"})
    r = await client.post("/settings", data=fields)
    assert "生鲜 · 超过几小时算超期：必须大于 0" in r.text, re.findall(r'flash[^>]*>([^<]*)', r.text)


async def test_every_task_kind_the_services_write_has_words(console) -> None:
    """An interrupted deposit's task (the glossary had "deposit_interrupted", the code writes
    "interrupted_deposit") and a resident's refusal showed a bare "待办" on the Chinese task list."""
    import re

    def seed(tx):
        for kind, title in (("interrupted_deposit", "Deposit into A-03 was interrupted by a restart"),
                            ("cancel_failed", "A courier cancelled a deposit but door A-04 did not open"),
                            ("resident_refused", "住户拒收包裹：SF1（1-101，A-05），请安排退回寄件人"),
                            ("some_future_kind", "某个新的待办：请检查 A-06")):
            tx.execute("INSERT INTO tasks (kind, title, created_at) VALUES (?, ?, ?)", (kind, title, tx.ts))

    await console.daemon.store.write(seed)
    client, _ = await console.as_user("staff")
    page = (await client.get("/tasks", headers=HTML)).text
    cells = re.findall(r"<tr[^>]*>\s*<td[^>]*>([^<]*)</td>", page)
    assert len(cells) >= 4 and "待办" not in cells and "Task" not in cells, cells
    for words in ("投递被重启打断", "取消投递时柜门没有打开", "住户拒收：请联系快递公司或安排退回", "某个新的待办：请检查 A-06"):
        assert words in page, words


async def test_the_audit_and_a_timeline_name_the_courier(console) -> None:
    """"快递员" alone did not say which courier signed in or deposited; the kiosk's id stood as a bare word."""
    dep = await console.site.deposit("SF1234567890128")
    cid = await console.daemon.store.read(lambda tx: tx.scalar(
        "SELECT courier_id FROM parcels WHERE id = ?", (dep["parcel_id"],)))
    who = await console.daemon.store.read(lambda tx: tx.one("SELECT company, name FROM couriers WHERE id = ?", (cid,)))
    await console.daemon.store.write(lambda tx: tx.audit("courier:" + cid, "courier.login", "lobby-2"))
    client, _ = await console.as_user("admin")
    page = (await client.get("/audit", headers=HTML)).text
    assert who["name"] and f"快递员 顺丰速运 {who['name']}" in page, who
    assert "柜机 lobby-2" in page
    timeline = (await client.get(f"/parcels/{dep['parcel_id']}", headers=HTML)).text
    assert f"快递员 顺丰速运 {who['name']}" in timeline


async def test_two_reminders_after_a_power_cut_say_which_and_no_empty_hold_row(console) -> None:
    """The regenerated parcel screenshot (2026-12-04) showed "已提醒住户取件" twice at one minute with nothing to
    tell them apart, and a "保留至" row with no date on a parcel that was never held."""
    dep = await console.site.deposit("SF1234567890128")
    console.site.clock.advance(3 * 86400)  # the daemon was off past both reminders
    await console.daemon.rules.sweep()
    client, _csrf = await console.as_user("staff")
    for lang, first, second, hold in (("zh", "第 1 次", "第 2 次", "保留至"),
                                      ("en", "reminder 1", "reminder 2", "Hold until")):
        page = (await client.get(f"/parcels/{dep['parcel_id']}?lang={lang}", headers=HTML)).text
        timeline = page.split("<main>")[1]
        assert first in timeline and second in timeline, lang
        assert hold not in page.split("<main>")[1].split("操作" if lang == "zh" else "Actions")[0], lang


async def test_the_settings_page_says_what_the_currency_code_is(console) -> None:
    """The storage fee's currency is an ISO code (CNY); trial38 read a bare "CNY" beside 币种. The label says it."""
    client, _csrf = await console.as_user("admin")
    page = (await client.get("/settings", headers=HTML)).text
    assert "币种（国际代码，人民币为 CNY，港币为 HKD；留空则用站点所在地的币种）" in page  # fix40: empty follows the site
