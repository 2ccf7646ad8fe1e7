"""Staff teach it, the two gaps ADR 0053 found (ADR 0056): a queue row staff cannot tell is set aside (kept,
counted, undoable, audited; the text reads as it did), and a confident reading staff say is wrong becomes a staff
label through `label_text` (the next classification changes, it survives a restart, it goes to HQ once), which
can be taken back."""

from __future__ import annotations

import json
from typing import Any

from edge.tracking.service import TrackingService
from edge.tracking.settings import TrackingSettings

HUB = "【杭州萧山】快件已到达 兔兔星球 中转场"  # read confidently as arrived at a facility (the rules' word)
HUB2 = "【深圳宝安】快件已到达 兔兔星球 中转场"  # the same template, another place
NEVER = "zzqx wobble fnord"  # nothing reads this
ODD = "【杭州萧山】 快件已被 兔兔星球 暂扣 请联系 13812345678"
TN, TN2, TN3 = "ZT1234567890123", "ZT1234567890124", "YT1234567890125"


def audit(env: Any, action: str) -> list[dict[str, Any]]:
    return env.store.read_sync(lambda tx: tx.all("SELECT actor, action, target, detail FROM audit WHERE action = ?",
                                                 (action,)))


def event_id(env: Any, tn: str, text: str) -> int:
    return int(env.store.read_sync(lambda tx: tx.scalar(
        "SELECT id FROM tracking_events WHERE tracking_number = ? AND text = ?", (tn, text))))


async def test_cannot_tell_sets_a_row_aside_kept_counted_and_undoable(env: Any) -> None:
    svc: TrackingService = env.service
    await svc.ingest(TN, "ZTO", [{"time": env.at(0), "text": NEVER}])
    row = (await svc.label_queue())[0]
    before = svc.classifier.classify(NEVER, "ZTO")
    await svc.set_aside(row["template"], carrier="ZTO", actor="staff:lin")
    assert await svc.label_queue() == []  # off the queue
    aside = await svc.set_aside_queue()
    assert [(r["example"], r["seen"], r["set_aside_by"]) for r in aside] == [(NEVER, 1, "staff:lin")]
    # still counted, still off the queue; the text reads as it did (no label, no re-read)
    await svc.ingest(TN2, "ZTO", [{"time": env.at(1), "text": NEVER}])
    assert (await svc.set_aside_queue())[0]["seen"] == 2 and await svc.label_queue() == []
    assert svc.classifier.classify(NEVER, "ZTO") == before and await svc.labels() == []
    # a new template still enters the queue
    await svc.ingest(TN2, "ZTO", [{"time": env.at(2), "text": ODD}])
    assert [r["example"] for r in await svc.label_queue()] == [ODD]
    # audited in words (the glossary names the action), and undoable
    got = audit(env, "tracking.cannot_tell")
    assert got and got[0]["actor"] == "staff:lin" and got[0]["target"] == NEVER
    await svc.set_aside(row["template"], carrier="ZTO", actor="staff:lin", undo=True)
    assert [r["example"] for r in await svc.label_queue()] == [NEVER, ODD] and await svc.set_aside_queue() == []
    assert audit(env, "tracking.cannot_tell_undone")
    from edge import glossary

    for action in ("tracking.cannot_tell", "tracking.cannot_tell_undone", "tracking.label_removed"):
        assert glossary.lookup("event", action), action


async def test_a_wrong_reading_label_changes_the_next_classification_survives_restart_and_goes_to_hq_once(
        env: Any) -> None:
    svc: TrackingService = env.service
    await svc.ingest(TN, "ZTO", [{"time": env.at(0), "text": HUB}])
    await svc.ingest(TN3, "YTO", [{"time": env.at(0), "text": HUB2}])  # another carrier's parcel, same wording
    assert svc.classifier.classify(HUB2, "ZTO").milestone == "arrived_at_hub"
    assert await svc.label_queue() == []  # a confident reading: never queued
    ev = await svc.event_reading(event_id(env, TN, HUB))
    assert (ev["carrier"], ev["same_carrier"], ev["same_all"]) == ("ZTO", 1, 2)
    await svc.label_text_wrong(ev["id"], "exception", for_all=False, actor="staff:lin")
    c = svc.classifier.classify(HUB2, "ZTO")
    assert (c.milestone, c.rule) == ("exception", "staff")  # the next classification of that template changed
    assert svc.classifier.classify(HUB2, "YTO").milestone == "arrived_at_hub"  # 中通's label, not 圆通's
    stored = env.store.read_sync(lambda tx: tx.all("SELECT tracking_number, milestone, rule FROM tracking_events"
                                                   " ORDER BY tracking_number"))
    assert stored == [{"tracking_number": TN3, "milestone": "arrived_at_hub", "rule": "arrived_at_hub"},
                      {"tracking_number": TN, "milestone": "exception", "rule": "staff"}]
    # the parcel's summary was recomputed at once (its last step is the staff's reading now)
    last = env.store.read_sync(lambda tx: tx.scalar("SELECT last_milestone FROM tracked WHERE tracking_number = ?",
                                                    (TN,)))
    assert last == "exception"
    # to HQ once, as labels are today
    sent = env.events("tracking.label_added")
    assert len(sent) == 1 and sent[0]["milestone"] == "exception" and sent[0]["carrier"] == "ZTO"
    outbox = env.store.read_sync(lambda tx: tx.scalar(
        "SELECT count(*) FROM outbox o JOIN events e ON e.seq = o.seq WHERE e.type = 'tracking.label_added'"))
    assert outbox == 1
    assert json.loads(audit(env, "tracking.label_added")[0]["detail"])["wrong_reading"] is True
    # a restart: a new service over the same database reads it the staff's way
    again = TrackingService(env.store, env.clock, TrackingSettings())
    assert again.classifier.classify(HUB2, "ZTO").milestone == "arrived_at_hub"
    assert await again.load_labels() == 1
    assert again.classifier.classify(HUB2, "ZTO").milestone == "exception"


async def test_a_delivered_label_is_the_staffs_word_never_a_door_action_and_can_be_taken_back(env: Any) -> None:
    svc: TrackingService = env.service
    await svc.ingest(TN, "ZTO", [{"time": env.at(0), "text": HUB}])
    ev = await svc.event_reading(event_id(env, TN, HUB))
    await svc.label_text_wrong(ev["id"], "delivered", for_all=True, actor="staff:lin")
    assert svc.classifier.classify(HUB2, "YTO").milestone == "delivered"  # every carrier's
    assert env.store.read_sync(lambda tx: tx.scalar("SELECT count(*) FROM door_commands")) == 0
    # taken back: the stored event reads by the rules again, the classifier too, and the audit says who
    label = (await svc.labels())[0]
    await svc.unlabel(label["template"], carrier=label["carrier"], actor="staff:lin")
    assert await svc.labels() == []
    assert svc.classifier.classify(HUB2, "YTO").milestone == "arrived_at_hub"
    stored = env.store.read_sync(lambda tx: tx.one("SELECT milestone, rule FROM tracking_events"))
    assert stored == {"milestone": "arrived_at_hub", "rule": "arrived_at_hub"}
    assert audit(env, "tracking.label_removed")[0]["actor"] == "staff:lin"
    again = TrackingService(env.store, env.clock, TrackingSettings())
    assert await again.load_labels() == 0


async def test_taking_back_a_queue_label_puts_its_text_back_in_the_queue(env: Any) -> None:
    svc: TrackingService = env.service
    await svc.ingest(TN, "ZTO", [{"time": env.at(0), "text": ODD}])
    template = (await svc.label_queue())[0]["template"]
    await svc.label_text(template, "customs_held", carrier="ZTO", actor="staff:lin")
    assert await svc.label_queue() == []
    await svc.unlabel(template, carrier="ZTO", actor="staff:lin")
    assert [r["example"] for r in await svc.label_queue()] == [ODD]
    stored = env.store.read_sync(lambda tx: tx.one("SELECT rule FROM tracking_events"))
    assert stored["rule"] != "staff"
