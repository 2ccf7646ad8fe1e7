"""The parcel-room desk in the staff's words (trial of 2026-12-05): the intake's category drop-down and a refusal."""

from __future__ import annotations

import re
from contextlib import aclosing

from tests.console.conftest import HTML, Console, flash


def _options(page: str) -> list[str]:
    m = re.search(r'<select name="category">(.*?)</select>', page, re.S)
    assert m, "no category drop-down"
    return re.findall(r"<option[^>]*>([^<]*)</option>", m.group(1))


async def test_the_intake_names_categories_as_the_parcel_pages_do(console: Console) -> None:
    """/desk offered 正常 (the grade 'green') for a normal parcel, while its parcel page says 类别 普通; in English
    the options were the raw codes."""
    client, _csrf = await console.as_user("staff")
    async with aclosing(client):
        zh = (await client.get("/desk", headers=HTML)).text
        assert _options(zh) == ["普通", "生鲜", "药品", "贵重", "超大件"]
        en = (await client.get("/desk?lang=en", headers=HTML)).text
        expected = (await client.get("/expected?lang=en", headers=HTML)).text
        assert _options(en) == _options(expected) and "valuable" in _options(en)


async def test_an_english_refusal_begins_as_a_sentence(console: Console) -> None:
    """"no parcel in the parcel room has that code" read like a log line at the top of the English desk page."""
    client, csrf = await console.as_user("staff")
    async with aclosing(client):
        resp = await client.post("/desk/handover-code?lang=en", data={"_csrf": csrf, "code": "1234567890"})
        got = await flash(client, resp, "en")
        assert got == "error: No parcel in the parcel room has that code", got
        resp = await client.post("/desk/handover-code?lang=zh", data={"_csrf": csrf, "code": "1234567890"})
        assert await flash(client, resp, "zh") == "error: 取件码不正确"


async def test_the_rules_hold_released_names_the_whole_site_on_the_audit(console: Console) -> None:
    """"员工恢复存放规则 | site": the rules hold after a clock step is the whole site's, like a site-wide lockout."""
    await console.daemon.store.write(lambda tx: tx.audit("staff:admin", "clock.hold_released", "site", "核对过时钟"))
    client, _csrf = await console.as_user("admin")
    async with aclosing(client):
        zh = (await client.get("/audit?lang=zh", headers=HTML)).text
        row = next(r for r in re.findall(r"<tr>(.*?)</tr>", zh, re.S) if "核对过时钟" in r)
        assert "员工恢复存放规则" in row and "全站" in row and ">site<" not in row, row
        en = (await client.get("/audit?lang=en", headers=HTML)).text
        row = next(r for r in re.findall(r"<tr>(.*?)</tr>", en, re.S) if "核对过时钟" in r)
        assert "the whole site" in row, row


async def test_a_parcel_of_no_known_carrier_is_named_in_the_report_chart_too(console: Console) -> None:
    """A desk intake of a number no carrier pattern fits: the table said 未知快递公司, its bar in the chart "?"."""
    client, csrf = await console.as_user("staff")
    async with aclosing(client):
        resp = await client.post("/desk/intake", data={"_csrf": csrf, "tracking_number": "QQ25000000001", "unit": "1-101",
                                                       "phone_tail": "1234", "category": "normal", "shelf_slot": "R2"})
        assert resp.status_code == 303, resp.text
        zh = (await client.get("/reports/carriers?lang=zh", headers=HTML)).text
        svg = re.search(r"<svg.*?</svg>", zh, re.S)
        assert svg and "未知快递公司" in svg.group(0) and ">?<" not in svg.group(0), svg.group(0)[:600] if svg else zh[:300]
        en = (await client.get("/reports/carriers?lang=en", headers=HTML)).text
        assert ">?<" not in en and "Unknown carrier" in re.search(r"<svg.*?</svg>", en, re.S).group(0)  # type: ignore[union-attr]


async def test_the_public_notice_gives_the_deadline_the_resident_was_told(console: Console) -> None:
    """A notice posted on Saturday 26 Dec at 22:58 (after the desk closed): the resident's message said
    "请于12月31日 20:00前领取" and the disposal falls due then, while the printed notice said 2026-12-30."""
    from edge.rules.schedule import notice_deadline

    dep = await console.site.deposit("SF2500000000077")
    posted = "2026-12-26T14:58:42.234Z"
    await console.daemon.store.write(lambda tx: tx.execute(
        "INSERT INTO rule_actions (parcel_id, action, due_at, done_at) VALUES (?, 'notice', ?, ?)",
        (dep["parcel_id"], posted, posted)))
    from edge.clock import parse_iso

    told = notice_deadline(console.daemon.rules.service.engine.calendar, console.daemon.policy(), parse_iso(posted))
    assert told.isoformat().startswith("2026-12-31T12:00")  # 20:00 at the site, as the message said
    client, _ = await console.as_user("staff")
    async with aclosing(client):
        page = (await client.get("/tasks/notice", headers=HTML)).text
        row = next(r for r in re.findall(r"<tr>(.*?)</tr>", page, re.S) if "0077" in r)
        assert "2026-12-31 20:00" in row and "2026-12-30" not in row, row


def test_a_move_to_the_parcel_room_is_not_said_to_be_by_the_rules() -> None:
    """The desk moved an oversize parcel out of an XL door ("超大件占柜"); its timeline said 按规定移至包裹室 (by the rules)
    beside 员工 desk. Every move is a staff member's, whatever the reason."""
    from edge import glossary

    assert glossary.label("event", "rules.moved_to_parcel_room", "zh") == "移至包裹室"
    assert glossary.label("event", "rules.moved_to_parcel_room", "en") == "moved to the parcel room"


async def test_the_units_page_names_every_column_the_import_reads(console: Console) -> None:
    """The import reads 邮箱 (the smtp channel's address) and 休假至 too; the page's hint named six columns."""
    client, _csrf = await console.as_user("admin")
    async with aclosing(client):
        zh = (await client.get("/units?lang=zh", headers=HTML)).text
        assert "CSV 列：房号、手机号、手机尾号、语言、低位柜门、同意入柜、邮箱、休假至" in zh
        en = (await client.get("/units?lang=en", headers=HTML)).text
        assert "email/邮箱, vacation_until/休假至" in en
