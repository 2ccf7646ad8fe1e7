"""Issue 18 against the real services: the glossary, tasks, CSV exports, the settings form, the live feed,
and the kiosk's pickup follow-up API (door truth, retry, lockout)."""

from __future__ import annotations

import asyncio
import csv
import html
import io
import re

import pytest

from edge import glossary
from edge.domain.sizes import Slot, accessible, accessible_warnings
from edge.web.console.exports import guard
from edge.web.console.routes_feed import diff
from tests.console.conftest import HTML, until


def test_glossary_has_one_word_for_the_parcel_room_and_never_shows_a_code() -> None:
    every = [zh for group in glossary.TERMS.values() for zh, _ in group.values()]
    assert not [w for w in every if "包裹间" in w]
    assert glossary.label("event", "door.jammed", "zh") == "柜门卡住未打开"
    assert glossary.label("event", "something.new", "zh") == "其他"
    assert glossary.label("owner", "front_desk", "en") == "front desk"
    assert glossary.label("carrier", "SF", "zh") == "顺丰速运"
    js = glossary.as_js()
    assert js.startswith("//") and '"place.parcel_room": "包裹室"' in js


def test_reach_range_is_380_to_1220_mm_and_check_config_warns() -> None:
    assert accessible("S", 40) and not accessible("S", 30)  # bottom below 380 mm
    assert not accessible("XL", 80)  # 80 + 50 cm inside: the top is out of reach
    slots = [Slot(f"A-{i:02d}", "L", 150) for i in range(30)]
    assert accessible_warnings(slots) and "size L: 0 of 30" in accessible_warnings(slots)[0]
    assert not accessible_warnings([*slots, Slot("B-01", "L", 60), Slot("B-02", "L", 60)])


def test_csv_cells_that_look_like_formulas_are_quoted() -> None:
    assert [guard(v) for v in ("=1+1", "+86", "-x", "@a", "\tx", "SF1", 3)] == ["'=1+1", "'+86", "'-x", "'@a", "'\tx",
                                                                             "SF1", 3]


def test_feed_diff_sends_only_changed_cells() -> None:
    old = {"cells": [{"id": "A-01", "show": "free"}, {"id": "A-02", "show": "free"}], "counts": {"free": 2}}
    new = {"cells": [{"id": "A-01", "show": "open"}, {"id": "A-02", "show": "free"}], "counts": {"free": 1}}
    msg = diff(old, new)
    assert msg is not None and [c["id"] for c in msg["cells"]] == ["A-01"] and msg["counts"] == {"free": 1}
    assert diff(new, new) is None


@pytest.mark.parametrize("process", [True, False], ids=["worker-process", "in-daemon"])
async def test_the_live_feed_builds_once_and_pushes_the_change_to_every_browser(console, monkeypatch, process) -> None:
    from edge.web.console import routes_feed

    monkeypatch.setattr(routes_feed, "DEBOUNCE_S", 0.05)
    feed = routes_feed.ConsoleFeed(console.daemon, process=process)
    queues = [feed.subscribe() for _ in range(5)]
    await feed.wait_primed()  # the first full snapshot
    assert (feed.worker is not None) == process
    await console.daemon.services.compartments.disable("A-05", actor="test", reason="门有异响")
    got = [await asyncio.wait_for(q.get(), 5) for q in queues]
    assert all(g == got[0] for g in got)  # one message, the same bytes for every browser
    text = got[0].decode()
    assert text.startswith("event: grid\n") and '"id":"A-05"' in text and '"show":"disabled"' in text
    assert text.count('"id":') == 1  # only the changed cell
    assert feed.builds == 1
    for q in queues:
        await feed.unsubscribe(q)
    assert feed.task is None
    await feed.close()


async def test_tasks_can_be_assigned_and_done_and_past_due_is_marked(console) -> None:
    await console.site.deposit("SF1818181818181")
    pid = (await console.daemon.store.read(lambda tx: tx.one("SELECT id FROM parcels")))["id"]
    await console.daemon.store.write(lambda tx: tx.execute(
        "INSERT INTO tasks (kind, parcel_id, title, due_at, created_at) VALUES ('door_check', ?, 'x', ?, ?)",
        (pid, "2000-01-01T00:00:00Z", tx.ts)))
    tid = await console.daemon.store.read(lambda tx: tx.scalar("SELECT id FROM tasks"))
    client, csrf = await console.as_user("staff")
    page = (await client.get("/tasks", headers=HTML)).text
    assert "检查柜门" in page and "已过期" in page and 'class="late"' in page
    await client.post(f"/tasks/{tid}/assign", data={"_csrf": csrf, "assignee": "lin"})
    assert "lin" in (await client.get("/tasks", headers=HTML)).text
    await client.post(f"/tasks/{tid}/done", data={"_csrf": csrf})
    row = await console.daemon.store.read(lambda tx: tx.one("SELECT state, done_by FROM tasks WHERE id = ?", (tid,)))
    assert row == {"state": "done", "done_by": "staff:staff"}
    timeline = (await client.get(f"/parcels/{pid}", headers=HTML)).text
    assert "员工完成待办" in timeline


async def test_parcel_and_audit_exports_are_csv_in_words(console) -> None:
    await console.site.deposit("ZT1818181818182")
    client, _ = await console.as_user("admin")
    r = await client.get("/parcels.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["运单号", "快递公司", "房号"] and any("ZT1818181818182" in row for row in rows)
    assert any("顺丰速运" in row for row in rows)  # no pattern for this number: the courier's company (SF Express)
    audit = await client.get("/audit.csv")
    text = audit.text
    assert audit.status_code == 200 and "开门" in text and "door.open" not in text


async def test_settings_form_saves_a_new_version_and_refuses_bad_or_stale(console) -> None:
    client, csrf = await console.as_user("admin")
    page = (await client.get("/settings", headers=HTML)).text
    assert "<textarea" not in page and 'name="overdue_hours"' in page and "超过几小时算超期" in page
    base = re.search(r'name="base_version" value="(\d+)"', page).group(1)
    fields = dict(re.findall(r'<input name="([a-z_.]+)" value="([^"]*)"', page))
    fields.update({"_csrf": csrf, "base_version": base, "overdue_hours": "96",
                   "disposal_options": ["return_to_sender", "hand_over"],
                   # check boxes as a browser sends them: the ticked ones
                   "locker_categories": re.findall(r'name="locker_categories" value="([a-z]+)" checked', page)})
    assert fields["locker_categories"] and "valuable" not in fields["locker_categories"]
    before = console.daemon.policy().locker_categories
    r = await client.post("/settings", data=fields)
    assert r.status_code == 303
    assert console.daemon.policy().overdue_hours == 96
    assert console.daemon.policy().locker_categories == before  # untouched boxes keep their values
    # the same form again is stale now
    await client.post("/settings", data=fields)
    msg = (await client.get("/settings", headers=HTML)).text
    assert "设置已被别人修改" in msg
    page = (await client.get("/settings", headers=HTML)).text
    base = re.search(r'name="base_version" value="(\d+)"', page).group(1)
    fields.update({"base_version": base, "overdue_hours": "abc"})
    await client.post("/settings", data=fields)
    assert "存放规则不正确" in (await client.get("/settings", headers=HTML)).text


async def test_pickup_door_truth_retry_and_one_task(console) -> None:
    site = console.site
    dep = await site.deposit("YT1818181818183")
    pid = (await console.daemon.store.read(lambda tx: tx.one("SELECT id FROM parcels")))["id"]
    code = await site.code_of(pid)
    svc = console.daemon.services.pickups
    site.bank_of(dep["compartment"]).sim_jam(dep["compartment"])
    res = await svc.submit(code, kiosk="k1")
    assert res["parcels"][0]["door"] == "opening"
    assert (await svc.door_status(pid))["door"] == "opening"  # not "open" before the sensor says so
    async def jammed() -> bool:
        return bool((await svc.door_status(pid))["door"] == "jammed")

    # the confirm timeout (0.3 s here, with the door core's own re-tries) runs out
    await until(site, jammed, "the door never jammed", tries=40, pause=0.1)
    st = await svc.door_status(pid)
    assert st["door"] == "jammed" and st["retries_left"] == 1 and st["staff_told"]
    again = await svc.submit(code, kiosk="k1")  # the same code: said at once, no new command
    assert again["parcels"][0]["door"] == "jammed"
    await svc.retry(pid, kiosk="k1")
    await until(site, jammed, "the retry never jammed", tries=40, pause=0.1)
    st = await svc.retry(pid, kiosk="k1")
    assert st["retries_left"] == 0
    n = await console.daemon.store.read(lambda tx: tx.scalar(
        "SELECT count(*) FROM tasks WHERE kind = 'pickup_failed' AND state = 'open' AND parcel_id = ?", (pid,)))
    assert n == 1
    await svc.staff_complete(pid, actor="staff:lin", reason="钥匙开门交付", how="handed_over")
    n = await console.daemon.store.read(lambda tx: tx.scalar(
        "SELECT count(*) FROM tasks WHERE kind = 'pickup_failed' AND state = 'open' AND parcel_id = ?", (pid,)))
    assert n == 0
    assert (await svc.door_status(pid))["door"] == "closed"


async def test_lock_status_before_anyone_types(console) -> None:
    svc = console.daemon.services.pickups
    assert (await svc.lock_status(kiosk="kx"))["locked"] is False
    for _ in range(5):
        try:
            await svc.submit("0000000001", kiosk="kx")
        except Exception:  # wrong codes are refused on purpose
            pass
    st = await svc.lock_status(kiosk="kx")
    assert st["locked"] is True and st["retry_after"] > 0 and st["attempts_left"] == 0


async def test_moved_to_the_parcel_room_the_message_carries_the_whole_code(console) -> None:
    dep = await console.site.deposit("SF1818181818184")
    pid = (await console.daemon.store.read(lambda tx: tx.one("SELECT id FROM parcels")))["id"]
    code = await console.site.code_of(pid)
    client, csrf = await console.as_user("staff")
    await client.post(f"/parcels/{pid}/move", data={"_csrf": csrf, "shelf_slot": "R2-01", "confirm": dep["compartment"]})
    texts = await console.daemon.store.read(lambda tx: [r["text"] for r in tx.all(
        "SELECT text FROM notifications WHERE parcel_id = ? ORDER BY rowid", (pid,))])
    assert code in texts[-1] and "包裹室" in texts[-1]  # the desk hands over by this code


LATIN_OK = {"cm", "csv", "en", "ok", "admin", "staff", "sunny", "gardens", "app", "sms", "test"}  # + fixture data


def visible_text(page: str) -> list[str]:
    body = re.sub(r"(?s)<(script|style|head)\b.*?</\1>", " ", page)
    body = re.sub(r'(?s)<input[^>]*type="hidden"[^>]*>', " ", body)
    out = [html.unescape(m) for m in re.findall(r'(?:placeholder|title|aria-label)="([^"]*)"', body)]
    out += [html.unescape(t).strip() for t in re.split(r"<[^>]+>", body) if t.strip()]
    return out


def raw_words(texts: list[str]) -> list[str]:
    found = []
    for t in texts:
        found += [f"code {m!r} in {t[:60]!r}" for m in re.findall(r"\b[a-z][a-z0-9]*(?:[._][a-z0-9]+)+\b", t)]
        found += [f"English {w!r} in {t[:60]!r}" for w in re.findall(r"[A-Za-z]+", t)
                  if not (w.lower() in LATIN_OK or (w.isupper() and len(w) <= 4))]
    return found


async def test_anomalies_and_follow_ups_read_in_chinese(console) -> None:
    tracking = console.daemon.tracking
    assert tracking is not None  # a simulated site runs every part
    client, csrf = await console.as_user("admin")
    await client.post("/expected", data={"_csrf": csrf, "tracking_number": "SF2020202020209", "unit": "1-101"})
    await tracking.service.ingest("SF2020202020209", "SF", [
        {"time": "2026-03-01T08:00:00Z", "text": "快件已揽收"},
        {"time": "2026-03-02T01:00:00Z", "text": "派送不成功，电话无人接听"}])
    dep = await console.site.deposit("SF2020202020209")
    pid = (await console.daemon.store.read(lambda tx: tx.one(
        "SELECT id FROM parcels WHERE tracking_number = 'SF2020202020209'")))["id"]
    await client.post(f"/parcels/{pid}/follow-up", data={"_csrf": csrf, "channel": "online_chat", "said": "快递说明天再派",
                                                         "contact": "95338"})
    await client.post(f"/parcels/{pid}/hold", data={"_csrf": csrf, "until": "2026-03-06", "reason": "出差"})
    problems = []
    for path in ("/anomalies", "/expected", f"/parcels/{pid}", "/tasks", "/audit", "/", "/compartments",
                 f"/compartments/{dep['compartment']}/open", "/settings", "/reports/carriers"):
        page = (await client.get(path + "?lang=zh", headers=HTML)).text
        problems += [f"{path}: {p}" for p in raw_words(visible_text(page))]
    assert not problems, "\n".join(problems)
