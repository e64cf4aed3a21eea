"""The benchmark's report (issue 16): benchmarks/RESULTS.md is one `make bench` run's figures, kept beside it in
benchmarks/results.json, written out with the texts in benchmarks/bench.py. Each target shows met or missed, and
the text on what remains and the next step stands in the report only for a target that was missed.

Nothing is measured here: the report is written again from the figures (`bench.py --from-json`), as a change of
bench.py's texts is published without a new run of an hour.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
DEFAULT_ROW = "| Hela bygget av standardinnehållet (`handbok build`), tom cache som i en ny klon |"
DEFAULT_NEXT = "- **Hela bygget med tom cache.**"
SERVE_ROW = "| Förhandsgranskning: från sparad rutin till ny sida i `handbok serve` |"
SERVE_NEXT = "- **Förhandsgranskningen"


def report(tmp_path: Path, res: dict | None = None) -> str:
    """RESULTS.md as `bench.py --from-json` writes it from ``res`` (default: the committed figures)."""
    src = BENCH / "results.json"
    if res is not None:
        src = tmp_path / "results.json"
        src.write_text(json.dumps(res), encoding="utf-8")
    out = tmp_path / "RESULTS.md"
    done = subprocess.run([sys.executable, str(BENCH / "bench.py"), "--from-json", str(src), "--output", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return out.read_text(encoding="utf-8")


def row(text: str, start: str) -> str:
    found = [line for line in text.splitlines() if line.startswith(start)]
    assert len(found) == 1, (start, found)
    return found[0]


def figures() -> dict:
    return json.loads((BENCH / "results.json").read_text(encoding="utf-8"))


def test_results_md_is_the_report_of_the_committed_figures(tmp_path):
    """Edited by hand, or bench.py's texts changed without writing the report again: RESULTS.md would say what no
    run and no text of bench.py says."""
    assert report(tmp_path) == (BENCH / "RESULTS.md").read_text(encoding="utf-8")


def test_a_missed_target_shows_its_next_step_and_a_met_one_does_not(tmp_path):
    res = figures()
    res["default"]["build_walls"], res["default"]["build_median"] = [10.8, 11.1, 11.2], 11.1
    missed = report(tmp_path, res)
    assert row(missed, DEFAULT_ROW) == f"{DEFAULT_ROW} ≤ 10 s | 11.1 s (median av 3) | **missat** |"
    assert missed.count(DEFAULT_NEXT) == 1
    assert missed.index("## Vad som återstår och nästa steg") < missed.index(DEFAULT_NEXT)

    res["default"]["build_walls"], res["default"]["build_median"] = [9.1, 9.4, 9.9], 9.4
    met = report(tmp_path, res)
    assert row(met, DEFAULT_ROW) == f"{DEFAULT_ROW} ≤ 10 s | 9.40 s (median av 3) | uppfyllt |"
    assert DEFAULT_NEXT not in met


def test_the_preview_is_missed_above_two_seconds(tmp_path):
    res = figures()
    edits = res["default"]["serve"]["edits_s"]
    res["default"]["serve"]["median_s"] = 2.4
    text = report(tmp_path, res)
    assert row(text, SERVE_ROW) == f"{SERVE_ROW} ≤ 2 s | 2.40 s (median av {len(edits)}) | **missat** |"
    assert SERVE_NEXT in text
    res["default"]["serve"]["median_s"] = 1.9
    text = report(tmp_path, res)
    assert row(text, SERVE_ROW).endswith("| 1.90 s (median av %d) | uppfyllt |" % len(edits))
    assert SERVE_NEXT not in text


def test_without_a_next_step_the_report_says_so(tmp_path, monkeypatch):
    """A target added to the table without a text in NEXT_STEPS is not silently left without one."""
    sys.path.insert(0, str(BENCH))
    try:
        import bench
    finally:
        sys.path.remove(str(BENCH))
    monkeypatch.delitem(bench.NEXT_STEPS, "default_cold")
    res = figures()
    res["default"]["build_walls"], res["default"]["build_median"] = [10.8, 11.1, 11.2], 11.1
    args = type("Args", (), {"argv": []})()
    text = bench.report(res, args)
    assert DEFAULT_NEXT not in text
    assert "- Ingen analys skriven för det här målet ännu." in text
