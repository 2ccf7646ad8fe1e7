"""An anomaly's next step and the place the carrier named, apart (ADR 0046).

Before this version tracking stored a `delivered_not_here` anomaly's step with the place appended in English
(`anomalies.next_action` = "look where … ask the resident (carrier text: station 阳光小区东门菜鸟驿站)"), although
the place is in the row's `detail` too, so the console had to recognise English to word it in Chinese. Each
such row gets its step alone back; the place stays in `detail.place`. A row whose text does not end with exactly
the suffix its own place gives (a step an operator wrote) is left as it is.
"""

from __future__ import annotations

import json
import sqlite3

from edge.glossary import split_legacy_step

SQL = ""


def up(conn: sqlite3.Connection) -> None:
    rows = conn.execute("SELECT id, next_action, detail FROM anomalies WHERE detail LIKE '%\"place\"%'").fetchall()
    fixed = []
    for anomaly_id, text, detail in rows:
        try:
            place = json.loads(detail or "{}").get("place")
        except (ValueError, AttributeError):
            continue
        step = split_legacy_step(text or "", place if isinstance(place, dict) else None)
        if step != text:
            fixed.append((step, anomaly_id))
    conn.executemany("UPDATE anomalies SET next_action = ? WHERE id = ?", fixed)
