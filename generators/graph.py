"""Stage 3, graph: resolve ids and citations, and compute backlinks.

Built in two passes, as StrictDoc builds its index: first every id of every kind
is collected (duplicates are reported with both places), then every reference is
resolved against that index. Nothing here raises on bad content; problems are
collected as issues and the graph is still usable for the rest.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Sequence

from . import citations as cit
from . import prose as prose_mod
from .issues import Issue, error, info, warning
from .load import KIND_DIRS, Document, Prose, display_path, load_file, load_prose, load_tree, walk_files
from .model import (DEFAULT_ORGANISATION, KIND_LABELS, Allowlist, Change, Course, Figure, FirstDefaults, LegalSource, Measure, Module, Municipality,
                    OpenQuestion, Organisation, Plan, Programme, Provision, Record, Requirement, Routine, Source, Statement, Term, Unit,
                    build_record)

KIND_FOLDERS = {kind: folder for folder, kind in KIND_DIRS.items()}


@dataclass(frozen=True)
class ProvisionNode:
    law: LegalSource
    provision: Provision
    pinpoint: cit.Pinpoint
    index: int  # position in law.provisions

    @property
    def key(self) -> str:
        return self.pinpoint.key or ""

    @property
    def canonical_id(self) -> str:
        return f"{self.law.id}#{self.key}"

    @property
    def anchor(self) -> str:
        return self.key


@dataclass(frozen=True)
class Resolved:
    """A citation resolved to a law and, when it has a pinpoint, a provision."""

    text: str
    law: LegalSource
    pinpoint: cit.Pinpoint
    node: ProvisionNode | None  # the most specific provision in the content that covers the pinpoint
    #: A list or range ("2 och 6 §§ LVU"): the text as the reader sees it, and the other provisions it cites.
    shown: str = ""
    also: tuple["Resolved", ...] = ()

    @property
    def canonical_id(self) -> str:
        key = self.pinpoint.key
        return f"{self.law.id}#{key}" if key else self.law.id

    @property
    def label(self) -> str:
        if self.shown:
            return self.shown
        pin = self.pinpoint.label()
        name = self.law.short_title or self.law.title
        if not pin:
            return self.law.title
        if self.law.kind in ("konvention", "direktiv"):
            return f"{pin} i {name}"
        return f"{pin} {name}"

    @property
    def repealed(self) -> dt.date | None:
        """When the cited law or provision stopped applying, whichever came first."""
        prov = self.node.provision.repealed if self.node is not None else None
        return min(filter(None, [self.law.repealed, prov]), default=None)

    @property
    def changes(self) -> list[Change]:
        """Dated amendments of the law and the provision, oldest first; the repeal itself is not one."""
        repeals = {self.law.repealed, self.node.provision.repealed if self.node is not None else None}
        own = list(self.node.provision.changes) if self.node is not None else []
        return sorted((c for c in own + list(self.law.changes) if c.date not in repeals), key=lambda c: c.date)

    def successor(self, legal: dict[str, LegalSource]) -> str:
        """What replaced a repealed provision or law, as text; empty when the content does not say."""
        if self.node is not None and self.node.provision.successor:
            return self.node.provision.successor
        return legal[self.law.successor].title if self.law.successor in legal else ""

    @property
    def url(self) -> str:
        if self.node is not None and self.node.provision.url and self.node.pinpoint == self.pinpoint:
            return self.node.provision.url
        return law_url(self.law, self.pinpoint)


def law_url(law: LegalSource, pinpoint: cit.Pinpoint | None = None) -> str:
    """Official link. Swedish statutes link to lagen.nu with its paragraph anchors."""
    if law.sfs and pinpoint is not None and pinpoint.section is not None:
        return f"https://lagen.nu/{law.sfs}#{pinpoint.lagen_nu_anchor()}"
    return law.url


@dataclass(frozen=True)
class Asked:
    """An open question and where it stands: the record (kind, id), its place in the file, the file and line."""

    kind: str
    id: str
    loc: tuple
    question: OpenQuestion
    path: str
    doc: Document = field(repr=False, compare=False)

    @property
    def pos(self) -> Any:
        """Where the question stands; found when asked for (a file from the cache is parsed only then)."""
        return self.doc.pos(self.loc)


def _question_fields(model: type) -> tuple[str, ...]:
    """The fields of a record type that may hold open questions, in the model's order: ``open_questions`` and the
    lists whose type names Provision (a law's provisions, a provision's parts). A record has some forty fields, and
    the open questions are looked up in every record at every check."""
    found = _QUESTION_FIELDS.get(model)
    if found is None:
        found = _QUESTION_FIELDS[model] = tuple(
            name for name, field in model.model_fields.items()
            if name == "open_questions" or "Provision" in str(field.annotation))
    return found


_QUESTION_FIELDS: dict[type, tuple[str, ...]] = {}


def _questions(record: Any, loc: tuple = ()) -> list[tuple[tuple, OpenQuestion]]:
    """The open questions of a record and of its parts (a law's provisions), with their locations."""
    out: list[tuple[tuple, OpenQuestion]] = []
    for name in _question_fields(type(record)):
        value = getattr(record, name)
        if name == "open_questions":
            out.extend((loc + (name, i), q) for i, q in enumerate(value))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, Provision):
                    out.extend(_questions(item, loc + (name, i)))
    return out


@dataclass
class Ref:
    """Where one item refers to another, for backlinks."""

    kind: str
    id: str
    loc: tuple


@dataclass
class ProseDoc:
    """A chapter's Markdown text with its references resolved (None where they do not resolve)."""

    prose: Prose
    refs: list[prose_mod.ProseRef]
    resolved: dict[int, Source | Resolved]  # by ref.start

    def target(self, ref: prose_mod.ProseRef) -> Source | Resolved | None:
        return self.resolved.get(ref.start)


#: The Project field that holds each kind's records (Project.table, called hundreds of thousands of times at scale).
_TABLES = {
    "source": "sources", "unit": "units", "legal": "legal", "routine": "routines", "term": "terms",
    "municipality": "municipalities", "figure": "figures", "plan": "plans", "measure": "measures", "module": "modules",
    "course": "courses", "requirement": "requirements", "programme": "programmes", "statement": "statements",
    "allowlist": "allowlists", "first": "firsts", "remissvar": "remissvar", "organisation": "organisations",
}


@dataclass
class Project:
    content_dir: Path
    docs: dict[tuple[str, str], Document] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)
    legal: dict[str, LegalSource] = field(default_factory=dict)
    routines: dict[str, Routine] = field(default_factory=dict)
    terms: dict[str, Term] = field(default_factory=dict)
    municipalities: dict[str, Municipality] = field(default_factory=dict)
    figures: dict[str, Figure] = field(default_factory=dict)
    plans: dict[str, Plan] = field(default_factory=dict)
    measures: dict[str, Measure] = field(default_factory=dict)
    modules: dict[str, Module] = field(default_factory=dict)
    courses: dict[str, Course] = field(default_factory=dict)
    requirements: dict[str, Requirement] = field(default_factory=dict)
    programmes: dict[str, Programme] = field(default_factory=dict)
    statements: dict[str, Statement] = field(default_factory=dict)
    allowlists: dict[str, Allowlist] = field(default_factory=dict)
    firsts: dict[str, FirstDefaults] = field(default_factory=dict)
    remissvar: dict[str, Any] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    #: Every content folder, base first and local last (``--content`` given more than once).
    content_dirs: list[Path] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)  # every file that parsed, valid or not
    pages: list[Prose] = field(default_factory=list)  # content/pages/*.md
    #: The hand-written pages by address (``om.md``); a later content folder's page replaces the base's.
    page_uris: dict[str, Prose] = field(default_factory=dict)
    #: Every file under the content folders' pages/ (pages and their images) by address; a later folder's wins.
    page_files: dict[str, Path] = field(default_factory=dict)
    audit: dict | None = None  # content/accessibility/audit.json, written by `handbok audit --write`
    audit_path: str = ""
    prose: dict[str, ProseDoc] = field(default_factory=dict)  # by file, relative to content/plans/
    provisions: dict[str, ProvisionNode] = field(default_factory=dict)
    # (kind, id) -> citations made by that item, in order
    cited: dict[tuple[str, str], list[Resolved]] = field(default_factory=lambda: defaultdict(list))
    # backlinks: target -> routine ids, in content order
    routines_by_law: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    routines_by_provision: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    routines_by_unit: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    related_from: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    measures_by_area: dict[tuple[str, int], list[str]] = field(default_factory=lambda: defaultdict(list))
    modules_by_routine: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    #: routine id -> the municipalities that list it as their own (a local routine)
    municipalities_by_routine: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    #: requirement id -> the routine steps ((routine id, step index)) that declare they implement it
    implemented_by: dict[str, list[tuple[str, int]]] = field(default_factory=lambda: defaultdict(list))
    #: requirement id -> the module parts ((module id, "segments"|"questions", index)) that declare they teach it
    taught_by: dict[str, list[tuple[str, str, int]]] = field(default_factory=lambda: defaultdict(list))
    issues: list[Issue] = field(default_factory=list)
    broken_ids: set[tuple[str, str]] = field(default_factory=set)
    #: content_path's answers by file: the open questions' pages name a file once per place, thousands of times at
    #: 1,000 routines, and resolving a path asks the file system once per folder in it.
    _content_paths: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)

    def table(self, kind: str) -> dict[str, Any]:
        return getattr(self, _TABLES[kind])

    def doc(self, kind: str, id: str) -> Document:
        return self.docs[(kind, id)]

    def content_path(self, path: str) -> str:
        """A file's path from the folder that holds content/ (``content/units/x.yml``), wherever the build runs."""
        found = self._content_paths.get(path)
        if found is None:
            try:
                found = Path(path).resolve().relative_to(self.content_dir.resolve().parent).as_posix()
            except ValueError:
                found = Path(path).as_posix()
            self._content_paths[path] = found
        return found

    @property
    def organisation(self) -> Organisation:
        """Who publishes the handbook (content/organisation.yml); a neutral stand-in when there is none."""
        return next(iter(self.organisations.values()), DEFAULT_ORGANISATION)

    def tree_of(self, path: str) -> Path:
        """The content folder a file belongs to (the base when it is in none of them)."""
        full = Path(path).resolve()
        for tree in reversed(self.content_dirs or [self.content_dir]):
            if full.is_relative_to(tree.resolve()):
                return tree
        return self.content_dir

    @property
    def first_defaults(self) -> FirstDefaults | None:
        """The lines every Först block shares (content/first/); the first file when there are several."""
        return next(iter(self.firsts.values()), None)

    def open_questions(self) -> list["Asked"]:
        """Every open question in the content, in file order, with the record it belongs to."""
        out: list[Asked] = []
        for (kind, rid), doc in self.docs.items():
            record = self.table(kind).get(rid)
            if record is not None:
                out.extend(Asked(kind, rid, loc, q, doc.path, doc) for loc, q in _questions(record))
        return out

    @property
    def errors(self) -> list[Issue]:
        from .issues import Severity
        return [i for i in self.issues if i.severity is Severity.ERROR]


class _LawIndex:
    def __init__(self, laws: dict[str, LegalSource]):
        self.by_name: dict[str, set[str]] = defaultdict(set)
        self.by_sfs: dict[str, str] = {}
        for law in laws.values():
            names = {law.id, law.title, re.sub(r"\s*\(.*?\)\s*", " ", law.title)}
            names.update(n for n in (law.short_title,) if n)
            names.update(law.abbreviations)
            names.update(law.aliases)
            for n in names:
                self.by_name[cit.normalize_name(n)].add(law.id)
            if law.sfs:
                self.by_sfs[law.sfs] = law.id
                self.by_name[cit.normalize_name(law.sfs)].add(law.id)

    def lookup(self, names: tuple[str, ...]) -> set[str]:
        found: set[str] = set()
        for n in names:
            found |= self.by_name.get(cit.normalize_name(n), set())
        return found

    def close(self, name: str) -> list[str]:
        return difflib.get_close_matches(cit.normalize_name(name), list(self.by_name), n=3, cutoff=0.6)


class CitationProblem(Exception):
    def __init__(self, code: str, message: str, hint: str = ""):
        super().__init__(message)
        self.code, self.message, self.hint = code, message, hint


def build_project(content_dir: Path | Sequence[Path],
                  loaded: Callable[[list[Path], list[Document]], None] | None = None) -> Project:
    """load → model → graph. Always returns a project; problems are in ``project.issues``.

    Given several content folders (base first, local last), a later folder adds records and may replace one of an
    earlier folder by id; every replacement is reported, at info level, where it is made. ``loaded(folders, files)``
    is called when every file is loaded, before the records are built (the checks start their workers there).
    """
    trees = [Path(content_dir)] if isinstance(content_dir, (str, Path)) else [Path(t) for t in content_dir]
    failed: list[tuple[str, str]] = []
    documents: list[Document] = []
    issues: list[Issue] = []
    layer: dict[int, int] = {}  # id(document) -> index of its content folder
    for n, tree in enumerate(trees):
        docs, problems = load_tree(tree, failed)
        layer.update((id(d), n) for d in docs)
        documents.extend(docs)
        issues.extend(problems)
    if loaded is not None:
        loaded(trees, documents)
    project = Project(content_dir=trees[0], content_dirs=trees, documents=documents)
    project.issues.extend(issues)
    # A file that does not load is reported; references to its id (its file name) should not add more.
    project.broken_ids.update(failed)
    # Pass 1: records and ids.
    for doc in documents:
        record, problems = build_record(doc)
        project.issues.extend(problems)
        if record is None:
            # Its own errors are reported; references to its id should not add more.
            if isinstance(doc.data.get("id"), str):
                project.broken_ids.add((doc.kind, doc.data["id"]))
            continue
        table = project.table(doc.kind)
        rid = record.id  # type: ignore[attr-defined]
        if rid in table and layer[id(doc)] > layer[id(project.docs[(doc.kind, rid)])]:
            # A local folder replaces a record of the base: allowed, and reported where it is done.
            first = project.docs.pop((doc.kind, rid))  # resolved where the local record stands, after the base
            project.issues.append(info(
                "override", f"Ersätter {KIND_LABELS[doc.kind]} {rid!r} från {first.path}.", doc.path, doc.pos(("id",)),
                hint="Posten här gäller i stället för den i grundinnehållet. Ta bort filen här för att använda grundinnehållets.",
                related=[f"{first.path}:{first.pos(('id',)).line}"]))
            table[rid] = record
            project.docs[(doc.kind, rid)] = doc
            continue
        if rid in table:
            first = project.docs[(doc.kind, rid)]
            project.issues.append(error(
                "duplicate-id", f"Id {rid!r} används redan av en annan {KIND_LABELS[doc.kind]}.", doc.path,
                doc.pos(("id",)), hint="Varje post behöver ett eget id. Byt id här eller i den andra filen.",
                related=[f"{first.path}:{first.pos(('id',)).line}"],
            ))
            continue
        table[rid] = record
        project.docs[(doc.kind, rid)] = doc
    _index_provisions(project)
    _load_audit(project)
    _load_pages(project)
    # Pass 2: references.
    resolver = _Resolver(project)
    for (kind, rid), doc in project.docs.items():
        resolver.resolve(doc, project.table(kind)[rid])
    return project


def add_document(project: Project, file: Path, kind: str) -> tuple[Record | None, list[Issue]]:
    """Load one more file (for example a programme draft kept outside content/) into a built project.

    A record with the id of an existing one replaces it. Returns the record and the file's own issues.
    """
    doc, issues = load_file(Path(file), kind)
    if doc is None:
        return None, issues
    record, problems = build_record(doc)
    if record is None:
        return None, issues + problems
    before = len(project.issues)
    project.table(kind)[record.id] = record  # type: ignore[attr-defined]
    project.docs[(kind, record.id)] = doc  # type: ignore[attr-defined]
    _Resolver(project).resolve(doc, record)
    return record, project.issues[before:]


def _load_pages(project: Project) -> None:
    """The hand-written Markdown pages in content/pages/ (served as they are; checked for personal data).

    With several content folders, a page of a later folder replaces the page at the same address in an earlier one.
    """
    for tree in project.content_dirs or [project.content_dir]:
        for file in walk_files(tree / "pages"):
            uri = file.relative_to(tree / "pages").as_posix()
            project.page_files[uri] = file
            if file.name.endswith(".md"):
                page, problems = load_prose(file)
                project.issues.extend(problems)
                if page is not None:
                    replaced = project.page_uris.get(uri)
                    if replaced is not None:
                        project.pages.remove(replaced)
                        project.issues.append(info("override", f"Ersätter sidan {uri} från {replaced.path}.", page.path,
                                                   hint="Sidan här visas i stället för den i grundinnehållet."))
                    project.pages.append(page)
                    project.page_uris[uri] = page


def _load_audit(project: Project) -> None:
    """The stored accessibility audit, if there is one; the statement is generated from it."""
    import json

    from .load import display_path
    from .issues import Position

    found = [t / "accessibility" / "audit.json" for t in project.content_dirs or [project.content_dir]]
    found = [f for f in found if f.is_file()]
    if not found:
        return
    file = found[-1]
    project.audit_path = display_path(file)
    # Read with the limits and the encoding check of every content file.
    text, problems = load_prose(file, too_large_hint="Skriv om filen med `handbok audit --write`.")
    project.issues.extend(problems)
    if text is None:
        return
    try:
        data = json.loads(text.text)
        problem = _audit_problem(data)
        if problem:
            raise ValueError(problem)
        project.audit = data
    except json.JSONDecodeError as exc:
        project.issues.append(error("audit-file", f"Granskningsfilen är inte giltig JSON: {exc.msg}.", project.audit_path,
                                    Position(exc.lineno, exc.colno), hint="Skriv om filen med `handbok audit --write`."))
    except RecursionError:
        project.issues.append(error("audit-file", "Granskningsfilen är för djupt nästlad.", project.audit_path,
                                    hint="Skriv om filen med `handbok audit --write`."))
    except ValueError as exc:
        project.issues.append(error("audit-file", f"Granskningsfilen har fel form: {exc}.", project.audit_path,
                                    hint="Skriv om filen med `handbok audit --write`."))


def _audit_problem(data: Any) -> str | None:
    """What is wrong with the shape of a stored audit, as ``handbok audit --write`` writes it; None if nothing."""
    if not isinstance(data, dict) or not isinstance(data.get("results"), list) or "date" not in data:
        return "väntade ett objekt med date och results"
    try:
        dt.date.fromisoformat(data["date"])
    except (TypeError, ValueError):
        return "date ska vara ett datum som ÅÅÅÅ-MM-DD"
    if not isinstance(data.get("axe", ""), str) or not (isinstance(data.get("tags", []), list)
                                                        and all(isinstance(t, str) for t in data.get("tags", []))):
        return "axe ska vara text och tags en lista med text"
    for i, r in enumerate(data["results"]):
        if not (isinstance(r, dict) and all(isinstance(r.get(k), str) for k in ("page", "viewport", "scheme"))
                and isinstance(r.get("violations"), list)):
            return f"results[{i}] ska ha page, viewport och scheme som text och violations som lista"
        for j, v in enumerate(r["violations"]):
            if not (isinstance(v, dict) and all(isinstance(v.get(k), str) for k in ("id", "impact", "help"))):
                return f"results[{i}].violations[{j}] ska ha id, impact och help som text"
    return None


def _index_provisions(project: Project) -> None:
    for law in project.legal.values():
        doc = project.doc("legal", law.id)
        seen: dict[str, int] = {}
        for i, prov in enumerate(law.provisions):
            loc = ("provisions", i, "ref")
            try:
                pin = cit.parse_local(prov.ref)
            except cit.CitationError as exc:
                project.issues.append(error("bad-citation", str(exc), doc.path, doc.pos(loc), hint=exc.hint))
                continue
            key = pin.key or ""
            if key in seen:
                project.issues.append(error(
                    "duplicate-id", f"Bestämmelsen {prov.ref!r} finns redan i {law.id} (provisions nr {seen[key] + 1}).",
                    doc.path, doc.pos(loc), hint="Slå ihop de två posterna.",
                ))
                continue
            seen[key] = i
            node = ProvisionNode(law, prov, pin, i)
            project.provisions[node.canonical_id] = node


class _Resolver:
    def __init__(self, project: Project):
        self.p = project
        self.laws = _LawIndex(project.legal)
        self._citations: dict[str, Resolved | CitationProblem] = {}
        self._linked: dict[tuple[int, str], set[str]] = {}  # a set beside each backlink list, as the lists grow with N

    def _backlink(self, table: dict[str, list[str]], target: str, item: str) -> None:
        """Append ``item`` to ``table[target]`` once, keeping content order."""
        seen = self._linked.get((id(table), target))
        if seen is None:
            seen = self._linked[(id(table), target)] = set(table[target])
        if item not in seen:
            seen.add(item)
            table[target].append(item)

    # -- helpers ---------------------------------------------------------------------
    def _ref(self, doc: Document, loc: tuple, kind: str, target: str | None) -> bool:
        if target is None:
            return False
        if target in self.p.table(kind):
            return True
        if (kind, target) in self.p.broken_ids:
            return False
        candidates = difflib.get_close_matches(target, list(self.p.table(kind)), n=1)
        hint = f"Menade du {candidates[0]!r}? " if candidates else ""
        hint += f"Id:t ska finnas som content/{KIND_FOLDERS[kind]}/{target}.yml."
        self.p.issues.append(error(
            "dangling-ref", f"Hänvisningen {target!r} pekar inte på någon {KIND_LABELS[kind]}.", doc.path,
            doc.pos(loc), hint=hint,
        ))
        return False

    def _sources(self, doc: Document, record: Any) -> None:
        for i, s in enumerate(getattr(record, "sources", [])):
            self._ref(doc, ("sources", i), "source", s.id)

    def citation(self, text: str) -> Resolved:
        """The provision that ``text`` cites; raises CitationProblem. Remembered: the same text recurs in many items."""
        known = self._citations.get(text)
        if known is None:
            try:
                known = self._citation(text)
            except CitationProblem as exc:
                known = exc
            self._citations[text] = known
        if isinstance(known, CitationProblem):
            raise CitationProblem(known.code, known.message, known.hint)
        return known

    def _citation(self, text: str) -> Resolved:
        try:
            found = cit.parse_citations(text)
        except cit.CitationError as exc:
            raise CitationProblem("bad-citation", str(exc), exc.hint)
        if len(found) == 1:
            return self._resolve_parsed(found[0], text)
        # A list or range: one provision each, shown as written and linked to the first.
        each = [self._resolve_parsed(c, text) for c in found]
        return replace(each[0], shown=" ".join(text.split()), also=tuple(each[1:]))

    def _resolve_parsed(self, c: cit.Citation, text: str) -> Resolved:
        ids: set[str] = set()
        if c.law_id and c.law_id in self.p.legal:
            ids = {c.law_id}
        else:
            ids = self.laws.lookup(c.names)
            if c.sfs:
                by_sfs = self.laws.by_sfs.get(c.sfs)
                if by_sfs is None:
                    raise CitationProblem("unknown-law", f"SFS {c.sfs} finns inte bland rättskällorna i innehållet.",
                                          "Lägg till lagen under content/legal/ eller rätta SFS-numret.")
                if ids and by_sfs not in ids:
                    raise CitationProblem("bad-citation", f"{' / '.join(c.names)!r} och SFS {c.sfs} avser olika författningar.",
                                          "Rätta antingen namnet eller SFS-numret.")
                ids = {by_sfs}
        if not ids:
            name = c.names[0] if c.names else text
            close = self.laws.close(name)
            hint = (f"Menade du {close[0]!r}? " if close else "") + \
                "Kända namn och förkortningar står i content/legal/*.yml (title, short_title, abbreviations, aliases)."
            raise CitationProblem("unknown-law", f"Okänd lag eller konvention {name!r} i {text!r}.", hint)
        laws = sorted((self.p.legal[i] for i in ids), key=lambda l: (l.repealed is not None, l.id))
        if c.pinpoint.empty:
            if len(laws) > 1:
                raise CitationProblem("ambiguous-citation", f"{text!r} kan avse flera författningar: "
                                      + ", ".join(l.id for l in laws) + ".", "Lägg till SFS-numret, t.ex. (2025:400).")
            return Resolved(text, laws[0], c.pinpoint, None)
        chain = [c.pinpoint, *c.pinpoint.parents()]
        matches = []
        for law in laws:
            for pin in chain:
                node = self.p.provisions.get(f"{law.id}#{pin.key}")
                if node is not None:
                    matches.append(Resolved(text, law, c.pinpoint, node))
                    break
        if not matches:
            names = ", ".join(l.short_title or l.title for l in laws)
            raise CitationProblem(
                "unknown-provision", f"{c.pinpoint.label()} finns inte bland bestämmelserna i {names}.",
                f"Lägg till bestämmelsen under `provisions:` i content/legal/{laws[0].id}.yml, eller rätta hänvisningen.",
            )
        return matches[0]

    def _cite(self, doc: Document, loc: tuple, text: str, owner: tuple[str, str]) -> Resolved | None:
        try:
            r = self.citation(text)
        except CitationProblem as exc:
            self.p.issues.append(error(exc.code, exc.message, doc.path, doc.pos(loc), hint=exc.hint))
            return None
        self.p.cited[owner].append(r)
        self.p.cited[owner].extend(r.also)
        return r

    # -- per kind --------------------------------------------------------------------
    def resolve(self, doc: Document, record: Any) -> None:
        getattr(self, f"_resolve_{doc.kind}")(doc, record)
        if doc.kind != "source":
            self._sources(doc, record)
        for loc, q in _questions(record):
            self._ref(doc, loc + ("ask",), "unit", q.ask)
        for i, h in enumerate(getattr(record, "history", []) or []):
            for j, s in enumerate(h.sources):
                self._ref(doc, ("history", i, "sources", j), "source", s.id)

    def _resolve_source(self, doc: Document, s: Source) -> None:
        pass

    def _resolve_first(self, doc: Document, f: FirstDefaults) -> None:
        self._ref(doc, ("after_hours_unit",), "unit", f.after_hours_unit)
        for i, c in enumerate(f.responsibility_basis):
            self._cite(doc, ("responsibility_basis", i), c, ("first", f.id))

    def _resolve_allowlist(self, doc: Document, a: Allowlist) -> None:
        for i, e in enumerate(a.entries):
            self._ref(doc, ("entries", i, "unit"), "unit", e.unit)
            for j, s in enumerate(e.sources):
                self._ref(doc, ("entries", i, "sources", j), "source", s.id)

    def _resolve_organisation(self, doc: Document, org: Organisation) -> None:
        self._ref(doc, ("default_owner",), "unit", org.default_owner)
        for key, document in org.documents.items():
            self._document_info(doc, ("documents", key), document)
        if org.logo:
            tree = self.p.tree_of(doc.path).resolve()
            file = (tree / org.logo).resolve()
            if not file.is_relative_to(tree) or not file.is_file():
                self.p.issues.append(error(
                    "logo-missing", f"Logotypen {org.logo!r} finns inte i innehållsmappen.", doc.path, doc.pos(("logo",)),
                    hint=f"Lägg bildfilen i {display_path(tree)}/ och ange sökvägen relativt den, t.ex. `logo: logotyp.svg`."))
            elif file.suffix.lower() not in (".svg", ".png", ".jpg", ".jpeg", ".webp"):
                self.p.issues.append(error(
                    "logo-format", f"Logotypen {org.logo!r} är ingen bild som webbläsare visar.", doc.path,
                    doc.pos(("logo",)), hint="Använd en SVG- eller PNG-fil."))

    def _resolve_unit(self, doc: Document, u: Unit) -> None:
        self._ref(doc, ("parent",), "unit", u.parent)
        for i, other in enumerate(u.co_located_with):
            self._ref(doc, ("co_located_with", i), "unit", other)

    def _resolve_legal(self, doc: Document, law: LegalSource) -> None:
        self._ref(doc, ("successor",), "legal", law.successor)
        for i, prov in enumerate(law.provisions):
            if prov.successor:
                self._cite(doc, ("provisions", i, "successor"), prov.successor, ("legal", law.id))
            for j, ch in enumerate(prov.changes):
                for k, s in enumerate(ch.sources):
                    self._ref(doc, ("provisions", i, "changes", j, "sources", k), "source", s.id)
        for j, ch in enumerate(law.changes):
            for k, s in enumerate(ch.sources):
                self._ref(doc, ("changes", j, "sources", k), "source", s.id)

    def _routine_cite(self, doc: Document, loc: tuple, text: str, r: Routine) -> None:
        res = self._cite(doc, loc, text, ("routine", r.id))
        if res is None:
            return
        self._backlink(self.p.routines_by_law, res.law.id, r.id)
        if res.node is not None:
            self._backlink(self.p.routines_by_provision, res.node.canonical_id, r.id)

    def _unit_use(self, doc: Document, loc: tuple, unit: str, r: Routine) -> None:
        if self._ref(doc, loc, "unit", unit):
            self._backlink(self.p.routines_by_unit, unit, r.id)

    def _resolve_routine(self, doc: Document, r: Routine) -> None:
        self._unit_use(doc, ("responsible",), r.responsible, r)
        self._unit_use(doc, ("owner",), r.owner, r)
        for i, c in enumerate(r.legal_basis):
            self._routine_cite(doc, ("legal_basis", i), c, r)
        for i, step in enumerate(r.steps):
            self._unit_use(doc, ("steps", i, "actor"), step.actor, r)
            for j, c in enumerate(step.legal_basis):
                self._routine_cite(doc, ("steps", i, "legal_basis", j), c, r)
            for j, req in enumerate(step.implements):
                if self._ref(doc, ("steps", i, "implements", j), "requirement", req):
                    self.p.implemented_by[req].append((r.id, i))
        for i, h in enumerate(r.handovers):
            self._unit_use(doc, ("handovers", i, "to"), h.to, r)
        if r.first is not None:
            self._unit_use(doc, ("first", "call"), r.first.call, r)
        for i, d in enumerate(r.decisions):
            self._unit_use(doc, ("decisions", i, "decides"), d.decides, r)
            self._unit_use(doc, ("decisions", i, "pays"), d.pays, r)
            for j, c in enumerate(d.legal_basis):
                self._routine_cite(doc, ("decisions", i, "legal_basis", j), c, r)
        for i, right in enumerate(r.rights):
            for j, c in enumerate(right.legal_basis):
                self._routine_cite(doc, ("rights", i, "legal_basis", j), c, r)
        for i, other in enumerate(r.related):
            if self._ref(doc, ("related", i), "routine", other):
                self._backlink(self.p.related_from, other, r.id)

    def _resolve_term(self, doc: Document, t: Term) -> None:
        for i, other in enumerate(t.see_also):
            self._ref(doc, ("see_also", i), "term", other)
        for i, c in enumerate(t.legal_basis):
            self._cite(doc, ("legal_basis", i), c, ("term", t.id))

    def _resolve_municipality(self, doc: Document, m: Municipality) -> None:
        for i, u in enumerate(m.contact_units):
            self._ref(doc, ("contact_units", i), "unit", u)
        for i, r in enumerate(m.routines):
            if self._ref(doc, ("routines", i), "routine", r):
                self._backlink(self.p.municipalities_by_routine, r, m.id)

    def _resolve_figure(self, doc: Document, f: Figure) -> None:
        pass

    def _document_info(self, doc: Document, loc: tuple, info: Any) -> None:
        """A printed document's metadata (plan.document, organisation.documents): its owner and its changelog."""
        if info is None:
            return
        self._ref(doc, loc + ("owner",), "unit", info.owner)
        for i, rev in enumerate(info.changelog):
            for j, s in enumerate(rev.sources):
                self._ref(doc, loc + ("changelog", i, "sources", j), "source", s.id)

    def _resolve_plan(self, doc: Document, plan: Plan) -> None:
        self._ref(doc, ("committee",), "unit", plan.committee)
        self._document_info(doc, ("document",), plan.document)
        self._ref(doc, ("source",), "source", plan.source)
        chapter_ids: dict[str, int] = {}
        for i, ch in enumerate(plan.chapters):
            if ch.id in chapter_ids:
                self.p.issues.append(error("duplicate-id", f"Kapitlet {ch.id!r} finns redan i planen (kapitel {chapter_ids[ch.id] + 1}).",
                                           doc.path, doc.pos(("chapters", i, "id")), hint="Ge varje kapitel ett eget id."))
            chapter_ids.setdefault(ch.id, i)
            if ch.file:
                self._prose(doc, ("chapters", i, "file"), ch.file)
            for j, t in enumerate(ch.terms):
                self._ref(doc, ("chapters", i, "terms", j), "term", t)
            for j, u in enumerate(ch.units):
                self._ref(doc, ("chapters", i, "units", j), "unit", u)
            for j, area in enumerate(ch.areas):
                if area.file:
                    self._prose(doc, ("chapters", i, "areas", j, "file"), area.file)
        numbers = [a.number for ch in plan.chapters for a in ch.areas]
        for i, ch in enumerate(plan.chapters):
            for j, area in enumerate(ch.areas):
                if numbers.count(area.number) > 1:
                    self.p.issues.append(error("duplicate-id", f"Utvecklingsområde {area.number} finns flera gånger i planen.",
                                               doc.path, doc.pos(("chapters", i, "areas", j, "number")),
                                               hint="Numrera utvecklingsområdena 1, 2, 3 … utan upprepning."))

    def _prose(self, doc: Document, loc: tuple, rel: str) -> None:
        base = (self.p.tree_of(doc.path) / KIND_FOLDERS["plan"]).resolve()
        try:
            file = (base / rel).resolve()
        except (OSError, RuntimeError):  # symbolic links in a loop (RuntimeError before Python 3.13)
            self.p.issues.append(error("read", f"Filen {rel!r} kan inte läsas: symboliska länkar pekar på varandra i "
                                       "en slinga.", doc.path, doc.pos(loc),
                                       hint="Ersätt den symboliska länken med själva filen."))
            return
        if not file.is_relative_to(base):
            self.p.issues.append(error("bad-path", f"Sökvägen {rel!r} pekar utanför content/plans/.", doc.path, doc.pos(loc),
                                       hint="Ange en fil under content/plans/, t.ex. handlingsplan-2021/inledning.md."))
            return
        if rel in self.p.prose:
            return
        prose, problems = load_prose(file)
        if prose is None:
            if file.exists():
                # The problem is in the file itself (its encoding, size, ...): name it, and the YAML line too.
                self.p.issues.extend(replace(i, related=(f"{doc.path}:{doc.pos(loc).line}",)) for i in problems)
            else:
                # Name the YAML line that points at the missing file.
                self.p.issues.extend(error(i.code, i.message, doc.path, doc.pos(loc), hint=i.hint) for i in problems)
            return
        refs, problems = prose_mod.scan(prose)
        self.p.issues.extend(problems)
        resolved: dict[int, Source | Resolved] = {}
        for ref in refs:
            if ref.kind == "source":
                if ref.target in self.p.sources:
                    resolved[ref.start] = self.p.sources[ref.target]
                    continue
                close = difflib.get_close_matches(ref.target, list(self.p.sources), n=1)
                self.p.issues.append(error(
                    "dangling-ref", f"Hänvisningen {ref.target!r} pekar inte på någon källa.", prose.path, ref.pos,
                    hint=(f"Menade du {close[0]!r}? " if close else "") + f"Id:t ska finnas som content/sources/{ref.target}.yml."))
                continue
            try:
                resolved[ref.start] = self.citation(ref.target)
            except CitationProblem as exc:
                self.p.issues.append(error(exc.code, exc.message, prose.path, ref.pos, hint=exc.hint))
        self.p.prose[rel] = ProseDoc(prose, refs, resolved)

    def _resolve_measure(self, doc: Document, m: Measure) -> None:
        self._ref(doc, ("responsible",), "unit", m.responsible)
        if not self._ref(doc, ("plan",), "plan", m.plan):
            return
        areas = [a.number for ch in self.p.plans[m.plan].chapters for a in ch.areas]
        if m.area not in areas:
            self.p.issues.append(error(
                "dangling-ref", f"Planen {m.plan!r} har inget utvecklingsområde {m.area}.", doc.path, doc.pos(("area",)),
                hint="Planens områden: " + (", ".join(map(str, sorted(areas))) or "inga") + "."))
            return
        self.p.measures_by_area[(m.plan, m.area)].append(m.id)

    def _resolve_module(self, doc: Document, mod: Module) -> None:
        for i, seg in enumerate(mod.segments):
            for j, rid in enumerate(seg.routines):
                if self._ref(doc, ("segments", i, "routines", j), "routine", rid):
                    self._backlink(self.p.modules_by_routine, rid, mod.id)
            for j, c in enumerate(seg.legal):
                self._cite(doc, ("segments", i, "legal", j), c, ("module", mod.id))
            for j, t in enumerate(seg.terms):
                self._ref(doc, ("segments", i, "terms", j), "term", t)
            for j, u in enumerate(seg.units):
                self._ref(doc, ("segments", i, "units", j), "unit", u)
            for j, req in enumerate(seg.teaches):
                if self._ref(doc, ("segments", i, "teaches", j), "requirement", req):
                    self.p.taught_by[req].append((mod.id, "segments", i))
        for i, q in enumerate(mod.questions):
            for j, req in enumerate(q.teaches):
                if self._ref(doc, ("questions", i, "teaches", j), "requirement", req):
                    self.p.taught_by[req].append((mod.id, "questions", i))

    def _resolve_requirement(self, doc: Document, req: Requirement) -> None:
        for i, c in enumerate(req.legal):
            self._cite(doc, ("legal", i), c, ("requirement", req.id))
        for i, uid in enumerate(req.actors):
            self._ref(doc, ("actors", i), "unit", uid)
        for i, f in enumerate(req.findings):
            for j, c in enumerate(f.legal):
                self._cite(doc, ("findings", i, "legal", j), c, ("finding", req.id))
            for j, s in enumerate(f.sources):
                self._ref(doc, ("findings", i, "sources", j), "source", s.id)

    def _resolve_programme(self, doc: Document, prog: Programme) -> None:
        seen: set[str] = set()
        for i, goal in enumerate(prog.goals):
            for j, com in enumerate(goal.commitments):
                loc = ("goals", i, "commitments", j)
                if com.id in seen:
                    self.p.issues.append(error("duplicate-id", f"Åtagandet {com.id!r} finns redan i programmet.",
                                               doc.path, doc.pos(loc + ("id",)), hint="Ge varje åtagande ett eget id."))
                seen.add(com.id)
                for k, rid in enumerate(com.addresses):
                    self._ref(doc, loc + ("addresses", k), "requirement", rid)
                for k, s in enumerate(com.sources):
                    self._ref(doc, loc + ("sources", k), "source", s.id)
        for i, w in enumerate(prog.waivers):
            self._ref(doc, ("waivers", i, "requirement"), "requirement", w.requirement)

    def _resolve_statement(self, doc: Document, st: Statement) -> None:
        pass

    def _resolve_remissvar(self, doc: Document, r: Any) -> None:
        if not self._ref(doc, ("programme",), "programme", r.programme):
            return
        prog = self.p.programmes[r.programme]
        known = {f"krav/{rid}" for rid in self.p.requirements}
        known |= {f"mål/{g.id}" for g in prog.goals} | {f"åtagande/{c.id}" for g in prog.goals for c in g.commitments}
        for i, c in enumerate(r.comments):
            if c.anchor not in known:
                self.p.issues.append(warning(
                    "comment-anchor", f"Kommentaren {c.id!r} sitter i {c.anchor!r}, som inte längre finns i programmet "
                    "eller bland kraven.", doc.path, doc.pos(("comments", i, "anchor")),
                    hint="Svara på kommentaren under `response:`, eller flytta den till det block den nu gäller."))

    def _resolve_course(self, doc: Document, c: Course) -> None:
        self._ref(doc, ("offer",), "unit", c.offer)
        for i, mid in enumerate(c.modules):
            self._ref(doc, ("modules", i), "module", mid)
        for key, variant in (("ansluten", c.variants.ansluten), ("ej ansluten", c.variants.ej_ansluten),
                             ("okänd", c.variants.okand)):
            if variant is None:
                continue
            for j, u in enumerate(variant.units):
                self._ref(doc, ("variants", key, "units", j), "unit", u)
            for j, r in enumerate(variant.routines):
                self._ref(doc, ("variants", key, "routines", j), "routine", r)
            for j, s in enumerate(variant.sources):
                self._ref(doc, ("variants", key, "sources", j), "source", s.id)
            for j, route in enumerate(variant.routes):
                for k, s in enumerate(route.sources):
                    self._ref(doc, ("variants", key, "routes", j, "sources", k), "source", s.id)

