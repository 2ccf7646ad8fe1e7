"""The audit names what each row was about, for every kind of object it records (the trial of 2026-12-03b
read "完成待办, 1": a task's number). A task by its kind, door and parcel; a message by its unit and parcel; a
staff alert by its words; an HQ command by what it was about; the policy by its version; a site-wide lockout as
the whole site. No raw id on the page or in the CSV export, in either language."""

from __future__ import annotations

import json
import re
from typing import Any

from tests.console.conftest import HTML, Console

CMD_ID = "0191d0c4-7e6f-7a3b-9c11-5a2f1e0d3b77"
MSG_ID = "msg_01JDEMOXYZ0000000000000001"


async def _objects(console: Console) -> dict[str, Any]:
    dep = await console.site.deposit("SF2030000000011")
    pid, c = str(dep["parcel_id"]), str(dep["compartment"])

    def fn(tx: Any) -> dict[str, Any]:
        tx.execute("INSERT INTO tasks (kind, parcel_id, compartment_id, title, created_at) VALUES"
                   " ('move_to_parcel_room', ?, ?, 'move', ?)", (pid, c, tx.ts))
        tid = int(tx.scalar("SELECT max(id) FROM tasks"))
        tx.execute("INSERT INTO messages (id, parcel_id, unit, tracking_number, kind, lang, text, created_at, next_at,"
                   " expires_at) VALUES (?, ?, '1-101', 'SF2030000000011', 'stored', 'zh-CN', 'x', ?, ?, ?)",
                   (MSG_ID, pid, tx.ts, tx.ts, tx.ts))
        tx.execute("INSERT INTO staff_alerts (dedupe, kind, tracking_number, text_zh, text_en, created_at) VALUES"
                   " ('d1', 'door_jammed', 'SF2030000000011', '柜门卡住：A-01', 'Door jammed: A-01', ?)", (tx.ts,))
        aid = int(tx.scalar("SELECT max(id) FROM staff_alerts"))
        cmd = {"id": CMD_ID, "type": "door.open", "data": {"compartment": c, "reason": "hq", "operator": "ops"}}
        tx.execute("INSERT INTO cloud_inbox (id, type, received_at, payload, state) VALUES (?, 'door.open', ?, ?,"
                   " 'done')", (CMD_ID, tx.ts, json.dumps(cmd)))
        tx.audit("staff:admin", "message.retry", MSG_ID)
        tx.audit("staff:admin", "alert.acknowledge", str(aid))
        tx.audit("hq", "cmd.door.open", CMD_ID, "opened", ok=True, code="ok")
        tx.audit("hq", "cmd.refused", "0191d0c4-dead-beef-0000-000000000000", "bad signature", code="bad_signature")
        tx.audit("staff:admin", "policy.set", "policy v3", "console", previous=2)
        tx.audit("kiosk:local", "security.courier_lockout", "site", "courier codes locked")
        return {"tid": tid, "aid": aid, "pid": pid, "c": c}

    return dict(await console.daemon.store.write(fn))


def _targets(page: str) -> list[str]:
    """The object column (the 4th) of every audit row."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[3] for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


async def test_every_kind_of_object_in_the_audit_is_named_not_numbered(console: Console) -> None:
    o = await _objects(console)
    client, csrf = await console.as_user("admin")
    r = await client.post(f"/tasks/{o['tid']}/done", data={"_csrf": csrf})
    assert r.status_code in (302, 303)
    r = await client.post(f"/tasks/{o['tid']}/assign", data={"_csrf": csrf, "assignee": "lin"})
    want = {
        "zh": [f"移至包裹室（{o['c']}） · SF2030000000011", "住户通知 1-101 SF2030000000011", "员工提醒 柜门卡住：A-01",
               f"总部指令 {o['c']}", "总部指令", "存放规则 第 3 版", "全站"],
        "en": [f"({o['c']}) · SF2030000000011", "Resident message 1-101 SF2030000000011",
               "Staff alert Door jammed: A-01", f"HQ command {o['c']}", "HQ command", "storage rules, version 3",
               "the whole site"],
    }
    for lang, words in want.items():
        page = (await client.get(f"/audit?lang={lang}", headers=HTML)).text
        targets = _targets(page)
        for w in words:
            assert any(w in t for t in targets), (w, targets)
        csv_text = (await client.get(f"/audit.csv?lang={lang}")).text
        for w in words:
            assert w in csv_text, (w, csv_text[:2000])
        for raw in (CMD_ID, MSG_ID, o["pid"], "0191d0c4-dead", "policy v3"):
            assert raw not in page and raw not in csv_text, (lang, raw)
        for t in targets:  # a bare number (a task's, an alert's id) is no name
            assert not re.fullmatch(r"\s*\d+\s*", t), targets
        assert "site" not in [t.strip() for t in targets]
