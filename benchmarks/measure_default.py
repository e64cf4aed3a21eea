"""Measure the default content: check time, build time, page count, largest page, search index size.

Run with `.venv/bin/python benchmarks/measure_default.py`. Not part of `make test`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "generators", *args], cwd=ROOT, check=True, capture_output=True,
                   env=dict(os.environ, SOURCE_DATE_EPOCH="1796000000"))
    return time.perf_counter() - start


def main() -> None:
    check = min(timed("check") for _ in range(3))
    with tempfile.TemporaryDirectory() as tmp:
        build = min(timed("build", "--site-dir", f"{tmp}/site", "--dist-dir", f"{tmp}/dist") for _ in range(2))
        site = Path(tmp, "site")
        pages = sorted(site.rglob("*.html"), key=lambda p: p.stat().st_size)
        index = sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file())
        biggest = pages[-1]
        print(f"check: {check:.2f} s (bästa av 3, inklusive Python-start)")
        print(f"build: {build:.2f} s (bästa av 2, webbplats + sökindex + offlinepaket)")
        print(f"sidor: {len(pages)}")
        print(f"största sida: {biggest.relative_to(site)} {biggest.stat().st_size / 1024:.1f} KiB")
        print(f"sökindex (pagefind/): {index / 1024:.1f} KiB")
        zip_size = Path(tmp, "dist", "rutinhandbok-offline.zip").stat().st_size
        print(f"offlinepaket: {zip_size / 1024:.1f} KiB")


if __name__ == "__main__":
    main()
