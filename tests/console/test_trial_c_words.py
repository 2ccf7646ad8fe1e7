"""Issue 18, third pass (docs/trial-2026-12-02c.md): what the front desk met on a real site's console.

On `lockerd run` with no channel that reaches residents, the Chinese messages page said "hq: cloud sync is
off: HQ cannot notify the resident" in its error column and "hq" as the channel, with the wait as "5 s"."""

from __future__ import annotations

import random
import re
from datetime import timedelta

import pytest

from edge.clock import utc_iso
from edge.notify import queue as Q
from edge.web.console.notify_words import RULES, channel_error
from tests.console.conftest import HTML, until

ERRORS = [
    "hq: cloud sync is off: HQ cannot notify the resident",
    "sms-aliyun: Aliyun SMS refused: isv.MOBILE_NUMBER_ILLEGAL",
    "webhook: webhook answered HTTP 502; smtp: no e-mail address in the directory for this unit",
    "expired: sms-twilio: Twilio needs the number in international form (+...)",
]


async def test_the_messages_page_gives_channel_errors_in_chinese(console) -> None:
    def seed(tx):
        for i, error in enumerate(ERRORS):
            mid = Q.enqueue(tx, kind="stored", lang="en", text=f"Your parcel {i} is in locker A-01.",
                            parcel={"unit": "3-1202", "tracking_number": f"JD00998877665{i}"})
            Q.mark_retry(tx, mid, error, Q.RetryPolicy(), random.Random(1))

    await console.daemon.store.write(seed)
    client, _ = await console.as_user("admin")
    page = (await client.get("/messages", headers=HTML)).text
    for raw in ("cloud sync is off", "refused:", "answered HTTP", "no e-mail address", "international form", "expired:"):
        assert raw not in page, raw
    for words in ("总部（云端）：云端同步未开启，总部无法通知住户", "阿里云短信拒绝发送",
                  '<code class="raw">isv.MOBILE_NUMBER_ILLEGAL</code>', "推送接口回复了 HTTP 502",
                  "住户名录里没有这个房号的邮箱", "过期未送达。Twilio 短信：Twilio 短信需要国际格式的手机号"):
        assert words in page, words
    # the resident's own message is data in the resident's language, marked so
    assert '<small data-raw lang="en">Your parcel 0 is in locker A-01.</small>' in page
    assert '<td class="keep">3-1202</td>' in page  # a unit never split "3-" / "1202"
    client.cookies.set("lockerd_lang", "en")
    page = (await client.get("/messages", headers=HTML)).text
    assert "hq: cloud sync is off: HQ cannot notify the resident" in page


def test_every_channel_sentence_has_chinese_words() -> None:
    """Each sentence edge/notify/channels can write is read by a rule, not shown as "渠道报错：..."."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "edge" / "notify"
    sentences = set()
    for f in [*root.glob("channels/*.py"), root / "dispatcher.py"]:
        for m in re.finditer(r'(?:ChannelError|NotForThisChannel)\(f?"([^"]+)"', f.read_text()):
            sentences.add(m.group(1))
    sentences |= {"no answer in time", "no channel carries this kind of message", "internal error (KeyError)"}
    examples = {"{type(exc).__name__}": "ConnectError", "{r.status_code}": "500", "{code}": "E1",
                "{exc}": "ERROR", "{body.get('Message', '')}": "bad", "{code or 'HTTP ' + str(r.status_code)}": "E2",
                "{code or 'no status'}": "E3", "{type(exc).__name__}: {exc}": "SMTPError: x"}
    unread = []
    for s in sorted(sentences):
        for k, v in examples.items():
            s = s.replace(k, v)
        s = re.sub(r'"\s*\+\s*\(f"[^"]*"[^)]*\)', "", s)
        if not any(p.fullmatch(s) for p, _ in RULES):
            unread.append(s)
        assert "渠道报错" not in str(channel_error(s, "zh")), s
    assert not unread, unread


def _opens(console, c: str) -> int:
    return next(d["opens"] for d in console.site.bank_of(c).sim_doors() if d["compartment"] == c)


@pytest.mark.parametrize("action", ["move", "disposed"])
async def test_moving_or_disposing_a_locker_parcel_opens_its_door_only_from_the_confirm_page(console, action) -> None:
    """The trial of 2026-12-02c: "移至包裹室" on a locker parcel's page opened its door at once, so Enter in
    the shelf or reason field opened a door (audited as 开门 "move to the parcel room"); "标记已处置" the same.
    Now the form leads to the door's confirm page; only its button (confirm = the door) opens it."""
    pid, c, fields = await console.locker_parcel_to_remove(action, f"SF77777777777{len(action)}")
    client, csrf = await console.as_user("staff")
    before = _opens(console, c)
    # what Enter in the form's field sends: no confirm
    page = await client.post(f"/parcels/{pid}/{action}", data={"_csrf": csrf, "reason": "柜满", **fields}, headers=HTML)
    await console.site.settle()
    assert _opens(console, c) == before, "the form opened the door"
    assert page.status_code == 200 and 'id="confirm-open"' in page.text
    assert f"确认打开 {c} 号柜门" in page.text and 'value="柜满"' in page.text
    assert ("放到包裹室 R3 号货架" if action == "move" else "退回寄件人") in page.text
    assert (await console.daemon.services.parcels.get(pid))["compartment_id"] == c  # nothing changed yet
    # the confirm page's button
    await client.post(f"/parcels/{pid}/{action}", data={"_csrf": csrf, "reason": "柜满", "confirm": c, **fields})
    async def opened() -> bool:
        return _opens(console, c) > before

    await until(console.site, opened, "the confirm button did not open the door", tries=50)
    assert _opens(console, c) == before + 1
    audit = (await client.get("/audit", headers=HTML)).text
    assert "move to the parcel room" not in audit and "disposal (" not in audit


def test_the_first_start_checklist_sets_commands_and_config_sections_apart() -> None:
    """On `lockerd run` from an empty data dir the dashboard's checklist read "请在配置中添加 [[notify.channels]]"
    and "运行 `lockerd courier add ...`" with the backticks: now as code, the way it is typed."""
    from edge.notify import firstrun
    from edge.web.console.routes_messages import _commands

    html = str(_commands(firstrun.text("no_channel", "zh")))
    assert '<code class="raw">[[notify.channels]]</code>' in html
    html = str(_commands(firstrun.text("no_couriers", "zh")))
    assert '<code class="raw">lockerd courier add' in html and "`" not in html
    assert "&lt;" in str(_commands("<b>"))  # still escaped


async def test_the_public_notice_gives_the_place_in_its_language_and_the_desk_phone(console) -> None:
    """The English notice said "Collect at: 1号楼大堂物业前台" (the site has desk_place_en) and the Chinese one
    called the desk's number "手机号" (the resident's mobile, on the Units page)."""
    site = console.daemon.config.site
    assert site.desk_place_en and site.contact
    client, _ = await console.as_user("staff")
    page = (await client.get("/tasks/notice", headers=HTML)).text
    assert f"领取地点：{site.desk_place}" in page and f"联系电话：{site.contact}" in page and "手机号" not in page
    client.cookies.set("lockerd_lang", "en")
    page = (await client.get("/tasks/notice", headers=HTML)).text
    assert f"Collect at: {site.desk_place_en}" in page and site.desk_place not in page.replace(site.desk_place_en, "")
    assert f"Desk phone: {site.contact}" in page


async def test_the_public_notice_on_a_phone_names_each_cards_fields(console) -> None:
    """At 390 px the notice's rows are cards; the page has no console.js to label them, so the cards showed
    bare values ("5-*01", "A-05", "2026-12-31") with no column names."""
    dep = await console.site.deposit("SF1400000000099")
    await console.daemon.store.write(lambda tx: tx.execute(  # as the rules record a notice
        "INSERT INTO rule_actions (parcel_id, action, due_at, done_at) VALUES (?, 'notice', ?, ?)",
        (dep["parcel_id"], tx.ts, tx.ts)))
    client, _ = await console.as_user("staff")
    page = (await client.get("/tasks/notice", headers=HTML)).text
    assert "0099" in page, page
    for label in ("运单号", "快递公司", "房号", "位置", "入柜时间"):
        assert f'data-label="{label}"' in page, label


async def test_the_oldest_pending_message_waits_in_minutes_not_1765_s(console) -> None:
    def seed(tx):
        mid = Q.enqueue(tx, kind="stored", lang="zh-CN", text="您的包裹", parcel={"unit": "1-101"})
        Q.mark_retry(tx, mid, "no answer in time", Q.RetryPolicy(), random.Random(1))
        tx.execute("UPDATE messages SET created_at = ? WHERE id = ?",
                   (utc_iso(tx.now - timedelta(seconds=1765)), mid))

    await console.daemon.store.write(seed)
    client, _ = await console.as_user("admin")
    page = (await client.get("/messages", headers=HTML)).text
    assert "最早待发送：29 分钟" in page, re.findall(r"最早待发送：[^<]*", page)
    client.cookies.set("lockerd_lang", "en")
    page = (await client.get("/messages", headers=HTML)).text
    assert "Oldest pending: 29 minutes" in page, re.findall(r"Oldest pending: [^<]*", page)


async def test_the_couriers_page_names_a_known_carrier_in_the_consoles_language(console) -> None:
    client, csrf = await console.as_user("admin")
    await client.post("/couriers", data={"_csrf": csrf, "company": "京东物流", "name": "李师傅", "code": "24681357"})
    await client.post("/couriers", data={"_csrf": csrf, "company": "小区自营配送", "name": "周", "code": "24681358"})
    page = (await client.get("/couriers", headers=HTML)).text
    assert "<td>京东物流</td>" in page and "<td>小区自营配送</td>" in page
    client.cookies.set("lockerd_lang", "en")
    page = (await client.get("/couriers", headers=HTML)).text
    assert "<td>JD Logistics</td>" in page and "<td>京东物流</td>" not in page
    assert "<td>小区自营配送</td>" in page  # not a carrier we know: as typed


async def test_the_public_notice_says_the_desk_keeps_its_hours_on_working_days(console) -> None:
    """fix27: the notice gave "开放时间: 08:00-20:00" while deadlines took the desk as closed on rest days; one rule
    (ADR 0042, `site.desk_open_on_rest_days`, false by default), said alike on the kiosk, in messages and here."""
    site = console.daemon.config.site
    assert site.desk_hours and not site.desk_open_on_rest_days
    client, _ = await console.as_user("staff")
    page = (await client.get("/tasks/notice", headers=HTML)).text
    assert f"开放时间：工作日 {site.desk_hours}" in page, page
    client.cookies.set("lockerd_lang", "en")
    page = (await client.get("/tasks/notice", headers=HTML)).text
    assert f"Opening hours: {site.desk_hours} on working days" in page, page
