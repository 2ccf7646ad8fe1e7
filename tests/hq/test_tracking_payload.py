"""HQ's tracking-update checks (cloudsync/hq/tracking.py) against the site's receiver (cloudsync/tracking_in.py).

Pure: no broker or database. What HQ accepts, the site accepts; HQ's row key is the digest the site
deduplicates on, so an update sent twice is one on both sides; bad bodies get a 4xx naming the field.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from cloudsync import tracking_in
from cloudsync.hq import tracking as hq

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
GOOD: dict[str, Any] = {
    "tracking_number": " SF1234567890123 ", "carrier": "sf",
    "events": [{"time": "2026-12-04T08:30:00+08:00", "text": "快件已到达【北京顺义集散中心】", "location": "北京", "code": 30},
               {"time": "2026-12-04T09:10:00Z", "text": "派件中", "code": "44"}],
}


def _site_digest(payload: bytes) -> str:
    tn, carrier, events = tracking_in.validate(payload)
    body = json.dumps({"tracking_number": tn, "carrier": carrier, "events": events},
                      ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()


def test_what_hq_accepts_the_site_accepts_and_both_key_it_alike() -> None:
    doc = hq.canonical(GOOD, NOW)
    assert doc["tracking_number"] == "SF1234567890123"
    assert doc["events"][0]["code"] == "30"  # codes travel as strings
    payload = hq.payload_of(doc)
    assert _site_digest(payload) == hq.key_of(doc)
    # the same update posted again, spelled differently (key order, spaces), is the same key
    again = json.loads(json.dumps(GOOD))
    again["tracking_number"] = "SF1234567890123"
    assert hq.key_of(hq.canonical(dict(reversed(list(again.items()))), NOW)) == hq.key_of(doc)
    # a changed event is another update
    other = json.loads(json.dumps(GOOD))
    other["events"][1]["text"] = "已签收"
    assert hq.key_of(hq.canonical(other, NOW)) != hq.key_of(doc)
    assert hq.MAX_PAYLOAD == tracking_in.MAX_PAYLOAD


@pytest.mark.parametrize(("change", "field", "status"), [
    (lambda b: b.pop("tracking_number"), "tracking_number", 400),
    (lambda b: b.update(events=[]), "events", 400),
    (lambda b: b.update(extra=1), "'extra'", 400),
    (lambda b: b["events"][0].pop("text"), "events[0].text", 400),
    (lambda b: b["events"][1].update(time="2026-12-04 09:10"), "events[1].time", 400),
    (lambda b: b["events"][1].update(time="2026-12-09T09:10:00Z"), "events[1].time", 400),
    (lambda b: b["events"][0].update(colour="red"), "events[0]", 400),
    (lambda b: b.update(events=b["events"] * 300), "events", 413),
    (lambda b: b["events"][0].update(text="x" * 2001), "events[0].text", 400),
])
def test_a_bad_update_is_refused_naming_the_field(change: Any, field: str, status: int) -> None:
    body = json.loads(json.dumps(GOOD))
    change(body)
    with pytest.raises(hq.BadUpdate) as err:
        hq.canonical(body, NOW)
    assert field in str(err.value)
    assert err.value.status == status


def test_not_an_object_is_refused() -> None:
    for body in (None, [], "SF1", 3):
        with pytest.raises(hq.BadUpdate, match="JSON object"):
            hq.canonical(body, NOW)
