"""Scale the default content to N routines, for the benchmark.

Copies content/ to TARGET and adds generated routines until there are N in total. Each generated routine is a
clone of one of the real routines with a new id, file name and title, and with its text varied (sentences from the
other routines, a district, keywords made from the content's own words), so that pages and the search index look like
a real handbook and not like 10,000 copies of one page. Every reference stays valid:

- units, laws, provisions and sources are the real ones;
- ``related`` points to the clone of the related routine in the same generation (``<id>-<k>``), so backlinks stay
  bounded and a routine page does not grow with N; only in the last, partial generation does it point to the
  original routine.

Deterministic: the same N and seed give the same files.

    .venv/bin/python benchmarks/scale.py 1000 /tmp/content-1000 [--seed 1] [--check]
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

DISTRICTS = ["Rinkeby-Kista", "Spånga-Tensta", "Hässelby-Vällingby", "Bromma", "Kungsholmen", "Norrmalm", "Östermalm",
             "Södermalm", "Enskede-Årsta-Vantör", "Skarpnäck", "Farsta", "Hägersten-Älvsjö", "Skärholmen"]
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ])")
_WORD = re.compile(r"^[a-zåäö]{5,14}$")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(" ".join(str(text).split())) if 3 <= len(s.split()) <= 22]


def _pools(routines: list[dict]) -> tuple[list[str], list[str]]:
    """Sentences from the real situations and summaries, and single words from the real steps (checked text)."""
    sentences, words = set(), set()
    for r in routines:
        for field in ("situation", "summary"):
            sentences.update(_sentences(r[field]))
        for s in r["steps"]:
            for w in str(s["action"]).split():
                w = w.strip(".,:;()”\"").lower()
                if _WORD.match(w):
                    words.add(w)
    return sorted(sentences), sorted(words)


def _clone(orig: dict, k: int, ids: set[str], rng: random.Random, sentences: list[str], words: list[str]) -> dict:
    r = dict(orig)
    rid = f"{orig['id']}-{k}"
    district = DISTRICTS[(k + len(orig["id"])) % len(DISTRICTS)]
    r["id"] = rid
    r["title"] = f"{orig['title']} ({district}, nr {k})"
    r["summary"] = f"{' '.join(str(orig['summary']).split())} Gäller {district}."
    extra = rng.sample(sentences, 2)
    own = _sentences(orig["situation"])
    r["situation"] = " ".join([f"I {district}:"] + own[: max(1, len(own) - 1)] + extra)
    r["related"] = [f"{x}-{k}" if f"{x}-{k}" in ids else x for x in orig.get("related", [])]
    compounds = [rng.choice(words) + rng.choice(words) for _ in range(2)]
    keywords = list(orig.get("keywords", []))
    r["keywords"] = [w for w in keywords if rng.random() < 0.7] + [district] + compounds
    synonyms = list(orig.get("synonyms", []))
    r["synonyms"] = [w for w in synonyms if rng.random() < 0.7]
    if orig.get("open_questions"):
        r["open_questions"] = [q for q in orig["open_questions"] if rng.random() < 0.8] or orig["open_questions"][:1]
    if orig.get("history"):
        r["history"] = [h for h in orig["history"] if rng.random() < 0.8]
    r.pop("featured", None)
    for key in ("keywords", "synonyms", "open_questions", "history", "related"):
        if key in r and not r[key]:
            del r[key]
    return r


def scale(n: int, target: Path, seed: int = 1, source: Path = ROOT / "content") -> int:
    """Copy ``source`` to ``target`` with ``n`` routines in total; returns the number of generated routines."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    files = sorted((target / "routines").glob("*.yml"))
    originals = [yaml.safe_load(f.read_text(encoding="utf-8")) for f in files]
    if n < len(originals):
        raise SystemExit(f"N={n} är färre än de {len(originals)} rutinerna i {source}.")
    rng = random.Random(seed)
    sentences, words = _pools(originals)
    todo = n - len(originals)
    plan = [(k, orig) for k in range(1, todo // len(originals) + 2) for orig in originals][:todo]
    ids = {f"{orig['id']}-{k}" for k, orig in plan}
    for k, orig in plan:
        clone = _clone(orig, k, ids, rng, sentences, words)
        text = yaml.safe_dump(clone, allow_unicode=True, sort_keys=False, width=120)
        (target / "routines" / f"{clone['id']}.yml").write_text(text, encoding="utf-8")
    return len(plan)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, help="antal rutiner totalt")
    ap.add_argument("target", type=Path, help="mappen som skapas (skrivs över)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--check", action="store_true", help="kör `handbok check` på resultatet")
    args = ap.parse_args()
    made = scale(args.n, args.target, args.seed)
    print(f"{args.target}: {made} genererade rutiner, {args.n} totalt", file=sys.stderr)
    if args.check:
        return subprocess.run([sys.executable, "-m", "generators", "check", "--content", str(args.target)],
                              cwd=ROOT).returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
