"""Measure the default content: check time, build time, page count, largest page, search index size, documents.

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
                   env=dict(os.environ, SOURCE_DATE_EPOCH="1796256000"))
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
        docs = [p for p in Path(tmp, "dist").rglob("*") if p.suffix in (".docx", ".pptx")]
        print(f"dokument: {len(docs)} Word- och PowerPoint-filer, {sum(p.stat().st_size for p in docs) / 1024:.0f} KiB")
    sys.path.insert(0, str(ROOT))
    from generators.pipeline import check_content
    from generators.render.documents import build_documents

    project, _ = check_content(ROOT / "content")
    for workers in (1, 2):
        runs = []
        for _ in range(2):
            with tempfile.TemporaryDirectory() as tmp:
                start = time.perf_counter()
                build_documents(project, ROOT / "templates", Path(tmp), 1796256000, say=lambda s: None, workers=workers)
                runs.append(time.perf_counter() - start)
        print(f"dokumenten ensamma, {workers} tråd(ar): {min(runs):.2f} s (bästa av 2)")


if __name__ == "__main__":
    main()
