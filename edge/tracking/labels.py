"""Staff teach the classifier: the queue of texts it could not tell, and staff labels as local rules.

- Every event classified `unknown` or below `LOW_CONFIDENCE` lands in `tracking_text_queue`, keyed by its
  template (edge/tracking/fold.py) and carrier, counted, so the console lists one row per template with
  the most frequent first.
- A staff label (`label_text`) is written to `tracking_labels`, takes effect in the classifier at once
  (an exact template rule that decides before everything else), re-labels the stored events of that
  template, leaves the queue, and goes to HQ as the outbox event `tracking.label_added`.
- A row staff cannot tell is set aside (`set_aside_tx`): kept and still counted, off the queue, undoable, audited;
  the text keeps reading as it does. A confident reading staff say is wrong (`label_text(..., every_reading=True)`,
  from a parcel's timeline) becomes a label the same way, re-reading every stored event of its template. A label
  can be taken back (`unlabel_tx`): its texts read by the rules again (ADR 0056).
- Labels are loaded again at start (`load_labels`), so they survive a restart; `export_pack` writes them
  in the language-pack format so HQ can ship them back to every site (`<data dir>/tracking_packs/`).
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from edge.errors import DomainError
from edge.store.db import Tx
from edge.tracking.classify import LOW_CONFIDENCE, Classifier
from edge.tracking.fold import fold_chars
from edge.tracking.packs import PackError, load_pack
from edge.tracking.rules import MILESTONES, RULES

log = logging.getLogger(__name__)
QUEUE_LIMIT = 500
_RULE_FOR: dict[str, str] = {}
for _r in RULES:
    _RULE_FOR.setdefault(_r.milestone, _r.name)


def needs_label(milestone: str, confidence: float) -> bool:
    return milestone == "unknown" or confidence < LOW_CONFIDENCE


def queue_tx(tx: Tx, clf: Classifier, carrier: str | None, items: list[tuple[str, str, float]]) -> int:
    """Count (text, milestone, confidence) items that need a staff label into the queue."""
    n = 0
    for text, milestone, confidence in items:
        if not needs_label(milestone, confidence):
            continue
        template = clf.template_of(text)
        if not template:
            continue
        tx.execute(
            "INSERT INTO tracking_text_queue (template, carrier, example, milestone, confidence, seen, first_seen_at,"
            " last_seen_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT (template, carrier) DO UPDATE SET"
            " seen = seen + 1, last_seen_at = excluded.last_seen_at",
            (template, carrier or "", text[:500], milestone, confidence, tx.ts, tx.ts),
        )
        n += 1
    return n


def queue_rows(tx: Tx, limit: int = QUEUE_LIMIT) -> list[dict[str, Any]]:
    return tx.all("SELECT template, carrier, example, milestone, confidence, seen, first_seen_at, last_seen_at"
                  " FROM tracking_text_queue WHERE set_aside_at IS NULL ORDER BY seen DESC, last_seen_at DESC LIMIT ?",
                  (limit,))


def set_aside_rows(tx: Tx, limit: int = QUEUE_LIMIT) -> list[dict[str, Any]]:
    """The rows staff said they cannot tell, newest first (still counted: `seen` goes on growing)."""
    return tx.all("SELECT template, carrier, example, milestone, seen, set_aside_at, set_aside_by FROM tracking_text_queue"
                  " WHERE set_aside_at IS NOT NULL ORDER BY set_aside_at DESC LIMIT ?", (limit,))


def set_aside_tx(tx: Tx, template: str, carrier: str, actor: str, *, undo: bool = False) -> dict[str, Any]:
    """Staff cannot tell this row: it leaves the queue (kept, counted, audited) and the text reads as it does;
    `undo` puts it back. Nothing else changes: no label, no re-read."""
    row = tx.one("SELECT example, set_aside_at FROM tracking_text_queue WHERE template = ? AND carrier = ?",
                 (template, carrier))
    if row is None:
        raise DomainError("not_queued", "that wording is no longer in the queue (labelled meanwhile?)", status=404)
    if undo:
        tx.execute("UPDATE tracking_text_queue SET set_aside_at = NULL, set_aside_by = NULL WHERE template = ?"
                   " AND carrier = ?", (template, carrier))
    elif row["set_aside_at"] is None:
        tx.execute("UPDATE tracking_text_queue SET set_aside_at = ?, set_aside_by = ? WHERE template = ? AND carrier = ?",
                   (tx.ts, actor, template, carrier))
    tx.audit(actor, "tracking.cannot_tell_undone" if undo else "tracking.cannot_tell", row["example"][:200], "",
             carrier=carrier or None)
    return {"template": template, "carrier": carrier or None, "set_aside": not undo}


#: how many waybills a queue row names, and how many of the newest unread texts are looked through to find them
SOURCES_PER_ROW = 3
SOURCES_SCAN = 5000


def sources_tx(tx: Tx, clf: Classifier, rows: list[dict[str, Any]]) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Which waybills each queue row's texts came from (newest first, at most `SOURCES_PER_ROW`): its tracking
    number, and the parcel (id, unit) when the site has one. Read from the stored events the classifier left
    unread, the newest `SOURCES_SCAN` of them, folded to their template as the queue was."""
    out: dict[tuple[str, str], list[dict[str, Any]]] = {(fold_chars(r["template"]), r["carrier"] or ""): []
                                                        for r in rows}
    if not out:
        return out
    found: dict[tuple[str, str], set[str]] = {k: set() for k in out}
    for e in tx.all(
            "SELECT e.text, e.tracking_number, coalesce(t.carrier, '') AS carrier"
            " FROM tracking_events e JOIN tracked t ON t.tracking_number = e.tracking_number"
            " WHERE e.milestone = 'unknown' OR e.confidence < ? ORDER BY e.id DESC LIMIT ?",
            (LOW_CONFIDENCE, SOURCES_SCAN)):
        template = clf.template_of(e["text"])
        key = (template, e["carrier"])
        if key not in found:
            # queued under no carrier (the ingest named none) while the waybill's carrier is known by now
            # (detected from its number, or named later): the text's row is the no-carrier one
            key = (template, "")
        have = found.get(key)
        if have is None or e["tracking_number"] in have or len(have) >= SOURCES_PER_ROW:
            continue
        have.add(e["tracking_number"])
        out[key].append({"tracking_number": e["tracking_number"], "parcel_id": None, "unit": None})
    # the parcel of each waybill named, its newest, in one query (not two lookups per event looked through)
    numbers = sorted({s["tracking_number"] for got in out.values() for s in got})
    parcels: dict[str, dict[str, Any]] = {}
    for i in range(0, len(numbers), 500):
        chunk = numbers[i:i + 500]
        for p in tx.all(f"SELECT id, unit, tracking_number FROM parcels WHERE tracking_number IN"
                        f" ({','.join('?' * len(chunk))}) ORDER BY created_at", tuple(chunk)):
            parcels[p["tracking_number"]] = p  # the newest last, so it stays
    for got in out.values():
        for s in got:
            hit = parcels.get(s["tracking_number"])
            if hit:
                s["parcel_id"], s["unit"] = hit["id"], hit["unit"]
    return out


def label_rows(tx: Tx) -> list[dict[str, Any]]:
    return tx.all("SELECT template, carrier, milestone, example, actor, origin, created_at FROM tracking_labels"
                  " ORDER BY created_at DESC")


def _of_template(tx: Tx, clf: Classifier, template: str, carrier: str, where: str,
                 params: tuple[Any, ...]) -> list[dict[str, Any]]:
    """The stored events of a (folded) template matching `where`; of that carrier's waybills when one is named."""
    want = fold_chars(template)
    return [r for r in tx.all(
        "SELECT e.id, e.text, e.code, e.source, e.tracking_number, coalesce(t.carrier, '') AS carrier"
        " FROM tracking_events e JOIN tracked t ON t.tracking_number = e.tracking_number WHERE " + where, params)
        if (not carrier or r["carrier"] == carrier) and clf.template_of(r["text"]) == want]


def label_tx(tx: Tx, clf: Classifier, template: str, carrier: str, milestone: str, actor: str,
             touched: set[str] | None = None, *, every_reading: bool = False) -> dict[str, Any]:
    """Save the label, re-label the stored events of its template (their waybills are added to `touched`, for
    the caller to re-summarise and re-evaluate in the same transaction) and emit `tracking.label_added`.

    From the queue only the events read `unknown` or unsure are re-labelled (the ones the queue holds); a reading
    staff said is wrong (`every_reading`, from a parcel's timeline) re-labels every stored event of the template,
    of that carrier's waybills when the label is the carrier's."""
    if milestone not in MILESTONES:
        raise DomainError("invalid_milestone", f"unknown milestone {milestone!r}", status=422)
    if not template or len(template) > 2000:
        raise DomainError("invalid_template", "the text to label is missing or too long", status=422)
    q = tx.one("SELECT example FROM tracking_text_queue WHERE template = ? AND carrier = ?", (template, carrier))
    example = q["example"] if q else template
    tx.execute(
        "INSERT INTO tracking_labels (template, carrier, milestone, example, actor, origin, created_at)"
        " VALUES (?, ?, ?, ?, ?, 'staff', ?) ON CONFLICT (template, carrier) DO UPDATE SET milestone = excluded.milestone,"
        " actor = excluded.actor, created_at = excluded.created_at", (template, carrier, milestone, example, actor, tx.ts))
    tx.execute("DELETE FROM tracking_text_queue WHERE template = ? AND carrier = ?", (template, carrier))
    relabelled = 0
    if every_reading:
        rows = _of_template(tx, clf, template, carrier, "1 = 1", ())
    else:
        rows = _of_template(tx, clf, template, "", "e.milestone = 'unknown' OR e.confidence < ? OR e.rule = 'staff'",
                            (LOW_CONFIDENCE,))
    for row in rows:
        tx.execute("UPDATE tracking_events SET milestone = ?, confidence = 0.95, rule = 'staff' WHERE id = ?",
                   (milestone, row["id"]))
        relabelled += 1
        if touched is not None:
            touched.add(row["tracking_number"])
    data = {"template": template, "carrier": carrier or None, "milestone": milestone, "example": example[:500],
            "actor": actor, "relabelled_events": relabelled}
    tx.emit("tracking.label_added", data)
    # in the audit in words: who taught what (a label `delivered` is the staff's word, never a door action)
    tx.audit(actor, "tracking.label_added", example[:200], "", milestone=milestone, carrier=carrier or None,
             relabelled_events=relabelled, wrong_reading=every_reading)
    tx.after_commit(lambda: clf.set_local(template, carrier or None, milestone))
    return data


_PROVIDERS = ("kuaidi100", "kdniao", "aftership", "17track")


def unlabel_tx(tx: Tx, clf: Classifier, template: str, carrier: str, actor: str,
               touched: set[str] | None = None) -> dict[str, Any]:
    """Take a staff label back: its stored events are read by the rules again (their waybills go to `touched`),
    a text the rules cannot tell goes back to the queue, and the audit says who did it. The classifier drops the
    label here (the re-read needs it gone) and gets it back if the transaction fails."""
    row = tx.one("SELECT milestone, example FROM tracking_labels WHERE template = ? AND carrier = ?", (template, carrier))
    if row is None:
        raise DomainError("not_labelled", "that wording has no staff label (taken back already?)", status=404)
    tx.execute("DELETE FROM tracking_labels WHERE template = ? AND carrier = ?", (template, carrier))
    was = clf.unset_local(template, carrier or None)
    try:
        reread = 0
        for e in _of_template(tx, clf, template, carrier, "e.rule = 'staff'", ()):
            c = clf.classify(e["text"], e["carrier"] or None, e["code"], e["source"] if e["source"] in _PROVIDERS else None)
            tx.execute("UPDATE tracking_events SET milestone = ?, confidence = ?, rule = ? WHERE id = ?",
                       (c.milestone, c.confidence, c.rule, e["id"]))
            reread += 1
            if touched is not None:
                touched.add(e["tracking_number"])
        now = clf.classify(row["example"], carrier or None)
        queue_tx(tx, clf, carrier, [(row["example"], now.milestone, now.confidence)])
        tx.audit(actor, "tracking.label_removed", row["example"][:200], "", milestone=row["milestone"],
                 carrier=carrier or None, reread_events=reread)
    except BaseException:
        if was is not None:
            clf.set_local(template, carrier or None, was)
        raise
    return {"template": template, "carrier": carrier or None, "milestone": row["milestone"], "reread_events": reread}


def reading_tx(tx: Tx, clf: Classifier, event_id: int) -> dict[str, Any]:
    """One stored event as the "this reading is wrong" form shows it: its text, its reading, the template a label
    would key, its waybill's carrier, and how many stored events of that template (the carrier's, and all) a
    label would re-read."""
    e = tx.one("SELECT e.id, e.text, e.milestone, e.confidence, e.rule, e.tracking_number, coalesce(t.carrier, '') AS carrier"
               " FROM tracking_events e JOIN tracked t ON t.tracking_number = e.tracking_number WHERE e.id = ?",
               (event_id,))
    if e is None:
        raise DomainError("event_unknown", "no such tracking event", status=404)
    template = clf.template_of(e["text"])
    if not template:
        raise DomainError("invalid_template", "this text has nothing a label could key", status=422)
    same = _of_template(tx, clf, template, "", "1 = 1", ())
    return e | {"template": template, "same_all": len(same),
                "same_carrier": sum(1 for r in same if r["carrier"] == e["carrier"])}


def load_labels_tx(tx: Tx) -> dict[tuple[str, str], str]:
    return {(r["template"], r["carrier"]): r["milestone"] for r in tx.all(
        "SELECT template, carrier, milestone FROM tracking_labels")}


def export_pack(labels: list[dict[str, Any]], site: str) -> str:
    """The staff labels as a pack file (JSON lines) HQ can ship to every site."""
    out = [f"# staff labels from site {site}: exact templates (edge/tracking/labels.py)"]
    for r in labels:
        out.append(json.dumps({
            "rule": _RULE_FOR.get(r["milestone"], "exception") if r["milestone"] != "unknown" else "in_transit",
            "milestone": r["milestone"] if r["milestone"] != "unknown" else "in_transit",
            "pattern": "^" + re.escape(r["template"]) + "$", "template": r["template"], "carrier": r["carrier"] or "",
            "label": r["milestone"], "source": f"staff label by {r['actor']} at {site}, {r['created_at']}",
        }, ensure_ascii=False))
    return "\n".join(out) + "\n"


def load_shipped(directory: Path) -> dict[tuple[str, str], str]:
    """Labels shipped back as packs (`<data dir>/tracking_packs/*.jsonl`); a bad file is skipped with a warning."""
    out: dict[tuple[str, str], str] = {}
    if not directory.is_dir():
        return out
    for path in sorted(directory.glob("*.jsonl")):
        try:
            load_pack(path)  # the same checks as a language pack: file and line on error
        except PackError as exc:
            log.warning("tracking pack %s refused: %s", path.name, exc)
            continue
        n = 0
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            obj = json.loads(line)
            if isinstance(obj.get("template"), str) and obj.get("label") in MILESTONES:
                out[(obj["template"], str(obj.get("carrier") or ""))] = obj["label"]
                n += 1
        # an operator who copied HQ's pack in can see it was read (the start said nothing; trial 2026-12-04b)
        log.info("tracking pack %s: %d staff label%s loaded", path.name, n, "" if n == 1 else "s")
    return out


class LabelsMixin:
    """The staff-labelling side of TrackingService (store and classifier come from the service)."""

    store: Any
    classifier: Classifier

    if TYPE_CHECKING:  # TrackingService's (edge/tracking/service.py)
        def _resummarise(self, tx: Tx, tn: str) -> None: ...
        def _evaluate(self, tx: Tx, tn: str) -> dict[str, Any]: ...

    async def load_labels(self, shipped_dir: Path | None = None) -> int:
        """Staff labels from the database (and packs shipped back by HQ) into the classifier."""
        local = load_shipped(shipped_dir) if shipped_dir is not None else {}
        local.update(await self.store.read(load_labels_tx))
        for (template, carrier), milestone in local.items():
            self.classifier.set_local(template, carrier or None, milestone)
        return len(local)

    async def label_queue(self, limit: int = QUEUE_LIMIT) -> list[dict[str, Any]]:
        """The queue, each row with `sources`: the waybills (and parcels) its texts came from."""
        clf = self.classifier

        def fn(tx: Tx) -> list[dict[str, Any]]:
            rows = queue_rows(tx, limit)
            found = sources_tx(tx, clf, rows)
            return [r | {"sources": found.get((fold_chars(r["template"]), r["carrier"] or ""), [])} for r in rows]

        return await self.store.read(fn)

    async def labels(self) -> list[dict[str, Any]]:
        return await self.store.read(label_rows)

    async def label_text(self, template: str, milestone: str, *, carrier: str = "", actor: str,
                         every_reading: bool = False) -> dict[str, Any]:
        """A staff label for one template: a local rule from the next classification on; the stored events of
        that template are re-labelled and their waybills re-read at once (last step, anomalies), so a text
        labelled "held by customs" shows as a customs hold now, not at the carrier's next event."""
        clf = self.classifier

        def fn(tx: Tx) -> dict[str, Any]:
            touched: set[str] = set()
            out = label_tx(tx, clf, template, carrier or "", milestone, actor, touched, every_reading=every_reading)
            for tn in sorted(touched):
                self._resummarise(tx, tn)
                self._evaluate(tx, tn)
            return out

        return await self.store.write(fn)

    async def label_text_wrong(self, event_id: int, milestone: str, *, for_all: bool, actor: str) -> dict[str, Any]:
        """A reading staff say is wrong, from a parcel's timeline: the event's template becomes a staff label (the
        waybill's carrier's, or every carrier's) through `label_text`, re-reading every stored event of it."""
        ev = await self.event_reading(event_id)
        return await self.label_text(ev["template"], milestone, carrier="" if for_all else ev["carrier"], actor=actor,
                                     every_reading=True)

    async def event_reading(self, event_id: int) -> dict[str, Any]:
        clf = self.classifier
        return await self.store.read(lambda tx: reading_tx(tx, clf, event_id))

    async def set_aside(self, template: str, *, carrier: str = "", actor: str, undo: bool = False) -> dict[str, Any]:
        """"Can't tell" on a queue row (or its undo)."""
        return await self.store.write(lambda tx: set_aside_tx(tx, template, carrier or "", actor, undo=undo))

    async def set_aside_queue(self) -> list[dict[str, Any]]:
        return await self.store.read(set_aside_rows)

    async def unlabel(self, template: str, *, carrier: str = "", actor: str) -> dict[str, Any]:
        """Take a staff label back (the labels page's undo); its waybills are re-read at once."""
        clf = self.classifier

        def fn(tx: Tx) -> dict[str, Any]:
            touched: set[str] = set()
            out = unlabel_tx(tx, clf, template, carrier or "", actor, touched)
            for tn in sorted(touched):
                self._resummarise(tx, tn)
                self._evaluate(tx, tn)
            return out

        return await self.store.write(fn)

    async def export_labels_pack(self, site: str) -> str:
        return export_pack(await self.labels(), site)
