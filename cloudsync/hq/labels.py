"""The fleet's staff labels as one pack (issue 15, "Staff teach it"): every site's `tracking.label_added` events,
the newest label of each (template, carrier) kept, written in the language-pack format a site loads from
`<data dir>/tracking_packs/` (edge/tracking/labels.py `load_shipped`, the same checks as a shipped language pack).

Before this HQ stored the events and had nothing to make a pack from them: docs said "HQ ships such files back
to every site", and an operator could only take one site's file from that site's console (trial 2026-12-07b).
"""

from __future__ import annotations

import json
import re
from typing import Any

import psycopg

from edge.tracking.rules import MILESTONES, RULES

#: the pack rule a milestone's label is filed under (the first rule of that milestone, as a site's export does)
_RULE_FOR: dict[str, str] = {}
for _r in RULES:
    _RULE_FOR.setdefault(_r.milestone, _r.name)


def fleet_labels(conn: psycopg.Connection, *, site: str | None = None) -> list[dict[str, Any]]:
    """The newest label per (template, carrier) over every site (or one), oldest first, each with the site and
    the other sites' differing readings of the same template (`disagree`: [(site, milestone)])."""
    sql = ("SELECT site, ts, data FROM events WHERE type = 'tracking.label_added'"
           + (" AND site = %s" if site else "") + " ORDER BY ts, site, seq")
    newest: dict[tuple[str, str], dict[str, Any]] = {}
    readings: dict[tuple[str, str], dict[str, str]] = {}
    for s, ts, data in conn.execute(sql, (site,) if site else ()):
        if not isinstance(data, dict):
            continue
        template, milestone = data.get("template"), data.get("milestone")
        if not isinstance(template, str) or not template.strip() or milestone not in MILESTONES \
                or milestone == "unknown":
            continue
        key = (template, str(data.get("carrier") or ""))
        newest[key] = {"site": s, "ts": ts, "template": template, "carrier": key[1], "milestone": milestone,
                       "actor": str(data.get("actor") or ""), "example": str(data.get("example") or "")}
        readings.setdefault(key, {})[s] = milestone
    out = []
    for key, row in newest.items():
        row["disagree"] = sorted((s, m) for s, m in readings[key].items() if m != row["milestone"])
        out.append(row)
    out.sort(key=lambda r: (r["ts"], r["site"]))
    return out


def pack_text(rows: list[dict[str, Any]]) -> str:
    """The labels as a pack file (JSON lines, `#` comments), one exact-template phrase each."""
    lines = ["# staff labels collected by HQ from every site: exact templates (cloudsync/hq/labels.py);",
             "# copy into each site's <data dir>/tracking_packs/ (loaded at start)"]
    for r in rows:
        when = r["ts"].isoformat() if hasattr(r["ts"], "isoformat") else str(r["ts"])
        source = f"staff label by {r['actor'] or 'staff'} at {r['site']}, {when}"
        if r["disagree"]:
            source += "; other readings: " + ", ".join(f"{m} at {s}" for s, m in r["disagree"])
        lines.append(json.dumps({
            "rule": _RULE_FOR.get(r["milestone"], "exception"), "milestone": r["milestone"],
            "pattern": "^" + re.escape(r["template"]) + "$", "template": r["template"], "carrier": r["carrier"],
            "label": r["milestone"], "source": source,
        }, ensure_ascii=False))
    return "\n".join(lines) + "\n"
