"""Trial 2026-12-04b: staff labelled a German text nothing read ("Dokumente bei Behörde angefordert", written for
the trial) as held by customs; the stored event was re-labelled, but the waybill kept 'unknown' as its last
step and no customs anomaly was raised until another event came. A label now re-reads the waybills it touches."""

from __future__ import annotations

from typing import Any

ODD = "Dokumente bei Behörde angefordert"


async def test_a_label_re_evaluates_the_waybills_it_relabels(env: Any) -> None:
    svc = env.service
    tn = "JJD000390007786567"
    await svc.ingest(tn, "DHL Paket", [{"time": env.at(0), "text": "Die Sendung wurde im Paketzentrum bearbeitet"},
                                       {"time": env.at(1), "text": ODD}])
    assert env.raised(tn, "customs_held") == 0
    last = env.store.read_sync(lambda tx: tx.scalar("SELECT last_milestone FROM tracked WHERE tracking_number = ?",
                                                    (tn,)))
    assert last == "unknown"
    template = (await svc.label_queue())[0]["template"]
    out = await svc.label_text(template, "customs_held", carrier="DHL_PAKET", actor="staff:desk")
    assert out["relabelled_events"] == 1
    last = env.store.read_sync(lambda tx: tx.scalar("SELECT last_milestone FROM tracked WHERE tracking_number = ?",
                                                    (tn,)))
    assert last == "customs_held"
    assert env.raised(tn, "customs_held") == 1  # at once, not at the next event
    opened = [a["kind"] for a in await svc.open_anomalies()]
    assert opened == ["customs_held"]


async def test_a_shipped_pack_says_it_was_loaded(env: Any, tmp_path: Any, caplog: Any) -> None:
    """HQ's pack copied into <data dir>/tracking_packs/ was loaded without a word in the log."""
    import logging

    from edge.tracking.labels import load_shipped

    svc = env.service
    await svc.label_text(svc.classifier.template_of(ODD), "customs_held", carrier="DHL_PAKET", actor="staff:desk")
    shipped = tmp_path / "tracking_packs"
    shipped.mkdir()
    (shipped / "staff-labels.jsonl").write_text(await svc.export_labels_pack("site-a"), encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="edge.tracking.labels"):
        assert len(load_shipped(shipped)) == 1
    assert "tracking pack staff-labels.jsonl: 1 staff label loaded" in caplog.text
