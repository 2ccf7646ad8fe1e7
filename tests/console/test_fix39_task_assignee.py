"""The tasks page showed 负责人 empty while the assign box beside it held the signed-in name ("desk"), as if the
task were the desk's already (trial 2026-12-07c, point 8). The box and the column now say the same thing: the box
holds who is assigned (nothing when nobody is), the column says 未分配 / "Not assigned", and the signed-in name
is only the box's placeholder: pressing 分配 on an empty box gives the task to the one who pressed it."""

from __future__ import annotations

import re
from typing import Any

from tests.console.conftest import HTML


def _row(page: str, tid: int) -> str:
    """The table row of task `tid` (its assign form posts to /tasks/<tid>/assign)."""
    rows = [r for r in page.split("<tr>") if f'action="/tasks/{tid}/assign"' in r]
    assert len(rows) == 1, page
    return rows[0]


def _box(row: str) -> tuple[str, str]:
    m = re.search(r'<input name="assignee" value="([^"]*)" placeholder="([^"]*)"', row)
    assert m, row
    return m.group(1), m.group(2)


def _cell(row: str) -> str:
    m = re.search(r'<td data-testid="assignee">(.*?)</td>', row)
    assert m, row
    return re.sub(r"<[^>]+>", "", m.group(1))


async def test_the_assign_box_and_the_assignee_column_agree(console: Any) -> None:
    client, csrf = await console.as_user("staff")
    tid = await console.daemon.store.write(lambda tx: tx.execute(
        "INSERT INTO tasks (kind, title, created_at) VALUES ('check_compartment', 'check', ?)", (tx.ts,)).lastrowid)
    row = _row((await client.get("/tasks?lang=zh", headers=HTML)).text, tid)
    assert _box(row) == ("", "staff"), row  # main: value="staff" while the column was empty
    assert _cell(row) == "未分配", row
    row = _row((await client.get("/tasks?lang=en", headers=HTML)).text, tid)
    assert _cell(row) == "Not assigned", row

    # an empty box takes it for the one who pressed the button, and then both say so
    r = await client.post(f"/tasks/{tid}/assign", data={"_csrf": csrf, "assignee": ""})
    assert r.status_code == 303
    row = _row((await client.get("/tasks?lang=zh", headers=HTML)).text, tid)
    assert _box(row)[0] == "staff" and _cell(row) == "staff", row

    # another desk user sees the same name in both places, not their own in the box
    other, csrf2 = await console.as_user("admin")
    row = _row((await other.get("/tasks?lang=zh", headers=HTML)).text, tid)
    assert _box(row) == ("staff", "admin") and _cell(row) == "staff", row
    await other.post(f"/tasks/{tid}/assign", data={"_csrf": csrf2, "assignee": "lin"})
    row = _row((await other.get("/tasks?lang=zh", headers=HTML)).text, tid)
    assert _box(row)[0] == "lin" and _cell(row) == "lin", row
