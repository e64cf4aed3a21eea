"""How long after saving a routine does `handbok serve` serve the changed page?

Starts `handbok serve` on a temporary copy of the content, changes a routine's title, and polls the routine's page
until the new title is there. Repeated a few times; the median is the result. Target: 2 s or less on the default
content.

    .venv/bin/python benchmarks/serve_latency.py [--content DIR] [--edits 5]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROUTINE = "betanketid"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def measure(content: Path = ROOT / "content", edits: int = 5, timeout: float = 120.0) -> dict:
    with tempfile.TemporaryDirectory(prefix="handbok-serve-") as tmp:
        copy = Path(tmp) / "content"
        shutil.copytree(content, copy)
        routine = copy / "routines" / f"{ROUTINE}.yml"
        original = routine.read_text(encoding="utf-8")
        port = _free_port()
        url = f"http://127.0.0.1:{port}/rutiner/{ROUTINE}/"
        log = open(Path(tmp) / "serve.log", "w+", encoding="utf-8")
        cmd = [sys.executable, "-m", "generators", "serve", "--content", str(copy), "--addr", f"127.0.0.1:{port}"]
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            started = time.perf_counter()
            while _get(url) is None:
                if proc.poll() is not None or time.perf_counter() - started > timeout:
                    log.seek(0)
                    raise RuntimeError(f"`handbok serve` startade inte:\n{log.read()[-3000:]}")
                time.sleep(0.1)
            first = time.perf_counter() - started
            time.sleep(1.0)
            seconds = []
            for i in range(1, edits + 1):
                title = f"Latensprov {i} {os.getpid()}"
                text = re.sub(r"^title: .*$", f"title: {title}", original, count=1, flags=re.M)
                routine.write_text(text, encoding="utf-8")
                t0 = time.perf_counter()
                while True:
                    body = _get(url)
                    if body is not None and title in body:
                        break
                    if time.perf_counter() - t0 > timeout:
                        raise RuntimeError(f"Sidan visade inte den nya titeln efter {timeout:.0f} s.")
                    time.sleep(0.02)
                seconds.append(time.perf_counter() - t0)
                time.sleep(1.5)  # let the server settle (livereload) before the next edit
        finally:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            log.seek(0)
            # The server's own time for each build ("klar (1.2 s)"): the rest of a latency is noticing the save.
            builds = [float(b) for b in re.findall(r"klar \((\d+(?:\.\d+)?) s\)", log.read())]
            log.close()
    return {"first_page_s": first, "edits_s": seconds, "median_s": statistics.median(seconds),
            "load_1min": os.getloadavg()[0],  # other work on the machine makes every build slower
            "builds_s": builds[1:], "build_median_s": statistics.median(builds[1:]) if builds[1:] else None,
            "command": " ".join(["handbok", "serve", "--content", "<kopia av content/>", "--addr", "127.0.0.1:<port>"])}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--content", type=Path, default=ROOT / "content")
    ap.add_argument("--edits", type=int, default=5)
    ap.add_argument("--json", action="store_true", help="skriv resultatet som JSON")
    args = ap.parse_args()
    result = measure(args.content, args.edits)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"första sidan efter start: {result['first_page_s']:.2f} s")
        print("efter ändring: " + ", ".join(f"{s:.2f}" for s in result["edits_s"]) + " s")
        print(f"median: {result['median_s']:.2f} s (mål: högst 2 s)")
        if result["build_median_s"] is not None:
            print("varav bygget (serverns egen tid): " + ", ".join(f"{s:.1f}" for s in result["builds_s"])
                  + f" s, median {result['build_median_s']:.1f} s")
        print(f"maskinens belastning (1 min): {result['load_1min']:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
