"""Scale benchmark: `make bench` (never part of `make test`). Writes benchmarks/RESULTS.md, and beside it
benchmarks/results.json with every figure, from which `--from-json` writes the report again (after a change of the
texts here, without measuring anything).

For the default content and for the content scaled to each N (benchmarks/scale.py), each in its own subprocess:

- `handbok check`: wall time, peak memory;
- `handbok build` (benchmarks/instrumented.py: the real command with timers around its phases): our generation
  (check, render_pages, plugin hooks), mkdocs, Pagefind, offline zip, documents; peak memory;
- plain mkdocs: the same Markdown pages (dumped from our plugin) built by mkdocs-material without our plugin, with the
  same theme, extensions and nav, right after our build, for the overhead of our generation;
- sizes: routine pages (median, max), the biggest page, the search index, the offline zip, the documents;
- one search on a phone: the built site served locally, opened in Chromium (Playwright) at phone size, a query typed
  into the search box, the bytes of every response under /pagefind/ summed;
- StrictDoc (installed from PyPI into benchmarks/.venv-strictdoc) exporting the same N routines to HTML;
- on the default content also the preview: seconds from saving a routine until `handbok serve` serves it.

    .venv/bin/python benchmarks/bench.py [--sizes 1000 5000 10000] [--skip-strictdoc] [--quick] [--output FILE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import scale  # noqa: E402
import serve_latency  # noqa: E402

PY = sys.executable
EPOCH = "1796256000"  # SOURCE_DATE_EPOCH: the same date for every build, as in the tests
STRICTDOC_VENV = BENCH / ".venv-strictdoc"
STRICTDOC_SPEC = "strictdoc"
QUERIES = ["betänketid", "sekretess polisen", "sugardejting"]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True, "has_touch": True}
PAGE = os.sysconf("SC_PAGE_SIZE")
# pandoc's heap is capped for the builds here, so that a document too big for the machine stops pandoc with "Heap
# exhausted" instead of the kernel's OOM killer stopping whatever else runs on the machine (at 10,000 routines pandoc
# grew past 21 GB on the rutinhandbok before it was killed).
PANDOC_HEAP = "8g"

# Targets (the issue "Benchmark"), on 2 cores.
T_DEFAULT_BUILD = 10.0  # s, the whole default build
T_CHECK_10K = 3.0  # s, check at 10,000 routines, cold (empty cache)
T_CHECK_10K_WARM = 1.0  # s, the same check again, with the per-file cache from the first
T_OVERHEAD = 0.10  # our generation on top of mkdocs' own build of the same pages
T_LINEAR = 1.3  # marginal cost per routine in the last interval at most this times that of the first
T_PAGE_GROWTH = 1.05  # a routine page at the largest N at most this times its size at the smallest N
T_MEMORY = 2e9  # bytes
T_SEARCH = 300e3  # bytes for one query at 10,000 routines
T_SITE_10K = 40.0  # s, the whole site with search at 10,000 routines (beats StrictDoc)
T_SERVE = 2.0  # s, preview after saving a routine
T_PAGE_MAX = 300e3  # bytes, the largest HTML page at 10,000 routines


# What remains and the next design step, per target, shown in RESULTS.md only when the run misses that target.
NEXT_STEPS: dict[str, str] = {
    "default_cold": "**Hela bygget med tom cache.** Bygget är bundet av processortiden. I egna körningar 2026-12-04 "
                    "(`/usr/bin/time handbok build` med tom `HANDBOK_CACHE`) tog det 10,5–11,8 s med 19–21 s "
                    "processortid på två kärnor. Bara de första 0,6 s (Python, import och granskning) och de sista "
                    "0,5 s (den sista PDF-filen, offlinepaketet, sidornas sista genomläsning och att processen "
                    "avslutas) går på en kärna. Fördelningen (processernas egna tider): Typst 9–10 s, pandoc 4,5 s i "
                    "sju körningar, byggets Python-process 5 s (webbplatsen 3,2 s och dokumentens Python-del 1,5 s, "
                    "av det Word-kopiorna 0,46 s) och Pagefind 0,5 s. Typst-tiden är mest kommunkopiorna: två "
                    "dokument i 26 kopior. En kopia av deltagarmaterialet (47 sidor) tar 0,13 s efter den första "
                    "(0,45 s): layouten 0,07 s (mätt med `Compiler.query`, som lägger ut dokumentet utan att skriva "
                    "PDF) och PDF-skrivningen 0,06 s. Samma källa igen tar 0,001 s layout och 0,04 s PDF-skrivning. "
                    "Vilken ändring som helst i källan kostar layout, också ett enda tecken mitt i ett stycke "
                    "(0,02–0,05 s). Namnet bara i sidhuvudet, bara i titeln, bara i inledningen eller bara i "
                    "tabellerna kostar 0,04–0,05 s vardera, och alla tillsammans 0,06–0,075 s. Färre omnämnanden av "
                    "kommunen tar alltså inte en kopia under ungefär 0,1 s. Prövat 2026-12-04 utan vinst: "
                    "Typst-källan delad i filer som läses in med `#include`, så att de oförändrade delarna inte "
                    "utvärderas igen; sidbrytningar runt de avsnitt som nämner kommunen; glibc-mallocs inställningar; "
                    "och att inte packa PDF-filerna (`pdf.compact`, 0,019 s per fil), som bara flyttade tiden till "
                    "att kopiera tre gånger större filer och lägga dem i offlinepaketet. Prövat tidigare och inte "
                    "behållet: utan PDF/UA-1, PDF/A-2a eller taggar, kommunens namn via `context`, tre "
                    "Typst-processer i stället för två, större generationer för Pythons skräpsamlare, pandocs "
                    "RTS-flaggor, färre Markdown-tillägg och läsaren `commonmark_x`. Med en PDF per dokument och "
                    "variant i stället för en per kommun tog hela bygget 8,0–8,4 s (samma dator, samma timme som "
                    "11,0–11,9 s med kopiorna). Nästa steg: utan att ändra vad bygget levererar återstår tiondelar "
                    "(offlinepaketet och sidornas genomläsning medan de sista dokumenten görs, Word-kopiornas "
                    "komprimering), och de räcker inte under 10 s en långsam timme. Kommunkopiornas PDF-filer är "
                    "löftet i issue 15, och gränsen på 10 s sattes när bygget ännu inte gjorde några PDF-filer. Att göra färre kopior, bygga dem i "
                    "ett eget steg eller ändra gränsen är teamets beslut.",
    "default_warm": "**Hela bygget med varm cache.** Dokumenten kommer ur cachen; kvar är granskningen, webbplatsen, "
                    "Pagefind och offlinepaketet (kolumnerna för standardinnehållet ovan). I egna körningar på en "
                    "tyst dator (2026-12-03 20:05, samma `HANDBOK_CACHE` och en ny webbplatsmapp varje gång, som här) "
                    "tog det 5,6–5,8 s; körningen före gav 10,3 s med belastningen 1,3 vid start. Tiden följer alltså "
                    "datorns belastning mer än koden. Nästa steg: att granska och generera på en kärna medan den "
                    "andra börjar med Pagefind och offlinepaketet för de sidor som redan är skrivna.",
    "check_cold": "**Granskningen vid 10 000 rutiner med tom cache.** Profilen ovan visar bara huvudprocessen. "
                  "Innehållet är 169 MB YAML. Sedan 2026-12-04 läses filerna i en processpool när 1 000 eller fler "
                  "saknas i cachen (`load._read_ahead`), och från att filerna är inlästa räknar en andra pool fram "
                  "textgranskningarnas sammanfattning av varje fil (personuppgifter, avrådda ord, läsartext, "
                  "klarspråk och länkar i posternas texter) ur inläsningens cache, medan huvudprocessen bygger "
                  "posterna (`checks.start_summaries`). Sökningen efter telefonnummer, personnummer och "
                  "e-postadresser letar från siffror och @ i stället för att pröva mönstren på varje position (samma "
                  "träffar; testerna jämför dem med mönstren på genererad text), och de avrådda orden söks först som "
                  "vanlig text. Parvis mätt efter bänken på b46bb14 2026-12-04 (`/usr/bin/time handbok check` med tom "
                  "`HANDBOK_CACHE`, två körningar var, växelvis): före ändringarna (0f0d76c) 26,7–29,0 s, efter "
                  "18,1 s, med 32 respektive 31 s processortid; efter en ändrad rutintitel 9,3–10,6 s före och 8,0 s "
                  "efter. Datorn var snabbare den dagen än veckan före (StrictDoc 80–93 s mot 126,9 s), så "
                  "skillnaden mot de tidigare 43,5 s är inte bara koden. Granskningen håller nu båda kärnorna "
                  "igång nästan hela tiden. Kvar i huvudprocessen (py-spy, samma dag), var och en 1–2,5 s: modellerna, "
                  "upplösningen av id och bakåtlänkar, avstämningen, inläsningens del (läsa, hasha och skicka "
                  "filerna och avkoda arbetsprocessernas resultat) och länkarna. Mätt för sig senare samma dag: "
                  "nyckeln för hela granskningen (`pipeline.content_state`, som läser och hashar varje fil innan "
                  "inläsningen gör det igen) tar 0,8 s när filerna finns i operativsystemets sidcache, som här, och "
                  "2,2 s när de inte gör det; py-spy visade den som 2,3 s. Avstämningens nyckelord söks sedan dess "
                  "i ett svep per krav (`align.any_term_found`): `step_claims` för alla krav gick från 0,80 till "
                  "0,63 s. Nästa steg: processortiden måste ner, inte fördelas om. En pool för både inläsning och "
                  "sammanfattningar (varje arbetsprocess importerar modulerna), att spara de validerade modellerna "
                  "per fil, och att läsa och hasha varje fil en gång i stället för två (högst 0,8 s).",
    "check_warm": "**Granskningen igen med cache.** En granskning av oförändrat innehåll skriver ut resultatet från "
                  "förra granskningen (nyckeln är en hash av varje fil under innehållsmapparna, datumet, arbetsmappen "
                  "och verktygets kod). Varje fils hash sparas med filens stat (storlek, tider, inod), så en fil "
                  "vars stat är oförändrad läses inte igen, och en sådan granskning läser inte in modellernas och "
                  "granskningarnas kod; det som tar tid är att gå igenom mapparna och Pythons start. Efter en ändrad fil går "
                  "granskningen om, med inläsningen och textgranskningarna per fil ur cachen (siffran efter en "
                  "ändrad rutintitel). Kvar där är modellerna, upplösningen av id och granskningarna över hela "
                  "projektet. Nästa steg: att spara de validerade modellerna per fil och att göra om granskningarna "
                  "över projektet bara för de poster som den ändrade filen når i grafen (bakåtlänkarna).",
    "site_10k": "**Webbplatsen med sökning vid 10 000 rutiner.** Två steg 2026-12-03, båda med samma "
                "bytes. (1) De genererade sidornas Markdown omvandlas i arbetsprocesser medan mkdocs läser sidorna "
                "(`render/markdown_pool.py`, från 400 genererade sidor): i en profil vid 2 000 rutiner var "
                "Python-Markdown 72 % av mkdocs bygge, och nu arbetar båda kärnorna med det. (2) Pagefind läser en "
                "kopia av varje sida nedskuren till det som indexeras (`finish.search_page`), 40 % av HTML:en. Vid "
                "2 000 rutiner (mkdocs `build` med insticksprogrammet och sökningen, 2026-12-03) gick webbplatsen "
                "från 233,6 s till 139,9 s, och Pagefind ensamt från 17,1 s till 11,3 s väggtid (24,1 till 13,5 s "
                "processortid). Kvar i huvudprocessen är granskningen och genereringen, som kör på en kärna innan "
                "omvandlingen börjar, och temats mall för varje sida (mkdocs `_build_page`), som kör på en kärna "
                "efter den. Nästa steg: att rendera temats mall i arbetsprocesserna också (varje sida behöver bara "
                "menyn och sin egen innehållsförteckning), och att ge de genererade sidorna färdig HTML från "
                "Jinja-mallarna i stället för Markdown.",
    "memory": ("**Toppminnet.** Vilken process som är störst står i tabellen *Minne och storlek* (Python-bygget, den "
        "största barnprocessen och hela processträdet). Typst kompilerar i arbetsprocesser som byts ut efter två "
        "jobb och avslutas när dokumenten är klara, eftersom hjulet aldrig tömmer sina cacher. mkdocs håller varje "
        "sida till slutet av bygget; sedan 2026-12-03 släpper insticksprogrammet sidans Markdown (filens och sidans "
        "kopia) när sidan är omvandlad och dess HTML när sidan är skriven, och lämnar tillbaka minnet till systemet "
        "(`malloc_trim`) innan Pagefind startar. Webbplatsen med sökning vid 10 000 rutiner (granskning, mkdocs och "
        "Pagefind i en process, utan dokumenten; `/proc` varje halv sekund): processträdet 7 290 → 5 043 MB, med "
        "toppen medan Pagefind indexerar (Python 3 894 → 1 693 MB, Pagefind 3 383 och 3 336 MB), och Pythons "
        "eget toppminne 3 733 → 2 873 MB; webbplatsen blev byte för byte densamma vid 1 000 rutiner. Kvar: Pagefind, "
        "som indexerar hela webbplatsen i en process och saknar en inställning för minnet (det mesta är indexet "
        "självt), och granskningens modell av innehållet, 1,45 GB vid 10 000 rutiner (filernas data, "
        "pydantic-modellerna och filernas text för radnummer). Nästa steg: att släppa filernas data efter "
        "granskningen och att dela Pagefinds indexering (Pagefinds API tar sidor en i taget)."),
    "overhead": "**Vår generering ovanpå mkdocs.** Genereringen är sidorna i minnet (Jinja) och krokarna; granskningen "
                "räknas med i den andra siffran. Vid 2 000 rutiner (`benchmarks/scale.py 2000`, mkdocs `build` med "
                "insticksprogrammet, processortid per krok, 2026-12-03) tog genereringen 20,7 s före och 15,6 s efter "
                "två ändringar med samma bytes: Jinja skriver `{{ x }}` som `finalize(x)` i stället för "
                "`escape(finalize(x))` (finalize ger redan Markup; sidorna i minnet 14,8 → 10,5 s), och `safe_html` "
                "släpper igenom taggar utan riskabla attribut utan att ta isär dem (krokarna på sidornas HTML "
                "5,95 → 3,74 s, och 0,9 ms per rutinsida efter den andra ändringen). Kvar i sidorna i minnet är "
                "Jinjas egna anrop (makron, attribut på modellerna) och en escape per uttryck. Genereringen mäts nu "
                "mot mkdocs ensamt, eftersom mkdocs-delen av vårt bygge blev kortare än mkdocs ensamt när Markdown "
                "omvandlas i arbetsprocesser. Krokarna mäts i väggtid, och de som körs medan arbetsprocesserna "
                "omvandlar (`on_page_markdown`, `on_page_content`) delar nu de två kärnorna med dem; därför växte "
                "genereringen vid 1 000 och 5 000 rutiner (12,2 och 56,1 s mot 6,9 och 33,8 s), medan hela "
                "webbplatsen utan sökning blev 28–40 % snabbare än mkdocs ensamt. Nästa steg: att låta arbetsprocesserna börja med de första sidorna "
                "medan resten genereras, så att genereringen inte längre ligger före allt annat på en kärna.",
    "search": ("**Sökningen vid 10 000 rutiner.** ”sekretess polisen” hämtar tre hela indexdelar (sekretess, "
        "polis och polisen), eftersom ”polis” står på nästan varje rutin, och 46 kB av varje sökning är "
        "`pagefind.js`, som mätningens server skickar okomprimerat (13 kB med gzip). Rutinernas lagstöd, "
        "relaterade rutiner, historik och källor indexeras inte, sid-id i metadata är förkortade och ordantalen "
        "avrundade (högst 3 %). Nästa steg: att dela indexet så att ett vanligt ord inte hämtar en hel del för "
        "alla rutiner, och att mäta med en server som komprimerar som en riktig webbserver."),
    "serve": ("**Förhandsgranskningen.** Varje ändring omvandlar bara de sidor vars Markdown ändrats (rutinen, dess "
        "bakåtlänkar och översikterna: 48 av 172 sidor vid en ändrad titel), de genererade i arbetsprocesser som "
        "lever lika länge som förhandsgranskningen (`render/markdown_pool.py`), och temats mall körs bara för de "
        "sidor vars indata ändrats (`preview.ThemeMemo`); Pagefind körs i bakgrunden efter bytet. Sedan 2026-12-03 "
        "sparas också YAML-filernas positioner mellan byggena (`load.keep_positions`), och temats filer listas en "
        "gång i stället för vid varje bygge. I egna körningar (`benchmarks/serve_latency.py --edits 7`, samma dag) "
        "gick medianen från 2,7 till 1,8 s och sedan till 1,4 s (två körningar: 1,38 och 1,42 s), med serverns "
        "egen byggtid 1,1–1,2 s. Kvar per ändring "
        "är granskningen (0,11 s), sidorna i minnet (0,17 s), väntan på arbetsprocesserna (0,35 s: omvandlingen av "
        "de 48 sidorna) och temats mall för de ändrade sidorna, plus väntan på att ändringen upptäcks (var 0,2 s); "
        "Pagefind från förra ändringen kan köra samtidigt. Nästa steg: att ge de genererade sidorna färdig HTML "
        "från Jinja-mallarna, så att omvandlingen försvinner."),
    "strictdoc": ("**Mot StrictDoc.** StrictDoc exporterar en sida per dokument; vi bygger en sida per rutin med meny, "
        "sökindex och tillgänglighetskrav. Tiden och minnet följer webbplatsen och toppminnet ovan, med samma "
        "nästa steg."),
    "page_max": "**Största sidan.** Se tabellen *Minne och storlek* för vilken sida; den ska delas som översikterna.",
    "page_growth": "**Sidstorleken.** En rutinsida ska inte växa med N; se vilken del som växer och begränsa den.",
    "linear": "**Linjäriteten.** Något i bygget växer snabbare än N; profilera bygget vid den största storleken.",
}


def say(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --- running and measuring a subprocess ---------------------------------------------------------------------------

@dataclass
class Run:
    cmd: list[str]
    wall: float
    code: int
    maxrss: int  # bytes, the largest single process of the tree (wait4 of the child, which includes its children)
    tree_peak: int  # bytes, the largest sum over the process tree, sampled every 0.1 s
    log: str = ""
    peaks: dict[str, int] = field(default_factory=dict)  # bytes, the largest sampled RSS per program name


def _tree_rss(root: int, peaks: dict[str, int] | None = None) -> int:
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    names: dict[int, str] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read().decode("ascii", "replace")
        except OSError:
            continue
        head, tail = stat.rsplit(")", 1)
        rest = tail.split()
        pid = int(entry.name)
        children.setdefault(int(rest[1]), []).append(pid)
        rss[pid] = int(rest[21]) * PAGE
        names[pid] = head.split("(", 1)[-1]
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        if peaks is not None and pid in names:
            peaks[names[pid]] = max(peaks.get(names[pid], 0), rss.get(pid, 0))
        todo.extend(children.get(pid, []))
    return total


def run(cmd: list[str], log: Path, cwd: Path = ROOT, env: dict | None = None, check: bool = True) -> Run:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONDONTWRITEBYTECODE": "1", **(env or {})}
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w", encoding="utf-8") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        peak = [0]
        peaks: dict[str, int] = {}
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.1):
                peak[0] = max(peak[0], _tree_rss(proc.pid, peaks))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    text = log.read_text(encoding="utf-8", errors="replace")
    result = Run(cmd, wall, proc.returncode, usage.ru_maxrss * 1024, max(peak[0], usage.ru_maxrss * 1024), text,
                 peaks)
    if check and result.code != 0:
        raise RuntimeError(f"{shlex.join(cmd)} gav slutkod {result.code}:\n{text[-4000:]}")
    return result


def shown(cmd: list[str]) -> str:
    """A command as a reader would type it: `handbok …` for the CLI, paths relative to the project."""
    parts = [str(c) for c in cmd]
    if parts[:3] == [PY, "-m", "generators"]:
        parts = ["handbok", *parts[3:]]
    elif parts[0] == PY:
        parts = [".venv/bin/python", *parts[1:]]
    return shlex.join(p.replace(str(ROOT) + "/", "") for p in parts)


# --- the measurements ----------------------------------------------------------------------------------------------

_CHECK_SUMMARY = re.compile(r"(\d+) fel, (\d+) varningar, (\d+) upplysningar")


def _mkdocs_alone(row: dict) -> float:
    """What mkdocs alone took for the row's pages (measure_plain), or the mkdocs part of our build without it."""
    plain = row.get("plain")
    return plain["mkdocs"] if plain else row["build"]["mkdocs_own"]


def measure_check(content: Path, work: Path, repeat: int = 1) -> dict:
    """`handbok check` cold (an empty .handbok-cache, emptied before each run) and warm (the cache the cold run left)."""
    cache_dir = work / "check-cache"
    cmd = [PY, "-m", "generators", "check", "--content", str(content)]
    runs = []
    for _ in range(repeat):
        shutil.rmtree(cache_dir, ignore_errors=True)
        runs.append(run(cmd, work / "check.log", env={"HANDBOK_CACHE": str(cache_dir)}))
    warm = [run(cmd, work / "check-warm.log", env={"HANDBOK_CACHE": str(cache_dir)}) for _ in range(max(repeat, 2))]
    edited = None
    if content.is_relative_to(work):  # a scaled copy: edit one routine's title, as a writer does, and check again
        routine = sorted((content / "routines").glob("*.yml"))[-1]
        text = routine.read_text(encoding="utf-8")
        routine.write_text(re.sub(r"^title: (.*)$", r"title: \1 (ändrad)", text, count=1, flags=re.M),
                           encoding="utf-8")
        try:
            edited = run(cmd, work / "check-edited.log", env={"HANDBOK_CACHE": str(cache_dir)}).wall
        finally:
            routine.write_text(text, encoding="utf-8")
    shutil.rmtree(cache_dir, ignore_errors=True)
    m = _CHECK_SUMMARY.search(runs[-1].log)
    same = warm[-1].log.split("\n")[:-2] == runs[-1].log.split("\n")[:-2]  # the same issues; only the time differs
    return {"wall": min(r.wall for r in runs), "walls": [r.wall for r in runs], "maxrss": max(r.maxrss for r in runs),
            "warm": min(r.wall for r in warm), "warm_walls": [r.wall for r in warm], "warm_same": same,
            "edited": edited,
            "errors": int(m[1]) if m else None, "warnings": int(m[2]) if m else None,
            "command": shown(runs[0].cmd) + (f"  (bästa av {repeat})" if repeat > 1 else "")}


def measure_build(content: Path, work: Path, dump: Path | None, cache_dir: Path | None = None,
                  sequential: bool = False) -> dict:
    """`handbok build`, timed by phase; with an empty .handbok-cache unless ``cache_dir`` holds one already.

    ``sequential``: the documents before the site (instrumented.py --sequential), for the site's own phases.
    """
    out = work / "build.json"
    if cache_dir is None:
        cache_dir = work / "build-cache"
        shutil.rmtree(cache_dir, ignore_errors=True)
    cmd = [PY, str(BENCH / "instrumented.py"), "build", str(out), "--rescue", str(work / "rescued")]
    if dump is not None:
        cmd += ["--dump", str(dump)]
    if sequential:
        cmd += ["--sequential"]
    args = ["--content", str(content), "--site-dir", str(work / "site"), "--dist-dir", str(work / "dist")]
    r = run(cmd + ["--", *args], work / "build.log", env={"GHCRTS": f"-M{PANDOC_HEAP}", "HANDBOK_CACHE": str(cache_dir)},
            check=False)
    if not out.exists():
        raise RuntimeError(f"{shlex.join(cmd)} gav slutkod {r.code}:\n{r.log[-4000:]}")
    data = json.loads(out.read_text(encoding="utf-8"))
    failed = data.get("documents_failed") or []
    if r.code != 0 and not failed:
        raise RuntimeError(f"{shlex.join(cmd)} gav slutkod {r.code}:\n{r.log[-4000:]}")
    if failed and (work / "rescued" / "site").is_dir():
        for name in ("site", "dist"):
            shutil.rmtree(work / name, ignore_errors=True)
            (work / "rescued" / name).rename(work / name)
    t = data["timings"]
    # The pages as Pagefind reads them are written as mkdocs writes the pages (on_post_page): search, not site.
    search_pages = t.get("search_pages", 0.0)
    hooks = sum(v for k, v in t.items() if k.startswith("hook_")) - search_pages
    mkdocs_total = t["mkdocs_load_config"] + t["mkdocs_build"]
    site = mkdocs_total - t["on_post_build"] - search_pages  # our generation + mkdocs, search and service worker excluded
    return {
        "wall": r.wall - data.get("dump_s", 0.0),  # the dump for plain mkdocs comes after the build: not counted
        "maxrss": r.maxrss, "tree_peak": r.tree_peak, "peaks": r.peaks,
        "maxrss_python": data["maxrss_self_kib"] * 1024, "maxrss_children": data["maxrss_children_kib"] * 1024,
        "check": t["check"], "render": t["render_pages"], "hooks": hooks,
        "generation": hooks,  # render_pages runs inside on_files
        "site": site, "mkdocs_own": site - hooks, "pagefind": t.get("pagefind", 0.0) + search_pages,
        "service_worker": t.get("service_worker", 0.0), "offline_zip": t.get("offline_zip", 0.0),
        "documents": t.get("documents", 0.0), "startup": data["startup"], "main": data["main"],
        "site_with_search": t["check"] + mkdocs_total, "timings": t,
        "failed": r.code != 0, "documents_failed": " ".join(" ".join(failed).split())[:600],
        "command": shown([PY, "-m", "generators", "build", *args]),
        "instrumented": shown(cmd + ["--", *args]),
    }


def _tree_digest(folder: Path) -> dict[str, str]:
    import hashlib

    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def profile_check(content: Path, work: Path, top: int = 15) -> dict:
    """Where a cold `handbok check` spends its time: cProfile, our own functions by cumulative time."""
    import pstats

    out = work / "check.prof"
    cache_dir = work / "profile-cache"
    shutil.rmtree(cache_dir, ignore_errors=True)
    r = run([PY, "-m", "cProfile", "-o", str(out), "-m", "generators", "check", "--content", str(content)],
            work / "profile.log", env={"HANDBOK_CACHE": str(cache_dir)})
    shutil.rmtree(cache_dir, ignore_errors=True)
    stats = pstats.Stats(str(out))
    total = max((v[3] for v in stats.stats.values()), default=0.0)  # the outermost call's cumulative time
    rows = []
    for (file, line, name), (_, calls, own, cum, _) in stats.stats.items():
        if "/generators/" in file or "/yaml/" in file or "/pydantic" in file:
            where = file.split("/generators/", 1)[-1] if "/generators/" in file else file.rsplit("site-packages/", 1)[-1]
            rows.append({"function": f"{where}:{line}({name})", "cum": cum, "own": own, "calls": calls})
    rows.sort(key=lambda x: -x["cum"])
    return {"wall": r.wall, "total": total, "top": rows[:top]}


def plain_config(docs: Path, site: Path, target: Path) -> Path:
    """mkdocs.yml without our plugin: the same theme, extensions and nav, over the dumped Markdown pages."""
    import yaml

    cfg = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    cfg["plugins"] = [p for p in cfg["plugins"] if p != "handbok"]
    cfg["docs_dir"] = str(docs)
    cfg["site_dir"] = str(site)
    cfg["theme"]["custom_dir"] = str(ROOT / cfg["theme"]["custom_dir"])
    cfg.pop("watch", None)
    # The dump holds the pages, not the built documents they offer for download: those links would stop a strict build.
    cfg["strict"] = False
    target.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def measure_plain(docs: Path, work: Path) -> dict:
    config = plain_config(docs, work / "plain-site", work / "plain-mkdocs.yml")
    out = work / "plain.json"
    r = run([PY, str(BENCH / "instrumented.py"), "plain", str(out), str(config)], work / "plain.log")
    data = json.loads(out.read_text(encoding="utf-8"))
    shutil.rmtree(work / "plain-site", ignore_errors=True)
    return {"mkdocs": data["mkdocs"], "wall": r.wall, "maxrss": r.maxrss,
            "command": shown([PY, "-m", "mkdocs", "build", "-f", str(config)])}


def site_sizes(site: Path, dist: Path) -> dict:
    routines = sorted(p.stat().st_size for p in (site / "rutiner").glob("*/index.html"))
    pages = [(p.stat().st_size, p.relative_to(site).as_posix()) for p in site.rglob("*.html")]
    biggest = max(pages)
    pagefind = [p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file()]
    sw = (site / "sw.js").read_text(encoding="utf-8")
    m = re.search(r"const PRECACHE = (\[.*?\]);", sw, re.S)
    precache = 0
    for u in json.loads(m[1]) if m else []:
        f = site / (u + "index.html" if u.endswith("/") else u) if u != "./" else site / "index.html"
        precache += f.stat().st_size if f.is_file() else 0
    volumes = [p.stat().st_size for p in dist.glob("rutinhandbok*.docx")]
    return {
        "pages": len(pages), "routine_pages": len(routines),
        "routine_median": statistics.median(routines), "routine_max": routines[-1],
        "start_page": (site / "index.html").stat().st_size,
        "biggest": biggest[0], "biggest_name": biggest[1],
        "pagefind_bytes": sum(pagefind), "pagefind_files": len(pagefind),
        "site_bytes": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()),
        "sw_bytes": len(sw.encode("utf-8")), "precache_bytes": precache,
        "offline_zip": (dist / "rutinhandbok-offline.zip").stat().st_size
        if (dist / "rutinhandbok-offline.zip").exists() else 0,
        "rutinhandbok_docx": sum(volumes), "rutinhandbok_files": len(volumes),
        "rutinhandbok_largest": max(volumes, default=0),
    }


def measure_search(site: Path, queries: list[str] = QUERIES) -> dict:
    """One query at a time in a fresh phone-sized browser (empty cache): bytes under /pagefind/ and in all."""
    from playwright.sync_api import sync_playwright

    from generators.audit import CHROMIUM, CHROMIUM_ARGS, serve

    out = {}
    with serve(site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        version = browser.version
        try:
            for q in queries:
                # The service worker is blocked: it would precache the whole site in the background (measured apart).
                ctx = browser.new_context(locale="sv-SE", service_workers="block", **PHONE)
                page = ctx.new_page()
                requests: list = []
                page.on("requestfinished", lambda req: requests.append(req))
                page.goto(base + "/", wait_until="networkidle")
                loaded = len(requests)
                page.click("[data-handbok-search-open]")
                page.fill("#handbok-search-input", q)
                page.wait_for_selector(".md-search-result__item", timeout=60000)
                page.wait_for_load_state("networkidle")
                meta = page.text_content("[data-handbok-search-meta]") or ""

                def size(req) -> int:
                    s = req.sizes()
                    return s["responseBodySize"] + s["responseHeadersSize"]

                load_bytes = sum(size(r) for r in requests[:loaded])
                query = requests[loaded:]
                pf = [r for r in query if "/pagefind/" in r.url]
                kinds: dict[str, int] = {}
                for r in pf:
                    name = r.url.rsplit("/", 1)[1]
                    kind = ("fragment" if "/fragment/" in r.url else "index" if "/index/" in r.url else
                            "wasm" if "wasm" in name else "js" if name.endswith(".js") else
                            "meta" if name.endswith(".pf_meta") else "filter" if "/filter/" in r.url else name)
                    kinds[kind] = kinds.get(kind, 0) + size(r)
                out[q] = {"pagefind_bytes": sum(size(r) for r in pf), "pagefind_requests": len(pf),
                          "query_bytes": sum(size(r) for r in query), "page_load_bytes": load_bytes,
                          "kinds": kinds, "results": meta.strip()}
                ctx.close()
        finally:
            browser.close()
    return {"queries": out, "chromium": version,
            "max_pagefind_bytes": max(v["pagefind_bytes"] for v in out.values())}


# --- StrictDoc -----------------------------------------------------------------------------------------------------

def strictdoc_bin() -> Path:
    exe = STRICTDOC_VENV / "bin" / "strictdoc"
    if not exe.exists():
        say(f"Installerar StrictDoc från PyPI i {STRICTDOC_VENV.relative_to(ROOT)} …")
        subprocess.run([sys.executable, "-m", "venv", str(STRICTDOC_VENV)], check=True)
        subprocess.run([str(STRICTDOC_VENV / "bin" / "python"), "-m", "pip", "install", "--quiet", STRICTDOC_SPEC],
                       check=True)
    return exe


def strictdoc_version() -> str:
    try:
        return subprocess.run([str(strictdoc_bin()), "--version"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"


def write_sdoc(content: Path, target: Path) -> int:
    """The routines as one StrictDoc document: one requirement per routine, title and statement."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    target.mkdir(parents=True, exist_ok=True)
    lines = ["[DOCUMENT]", "TITLE: Rutinhandbok mot prostitution och människohandel", ""]
    files = sorted((content / "routines").glob("*.yml"))
    for i, f in enumerate(files, 1):
        r = yaml.load(f.read_text(encoding="utf-8"), Loader=loader)
        statement = "\n\n".join(" ".join(str(r[k]).split()) for k in ("summary", "situation"))
        lines += ["[REQUIREMENT]", f"UID: RUT-{i:05d}", f"TITLE: {' '.join(r['title'].split())}", "STATEMENT: >>>",
                  statement.replace("<<<", "< < <"), "<<<", ""]
    (target / "rutinhandbok.sdoc").write_text("\n".join(lines), encoding="utf-8")
    return len(files)


def measure_strictdoc(content: Path, work: Path) -> dict:
    exe = strictdoc_bin()
    src, out = work / "sdoc", work / "sdoc-out"
    shutil.rmtree(out, ignore_errors=True)
    items = write_sdoc(content, src)
    cmd = [str(exe), "export", "--formats", "html", "--output-dir", str(out), str(src)]
    r = run(cmd, work / "strictdoc.log", cwd=work)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file() and "_cache" not in p.parts)
    shutil.rmtree(out, ignore_errors=True)
    return {"wall": r.wall, "maxrss": r.maxrss, "tree_peak": r.tree_peak, "items": items, "html_bytes": size,
            "command": shlex.join(["benchmarks/.venv-strictdoc/bin/strictdoc", "export", "--formats", "html",
                                   "--output-dir", "<ut>", "<mapp med rutinhandbok.sdoc>"])}


# --- the machine ---------------------------------------------------------------------------------------------------

def _first(path: str, key: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip() if ":" in line else line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    return "?"


def machine() -> dict:
    def version(pkg: str) -> str:
        try:
            return metadata.version(pkg)
        except metadata.PackageNotFoundError:
            return "?"

    try:
        import pypandoc

        pandoc = pypandoc.get_pandoc_version()
    except Exception:  # noqa: BLE001 - only for the description
        pandoc = "?"
    chromium = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True).stdout.strip()
    mem = int(_first("/proc/meminfo", "MemTotal").split()[0]) * 1024
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True,
                           text=True).stdout.strip()
    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(), "cpu": _first("/proc/cpuinfo", "model name"), "ram_gib": mem / 2**30,
        "os": _first("/etc/os-release", "PRETTY_NAME").strip('"'), "kernel": platform.release(),
        "python": platform.python_version(), "chromium": chromium or "?", "pandoc": pandoc,
        "mkdocs": version("mkdocs"), "material": version("mkdocs-material"), "pagefind": version("pagefind"),
        "commit": commit.strip() + (" (med ändringar som inte är incheckade)" if dirty else ""),
        "load_start": os.getloadavg(),
    }


# --- the report ----------------------------------------------------------------------------------------------------

def s(x: float) -> str:
    return f"{x:.1f}" if x >= 10 else f"{x:.2f}"


def mb(x: float) -> str:
    return f"{x / 1e6:.0f}" if x >= 1e8 else f"{x / 1e6:.1f}" if x >= 1e6 else f"{x / 1e6:.2f}"


def kb(x: float) -> str:
    return f"{x / 1e3:.1f}"


MISSED: list[str] = []  # the targets the report being written found missed, in table order


def ok(flag: bool | None, key: str = "") -> str:
    if flag is False and key and key not in MISSED:
        MISSED.append(key)
    return "–" if flag is None else ("uppfyllt" if flag else "**missat**")


def linearity(rows: list[dict], key) -> tuple[float | None, str]:
    """Marginal seconds per routine in the last interval over that in the first; None with fewer than 3 sizes."""
    pts = sorted((r["n"], key(r)) for r in rows)
    if len(pts) < 3:
        return None, "behöver tre storlekar"
    (n0, t0), (n1, t1) = pts[0], pts[1]
    (m0, u0), (m1, u1) = pts[-2], pts[-1]
    first, last = (t1 - t0) / (n1 - n0), (u1 - u0) / (m1 - m0)
    ratio = last / first if first > 0 else float("inf")
    return ratio, (f"{first * 1000:.1f} ms/rutin mellan {n0} och {n1}, {last * 1000:.1f} ms/rutin mellan {m0} och "
                   f"{m1} (kvot {ratio:.2f})")


def report(res: dict, args: argparse.Namespace) -> str:
    m, d, rows = res["machine"], res["default"], res["sizes"]
    MISSED.clear()
    by_n = {r["n"]: r for r in rows}
    big = by_n.get(10000) or (rows[-1] if rows else None)
    L: list[str] = []
    add = L.append
    add("# Skalningsmätning")
    add("")
    add("Skrivs av `make bench` (`.venv/bin/python benchmarks/bench.py"
        + (" " + " ".join(args.argv) if args.argv else "") + "`); ändra inte för hand. "
        "Mätningen ingår inte i `make test`.")
    add("")
    add("## Datorn")
    add("")
    add(f"- Datum: {m['date']}, incheckning {m['commit']}")
    add(f"- {m['cores']} kärnor ({m['cpu']}), {m['ram_gib']:.0f} GiB minne, {m['os']}, Linux {m['kernel']}")
    add(f"- Python {m['python']}, mkdocs {m['mkdocs']}, mkdocs-material {m['material']}, Pagefind {m['pagefind']}, "
        f"pandoc {m['pandoc']}, {m['chromium']}" + (f", StrictDoc {res['strictdoc_version']}"
                                                    if res.get("strictdoc_version") else ""))
    la, lb = m["load_start"], res["load_end"]
    add(f"- Belastning (load average 1/5/15 min) vid start {la[0]:.1f}/{la[1]:.1f}/{la[2]:.1f}, vid slut "
        f"{lb[0]:.1f}/{lb[1]:.1f}/{lb[2]:.1f}. Datorn har bara två kärnor och delas med andra jobb (till exempel "
        "tester som körs samtidigt), så tiderna kan variera med tiotals procent mellan körningar.")
    add(f"- Mätningen tog {res['duration'] / 60:.0f} minuter.")
    add("")

    # -- targets
    add("## Mål")
    add("")
    add("| Mål | Gräns | Uppmätt | Resultat |")
    add("|---|---|---|---|")
    add(f"| Hela bygget av standardinnehållet (`handbok build`), tom cache som i en ny klon | ≤ {T_DEFAULT_BUILD:.0f} s | "
        f"{s(d['build_median'])} s (median av {len(d['build_walls'])}) | {ok(d['build_median'] <= T_DEFAULT_BUILD, 'default_cold')} |")
    if d.get("warm_walls"):
        add(f"| Hela bygget av standardinnehållet igen, med cachen från ett tidigare bygge | ≤ {T_DEFAULT_BUILD:.0f} s "
            f"| {s(d['warm_median'])} s (median av {len(d['warm_walls'])}); webbplats och dokument "
            f"{'byte-identiska med bygget utan cache' if d['warm_identical'] else '**inte** identiska med bygget utan cache'}"
            f" | {ok(d['warm_median'] <= T_DEFAULT_BUILD and d['warm_identical'], 'default_warm')} |")
    if 10000 in by_n:
        c = by_n[10000]["check"]["wall"]
        add(f"| Granskning (`handbok check`) vid 10 000 rutiner, tom cache | ≤ {T_CHECK_10K:.0f} s | {s(c)} s | "
            f"{ok(c <= T_CHECK_10K, 'check_cold')} |")
        cw = by_n[10000]["check"].get("warm")
        if cw is not None:
            same = by_n[10000]["check"].get("warm_same")
            add(f"| Granskning vid 10 000 rutiner igen, med cachen från den första | ≤ {T_CHECK_10K_WARM:.0f} s | "
                f"{s(cw)} s (bästa av {len(by_n[10000]['check']['warm_walls'])}); "
                f"{'samma fel och varningar' if same else '**andra** fel och varningar än utan cache'}"
                + (f"; efter en ändrad rutintitel {s(by_n[10000]['check']['edited'])} s"
                   if by_n[10000]["check"].get("edited") else "") + " | "
                f"{ok(cw <= T_CHECK_10K_WARM and same, 'check_warm')} |")
        w = by_n[10000]["build"]["site_with_search"]
        add(f"| Webbplatsen med sökning vid 10 000 rutiner (granskning, generering, mkdocs, Pagefind) | ≤ "
            f"{T_SITE_10K:.0f} s | {s(w)} s | {ok(w <= T_SITE_10K, 'site_10k')} |")
    ratio, text = linearity(rows, lambda r: r["build"]["site"])
    add(f"| Webbplatsbygget (generering + mkdocs, utan sökning) linjärt i N | marginalkostnad per rutin i sista "
        f"intervallet ≤ {T_LINEAR:.1f} × den i första | {text} | {ok(None if ratio is None else ratio <= T_LINEAR, 'linear')} |")
    if rows:
        direct = [r["build"]["generation"] / _mkdocs_alone(r) for r in rows]
        with_check = [(r["build"]["generation"] + r["build"]["check"]) / _mkdocs_alone(r) for r in rows]
        side = [r.get("overhead") for r in rows]
        add(f"| Vår generering ovanpå mkdocs eget bygge av samma sidor (utan sökning) | ≤ {T_OVERHEAD:.0%} | "
            "generering / mkdocs ensamt: " + ", ".join(f"{x:+.0%} vid {r['n']}" for x, r in zip(direct, rows))
            + "; hela webbplatsen utan sökning mot mkdocs ensamt: "
            + ", ".join("–" if x is None else f"{x:+.0%}" for x in side)
            + "; med granskningen i bygget: " + ", ".join(f"{x:+.0%}" for x in with_check)
            + f" | {ok(max(direct) <= T_OVERHEAD, 'overhead')} för genereringen, {ok(max(with_check) <= T_OVERHEAD, 'overhead')} med "
            "granskningen |")
        first, last = d["row"]["sizes"], rows[-1]["sizes"]
        grow = last["routine_max"] / first["routine_max"]
        add(f"| Sidstorlek oberoende av N (största rutinsidan och startsidan) | ≤ {T_PAGE_GROWTH:.2f} × från "
            f"standardinnehållet ({first['routine_pages']} rutiner) till {rows[-1]['n']} | "
            f"{kb(first['routine_max'])} → {kb(last['routine_max'])} kB ({grow:.3f} ×); "
            f"startsidan {kb(first['start_page'])} → {kb(last['start_page'])} kB | "
            f"{ok(grow <= T_PAGE_GROWTH and last['start_page'] <= T_PAGE_GROWTH * first['start_page'], 'page_growth')} |")
        biggest = rows[-1]["sizes"]
        add(f"| Ingen sida över {T_PAGE_MAX / 1e3:.0f} kB vid {rows[-1]['n']} rutiner (översikterna delade) | "
            f"≤ {T_PAGE_MAX / 1e3:.0f} kB | största {kb(biggest['biggest'])} kB (`{biggest['biggest_name']}`) | "
            f"{ok(biggest['biggest'] <= T_PAGE_MAX if rows[-1]['n'] == 10000 else None, 'page_max')} |")
        peak = max(max(r["build"]["maxrss"], r["check"]["maxrss"]) for r in rows)
        tree = max(r["build"]["tree_peak"] for r in rows)
        add(f"| Toppminne | < {T_MEMORY / 1e9:.0f} GB | största process {mb(peak)} MB, hela processträdet "
            f"{mb(tree)} MB | {ok(peak < T_MEMORY and tree < T_MEMORY, 'memory')} |")
    if big is not None and big.get("search"):
        q = big["search"]["max_pagefind_bytes"]
        add(f"| Vad en telefon hämtar för en sökning vid {big['n']} rutiner | ≤ {T_SEARCH / 1e3:.0f} kB | "
            f"{kb(q)} kB (största av {len(big['search']['queries'])} sökningar) | "
            f"{ok(q <= T_SEARCH if big['n'] == 10000 else None, 'search')} |")
    sv = d.get("serve")
    if sv:
        add(f"| Förhandsgranskning: från sparad rutin till ny sida i `handbok serve` | ≤ {T_SERVE:.0f} s | "
            f"{s(sv['median_s'])} s (median av {len(sv['edits_s'])}) | {ok(sv['median_s'] <= T_SERVE, 'serve')} |")
    if big is not None and big.get("strictdoc"):
        sd = big["strictdoc"]
        w = big["build"]["site_with_search"]
        add(f"| Jämfört med StrictDoc vid {big['n']} rutiner (webbplatsen med sökning mot StrictDocs HTML-export) | "
            f"snabbare och mindre minne | {s(w)} s mot {s(sd['wall'])} s ({w / sd['wall']:.2f} ×), "
            f"{mb(big['build']['maxrss'])} MB mot {mb(sd['maxrss'])} MB | "
            f"{ok(w < sd['wall'] and big['build']['maxrss'] < sd['maxrss'], 'strictdoc')} |")
    add("")
    add("kB och MB är 1 000 och 1 000 000 byte. Minne är RSS: största enskilda process (`wait4`, barnprocesser som "
        "pandoc och Pagefind inräknade var för sig) och största summan över processträdet (läst ur `/proc` var "
        "tionde sekund).")
    add("")

    # -- times
    add("## Tider (sekunder)")
    add("")
    add("| Rutiner | Sidor | Granskning | Granskning, varm cache | Generering (render + krokar) | mkdocs-delen av vårt bygge | "
        "Webbplats utan sökning | mkdocs ensamt, samma sidor | Generering / mkdocs ensamt | Tillägg sida vid sida | "
        "Tillägg med granskning | Pagefind | Offlinepaket | Dokument | Hela bygget |")
    add("|" + "---:|" * 15)
    for r in [d["row"], *rows]:
        b = r["build"]
        plain = r.get("plain")
        warm = r["check"].get("warm")
        add(f"| {r['label']} | {r['sizes']['pages']} | {s(r['check']['wall'])} | {'–' if warm is None else s(warm)} | "
            f"{s(b['generation'])} | "
            f"{s(b['mkdocs_own'])} | {s(b['site'])} | {s(plain['mkdocs']) if plain else '–'} | "
            f"{b['generation'] / _mkdocs_alone(r):+.0%} | {format(r['overhead'], '+.0%') if plain else '–'} | "
            f"{(b['generation'] + b['check']) / _mkdocs_alone(r):+.0%} | {s(b['pagefind'])} | "
            f"{s(b['offline_zip'])} | "
            + (f"**misslyckades** efter {s(b['documents'])} | **misslyckades** efter {s(b['wall'])} |"
               if b.get("failed") else f"{s(b['documents'])} | {s(b['wall'])} |"))
    add("")
    add("- *Granskning*: `handbok check` som egen process, väggtid inklusive Python-start, med tom `.handbok-cache`. "
        "*Varm cache*: samma kommando igen, med cachen som den första körningen lämnade (innehållet oförändrat).")
    add("- Alla byggen i tabellen börjar med en tom `.handbok-cache`, också för dokumenten.")
    add("- *Generering*: våra sidor i minnet (`render_pages`) och insticksprogrammets krokar (`on_files`, "
        "`on_page_markdown`, `on_page_content`, …) i `handbok build`. Granskningen i bygget (steg 1/5) är lika lång som "
        "i kolumnen *Granskning* och räknas inte hit.")
    add("- *Webbplats utan sökning*: mkdocs `load_config` + `build` i `handbok build`, utan `on_post_build` "
        "(Pagefind och service worker) och utan sidorna som Pagefind läser. *Pagefind*: Pagefinds körning från start "
        "till slut, och att skriva de nedskurna sidorna som den läser (`finish.search_page`, medan mkdocs skriver "
        "sidorna).")
    add("- *mkdocs ensamt*: samma Markdown-sidor som vårt insticksprogram genererade, skrivna till en mapp och byggda "
        "av mkdocs-material utan vårt insticksprogram, med samma tema, tillägg och meny (`load_config` + `build`), "
        "direkt efter vårt bygge.")
    add("- *Generering / mkdocs ensamt*: vad genereringen kostar, mätt mot vad mkdocs ensamt kostar för samma sidor "
        "(mkdocs-delen = webbplats utan sökning − generering). Vårt bygge omvandlar de genererade sidornas Markdown i "
        "arbetsprocesser (`render/markdown_pool.py`, från 400 genererade sidor), så mkdocs-delen av vårt bygge är "
        "kortare än mkdocs ensamt och inget mått på vad mkdocs själv kostar; utan mkdocs ensamt i raden räknas mot "
        "mkdocs-delen. *Tillägg sida vid sida* = (webbplats utan sökning − mkdocs ensamt) / mkdocs ensamt: hela vårt "
        "bygge mot mkdocs ensamt, negativt när vårt är snabbare; två körningar efter varandra på en delad dator "
        "skiljer sig lätt med 10 %. *Tillägg med granskning* = (generering + granskningen i bygget) / mkdocs ensamt.")
    add("- *Hela bygget*: `handbok build` från start till slut (granskning, webbplats, sökindex, offlinepaket, "
        "dokument, publicering). `handbok build` skriver dokumenten medan mkdocs gör sidorna; i den här tabellen "
        "skrivs de före webbplatsen (`instrumented.py --sequential`), så att webbplatsens kolumner mäter webbplatsen "
        "ensam på de två kärnorna. Målraden för hela standardbygget kommer från egna körningar som användaren kör "
        "dem, med dokumenten bredvid webbplatsen.")
    add("")

    # -- memory and sizes
    add("## Minne och storlek")
    add("")
    add("| Rutiner | Toppminne granskning (MB) | Toppminne bygge: Python / största barnprocess / processträdet (MB) | "
        "Rutinsida median / största (kB) | Startsidan (kB) | Största sidan (kB) | Sökindex (MB, filer) | "
        "Webbplatsen (MB) | Service workerns förhämtning (MB) | Offlinepaket (MB) | Rutinhandboken i Word: MB, filer "
        "(största MB) |")
    add("|" + "---:|" * 11)
    for r in [d["row"], *rows]:
        b, z = r["build"], r["sizes"]
        add(f"| {r['label']} | {mb(r['check']['maxrss'])} | {mb(b['maxrss_python'])} / {mb(b['maxrss_children'])} / "
            f"{mb(b['tree_peak'])} | {kb(z['routine_median'])} / {kb(z['routine_max'])} | {kb(z['start_page'])} | "
            f"{kb(z['biggest'])} (`{z['biggest_name']}`) | {mb(z['pagefind_bytes'])}, {z['pagefind_files']} | "
            f"{mb(z['site_bytes'])} | {mb(z['precache_bytes'])} | {mb(z['offline_zip'])} | "
            + (f"{mb(z['rutinhandbok_docx'])}, {z.get('rutinhandbok_files', 1)} "
               f"({mb(z.get('rutinhandbok_largest', z['rutinhandbok_docx']))}) |" if z["rutinhandbok_docx"] else "– |"))
    add("")
    add("*Service workerns förhämtning*: summan av filerna i `sw.js`-listan, det som en telefon hämtar i bakgrunden "
        "vid första besöket för att kunna läsa offline.")
    if any(r["build"].get("peaks") for r in [d["row"], *rows]):
        add("")
        add("Största sampelvärde per program under `handbok build` (MB): " + "; ".join(
        f"{r['label']}: " + ", ".join(f"{name} {mb(v)}" for name, v in sorted(r["build"].get("peaks", {}).items(),
                                                                            key=lambda kv: -kv[1])[:4])
            for r in [d["row"], *rows] if r["build"].get("peaks")) + ".")
    add("")

    # -- search
    searched = [r for r in [d["row"], *rows] if r.get("search")]
    if searched:
        add("## En sökning på telefonen")
        add("")
        add("Webbplatsen serveras lokalt och öppnas i Chromium via Playwright i telefonstorlek (390 × 844, "
            "`is_mobile`), med tom cache och blockerad service worker. Sökrutan öppnas och ordet skrivs in; allt som "
            "hämtas efter sidladdningen räknas tills träffarna visas och nätet är tyst. Pagefind hämtar sitt skript, "
            "sin wasm-fil, metadata, de delar av indexet som orden finns i och utdrag för de tio första träffarna.")
        add("")
        add("| Rutiner | Sökning | Under /pagefind/ (kB) | Anrop | Varav index / utdrag / wasm / js / meta (kB) | "
            "Allt för sökningen (kB) | Sidladdningen före (kB) | Träffar |")
        add("|---:|---|---:|---:|---|---:|---:|---|")
        for r in searched:
            for q, v in r["search"]["queries"].items():
                k = v["kinds"]
                parts = " / ".join(kb(k.get(x, 0)) for x in ("index", "fragment", "wasm", "js", "meta"))
                add(f"| {r['label']} | {q} | {kb(v['pagefind_bytes'])} | {v['pagefind_requests']} | {parts} | "
                    f"{kb(v['query_bytes'])} | {kb(v['page_load_bytes'])} | {v['results']} |")
        add("")

    # -- strictdoc
    sd_rows = [r for r in rows if r.get("strictdoc")]
    if sd_rows:
        add("## StrictDoc som jämförelse")
        add("")
        add("Samma rutiner som ett StrictDoc-dokument (ett krav per rutin: titel och, som `STATEMENT`, sammanfattning "
            "och situation), exporterat till HTML med StrictDoc från PyPI i en egen miljö (`benchmarks/.venv-strictdoc`"
            ", incheckas inte).")
        add("")
        add("| Rutiner | StrictDoc (s) | StrictDoc toppminne: process / processträd (MB) | Vår webbplats med sökning (s) | "
            "Kvot tid | Vårt toppminne (MB) | Kvot minne |")
        add("|---:|---:|---:|---:|---:|---:|---:|")
        for r in sd_rows:
            sd, b = r["strictdoc"], r["build"]
            add(f"| {r['n']} | {s(sd['wall'])} | {mb(sd['maxrss'])} / {mb(sd['tree_peak'])} | "
                f"{s(b['site_with_search'])} | {b['site_with_search'] / sd['wall']:.2f} | {mb(b['maxrss'])} | "
                f"{b['maxrss'] / sd['maxrss']:.2f} |")
        add("")

    # -- preview
    if sv:
        add("## Förhandsgranskningen")
        add("")
        add(f"`benchmarks/serve_latency.py` startar `{sv['command']}`, ändrar titeln i "
            f"`routines/{serve_latency.ROUTINE}.yml` och hämtar rutinens sida tills den nya titeln syns "
            f"(var 20:e millisekund). Första sidan efter start: {s(sv['first_page_s'])} s. Efter varje ändring: "
            + ", ".join(s(x) for x in sv["edits_s"]) + f" s; median {s(sv['median_s'])} s. Varje ändring omvandlar bara de sidor vars Markdown ändrats, och sökindexet byggs i bakgrunden efter att den nya sidan visas."
            )
        add("")

    # -- commands
    add("## Kommandon")
    add("")
    add("Innehållet skalas med `.venv/bin/python benchmarks/scale.py N MAPP` (kopior av de riktiga rutinerna med nya "
        "id, titlar och något varierad text; alla hänvisningar giltiga). Alla byggen med "
        f"`SOURCE_DATE_EPOCH={EPOCH}`. Varje mätning i en egen process:")
    add("")
    add("```sh")
    for r in [d["row"], *rows]:
        add(f"# {r['label']}")
        if r.get("scale_command"):
            add(r["scale_command"])
        add(r["check"]["command"])
        add(r["build"]["instrumented"] + "   # = " + r["build"]["command"] + " med tidtagning")
        if r.get("plain"):
            add(r["plain"]["command"])
        if r.get("strictdoc"):
            add(r["strictdoc"]["command"])
    add("```")
    add("")
    notes = list(res["notes"])  # the report's own notes are not added to res (--from-json writes it again)
    notes.append(
        "pandoc körs i mätningen med `GHCRTS=-M" + PANDOC_HEAP + "` (högst " + PANDOC_HEAP.upper() + " heap), så att ett "
        "för stort dokument stoppar pandoc med ”Heap exhausted” i stället för att kärnans OOM-killer stoppar vad som "
        "helst på datorn. Det behövdes när hela rutinhandboken var ett enda Word-dokument: vid 10 000 rutiner växte "
        "pandoc då till 21,7 GB och stoppades av OOM-killern. Nu delas den i volymer om högst 100 rutiner (`VOLUME_SIZE`).")
    for r in [d["row"], *rows]:
        b = r["build"]
        if b.get("failed"):
            notes.append(
                f"{r['label']} rutiner: `handbok build` misslyckades i dokumentsteget ({b['documents_failed']}) och "
                "publicerade ingenting, som det ska. Webbplatsen och offlinepaketet var färdiga före dokumenten; mätningen flyttar dem ur det tillfälliga bygget innan det städas bort "
                "(`instrumented.py --rescue`), så att sidstorlek, sökindex och sökningen ändå kan mätas. Tiderna för "
                "granskning, webbplats och Pagefind kommer från samma misslyckade körning.")
        for e in r.get("errors", []):
            notes.append(f"{r['label']}: {e}")
    prof = [r for r in rows if r.get("check_profile")]
    for r in prof:
        pr = r["check_profile"]
        add(f"## Profil: granskningen vid {r['label']} rutiner")
        add("")
        add(f"`python -m cProfile -m generators check` med tom cache: {s(pr['wall'])} s under profileraren "
            f"({s(r['check']['wall'])} s utan). Våra funktioner, YAML och pydantic, efter sammanlagd tid "
            "(en funktion räknas också i dem som anropar den):")
        add("")
        add("| Funktion | Sammanlagt (s) | Egen tid (s) | Anrop |")
        add("|---|---:|---:|---:|")
        for f in pr["top"]:
            add(f"| `{f['function']}` | {s(f['cum'])} | {s(f['own'])} | {f['calls']} |")
        add("")
    if MISSED:
        add("## Vad som återstår och nästa steg")
        add("")
        add("För varje mål som missades ovan: var tiden eller storleken går (ur tabellerna och profilen här) och nästa "
            "steg i konstruktionen. Texten hör till målet och står bara här när målet missas.")
        add("")
        for key in MISSED:
            add(f"- {NEXT_STEPS.get(key, 'Ingen analys skriven för det här målet ännu.')}")
        add("")
    if notes:
        add("## Anmärkningar")
        add("")
        for n in notes:
            add(f"- {n}")
        add("")
    return "\n".join(L)


# --- main ----------------------------------------------------------------------------------------------------------

def _attempt(row: dict, what: str, fn):
    """A measurement that may fail without stopping the others: the error is kept for the report."""
    try:
        return fn()
    except Exception as exc:  # noqa: BLE001 - reported, not hidden
        say(f"{row['label']}: {what} misslyckades: {exc}")
        row.setdefault("errors", []).append(f"{what}: {' '.join(str(exc).split())[:500]}")
        return None


def measure_size(n: int | None, work: Path, args: argparse.Namespace) -> dict:
    label = "standard" if n is None else str(n)
    wd = work / f"n-{label}"
    shutil.rmtree(wd, ignore_errors=True)
    wd.mkdir(parents=True)
    row: dict = {"n": n, "label": "standardinnehållet" if n is None else f"{n:,}".replace(",", " ")}
    if n is None:
        content = ROOT / "content"
    else:
        content = wd / "content"
        start = time.perf_counter()
        made = scale.scale(n, content, seed=args.seed)
        row["scale_s"] = time.perf_counter() - start
        row["generated"] = made
        row["scale_command"] = f".venv/bin/python benchmarks/scale.py {n} <mapp> --seed {args.seed}"
    say(f"{label}: handbok check …")
    row["check"] = measure_check(content, wd, repeat=args.repeat if n is None else 1)
    say(f"{label}: granskning {row['check']['wall']:.1f} s, {row['check']['errors']} fel, "
        f"{row['check']['warnings']} varningar. handbok build …")
    dump = wd / "docs" if not args.skip_plain else None
    row["build"] = measure_build(content, wd, dump, sequential=True)
    b = row["build"]
    say(f"{label}: bygget {b['wall']:.1f} s (webbplats {b['site']:.1f} s, Pagefind {b['pagefind']:.1f} s, "
        f"dokument {b['documents']:.1f} s)" + (f"; MISSLYCKADES: {b['documents_failed']}" if b["failed"] else ""))
    if dump is not None and dump.is_dir():
        row["plain"] = _attempt(row, "mkdocs ensamt", lambda: measure_plain(dump, wd))
        if row["plain"]:
            plain = row["plain"]["mkdocs"]
            row["overhead"] = (b["site"] - plain) / plain
            row["overhead_with_check"] = (b["site"] + b["check"] - plain) / plain
            say(f"{label}: mkdocs ensamt {plain:.1f} s, vårt tillägg {row['overhead']:+.0%}")
        shutil.rmtree(dump, ignore_errors=True)
    row["sizes"] = site_sizes(wd / "site", wd / "dist")
    if not args.skip_search and (n is None or n >= 1000):
        say(f"{label}: sökning i Chromium …")
        row["search"] = _attempt(row, "sökningen", lambda: measure_search(wd / "site"))
    if n == max(args.sizes) and n is not None and not args.skip_profile \
            and (row["check"]["wall"] > T_CHECK_10K or (row["check"].get("warm") or 0) > T_CHECK_10K_WARM):
        say(f"{label}: profil av granskningen …")
        row["check_profile"] = _attempt(row, "profilen", lambda: profile_check(content, wd))
    if n is not None and not args.skip_strictdoc and n in args.strictdoc_sizes:
        say(f"{label}: StrictDoc …")
        row["strictdoc"] = _attempt(row, "StrictDoc", lambda: measure_strictdoc(content, wd))
        if row["strictdoc"]:
            say(f"{label}: StrictDoc {row['strictdoc']['wall']:.1f} s")
    if not args.keep:
        shutil.rmtree(wd, ignore_errors=True)
    return row


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000], help="antal rutiner")
    ap.add_argument("--strictdoc-sizes", type=int, nargs="*", default=None,
                    help="storlekar för StrictDoc (standard: samma som --sizes)")
    ap.add_argument("--skip-strictdoc", action="store_true")
    ap.add_argument("--skip-plain", action="store_true", help="hoppa över mkdocs utan vårt insticksprogram")
    ap.add_argument("--skip-search", action="store_true", help="hoppa över sökningen i Chromium")
    ap.add_argument("--skip-serve", action="store_true", help="hoppa över förhandsgranskningen")
    ap.add_argument("--skip-profile", action="store_true", help="hoppa över profilen av en granskning som missar målet")
    ap.add_argument("--quick", action="store_true", help="bara 1000 rutiner, utan StrictDoc: för att pröva skriptet")
    ap.add_argument("--repeat", type=int, default=3, help="upprepningar på standardinnehållet (median/bästa)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--work", type=Path, default=Path("/tmp/handbok-bench"), help="arbetsmapp (töms)")
    ap.add_argument("--keep", action="store_true", help="behåll byggena i arbetsmappen")
    ap.add_argument("--output", type=Path, default=BENCH / "RESULTS.md")
    ap.add_argument("--from-json", type=Path, default=None, metavar="JSON",
                    help="mät inget: skriv RESULTS.md på nytt ur en tidigare körnings results.json")
    ap.add_argument("--json", type=Path, default=None,
                    help="alla mätvärden som JSON (standard: results.json bredvid --output, som RESULTS.md skrivs ur)")
    args = ap.parse_args()
    args.argv = sys.argv[1:]
    if args.quick:
        args.sizes, args.skip_strictdoc = [1000], True
    args.sizes = sorted(set(args.sizes))
    args.strictdoc_sizes = args.sizes if args.strictdoc_sizes is None else args.strictdoc_sizes
    if args.from_json:
        res = json.loads(args.from_json.read_text(encoding="utf-8"))
        args.argv = res.get("argv", [])
        text = report(res, args)
        args.output.write_text(text + "\n", encoding="utf-8")
        print(text)
        return 0
    started = time.perf_counter()
    res: dict = {"machine": machine(), "notes": [], "argv": args.argv}
    if not args.skip_strictdoc:
        strictdoc_bin()
        res["strictdoc_version"] = strictdoc_version()
    args.work.mkdir(parents=True, exist_ok=True)

    say("Standardinnehållet …")
    default = measure_size(None, args.work, args)
    # The whole default build, as a user runs it: median of several runs of `handbok build`, each with an empty
    # .handbok-cache (cold, as on a fresh clone), and then with the cache one build left (warm, as when a writer
    # builds again after an edit; here without an edit, so every document comes from the cache).
    walls = []
    for i in range(args.repeat):  # as a user runs it: the documents beside the site (the row above: one after other)
        walls.append(measure_build(ROOT / "content", args.work / f"n-standard-{i}", None)["wall"])
        shutil.rmtree(args.work / f"n-standard-{i}", ignore_errors=True)
    warm_cache = args.work / "n-standard-warm-cache"
    shutil.rmtree(warm_cache, ignore_errors=True)
    measure_build(ROOT / "content", args.work / "n-standard-fill", None, cache_dir=warm_cache)
    warm, identical = [], True
    for i in range(args.repeat):
        wd = args.work / f"n-standard-warm-{i}"
        warm.append(measure_build(ROOT / "content", wd, None, cache_dir=warm_cache)["wall"])
        identical = identical and _tree_digest(wd / "dist") == _tree_digest(args.work / "n-standard-fill" / "dist") \
            and _tree_digest(wd / "site") == _tree_digest(args.work / "n-standard-fill" / "site")
        shutil.rmtree(wd, ignore_errors=True)
    shutil.rmtree(args.work / "n-standard-fill", ignore_errors=True)
    shutil.rmtree(warm_cache, ignore_errors=True)
    res["default"] = {"row": default, "build_walls": walls, "build_median": statistics.median(walls),
                      "warm_walls": warm, "warm_median": statistics.median(warm), "warm_identical": identical}
    if not args.skip_serve:
        say("Förhandsgranskningen …")
        res["default"]["serve"] = serve_latency.measure()
    rows = []
    res["sizes"] = rows
    partial = args.work / "results.json"
    for n in args.sizes:
        say(f"{n} rutiner …")
        rows.append(measure_size(n, args.work, args))
        partial.write_text(json.dumps(res, indent=2, default=str), encoding="utf-8")  # kept if a later size fails
    res["duration"] = time.perf_counter() - started
    res["load_end"] = os.getloadavg()
    for r in rows:
        w = r["check"]["warnings"]
        res["notes"].append(f"{r['label']} rutiner: {r['generated']} genererade, `handbok check` gav "
                            f"{r['check']['errors']} fel och {w} varningar.")
    text = report(res, args)
    args.output.write_text(text + "\n", encoding="utf-8")
    # The figures beside the report they were written into: tests/test_bench_report.py writes the report again from
    # them and compares, so that RESULTS.md is always one run's figures with the texts in this file.
    (args.json or args.output.with_name("results.json")).write_text(json.dumps(res, indent=2, default=str) + "\n",
                                                                    encoding="utf-8")
    say(f"Skrev {args.output}")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
