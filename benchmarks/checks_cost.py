"""Time each check of `handbok check` on one content folder: which rule costs what as the content grows.

    .venv/bin/python benchmarks/scale.py 5000 /tmp/content-5000
    .venv/bin/python benchmarks/checks_cost.py /tmp/content-5000

Loading and resolving (load → model → graph) are timed once; then every check in generators/checks.py on the same
project, one after another, with the number of issues it yields. One process, one run: for trustworthy figures, time
whole `handbok check` processes over several runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generators import checks  # noqa: E402
from generators.graph import build_project  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", type=Path, help="content folder, e.g. one made by benchmarks/scale.py")
    args = parser.parse_args()
    start = time.perf_counter()
    gc.disable()  # as in pipeline.check_content: the collector would walk the growing project again and again
    project = build_project(args.content)
    gc.freeze()
    gc.enable()
    print(f"{'load, model, graph':34s} {time.perf_counter() - start:7.2f} s  {len(project.routines)} rutiner")
    today = dt.date.today()
    total = 0.0
    for fn in checks.CHECKS:
        start = time.perf_counter()
        n = sum(1 for _ in fn(project, today))
        took = time.perf_counter() - start
        total += took
        print(f"{fn.__name__:34s} {took:7.2f} s  {n} problem")
    print(f"{'alla granskningar':34s} {total:7.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
