"""The console's unit form sets and clears the e-mail (for the smtp channel) and 休假至 (trial of 2026-12-07): the
units table showed 休假至 and docs/install.md names both columns, but only a CSV import could set either."""

from __future__ import annotations

import re

from tests.console.conftest import HTML, flash


async def test_the_unit_form_sets_and_clears_email_and_vacation(console) -> None:
    client, csrf = await console.as_user("admin")
    base = {"_csrf": csrf, "unit": "3-202", "phone_tail": "0002", "lang": "en", "low_door": "0", "locker_consent": "1"}
    await client.post("/units", data={**base, "email": "amy@lotus.example", "vacation_until": "2026-12-20T20:00"})
    assert (await flash(client)).startswith("ok: 3-202")
    row = await console.daemon.store.read(lambda tx: tx.one("SELECT email, vacation_until FROM units WHERE unit = '3-202'"))
    assert row["email"] == "amy@lotus.example"
    assert row["vacation_until"] == "2026-12-20T12:00:00.000Z"  # 20:00 at the site (Asia/Shanghai)
    page = (await client.get("/units?edit=3-202", headers=HTML)).text
    form = page[page.index('data-testid="unit-form"'):]
    assert re.search(r'<input name="email" type="email"[^>]*value="amy@lotus.example"', form)
    assert re.search(r'<input name="vacation_until" type="datetime-local" value="2026-12-20T20:00"', form)
    assert "邮箱" in form and "休假至" in form
    await client.post("/units", data={**base, "email": "", "vacation_until": ""})
    row = await console.daemon.store.read(lambda tx: tx.one("SELECT email, vacation_until FROM units WHERE unit = '3-202'"))
    assert row["email"] is None and row["vacation_until"] is None
    await client.post("/units", data={**base, "email": "not-an-address"})
    assert (await flash(client)).startswith("error:")
