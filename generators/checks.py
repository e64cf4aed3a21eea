"""Stage 4, checks: rules over the resolved graph that yield issues.

Each check is a generator over the project (Doorstop's way): it yields every
problem it sees at info, warning or error level and never stops at the first.
Every issue names the file, line and column of the thing it is about.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import json
import re
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

from . import cache, editorial, load, privacy, workers
from .prose import Lines, raw_html
from .align import align, current_draft, memoized, practice
from .graph import Project
from .ids import is_id, slug_id
from .issues import Issue, Position, error, warning
from .load import strings_only, walk_strings
from .review import basis_date, due_date

Check = Callable[[Project, dt.date], Iterator[Issue]]
CHECKS: list[Check] = []


def check(fn: Check) -> Check:
    CHECKS.append(fn)
    return fn


# --- What a check found in one file's text, kept by the file's bytes ---------------------------------------------
#
# The checks that read every file's text (personal data, discouraged words, reader text, plain language, the links in
# the records' texts) first work out a summary that depends on the file alone (and, where said, on a context such as
# the glossary's words, which is part of the key); only a file whose summary shows something is looked at again,
# string by string, by the same code as without the cache. The summaries are kept per file (Document.digest) in the
# cache, in a few files per content folder (cache.Pack), so that a warm check does not read unchanged files again.

#: The cache area of the summaries.
CACHE_AREA = "checks"
#: The fewest files with summaries missing from the cache for which a check works them out in worker processes (a
#: cold check of a large folder), while the main process builds the records and runs the other checks. Starting the
#: workers takes about a second of processor time, and a file's summaries about 1 ms, so two workers pay from here.
PARALLEL_FROM = 1000
#: Files per task sent to a worker.
PARALLEL_CHUNK = 100


class _Kept:
    """The summaries of one check run: the cache's pack, and the summaries being worked out in workers, if any."""

    def __init__(self, store: cache.Pack):
        self.store = store
        self.pool = None
        self.futures: list = []
        self.names: set[str] = set()

    def drain(self) -> None:
        """Put the workers' summaries in the pack (once); a failed task leaves its summaries to the checks."""
        futures, self.futures, self.names = self.futures, [], set()
        for future in futures:
            try:
                found = future.result()
            except Exception:  # noqa: BLE001  a broken pool, or a worker that could not start: the checks compute them
                continue
            for k, value in found:
                self.store.put(k, value)
        self.close()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


_summaries: _Kept | None = None


def start_summaries(trees: list[Path], documents: list) -> _Kept | None:
    """The summaries of a check of ``documents`` (the files of the content folders ``trees``, as just loaded), for
    run_checks: those missing from the cache are sent to worker processes now (_start_workers), so that they are worked
    out while the main process builds and resolves the records (build_project's ``loaded``). None without the cache."""
    if cache.root() is None:
        return None
    kept = _Kept(cache.Pack(CACHE_AREA, _scope(trees)))
    _start_workers(kept, trees, documents)
    return kept


def _scope(trees: list[Path]) -> str:
    return "\x00".join(str(Path(d).resolve()) for d in trees)


@contextmanager
def _kept_summaries(p: Project, kept: _Kept | None = None) -> Iterator[None]:
    """The summaries while the checks run: ``kept`` from start_summaries, or else started here."""
    global _summaries
    if kept is None:
        kept = start_summaries(p.content_dirs or [p.content_dir], p.documents)
    _summaries = kept
    try:
        yield
        if kept is not None:
            kept.drain()
            kept.store.flush()
    finally:
        if kept is not None:
            kept.close()
        _summaries = None


def _summary(doc, name: str, context: str, compute: Callable[[], Any], valid: Callable[[Any], bool]) -> Any:
    """``compute()``, a JSON value that depends only on ``doc``'s text and ``context``, kept by the file's bytes.
    An entry that is not ``valid`` counts as a miss."""
    kept = _summaries
    if kept is None or getattr(doc, "digest", None) is None:
        return compute()
    if name in kept.names:
        kept.drain()
    k = cache.key(CACHE_AREA, name, doc.digest, context)
    entry = kept.store.get(k)
    if entry is not None:
        try:
            value = json.loads(entry)
            if valid(value):
                return value
        except ValueError:
            pass
    value = compute()
    kept.store.put(k, _encode(value))
    return value


def _encode(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")


# The summaries that depend on a file's data alone (and a context string): what the checks below compute in the main
# process and the workers compute ahead of them (_SUMMARIES). plain_language's is with its limits, further down.

def _personal_summary(data: Any, context: str) -> list:
    """[kind, text, start] of each personal identity number, phone number and e-mail address in the file's strings,
    joined by a separator that no pattern can match across."""
    return [[f.kind, f.text, f.start] for f in privacy.find("\x00\n".join(strings_only(data)))]


def _reader_summary(data: Any, context: str) -> list:
    """[any editorial remark, any id in parentheses, the kebab-case words] of a file's reader text."""
    whole = "\x00\n".join(editorial.reader_texts(data))
    enclosed, words = editorial.id_candidates(whole)
    return [bool(editorial.editorial_phrases(whole)), enclosed, words]


def _discouraged_summary(data: Any, context: str) -> bool:
    """Whether any of the discouraged words (``context``: the words, separated by NUL) is in the routine's prose. All
    the texts are looked at at once: a word found in one text is found in them joined (the separator is no letter)."""
    return _discouraged_words(context).search_in("\x00\n".join(
        strings_only({k: v for k, v in data.items() if k not in _NOT_PROSE})))


def _links_summary(data: Any, context: str) -> bool:
    """Whether the record's reader text may hold a Markdown link (links.record_has_links)."""
    from .links import record_has_links

    return record_has_links(data)


def _wanted(documents: list) -> Iterator[tuple[Any, str, str]]:
    """(document, summary, context) for each summary the checks below may ask for, from the files alone: a check asks
    only for those of the records that were built, and for the discouraged words of the glossary's records, but
    a summary worked out that is not asked for, or under another context, is only a summary not used."""
    from .links import shows_record

    words = "\x00".join(d["term"] for doc in documents if doc.kind == "term"
                        for d in _dicts(doc.data.get("discouraged")) if isinstance(d.get("term"), str))
    for doc in documents:
        yield doc, "personal_data", ""
        if doc.kind not in READER_TEXT_SKIPS:
            yield doc, "reader_text", ""
        if shows_record(doc):
            yield doc, "record_links", ""
        if doc.kind == "routine":
            yield doc, "plain_language", ""
            if words:
                yield doc, "discouraged_terms", words


def _dicts(value: Any) -> list[dict]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _start_workers(kept: _Kept, trees: list[Path], documents: list) -> None:
    """When ``PARALLEL_FROM`` files or more have summaries missing from the cache, send those to worker processes,
    which work them out while the main process builds the records and runs the checks that need none; the first check
    that needs one waits for all.

    A worker reads each file's data from the entry that load_tree keeps of the file (a Document's digest is the
    entry's key), so that nothing but the keys is sent: sending the data itself took the main process longer than
    the checks it saved. A file whose entry a worker cannot find is left to the checks."""
    folders = [str(f) for f in (load.pack_folder(t) for t in trees) if f is not None]
    todo: dict[str, list[tuple[str, str, str]]] = {}
    for doc, name, context in _wanted(documents):
        if getattr(doc, "digest", None) is None:
            continue
        k = cache.key(CACHE_AREA, name, doc.digest, context)
        if not kept.store.has(k):
            todo.setdefault(doc.digest, []).append((k, name, context))
    if len(todo) < PARALLEL_FROM or workers.cores() < 2 or not folders:
        return
    tasks = sorted(todo.items())  # by key, so that a task's entries are in one or two of the packs' files
    try:
        kept.pool = workers.pool()
        kept.futures = [kept.pool.submit(_work_out, folders, tasks[i:i + PARALLEL_CHUNK])
                        for i in range(0, len(tasks), PARALLEL_CHUNK)]
        kept.names = {name for _, wanted in tasks for _, name, _ in wanted}
    except Exception:  # noqa: BLE001  no pool: the checks compute the summaries as before
        kept.close()


_packs: dict[str, cache.Pack] = {}  # in a worker: load's packs, by folder


def _work_out(folders: list[str], tasks: list[tuple[str, list[tuple[str, str, str]]]]) -> list[tuple[str, bytes]]:
    """In a worker: the cache entry of each summary wanted of each file (by its digest), from the file's data."""
    packs = [_packs.setdefault(f, cache.Pack(load.CACHE_AREA, "", folder=Path(f))) for f in folders]
    out: list[tuple[str, bytes]] = []
    for digest, wanted in tasks:
        data = next((d for d in (load.cached_data(pack, digest) for pack in packs) if d is not None), None)
        if data is not None:
            out.extend((k, _encode(_SUMMARIES[name](data, context))) for k, name, context in wanted)
    for pack in packs:  # the packs' files hold every file's data: only the one the next task starts in is kept
        pack.forget(keep=tasks[-1][0])
    return out


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool)


@check
def id_matches_filename(p: Project, today: dt.date) -> Iterator[Issue]:
    for (kind, rid), doc in p.docs.items():
        stem = Path(doc.path).name.rsplit(".", 1)[0]
        if stem != rid:
            if is_id(stem):
                hint = f"Döp om filen till {rid}.yml eller ändra id till {stem!r}; id:t blir sidans adress och ska vara " \
                       "stabilt."
            else:  # an id is never suggested from a file name it could not be (å, ä, ö, capitals, spaces)
                hint = f"Döp om filen till {rid}.yml: filnamnet är postens id och får bara innehålla a–z, siffror och " \
                       "bindestreck, inte å, ä eller ö."
                other = slug_id(stem)
                if other and other != rid:
                    hint += f" Eller ändra id till {other!r} och döp om filen till {other}.yml."
            yield error("id-filename", f"Id {rid!r} stämmer inte med filnamnet {Path(doc.path).name!r}.", doc.path,
                        doc.pos(("id",)), hint=hint)


#: The kinds whose records get a page '<folder>/<id>.md' beside the folder's overview '<folder>/index.md' (render/site.py):
#: the id 'index' would give the record's page the overview's address. A unit's open questions have the same form.
PAGE_FOLDERS = {"routine": "rutiner", "unit": "enheter", "legal": "lagar", "requirement": "avstamning",
                "module": "utbildning"}
RESERVED_ID = "index"


@check
def reserved_ids(p: Project, today: dt.date) -> Iterator[Issue]:
    for (kind, rid), doc in p.docs.items():
        if rid == RESERVED_ID and kind in PAGE_FOLDERS:
            yield error("id-reserved", f"Id {rid!r} kan inte användas: sidan skulle få samma adress som översikten "
                        f"{PAGE_FOLDERS[kind]}/.", doc.path, doc.pos(("id",)),
                        hint="Välj ett id som säger vad posten gäller, t.ex. efter titeln, och döp om filen efter det.")
    for plan in p.plans.values():
        doc = p.doc("plan", plan.id)
        for i, ch in enumerate(plan.chapters):
            if ch.id == RESERVED_ID:
                yield error("id-reserved", f"Kapitlets id {ch.id!r} kan inte användas: kapitlet skulle få samma "
                            f"adress som handlingsplanens sida handlingsplan/{plan.id}/.", doc.path,
                            doc.pos(("chapters", i, "id")), hint="Välj ett id efter kapitlets rubrik.")


# A body or a role: one of these words must be in approved_by and reviewed_by, so that no person's name is recorded.
ROLE_WORDS = ("nämnd", "förvaltning", "styrelse", "fullmäktige", "chef", "direktör", "enhet", "avdelning", "ledning",
              "grupp", "kontor", "utskott", "stab", "samordnare", "handläggare", "jurist", "ansvarig", "ombud",
              "redaktion", "kommun", "stad", "region", "myndighet", "råd", "sekretariat", "koordinator", "funktion")


def _editorial_records(p: Project):
    for kind, table in (("routine", p.routines), ("unit", p.units)):
        for rec in table.values():
            yield kind, rec, p.doc(kind, rec.id)


@check
def editorial_status(p: Project, today: dt.date) -> Iterator[Issue]:
    """fastställd needs a body and a date; a review needs a reviewer; neither names a person."""
    for kind, rec, doc in _editorial_records(p):
        if rec.status == "fastställd":
            missing = [k for k in ("approved_by", "approved") if getattr(rec, k) is None]
            if missing:
                yield error("status-approval", f"Status fastställd kräver {' och '.join(missing)}.", doc.path,
                            doc.pos(("status",)), hint="Ange vilket organ eller vilken roll som fastställde posten "
                            "(`approved_by:`) och när (`approved: ÅÅÅÅ-MM-DD`), eller sätt `status: utkast`.")
        elif rec.approved is not None or rec.approved_by is not None:
            yield error("status-approval", f"Posten har status {rec.status} men anger att den är fastställd.",
                        doc.path, doc.pos(("approved" if rec.approved is not None else "approved_by",)),
                        hint="Sätt `status: fastställd` om posten är beslutad, annars ta bort approved och approved_by.")
        if (rec.reviewed is None) != (rec.reviewed_by is None):
            present, absent = ("reviewed", "reviewed_by") if rec.reviewed is not None else ("reviewed_by", "reviewed")
            yield error("review-without-reviewer", f"{present} anges utan {absent}.", doc.path, doc.pos((present,)),
                        hint="En granskning anges med både datum (`reviewed:`) och vem som granskade (`reviewed_by:`, "
                        "ett organ eller en roll).")
        for key in ("approved_by", "reviewed_by"):
            value = getattr(rec, key)
            if value is not None and not any(w in value.lower() for w in ROLE_WORDS):
                yield error("person-name", f"{key}: {value!r} ser ut som en persons namn.", doc.path, doc.pos((key,)),
                            hint="Ange ett organ eller en roll, till exempel ”Socialnämnden” eller ”Enhetschefen, "
                            "enheten mot prostitution och människohandel”, aldrig en persons namn.")
        for key in ("approved", "reviewed", "updated"):
            value = getattr(rec, key, None)
            if value is not None and value > today:
                yield error("invalid-date", f"{key}: {value.isoformat()} ligger i framtiden.", doc.path,
                            doc.pos((key,)), hint="Ange ett datum som har passerat.")


@check
def review_dates(p: Project, today: dt.date) -> Iterator[Issue]:
    for r in p.routines.values():
        doc = p.doc("routine", r.id)
        basis = basis_date(r)
        if basis is None or basis > today:
            continue
        if due_date(r) <= today:
            key = "reviewed" if r.reviewed == basis else "approved"
            yield warning("review-overdue", f"Rutinen granskades eller fastställdes senast {basis.isoformat()}; den ska "
                          f"granskas var {r.review_interval_months}:e månad.", doc.path, doc.pos((key,)),
                          hint="Gå igenom rutinen mot källorna och ange den nya granskningen med `reviewed:` och "
                          "`reviewed_by:`.")


FIRST_MAX_WORDS = 45  # the routine's own words in the Först block: with the shared lines it fits 390×844


@check
def first_block(p: Project, today: dt.date) -> Iterator[Issue]:
    """Every situation routine opens with the Först block, and every block names 112 and the way to socialjouren."""
    defaults = p.first_defaults
    if defaults is not None:
        doc = p.doc("first", defaults.id)
        if "112" not in defaults.danger:
            yield error("first-112", "Raden om akut fara nämner inte 112.", doc.path, doc.pos(("danger",)),
                        hint="Skriv till exempel ”Är någon i akut fara: ring 112.”")
        if "112" not in defaults.after_hours or "socialjour" not in defaults.after_hours.lower():
            yield error("first-after-hours", "Raden om tiden utanför kontorstid ska nämna socialjouren och 112.",
                        doc.path, doc.pos(("after_hours",)),
                        hint="Skriv hur socialjouren nås, och att den alltid nås via 112.")
    for r in p.routines.values():
        doc = p.doc("routine", r.id)
        if r.kind == "situation" and r.first is None:
            yield error("first-missing", "Situationsrutinen saknar Först-blocket (`first:`).", doc.path,
                        doc.pos(("kind",) if "kind" in doc.data else ("id",)),
                        hint="Lägg till `first:` med `call:` (första samtalet under kontorstid), `ask:` och "
                        "`have_ready:`, eller sätt `kind: arbetssätt` om rutinen inte gäller en akut situation.")
        if r.first is not None and defaults is None:
            yield error("first-defaults-missing", "Det finns inga standardrader för Först-blocket.", doc.path,
                        doc.pos(("first",)), hint="Lägg till content/first/forst.yml med raderna om 112, socialjouren "
                        "och vem som ansvarar.")
        if r.first is not None and r.first.words > FIRST_MAX_WORDS:
            yield warning("first-too-long", f"Först-blocket har {r.first.words} egna ord; skriv högst {FIRST_MAX_WORDS}, "
                          "så att blocket syns utan att man skrollar på en telefon.", doc.path, doc.pos(("first",)),
                          hint="Korta `now:`, `ask:` och `have_ready:`; det som inte måste göras de första minuterna "
                          "hör hemma i stegen.")
        if r.first is not None and r.first.danger is not None and "112" not in r.first.danger:
            yield error("first-112", "Raden om akut fara nämner inte 112.", doc.path, doc.pos(("first", "danger")),
                        hint="Skriv till exempel ”Är barnet i akut fara: ring 112.”")


@check
def open_question_form(p: Project, today: dt.date) -> Iterator[Issue]:
    for a in p.open_questions():
        if not a.question.question.rstrip().endswith("?"):
            yield warning("question-form", "En öppen fråga ska vara formulerad som en fråga.", a.path,
                          p.doc(a.kind, a.id).pos(a.loc + ("question",)),
                          hint="Skriv frågan så att den som ska svara vet vad som efterfrågas, och avsluta med ?.")


READER_TEXT_SKIPS = ("allowlist", "remissvar")  # reviewers' comments are quoted as written


@check
def reader_text(p: Project, today: dt.date) -> Iterator[Issue]:
    """No remark about the sources and no internal id in text that readers see."""
    known = {rid for (_, rid) in p.docs if "-" in rid}
    for doc in p.documents:
        if doc.kind in READER_TEXT_SKIPS:
            continue
        # One look at the whole file first (most files have nothing to report), then string by string.
        remark, enclosed, words = _summary(doc, "reader_text", "", lambda: _reader_summary(doc.data, ""), _valid_reader)
        if not remark and not enclosed and not any(w in known for w in words):
            continue
        for loc, value in editorial.reader_strings(doc.data):
            for phrase in editorial.editorial_phrases(value)[:1]:
                yield error("editorial-note", f"Texten är en anmärkning om källorna (”{phrase}”), inte en "
                            "instruktion till läsaren.", doc.path, doc.pos(loc),
                            hint="Flytta anmärkningen till `open_questions:` (question, why, ask) och skriv här den "
                            "bästa instruktionen läsaren kan följa, till exempel reservvägen.")
            for found in editorial.internal_ids(value, known)[:1]:
                yield error("internal-id", f"Id:t {found!r} står i text som läsaren ser.", doc.path, doc.pos(loc),
                            hint="Skriv namnet eller titeln i stället; länkar och hänvisningar görs med nycklar som "
                            "`related:` och `call:`.")
    for prose in [d.prose for d in p.prose.values()] + p.pages:
        if not editorial.editorial_phrases(prose.text):
            continue
        position = Lines(prose.text)
        for m in editorial.EDITORIAL_RE.finditer(prose.text):
            yield error("editorial-note", f"Texten är en anmärkning om källorna (”{m.group(0)}”), inte en instruktion "
                        "till läsaren.", prose.path, position(m.start()),
                        hint="Flytta anmärkningen till en öppen fråga i YAML-posten och skriv här vad läsaren kan göra.")


def _valid_reader(value: Any) -> bool:
    return (isinstance(value, list) and len(value) == 3 and isinstance(value[0], bool) and isinstance(value[1], bool)
            and isinstance(value[2], list) and all(isinstance(w, str) for w in value[2]))


@check
def web_sources(p: Project, today: dt.date) -> Iterator[Issue]:
    """A web page is cited with its address and the date it was read; a contact route only from such a page."""
    for s in p.sources.values():
        doc = p.doc("source", s.id)
        if s.kind == "webbsida" and (s.url is None or s.read is None):
            missing = " och ".join(k for k, v in (("url", s.url), ("read", s.read)) if v is None)
            yield error("web-source", f"Webbsidan saknar {missing}.", doc.path, doc.pos(("kind",)),
                        hint="Ange sidans adress (`url:`) och dagen då den lästes (`read: ÅÅÅÅ-MM-DD`).")
        if s.date is None and s.kind != "webbsida":
            yield error("missing-key", "Nyckeln 'date' saknas.", doc.path, doc.pos(("id",)),
                        hint="Ange när dokumentet är daterat (ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD); bara webbsidor får sakna datum.")
        if s.read is not None and s.read > today:
            yield error("invalid-date", f"read: {s.read.isoformat()} ligger i framtiden.", doc.path, doc.pos(("read",)),
                        hint="Ange dagen då sidan lästes.")
    for a in p.allowlists.values():
        doc = p.doc("allowlist", a.id)
        for i, e in enumerate(a.entries):
            if not any(s.id in p.sources and p.sources[s.id].url and p.sources[s.id].read for s in e.sources):
                yield error("contact-unsourced", f"Kontaktvägen {e.name!r} saknar en officiell webbsida som källa.",
                            doc.path, doc.pos(("entries", i, "sources")),
                            hint="Hänvisa till en källa med `kind: webbsida`, `url:` och `read:` som anger kontaktvägen.")


@check
def unit_references(p: Project, today: dt.date) -> Iterator[Issue]:
    for u in p.units.values():
        doc = p.doc("unit", u.id)
        seen = {u.id}
        parent = u.parent
        while parent and parent in p.units:
            if parent in seen:
                yield error("cycle", f"Enheten {u.id!r} ligger under sig själv via `parent`.", doc.path,
                            doc.pos(("parent",)), hint="Rätta `parent:` så att organisationen bildar ett träd.")
                break
            seen.add(parent)
            parent = p.units[parent].parent
        if u.id in u.co_located_with:
            yield warning("self-reference", "Enheten anges som samlokaliserad med sig själv.", doc.path,
                          doc.pos(("co_located_with",)))


@check
def routine_references(p: Project, today: dt.date) -> Iterator[Issue]:
    for r in p.routines.values():
        doc = p.doc("routine", r.id)
        for i, other in enumerate(r.related):
            if other == r.id:
                yield warning("self-reference", "Rutinen anges som relaterad till sig själv.", doc.path,
                              doc.pos(("related", i)))
        lowered = [s.lower() for s in r.synonyms]
        for i, s in enumerate(lowered):
            if s in lowered[:i]:
                yield warning("duplicate-synonym", f"Synonymen {r.synonyms[i]!r} står två gånger.", doc.path,
                              doc.pos(("synonyms", i)))


@check
def repealed_citations(p: Project, today: dt.date) -> Iterator[Issue]:
    """Current routines, definitions and training must not lean on repealed law.

    The action plan is a dated document: it keeps its original references, and
    the renderers add a dated note to each one instead.
    """
    for (kind, rid), resolved in p.cited.items():
        if kind not in ("routine", "term", "module", "requirement"):
            continue
        doc = p.doc(kind, rid)
        for res in resolved:
            repealed = res.repealed
            if repealed is None or repealed > today:
                continue
            successor = res.successor(p.legal)
            loc = _find_citation(doc, res.text)
            yield warning("repealed-law", f"{res.label} upphävdes {repealed.isoformat()}.", doc.path, doc.pos(loc),
                          hint=f"Hänvisa till {successor} i stället." if successor else
                          "Hänvisa till den bestämmelse som gäller i dag.")


@check
def changed_law_since_review(p: Project, today: dt.date) -> Iterator[Issue]:
    """A routine last written or reviewed before its law changed (renamed offence, new threshold) must be gone over."""
    for r in p.routines.values():
        doc = p.doc("routine", r.id)
        seen: set[tuple] = set()
        last = max(d for d in (r.updated, r.reviewed, r.approved) if d is not None)
        for res in p.cited.get(("routine", r.id), []):
            for ch in res.changes:  # a repeal is not among them: it has its own warning
                if not (last < ch.date <= today) or (res.text, ch.date) in seen:
                    continue
                seen.add((res.text, ch.date))
                yield warning("law-changed", f"{res.label} ändrades {ch.date.isoformat()} ({' '.join(ch.text.split())}), "
                              f"efter att rutinen senast ändrades {last.isoformat()}.", doc.path,
                              doc.pos(_find_citation(doc, res.text)),
                              hint="Gå igenom rutinen mot den lydelse som gäller i dag och uppdatera `updated:`.")


def _find_citation(doc, text: str) -> tuple:
    for loc in doc.value_pos:
        node = doc.data
        try:
            for part in loc:
                node = node[part]
        except (KeyError, IndexError, TypeError):
            continue
        if node == text:
            return loc
    return ()


@check
def discouraged_terms(p: Project, today: dt.date) -> Iterator[Issue]:
    """Routines should use the glossary's preferred words."""
    found = [(d, t) for t in p.terms.values() for d in t.discouraged]
    if not found:
        return
    context = _discouraged_context(p)
    rx = _discouraged_words(context).rx
    for r in p.routines.values():
        doc = p.doc("routine", r.id)
        # A look at all the texts at once first (most routines have none of the words), then text by text.
        if not _summary(doc, "discouraged_terms", context, lambda: _discouraged_summary(doc.data, context), _is_bool):
            continue
        for loc, value in _strings(doc.data):
            if loc and loc[0] in _NOT_PROSE:
                continue
            for i in sorted({m.lastindex for m in rx.finditer(value)}):
                d, t = found[i - 1]
                yield warning("discouraged-term", f"{d.term!r} avråds i begreppslistan: {d.reason}", doc.path,
                              doc.pos(loc), hint=f"Använd {t.term!r} (se content/glossary/{t.id}.yml).")


def _discouraged_context(p: Project) -> str:
    """The glossary's discouraged words in order, the context of their summary ('' when there are none)."""
    return "\x00".join(d.term for t in p.terms.values() for d in t.discouraged)


class _Words:
    """The discouraged words as one regular expression, whose group i+1 is the i-th word, and a plain look first.

    The plain look lowers the text and asks whether any lowered word is in it, which is far quicker than the
    expression. It can only be used where it finds everything the expression finds: ``re.IGNORECASE`` also matches
    letters such as ı, ſ and the Kelvin sign to i, s and k, and ``str.lower`` turns İ into two characters. Within
    Latin-1 neither happens (each letter there matches only the letters with the same lower case, which is one
    letter), so the plain look is used when the words and the text are Latin-1 (all Swedish is); otherwise the
    expression decides alone.
    """

    def __init__(self, words: list[str]):
        self.rx = re.compile(r"(?<![\wåäö])(?:" + "|".join(f"({re.escape(w)})" for w in words) + r")(?![\wåäö])",
                             re.IGNORECASE)
        self.lowered = [w.lower() for w in words] if all(_latin1(w) for w in words) else None

    def search_in(self, text: str) -> bool:
        if self.lowered is not None and _latin1(text):
            lowered = text.lower()
            if not any(w in lowered for w in self.lowered):
                return False
        return self.rx.search(text) is not None


@functools.lru_cache(maxsize=8)
def _discouraged_words(context: str) -> _Words:
    return _Words(context.split("\x00"))


def _latin1(text: str) -> bool:
    if text.isascii():
        return True
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


_NOT_PROSE = ("sources", "synonyms", "keywords", "history", "id")  # a routine's keys whose values are no prose


def _strings(data, loc: tuple = ()) -> list[tuple[tuple, str]]:
    """Every string in ``data`` with its location, in document order."""
    return [(here, value) for here, _, value in walk_strings(data, loc)]


@check
def quiz_answers(p: Project, today: dt.date) -> Iterator[Issue]:
    """A self-check question needs exactly one right answer, or the quiz cannot be scored."""
    for m in p.modules.values():
        doc = p.doc("module", m.id)
        for i, q in enumerate(m.questions):
            right = sum(o.correct for o in q.options)
            if right != 1:
                yield error("quiz-answer", f"Frågan {q.question!r} har {right} rätta svar; den ska ha exakt ett.",
                            doc.path, doc.pos(("questions", i, "options")),
                            hint="Sätt `correct: true` på det rätta svaret och ta bort det från de andra.")
        planned = sum(s.minutes for s in m.segments)
        if planned != m.duration_minutes:
            yield warning("duration", f"Avsnitten tar {planned} minuter men modulen anger {m.duration_minutes}.",
                          doc.path, doc.pos(("duration_minutes",)),
                          hint="Rätta `duration_minutes:` eller avsnittens `minutes:` så att de stämmer.")


PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")
PLACEHOLDERS = {"kommun"}


@check
def course_placeholders(p: Project, today: dt.date) -> Iterator[Issue]:
    """Only {kommun} is filled in per municipality; anything else would show in the pack as it stands."""
    for c in p.courses.values():
        doc = p.doc("course", c.id)
        for loc, value in _strings(doc.data.get("variants")):
            for m in PLACEHOLDER_RE.finditer(value):
                if m.group(1) not in PLACEHOLDERS:
                    yield error("placeholder", f"Okänd platshållare {m.group(0)!r}.", doc.path, doc.pos(("variants",) + loc),
                                hint="Bara {kommun} ersätts, med kommunens namn.")


STEP_MAX_WORDS = 35
SENTENCE_MAX_WORDS = 25
# A sentence ends at . ! or ? before a capital letter, but not after an abbreviation ("3 kap. Brottsbalken",
# "t.ex. Polisen"); "5 kap. 15 §" never splits, since a digit follows.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ”\"])")
_ABBREVIATIONS = {"kap.", "t.ex.", "bl.a.", "st.", "p.", "nr", "nr.", "jfr", "jfr.", "ca.", "s.", "m.fl.", "dvs.", "osv.",
                  "resp.", "art.", "prop.", "f.d.", "fr.o.m.", "t.o.m."}


def sentences(text: str) -> list[str]:
    out: list[str] = []
    for part in _SENTENCE_END.split(" ".join(text.split())):
        if out and out[-1].split()[-1].lower() in _ABBREVIATIONS:
            out[-1] += " " + part
        elif part:
            out.append(part)
    return out


@check
def plain_language(p: Project, today: dt.date) -> Iterator[Issue]:
    """Routine steps are read in the field, often on a phone: short steps, short sentences."""
    for r in p.routines.values():
        doc = p.doc("routine", r.id)
        if not _summary(doc, "plain_language", "", lambda: _plain_summary(doc.data, ""), _is_bool):
            continue
        for i, step in enumerate(r.steps):
            words = len(step.action.split())
            if words > STEP_MAX_WORDS:
                yield warning("plain-language", f"Steg {i + 1} har {words} ord; skriv högst {STEP_MAX_WORDS}.",
                              doc.path, doc.pos(("steps", i, "action")),
                              hint="Dela upp steget i två, eller flytta bakgrund och förklaringar till `note:`.")
            for field in ("action", "note"):
                text = getattr(step, field)
                for sent in sentences(text or ""):
                    n = len(sent.split())
                    if n > SENTENCE_MAX_WORDS:
                        yield warning("plain-language", f"En mening i steg {i + 1} ({field}) har {n} ord; skriv högst "
                                      f"{SENTENCE_MAX_WORDS}: ”{' '.join(sent.split()[:8])} …”", doc.path,
                                      doc.pos(("steps", i, field)), hint="Dela meningen i två. Börja med verbet: "
                                      "”Kontakta …”, ”Ansök …”.")


def _plain_summary(data: Any, context: str) -> bool:
    """Whether plain_language has something to say about the routine: a step or a sentence in a step's action or
    note that is too long. Read from the file's data, from which the routine's record takes these texts as they are
    (the check only asks for routines whose record was built)."""
    steps = data.get("steps") if isinstance(data, dict) else None
    for step in steps if isinstance(steps, list) else ():
        if not isinstance(step, dict):
            continue
        texts = [text if isinstance(text, str) else "" for text in (step.get("action"), step.get("note"))]
        if len(texts[0].split()) > STEP_MAX_WORDS or any(
                len(sent.split()) > SENTENCE_MAX_WORDS for text in texts for sent in sentences(text)):
            return True
    return False


def _coverage_hint(c, programme_path) -> str:
    rid = c.requirement.id
    fixes = {"programmet": f"ett åtagande med `addresses: [{rid}]` i {programme_path}",
             "rutinerna": f"ett rutinsteg med `implements: [{rid}]` som en kommunal enhet gör",
             "utbildningen": f"ett avsnitt eller en fråga i en modul med `teaches: [{rid}]`"}
    return "Lägg till " + ", ".join(fixes[m] for m in c.missing) + ", eller ett undantag med motivering och datum."


@check
def programme_alignment(p: Project, today: dt.date) -> Iterator[Issue]:
    """The programme draft must cover every requirement of the guidance (or waive it) and use its terms."""
    for prog in p.programmes.values():
        doc = p.doc("programme", prog.id)
        if prog.status == "utkast" and not prog.draft_note:
            yield error("draft-note", "Ett utkast måste säga att det är ett utkast.", doc.path, doc.pos(("status",)),
                        hint="Lägg till `draft_note:` som säger att texten är ett utkast för handläggarna att ändra i.")
        for i, w in enumerate(prog.waivers):
            if w.date > today:
                yield error("invalid-date", f"Undantaget för {w.requirement!r} är daterat i framtiden.", doc.path,
                            doc.pos(("waivers", i, "date")), hint="Ange dagen då undantaget beslutades.")
    drafts = current_draft(p)
    if len(drafts) > 1:
        for prog in drafts:
            doc = p.doc("programme", prog.id)
            yield error("several-drafts", "Flera program har status utkast.", doc.path, doc.pos(("status",)),
                        hint="Bara ett program åt gången kan vara utkastet som stäms av; sätt de andra till ersatt.")
        return
    if not drafts or not p.requirements:
        return
    result = align(p, drafts[0])
    doc = p.doc("programme", drafts[0].id)
    for c in result.uncovered:
        rdoc = p.doc("requirement", c.requirement.id)
        yield warning("not-aligned", f"Kravet täcks inte av utkastet {drafts[0].id!r}: det saknas i "
                      f"{', '.join(c.missing)}.", rdoc.path, rdoc.pos(("id",)),
                      hint=_coverage_hint(c, doc.path))
    for t in result.terms:
        if not t.found:
            yield warning("not-aligned", f"Utkastets text använder inte ordet ”{t.term}” (krav {t.requirement}).",
                          doc.path, doc.pos(("goals",)), hint="Skriv in ordet i ett mål eller åtagande.")


@check
def practice_claims(p: Project, today: dt.date) -> Iterator[Issue]:
    """A requirement is carried out by a step, not by a citation; a step's claim must hold up."""
    done = practice(p)
    for req in p.requirements.values():
        rdoc = p.doc("requirement", req.id)
        for cl in done[req.id].claims:
            if cl.problems:
                doc = p.doc("routine", cl.routine)
                j = p.routines[cl.routine].steps[cl.step].implements.index(req.id)
                yield warning("implements-not-counted", f"Steg {cl.step + 1} räknas inte som genomförande av kravet "
                              f"{req.id!r}: {'; '.join(cl.problems)}.", doc.path,
                              doc.pos(("steps", cl.step, "implements", j)),
                              hint="Låt en kommunal enhet göra steget och skriv vad den gör med kravets ord, eller ta "
                              "bort kravet ur `implements:`.")
        for rid in done[req.id].mentioned:
            yield warning("mentioned-not-implemented", f"Rutinen {rid!r} hänvisar till kravets lagrum men har inget steg "
                          "som genomför kravet: nämns men genomförs inte.", rdoc.path, rdoc.pos(("legal",)),
                          hint=f"Lägg till `implements: [{req.id}]` på steget i content/routines/{rid}.yml som gör det "
                          "kravet begär, eller skriv ett sådant steg.")


@check
def findings(p: Project, today: dt.date) -> Iterator[Issue]:
    """An open finding is a warning (``--strict`` fails on it); an answered one states the programme's position."""
    for req in p.requirements.values():
        doc = p.doc("requirement", req.id)
        for i, f in enumerate(req.findings):
            if f.status == "besvarad" and not f.position:
                yield error("finding-position", f"Avvikelsen {f.id!r} är besvarad men saknar programmets "
                            "ställningstagande.", doc.path, doc.pos(("findings", i, "status")),
                            hint="Skriv programmets ställningstagande under `position:`, eller sätt `status: öppen`.")
            elif f.status == "öppen":
                yield warning("finding-open", f"Öppen avvikelse: {f.title}.", doc.path, doc.pos(("findings", i, "id")),
                              hint="Programmet behöver ta ställning: skriv ställningstagandet under `position:` och "
                              "sätt `status: besvarad`.")
            if f.date > today:
                yield error("invalid-date", f"Avvikelsen {f.id!r} är daterad i framtiden.", doc.path,
                            doc.pos(("findings", i, "date")), hint="Ange dagen då avvikelsen noterades.")


@check
def accessibility_statement(p: Project, today: dt.date) -> Iterator[Issue]:
    """The statement must explain every finding of the stored audit, and the audit must have none that block."""
    if p.audit is None:
        return
    from .audit import BLOCKING

    explained = {k.rule for st in p.statements.values() for k in st.known_issues}
    reported: set[str] = set()
    for r in p.audit["results"]:
        for v in r.get("violations", []):
            if v.get("impact") in BLOCKING:
                yield warning("a11y-blocking", f"Granskningen hittade {v.get('id')} ({v.get('impact')}) på {r.get('page')} "
                            f"({r.get('viewport')}, {r.get('scheme')}).", p.audit_path,
                            hint="Rätta felet i mallarna och kör `handbok audit --write` igen.")
            elif v.get("id") not in explained and v.get("id") not in reported:
                reported.add(v.get("id"))
                path = p.doc("statement", next(iter(p.statements))).path if p.statements else p.audit_path
                yield warning("a11y-unexplained", f"Granskningen hittade {v.get('id')} ({v.get('impact')}), men "
                              "tillgänglighetsredogörelsen förklarar det inte.", path,
                              hint=f"Lägg till `{{rule: {v.get('id')}, title: …, reason: …}}` under `known_issues:`.")


@check
def broken_links(p: Project, today: dt.date) -> Iterator[Issue]:
    """Every relative link in the pages, the chapters and the records' texts leads to a page or file of the site."""
    from .links import check_links

    yield from check_links(p, lambda doc: _summary(doc, "record_links", "", lambda: _links_summary(doc.data, ""),
                                                   _is_bool))


@check
def html_in_pages(p: Project, today: dt.date) -> Iterator[Issue]:
    """The hand-written pages are Markdown, whose raw HTML would reach the site as it is (and could run)."""
    for page in p.pages:
        yield from raw_html(page, "page-html", "på de handskrivna sidorna")


SHORT_NUMBER = re.compile(r"^1(?:\s?\d){2,5}$")
_PRIVACY_LABEL = {"personnummer": "ett personnummer", "samordningsnummer": "ett samordningsnummer",
                  "email": "e-postadressen", "phone": "telefonnumret"}
ALLOWLIST_FILE = "content/privacy/kontaktvagar.yml"


def _privacy_issue(f: privacy.Finding, path: str, pos: Position) -> Issue:
    if f.kind in ("personnummer", "samordningsnummer"):
        return error("personal-data", f"Texten innehåller {_PRIVACY_LABEL[f.kind]} ({f.masked}). Innehållet beskriver "
                     "rutiner och får aldrig innehålla uppgifter om enskilda personer.", path, pos,
                     hint="Ta bort numret. Om det har publicerats tidigare: kontakta dataskyddsombudet.")
    return error("contact-not-allowed", f"{_PRIVACY_LABEL[f.kind].capitalize()} {f.masked} finns inte i listan över "
                 "officiella kontaktvägar.", path, pos,
                 hint=f"Ta bort uppgiften. Är den en officiell kontaktväg enligt en källa? Lägg då till den under "
                 f"`entries:` i {ALLOWLIST_FILE} med källa.")


@check
def personal_data(p: Project, today: dt.date) -> Iterator[Issue]:
    """No personal identity numbers anywhere, and only allowlisted phone numbers and e-mail addresses."""
    allowed = {(e.kind, privacy.normalize(e.kind, e.value)) for a in p.allowlists.values() for e in a.entries}
    for a in p.allowlists.values():
        doc = p.doc("allowlist", a.id)
        for i, e in enumerate(a.entries):
            kinds = {f.kind for f in privacy.find(e.value)}
            if e.kind == "phone" and SHORT_NUMBER.match(e.value):
                kinds.add("phone")  # a national short number: 112, 114 14, 1177, 116 006
            if e.kind not in kinds:
                label = "ett telefonnummer" if e.kind == "phone" else "en e-postadress"
                yield error("bad-contact-point", f"{e.value!r} ser inte ut som {label}.", doc.path,
                            doc.pos(("entries", i, "value")),
                            hint="Skriv numret som 08-123 45 67 eller +46 8 123 45 67 (kortnummer som 112 eller 114 14), "
                            "adressen som namn@exempel.se.")
    for doc in p.documents:
        values: list[str] | None = None
        # One scan per file: the strings joined by a separator that no pattern can match across.
        findings = _summary(doc, "personal_data", "", lambda: _personal_summary(doc.data, ""), _valid_findings)
        strings: list[tuple[tuple, str]] | None = None  # with their locations, found for a file with a finding
        starts: list[int] = []
        for f in (privacy.Finding(kind, text, start) for kind, text, start in findings):
            if (f.kind, privacy.normalize(f.kind, f.text)) not in allowed:
                if strings is None:
                    values = strings_only(doc.data)
                    strings = _strings(doc.data)
                    starts = list(itertools.accumulate((len(value) + 2 for value in values[:-1]), initial=0))
                loc = strings[bisect.bisect_right(starts, f.start) - 1][0]
                yield _privacy_issue(f, doc.path, doc.pos(loc))
    for prose in [d.prose for d in p.prose.values()] + p.pages:
        position = Lines(prose.text)
        for f in privacy.find(prose.text):
            if (f.kind, privacy.normalize(f.kind, f.text)) not in allowed:
                yield _privacy_issue(f, prose.path, position(f.start))


def _valid_findings(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(f, list) and len(f) == 3 and f[0] in _PRIVACY_LABEL and isinstance(f[1], str)
        and isinstance(f[2], int) and not isinstance(f[2], bool) for f in value)


#: The summaries by name (the workers are sent the name).
_SUMMARIES: dict[str, Callable[[Any, str], Any]] = {
    "personal_data": _personal_summary, "reader_text": _reader_summary, "discouraged_terms": _discouraged_summary,
    "plain_language": _plain_summary, "record_links": _links_summary}

#: The checks that read the summaries the workers may be working out (_start_workers): they run last, after the
#: others (which the main process runs meanwhile); the issues are sorted in the end, so the order does not show.
WAIT_FOR_SUMMARIES = (reader_text, discouraged_terms, plain_language, broken_links, personal_data)


def check_order() -> list[Check]:
    """CHECKS, with those in WAIT_FOR_SUMMARIES last."""
    return sorted(CHECKS, key=lambda fn: fn in WAIT_FOR_SUMMARIES)


def run_checks(project: Project, today: dt.date | None = None, summaries: _Kept | None = None) -> list[Issue]:
    """All issues of the project: those found while loading and resolving, then the checks'. ``summaries`` is what
    start_summaries returned when the project's files were loaded."""
    today = today or dt.date.today()
    issues = list(project.issues)
    # The project does not change while it is checked: the alignment is worked out once, and what the checks find in
    # one file's text is kept for the next run.
    with memoized(), _kept_summaries(project, summaries):
        for fn in check_order():
            issues.extend(fn(project, today))
    return sorted(set(issues), key=Issue.sort_key)
