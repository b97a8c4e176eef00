"""bench/engine.py at the size CI runs it (10,000 businesses × 730 days): it builds the snapshot, scores every
business and reports its figures. Nothing here is timed; the figures are for docs/BENCHMARKS.md."""

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "engine.py"


def test_the_engine_benchmark_scores_every_business_and_reports_its_figures():
    done = subprocess.run(
        [sys.executable, str(BENCH), "--businesses", "10000"], capture_output=True, text=True, timeout=600, check=True
    )
    figures = json.loads(done.stdout)
    print(figures)  # shown with -s, and in the report of a failure
    assert figures["businesses"] == figures["scored"] == 10_000
    assert figures["rows"] > 10_000 * 730 * 0.9
    for name in ("baseline_s", "engine_s", "rows_per_s_per_core", "engine_vs_baseline", "peak_rss_mb"):
        assert figures[name] > 0, name
