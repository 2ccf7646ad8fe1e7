"""What staff teaching buys a site: a prequential (test-then-train) simulation of a site whose staff work the
label queue (issue 15, decision 0053).

    .venv/bin/python -m edge.tracking.evaluate --taught [--write docs/tracking.md]

A stream is one source's texts as a site would see them (``simon_order``). Its events go in through the product's
own path: `TrackingService.ingest` classifies and stores them and counts the ones it cannot tell into the queue
(edge/tracking/labels.py), a "day" is every K events, and at each day's end the staff read the queue as the console
does (`TrackingService.label_queue`, most frequent template first) and label the top M rows with the row's gold
milestone (`TrackingService.label_text`). Every event is scored as it was classified when it came in, before any
label it caused: a label given at the end of day d first shows on day d + 1.
"""

from __future__ import annotations

import asyncio
import random
import tempfile
import zlib
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from edge.clock import SimClock, utc_iso
from edge.store.db import Store, Tx
from edge.tracking.carriers import carrier_code
from edge.tracking.classify import Classifier
from edge.tracking.labels import needs_label
from edge.tracking.service import MAX_TEXT, TrackingService
from edge.tracking.settings import TrackingSettings

#: one stream's days: 30 days of labelling, and day 31 to measure "after 30 days"
DAYS = 31
#: the days whose accuracy is reported: day 1 is before any label, day d + 1 is after d days of labelling
REPORTED = (1, 2, 8, 31)
#: (events per day, labels per day) the report runs
SETTINGS: tuple[tuple[int, int], ...] = ((50, 1), (50, 3), (200, 10))
#: chance that an event is the source's next text not seen before (the Simon model's new-text rate)
NEW_TEXT = 0.1
SEED = 15
#: events per simulated waybill (one ingest call each; a waybill of a real site has 5-10; 20 halves the calls, and
#: no figure here depends on how events are grouped into waybills: a day's labels come after all its events)
PER_WAYBILL = 20
#: a source with at least this many texts is a stream whose vocabulary outlasts the first days
BIG_SOURCE = 30
STAFF = "staff:simulated"
SHM = Path("/dev/shm")
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def simon_order(n: int, length: int, new_text: float = NEW_TEXT, seed: int = SEED) -> list[int]:
    """Indices into a source's ``n`` texts, ``length`` events long: the first event is text 0; each next one is, with
    chance ``new_text``, the source's next unseen text in file order (while any is left), else a repeat of an earlier
    event of the stream drawn uniformly, so a text recurs in proportion to how often it has come already (Simon's
    model of word frequencies: Zipf-like, exponent 1 / (1 - new_text)). Seeded: the same arguments give the same
    stream."""
    if n <= 0 or length <= 0:
        return []
    rng = random.Random(seed)
    order, fresh = [0], 1
    while len(order) < length:
        if fresh < n and rng.random() < new_text:
            order.append(fresh)
            fresh += 1
        else:
            order.append(order[rng.randrange(len(order))])
    return order


def stream_seed(name: str, seed: int = SEED) -> int:
    """A stream's seed from its name (crc32: the same in every process, unlike hash())."""
    return seed * 1_000_003 + zlib.crc32(name.encode("utf-8"))


@dataclass
class StreamRun:
    """One stream's outcome: per day (events, right), the labels staff gave, and the false deliveries."""

    name: str
    texts: int
    days: list[tuple[int, int]] = field(default_factory=list)
    labels: int = 0
    corrected: int = 0  # labels whose gold differed from what the classifier had answered for the row
    skipped: set[tuple[str, str]] = field(default_factory=set)  # queue rows passed over: their gold is `unknown`
    wrong_queued: int = 0  # wrong answers the queue got (unknown or below LOW_CONFIDENCE): staff could see them
    wrong_confident: int = 0  # wrong answers at or above LOW_CONFIDENCE: they never reach the queue
    false_by_rules: int = 0  # non-deliveries read as `delivered` by the classifier's own rules
    false_by_staff: int = 0  # non-deliveries read as `delivered` through a staff label (a folded text's group)
    label_days: list[int] = field(default_factory=list)  # the day each label was given, in order
    answers: list[tuple[int, str, str, str]] = field(default_factory=list)  # (day, text, milestone, rule) per event

    def on_day(self, day: int) -> tuple[int, int]:
        return self.days[day - 1] if 0 < day <= len(self.days) else (0, 0)

    @property
    def total(self) -> tuple[int, int]:
        return sum(n for n, _ in self.days), sum(ok for _, ok in self.days)


def _key(text: str, carrier: str | None) -> tuple[str, str]:
    """A text as the queue keeps its example (stripped, cut as ingest cuts it) with its carrier's code."""
    return text.strip()[:MAX_TEXT][:500], (carrier_code(carrier) if isinstance(carrier, str) else None) or ""


async def run_stream(name: str, rows: Sequence[dict[str, Any]], order: Sequence[int], classifier: Classifier,
                     per_day: int, labels_per_day: int, keep_answers: bool = False,
                     workdir: str | None = None) -> StreamRun:
    """Feed ``rows[i] for i in order`` to a fresh site (its own SQLite database) ``per_day`` events a day, the staff
    labelling ``labels_per_day`` queue rows at each day's end, for as many days as the order fills."""
    gold: dict[tuple[str, str], str] = {}
    for r in rows:
        gold.setdefault(_key(str(r["text"]), r.get("carrier")), str(r["milestone"]))
    run = StreamRun(name, len(rows))
    with tempfile.TemporaryDirectory(prefix="lockerd-taught-", dir=workdir) as tmp:
        clock = SimClock(T0, frozen=True)
        store = Store(Path(tmp) / "site.db", clock, "site-taught")
        store.open()
        try:
            svc = TrackingService(store, clock, TrackingSettings())
            svc.classifier = classifier
            for day, start in enumerate(range(0, len(order), per_day), 1):
                run.days.append(await _one_day(svc, clock, run, rows, order[start:start + per_day], day, keep_answers))
                if start + per_day < len(order):
                    await _label(svc, run, gold, labels_per_day, day)
                clock.advance(86400)
        finally:
            store.close()
    return run


async def _one_day(svc: TrackingService, clock: SimClock, run: StreamRun, rows: Sequence[dict[str, Any]],
                   today: Sequence[int], day: int, keep: bool) -> tuple[int, int]:
    """Ingest one day's events, a waybill per carrier run of up to PER_WAYBILL events; score them as stored."""
    by_carrier: dict[str, list[int]] = defaultdict(list)
    for i in today:
        by_carrier[str(rows[i].get("carrier") or "")].append(i)
    n = ok = 0
    waybill = 0
    for carrier, items in by_carrier.items():
        for at in range(0, len(items), PER_WAYBILL):
            chunk = items[at:at + PER_WAYBILL]
            waybill += 1
            tn = f"TAUGHT{day:03d}{waybill:05d}"
            events = [{"time": utc_iso(clock.now() + timedelta(seconds=k)), "text": str(rows[i]["text"]),
                       **({"code": rows[i]["code"]} if rows[i].get("code") not in (None, "") else {})}
                      for k, i in enumerate(chunk)]
            await svc.ingest(tn, carrier or None, events)
            stored = await svc.store.read(partial(_stored, tn=tn))
            for i, got in zip(chunk, stored, strict=True):
                want = str(rows[i]["milestone"])
                n += 1
                ok += got["milestone"] == want
                if got["milestone"] != want:
                    if needs_label(got["milestone"], got["confidence"]):
                        run.wrong_queued += 1
                    else:
                        run.wrong_confident += 1
                if got["milestone"] == "delivered" and want != "delivered":
                    if got["rule"] == "staff":
                        run.false_by_staff += 1
                    else:
                        run.false_by_rules += 1
                if keep:
                    run.answers.append((day, str(rows[i]["text"]), got["milestone"], got["rule"]))
            clock.advance(PER_WAYBILL)  # each waybill a little later: the queue's ties go to the newest
    return n, ok


def _stored(tx: Tx, tn: str) -> list[dict[str, Any]]:
    """A waybill's events as ingest classified and stored them, in the order they were sent."""
    return tx.all("SELECT milestone, confidence, rule FROM tracking_events WHERE tracking_number = ? ORDER BY time, id",
                  (tn,))


async def _label(svc: TrackingService, run: StreamRun, gold: dict[tuple[str, str], str], m: int, day: int) -> None:
    """The day's labels: the queue's rows from the top, each labelled with its example's gold milestone; a row
    whose gold is `unknown` is passed over (staff cannot tell it either, and the console takes no such label)."""
    given = 0
    for row in await svc.label_queue():
        if given >= m:
            break
        want = gold.get((row["example"], row["carrier"] or ""))
        if want is None or want == "unknown":
            run.skipped.add((row["template"], row["carrier"] or ""))
            continue
        await svc.label_text(row["template"], want, carrier=row["carrier"], actor=STAFF)
        given += 1
        run.labels += 1
        run.corrected += want != row["milestone"]
        run.label_days.append(day)


def simulate(streams: Sequence[tuple[str, Sequence[dict[str, Any]]]], make: Callable[[str], Classifier],
             settings: Sequence[tuple[int, int]] = SETTINGS, days: int = DAYS, new_text: float = NEW_TEXT,
             seed: int = SEED) -> dict[tuple[int, int], list[StreamRun]]:
    """Each (name, rows) stream on its own site, once per (events a day, labels a day) setting, each run with a fresh
    classifier from ``make(name)`` (a run's labels stay in its classifier)."""

    # each site's database in memory-backed /dev/shm where there is one: the same SQLite, its fsyncs free
    workdir = str(SHM) if SHM.is_dir() else None

    async def go() -> dict[tuple[int, int], list[StreamRun]]:
        out: dict[tuple[int, int], list[StreamRun]] = {s: [] for s in settings}
        for name, rows in streams:
            for per_day, labels_per_day in settings:
                order = simon_order(len(rows), days * per_day, new_text, stream_seed(name, seed))
                out[(per_day, labels_per_day)].append(
                    await run_stream(name, rows, order, make(name), per_day, labels_per_day, workdir=workdir))
        return out

    return asyncio.run(go())


@dataclass
class Pooled:
    """Streams pooled: events and right answers per reported day and over all days, labels and false deliveries."""

    streams: int = 0
    texts: int = 0
    per_day: dict[int, list[int]] = field(default_factory=lambda: {d: [0, 0] for d in REPORTED})
    all_days: list[int] = field(default_factory=lambda: [0, 0])
    labels: int = 0
    corrected: int = 0
    skipped: int = 0
    wrong_queued: int = 0
    wrong_confident: int = 0
    false_by_rules: int = 0
    false_by_staff: int = 0

    def add(self, run: StreamRun) -> None:
        self.streams += 1
        self.texts += run.texts
        for d in REPORTED:
            n, ok = run.on_day(d)
            self.per_day[d][0] += n
            self.per_day[d][1] += ok
        n, ok = run.total
        self.all_days[0] += n
        self.all_days[1] += ok
        self.labels += run.labels
        self.corrected += run.corrected
        self.skipped += len(run.skipped)
        self.wrong_queued += run.wrong_queued
        self.wrong_confident += run.wrong_confident
        self.false_by_rules += run.false_by_rules
        self.false_by_staff += run.false_by_staff


def pool(runs: Sequence[StreamRun], min_texts: int = 0) -> Pooled:
    out = Pooled()
    for r in runs:
        if r.texts >= min_texts:
            out.add(r)
    return out


def _rate(pair: Sequence[int]) -> str:
    n, ok = pair
    return f"{ok / n:.1%}" if n else "-"


HEADER = ("| streams | K events/day | M labels/day | before any label (day 1) | after 1 day | after 7 days | "
          "after 30 days | all 31 days | labels spent (changed the answer) | non-deliveries read as delivered: "
          "by the rules / by a staff label |")


def row(title: str, p: Pooled, per_day: int, labels_per_day: int) -> str:
    cells = " | ".join(_rate(p.per_day[d]) for d in REPORTED)
    return (f"| {title} ({p.streams} streams, {p.texts} texts) | {per_day} | {labels_per_day} | {cells} | "
            f"{_rate(p.all_days)} | {p.labels} ({p.corrected}) | {p.false_by_rules} / {p.false_by_staff} |")


def dev_streams(rows: Sequence[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The dev part as streams, one per held-out repository (the leave-one-source-out unit), texts in file order."""
    from edge.tracking.corpus_eval import _repo

    by_repo: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_repo[_repo(str(r["source"]))].append(r)
    return list(by_repo.items())


def report(settings: Sequence[tuple[int, int]] = SETTINGS) -> str:
    """The section `evaluate --taught` writes: the dev part with each source held out, and the spent slices."""
    from edge.tracking import corpus_eval as ce

    dev = ce.load(ce.DEV)
    held_out = ce.HeldOut(dev)
    # one held-out classifier per repository, built afresh for each run (a run's labels stay in it)
    loso = simulate(dev_streams(dev), held_out.classifier, settings)
    slices = [(f"frozen slice {n}", ce.load(path)) for n, (path, _pinned) in ce.SLICES.items()]
    spent = simulate(slices, lambda _name: Classifier(), settings)
    lines = [HEADER, "|" + "---|" * 10]
    notes = []
    for per_day, m in settings:
        runs = loso[(per_day, m)]
        every, big, in_sample = pool(runs), pool(runs, BIG_SOURCE), pool(spent[(per_day, m)])
        lines.append(row("dev, each source held out", every, per_day, m))
        lines.append(row(f"dev, held-out sources of {BIG_SOURCE}+ texts", big, per_day, m))
        lines.append(row("spent frozen slices, in-sample for the rules", in_sample, per_day, m))
        for title, p in (("dev held out", every), ("spent slices", in_sample)):
            wrong = p.wrong_queued + p.wrong_confident
            notes.append(f"- K = {per_day}, M = {m}, {title}: of {wrong} wrong answers over the 31 days, "
                         f"{p.wrong_confident} ({p.wrong_confident / wrong:.0%}) were given with confidence "
                         f"and never reached the queue, {p.wrong_queued} were queued; {p.skipped} queue rows were "
                         f"passed over (their gold is `unknown`)." if wrong else f"- K = {per_day}, M = {m}, {title}: "
                         "no wrong answer.")
    return "\n".join(lines + [""] + notes) + "\n"
