"""The Units page after a save or a removal (trial of 2026-12-03, issue 18): it went to a search for the saved unit,
so the list showed that unit alone and every other one seemed gone until the search box was emptied. Now it
comes back to the list the page showed, its search (if any) kept."""

from __future__ import annotations

import re

import httpx

from tests.console.conftest import HTML, Console, flash

ROW_UNIT = re.compile(r'<tr><td>([^<]+)</td>')


async def _listed(client: httpx.AsyncClient, path: str) -> list[str]:
    page = (await client.get(path, headers=HTML)).text
    table = page.split('data-testid="unit-form"')[0]
    return ROW_UNIT.findall(table)


async def _save(client: httpx.AsyncClient, csrf: str, unit: str, **more: str) -> httpx.Response:
    return await client.post("/units", data={"_csrf": csrf, "unit": unit, "phone_tail": unit[-4:], **more})


async def test_saving_a_unit_keeps_the_others_listed(console: Console) -> None:
    client, csrf = await console.as_user("admin")
    before = await _listed(client, "/units")
    first = await _save(client, csrf, "3-1202", lang="zh-CN")
    assert first.headers["location"] == "/units", first.headers
    second = await _save(client, csrf, "3-1203", lang="en")
    assert second.headers["location"] == "/units", second.headers
    assert await flash(client, second, lang="zh") == "ok: 3-1203: 已保存"
    after = await _listed(client, "/units")
    assert set(after) == set(before) | {"3-1202", "3-1203"}, (before, after)
    # the search box is empty: nothing hides the other units
    page = (await client.get(second.headers["location"], headers=HTML)).text
    assert re.search(r'<input name="q" value=""', page), page


async def test_an_edit_from_a_search_comes_back_to_that_search(console: Console) -> None:
    client, csrf = await console.as_user("admin")
    for unit in ("7-1202", "7-1203", "8-0101"):
        await _save(client, csrf, unit)
    assert await _listed(client, "/units?q=7-12") == ["7-1202", "7-1203"]
    # the edit form opened from the search carries it, and the save comes back to it (both units, not one)
    form = (await client.get("/units?edit=7-1202&q=7-12", headers=HTML)).text
    assert '<input type="hidden" name="q" value="7-12">' in form.split('data-testid="unit-form"')[1].split("</form>")[0]
    saved = await _save(client, csrf, "7-1202", q="7-12", lang="en")
    assert saved.headers["location"] == "/units?q=7-12", saved.headers
    assert await _listed(client, saved.headers["location"]) == ["7-1202", "7-1203"]
    # a refused save comes back to the same search, with the reason
    bad = await client.post("/units", data={"_csrf": csrf, "unit": "7-1203", "phone_tail": "12a", "q": "7-12"})
    assert bad.headers["location"] == "/units?q=7-12", bad.headers
    assert (await flash(client, bad)).startswith("error: "), await flash(client, bad)
    # a removal from the search keeps it too
    gone = await client.post("/units/remove", data={"_csrf": csrf, "unit": "7-1203", "q": "7-12"})
    assert gone.headers["location"] == "/units?q=7-12", gone.headers
    assert await _listed(client, gone.headers["location"]) == ["7-1202"]
    assert "8-0101" in await _listed(client, "/units")
