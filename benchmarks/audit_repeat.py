"""Repeat the accessibility audit to show that it is deterministic (issue 12: a contrast finding came and went).

Run it beside a load, for example a build or the test suite, on a built site:

    .venv/bin/python benchmarks/audit_repeat.py site --runs 20 &  make test

It audits the page types that once flaked (the answered self-test, search with results, the start page and the
alignment matrix) in every viewport and colour scheme, and prints how many runs had a serious or critical finding.
Needs the test extras and /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generators import audit  # noqa: E402
from generators.pipeline import check_content  # noqa: E402

PAGE_TYPES = ("Utbildningsmodul med självtest", "Sökning med träffar", "Startsidan", "Avstämningens matris")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--content", type=Path, default=Path("content"))
    args = parser.parse_args()
    project, _ = check_content(args.content)
    types = [t for t in audit.page_types(project) if t.name in PAGE_TYPES]
    failed = 0
    for i in range(args.runs):
        started = time.perf_counter()
        result = audit.run_audit(args.site, types)
        blocking = audit.blocking(result)
        failed += bool(blocking)
        print(f"run {i + 1}: {len(result['results'])} audits, {len(blocking)} blocking, "
              f"{time.perf_counter() - started:.1f} s", *blocking[:2], flush=True)
    print(f"runs with blocking findings: {failed} of {args.runs}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
