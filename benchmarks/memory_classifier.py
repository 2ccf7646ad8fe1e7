"""What one tracking classifier keeps in memory, and what a learned-fallback answer costs (mem39, docs/performance.md).

    .venv/bin/python benchmarks/memory_classifier.py

Prints the bytes tracemalloc sees kept by ``Classifier()`` (built, then one text classified), the largest lines
holding them, the process's anonymous RSS after it, and the fallback's answer time with the full and the compact
model (CPU time, the minimum of four passes over 4,000 templates, both in this run).
"""

from __future__ import annotations

import gc
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _rss_anon_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("RssAnon:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    from edge.memory import tune_malloc

    tune_malloc()
    tracemalloc.start(5)
    from edge.tracking import classify as c

    before = tracemalloc.take_snapshot()
    clf = c.Classifier()
    clf.classify("派件中")
    gc.collect()
    after = tracemalloc.take_snapshot()
    stats = after.compare_to(before, "lineno")
    print(f"kept by Classifier(): {sum(s.size_diff for s in stats) / 1e6:.2f} MB traced")
    for s in stats[:8]:
        print(f"  {s.size_diff / 1e3:8.0f} KB  {s.traceback[0]}")
    tracemalloc.stop()
    print(f"process anonymous RSS: {_rss_anon_mb():.1f} MB")

    from edge.tracking import fallback as fb
    from edge.tracking.fold import template
    from tests.tracking.written import corpus_texts

    texts = sorted({template(t) for t in corpus_texts()})[:4000]
    models = {"full": fb.NgramModel.load(), "compact": fb.NgramModel.load(compact=True)}
    best = {k: float("inf") for k in models}
    for _ in range(4):
        for name, m in models.items():
            t0 = time.process_time()
            for t in texts:
                m.answer(t)
            best[name] = min(best[name], (time.process_time() - t0) / len(texts) * 1e6)
    print(f"fallback answer, CPU per template: full {best['full']:.0f} us, compact {best['compact']:.0f} us "
          f"({best['compact'] / best['full']:.2f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
