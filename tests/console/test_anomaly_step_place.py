"""ADR 0046: an anomaly's next step and the place the carrier named are kept apart.

Before it, tracking's `_raise` stored "look where … ask the resident (carrier text: station 阳光小区东门菜鸟驿站)"
in `anomalies.next_action`, and the anomalies page recognised the default step by that English suffix to word it
in Chinese: a step the site configured itself kept the English " (carrier text: station …)" on the Chinese page.
Now the row stores the step as the playbook has it, the console composes step and place in the staff's language,
`parcel.anomaly_raised` keeps its `next_action` text for HQ and adds `next_step`, and schema v13 splits old rows."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import jsonschema
import pytest

from edge.store.db import SCHEMA_VERSION, migrate
from edge.store.migrations import MIGRATIONS, m013_anomaly_step
from edge.tracking.settings import TrackingSettings
from tests.console.conftest import HTML, Console
from tests.tracking.seed import seed_board

STATION = {"kind": "station", "name": "阳光小区东门菜鸟驿站"}
DEFAULT = TrackingSettings().playbook("delivered_not_here").next_action
SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs/schemas/envelope.json").read_text())


def _rows(page: str) -> list[str]:
    body = page[page.index("<tbody>"):page.index("</tbody>")]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r)) for r in body.split("<tr>")[1:]]


async def _anomalies_page(console: Console, lang: str) -> str:
    client, _ = await console.as_user("staff")
    try:
        return (await client.get(f"/anomalies?lang={lang}", headers=HTML)).text
    finally:
        await client.aclose()


async def test_the_row_keeps_the_step_and_the_event_keeps_its_words(console: Console) -> None:
    d = console.daemon
    tns = await seed_board(d)
    row, events = await d.store.read(lambda tx: (
        tx.one("SELECT next_action, detail FROM anomalies WHERE tracking_number = ? AND kind = 'delivered_not_here'",
               (tns["dnh"],)),
        [json.loads(r["data"]) for r in tx.all("SELECT data FROM events WHERE type = 'parcel.anomaly_raised'")]))
    assert row["next_action"] == DEFAULT, row  # the step alone: no English place appended
    assert json.loads(row["detail"])["place"] == STATION
    (ev,) = [e for e in events if e["kind"] == "delivered_not_here"]
    # the contract's field means what it meant: the step then the place, as HQ consumers have shown it
    assert ev["next_action"] == f"{DEFAULT} (carrier text: station 阳光小区东门菜鸟驿站)"
    assert ev["next_step"] == DEFAULT and ev["place"] == STATION  # added: the parts, for a reader's own language
    other = next(e for e in events if e["kind"] != "delivered_not_here")
    assert other["next_step"] == other["next_action"]
    # the envelope HQ receives, against the published schema (docs/schemas/envelope.json)
    from cloudsync.publisher import ENVELOPE_SQL
    rows = await d.store.read(lambda tx: tx.execute(ENVELOPE_SQL, ('"site-1"', 0, 10_000)).fetchall())
    schema = SCHEMA
    raised = [json.loads(r[2]) for r in rows if r[1] == "parcel.anomaly_raised"]
    assert raised
    for env in raised:
        jsonschema.validate(env, schema)
    bad = raised[0] | {"data": raised[0]["data"] | {"place": {"kind": "station"}}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


async def test_a_step_the_site_wrote_gets_the_place_in_the_staffs_language(console: Console) -> None:
    """A configured step is shown as written; the place beside it was English on the Chinese page."""
    svc = console.daemon.tracking.service
    svc.settings = TrackingSettings(playbooks={"delivered_not_here": {"next_action": "先查东门监控，再问驿站"}})
    await seed_board(console.daemon)
    zh = next(r for r in _rows(await _anomalies_page(console, "zh")) if "显示已送达但未到本小区" in r)
    assert "先查东门监控，再问驿站（快递记录：驿站/代收点：阳光小区东门菜鸟驿站）" in zh, zh
    assert "carrier text" not in zh and "station" not in zh, zh
    en = next(r for r in _rows(await _anomalies_page(console, "en")) if "delivered, but not here" in r)
    assert "先查东门监控，再问驿站 (carrier text: Pickup station: 阳光小区东门菜鸟驿站)" in en, en


def test_schema_v13_splits_old_rows_and_leaves_other_steps(tmp_path: Path) -> None:
    path = tmp_path / "lockerd.db"
    conn = sqlite3.connect(path, isolation_level=None)
    before = MIGRATIONS.index(m013_anomaly_step)
    assert migrate(conn, path, target=before) == before
    rows = [
        (1, "delivered_not_here", f"{DEFAULT} (carrier text: station 阳光小区东门菜鸟驿站)", {"place": STATION}),
        # an operator's step that happens to name the carrier text, with another place: left alone
        (2, "delivered_not_here", "ask the guard (carrier text: signer 本人)", {"place": STATION}),
        (3, "stalled", "call the carrier", {}),
    ]
    for rid, kind, text, detail in rows:
        conn.execute("INSERT INTO anomalies (id, tracking_number, kind, severity, owner, next_action, raised_at,"
                     " detail) VALUES (?, ?, ?, 'red', 'front_desk', ?, '2026-03-02T01:00:00.000Z', ?)",
                     (rid, f"SF{rid}", kind, text, json.dumps(detail, ensure_ascii=False)))
    assert migrate(conn, path) == SCHEMA_VERSION
    got = dict(conn.execute("SELECT id, next_action FROM anomalies").fetchall())
    assert got == {1: DEFAULT, 2: "ask the guard (carrier text: signer 本人)", 3: "call the carrier"}
    conn.close()


def test_the_step_in_words_for_both_shapes_of_the_event() -> None:
    """HQ reads events of sites before ADR 0046 (next_action with the English place) and after (next_step)."""
    from cloudsync.hq.sitepage import anomaly_step_words

    old = {"kind": "delivered_not_here", "next_action": f"{DEFAULT} (carrier text: station 阳光小区东门菜鸟驿站)",
           "place": STATION}
    new = old | {"next_step": DEFAULT}
    want = "按快递记录的地点或签收人查找；致电快递员；查看柜机记录和包裹室；询问住户（快递记录：驿站/代收点：阳光小区东门菜鸟驿站）"
    assert anomaly_step_words(old, "zh") == anomaly_step_words(new, "zh") == want
    assert anomaly_step_words(new, "en").endswith("ask the resident (carrier text: Pickup station: 阳光小区东门菜鸟驿站)")
    assert anomaly_step_words({"kind": "stalled"}, "zh") == ""  # an event without a step (older still)
    assert anomaly_step_words({"kind": "stalled", "next_action": "先打电话"}, "en") == "先打电话"
