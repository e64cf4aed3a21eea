"""Help for writers: ``handbok new`` writes a skeleton record, ``handbok laws`` lists what can be cited.

A skeleton has every key that the model requires, each under a Swedish comment that says what to write (the same
text the editor shows from the JSON Schema). What only the writer can know is left empty (``""`` or ``[]``), so that
``handbok check`` reports each such value as an error until it is filled in: a skeleton never passes as real content.
A routine or unit starts as ``status: utkast``.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import textwrap
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

import yaml

from .ids import is_id, slug_id
from .load import YAML_SUFFIXES, display_path
from .model import KIND_MODELS

#: What ``handbok new`` can make: the word on the command line -> (model kind, folder, Swedish name).
KINDS = {
    "routine": ("routine", "routines", "rutin"),
    "unit": ("unit", "units", "enhet"),
    "law": ("legal", "legal", "lag"),
    "source": ("source", "sources", "källa"),
}
SFS_RE = re.compile(r"^\d{4}:\d+$")
WIDTH = 100


class SkeletonError(Exception):
    """The skeleton cannot be written; ``code`` is the exit code (1: the file is there, 2: a wrong command)."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


# --- writing YAML by hand, with comments ---------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _schema(kind: str) -> dict:
    from .schema import swedish

    model = KIND_MODELS[kind]
    return swedish(copy.deepcopy(model.model_json_schema()), model.__name__)


def describe(kind: str, key: str, sub: str | None = None) -> str:
    """What to write under ``key`` (of the record, or of its part ``sub``), from the Swedish schema."""
    schema = _schema(kind)
    props = schema["$defs"][sub]["properties"] if sub else schema["properties"]
    return props[key]["description"]


def scalar(value: str) -> str:
    """A string as a YAML value: plain when it reads back the same, otherwise double-quoted."""
    if value == "":
        return '""'
    if "#" not in value and "\n" not in value and value.strip() == value:
        try:
            if yaml.safe_load(f"k: {value}") == {"k": value}:
                return value
        except yaml.YAMLError:
            pass
    return json.dumps(value, ensure_ascii=False)


class _Lines:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def comment(self, text: str, indent: int = 0) -> None:
        pad = " " * indent
        self.lines.extend(f"{pad}# {line}" for line in textwrap.wrap(text, WIDTH - indent - 2))

    def key(self, name: str, value: str, about: str = "", indent: int = 0) -> None:
        if about:
            self.comment(about, indent)
        self.lines.append(f"{' ' * indent}{name}:{' ' + value if value else ''}")

    def raw(self, *lines: str) -> None:
        self.lines.extend(lines)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


ID_NOTE = "Postens id, samma som filnamnet (a–z, siffror och bindestreck). Byt inte id utan att döpa om filen."
HEADER = ('Fyll i varje tomt värde ("" eller []) enligt kommentaren ovanför det. Tills dess ger `handbok check` ett '
          "fel för varje värde som inte är ifyllt.")


def _sources(out: _Lines, kind: str, hint: str = "") -> None:
    out.key("sources", "", describe(kind, "sources") + (" " + hint if hint else ""))
    out.raw('  - ""')


def routine_yaml(rid: str, title: str, today: dt.date, owner: str = "") -> str:
    k = "routine"
    out = _Lines()
    out.comment("Ny rutin, skapad med `handbok new routine`. " + HEADER + " Frivilliga nycklar, till exempel "
                "handovers, decisions, rights, documentation, legal_basis, related, keywords och open_questions, "
                "beskrivs i schemat (content/_schemas/routine.schema.json) och i README.")
    out.raw("")
    out.key("id", rid, ID_NOTE)
    out.key("title", scalar(title), describe(k, "title"))
    out.key("summary", '""', describe(k, "summary"))
    out.key("kind", "situation", describe(k, "kind") + " Ta bort first: för ett arbetssätt.")
    out.key("situation", '""', describe(k, "situation"))
    out.key("target_groups", "[]", describe(k, "target_groups"))
    out.key("responsible", '""', describe(k, "responsible"))
    out.key("first", "", describe(k, "first"))
    out.comment(describe(k, "now", "First") + " Frivilligt, till exempel:", 2)
    out.raw("  # now:", "  #   - Prata enskilt med personen.")
    out.key("call", '""', describe(k, "call", "First"), 2)
    out.key("ask", '""', describe(k, "ask", "First"), 2)
    out.key("have_ready", "", describe(k, "have_ready", "First"), 2)
    out.raw('    - ""')
    out.key("steps", "", describe(k, "steps") + " Frivilligt i varje steg: legal_basis, time_limit, note och "
            "implements.")
    out.comment(describe(k, "actor", "Step"), 2)
    out.raw('  - actor: ""')
    out.key("action", '""', describe(k, "action", "Step"), 4)
    out.key("owner", scalar(owner), describe(k, "owner"))
    out.key("status", "utkast", describe(k, "status"))
    out.key("updated", today.isoformat(), describe(k, "updated"))
    out.key("review_interval_months", "12", describe(k, "review_interval_months"))
    _sources(out, k)
    return out.text()


def unit_yaml(uid: str, name: str) -> str:
    k = "unit"
    out = _Lines()
    out.comment("Ny enhet, skapad med `handbok new unit`. " + HEADER + " Frivilliga nycklar, till exempel "
                "short_name, parent, target_group, offers, when_to_contact, area och contact, beskrivs i schemat "
                "(content/_schemas/unit.schema.json) och i README.")
    out.raw("")
    out.key("id", uid, ID_NOTE)
    out.key("name", scalar(name), describe(k, "name"))
    out.key("kind", '""', describe(k, "kind"))
    out.key("mission", '""', describe(k, "mission"))
    out.key("status", "utkast", describe(k, "status"))
    _sources(out, k)
    return out.text()


def _is_abbreviation(text: str) -> bool:
    """LVU, OSL, UtlL: one word with at least two capitals."""
    return " " not in text and sum(c.isupper() for c in text) >= 2


def law_yaml(lid: str, title: str, sfs: str | None, short: str | None, source_hint: str = "") -> str:
    k = "legal"
    kind = "förordning" if "förordning" in title.lower() else ("lag" if sfs else "")
    out = _Lines()
    out.comment("Ny rättskälla, skapad med `handbok new law`. " + HEADER + " Frivilliga nycklar, till exempel "
                "aliases, in_force, repealed, successor, changes och note, beskrivs i schemat "
                "(content/_schemas/legal.schema.json) och i README.")
    out.raw("")
    out.key("id", lid, ID_NOTE)
    out.key("kind", scalar(kind), describe(k, "kind"))
    out.key("title", scalar(title), describe(k, "title"))
    if short:
        out.key("short_title", scalar(short), describe(k, "short_title"))
        if _is_abbreviation(short):
            out.key("abbreviations", f"[{scalar(short)}]", describe(k, "abbreviations"))
    if sfs:
        out.key("sfs", json.dumps(sfs), describe(k, "sfs"))
    out.key("url", f"https://lagen.nu/{sfs}" if sfs else '""', describe(k, "url"))
    out.key("provisions", "", describe(k, "provisions") + " Lägg till en post för varje paragraf som rutinerna "
            "hänvisar till.")
    out.comment(describe(k, "ref", "Provision"), 2)
    out.raw('  - ref: ""')
    out.key("summary", '""', describe(k, "summary", "Provision"), 4)
    _sources(out, k, source_hint)
    return out.text()


def source_yaml(sid: str, title: str, today: dt.date) -> str:
    k = "source"
    out = _Lines()
    out.comment("Ny källa, skapad med `handbok new source`. " + HEADER + " Frivilliga nycklar, till exempel "
                "diarienummer, description och note, beskrivs i schemat (content/_schemas/source.schema.json) och i "
                "README.")
    out.raw("")
    out.key("id", sid, ID_NOTE)
    out.key("title", scalar(title), describe(k, "title"))
    out.key("issuer", '""', describe(k, "issuer"))
    out.key("kind", '""', describe(k, "kind"))
    out.key("date", '""', describe(k, "date") + " För en webbsida utan datum: ta bort raden.")
    out.comment(describe(k, "url") + " För en webbsida också read, dagen då den lästes:")
    out.raw("# url: https://", f"# read: {today.isoformat()}")
    return out.text()


# --- handbok new ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Written:
    path: Path
    id: str
    what: str  # routine, unit, law or source


def _default_owner(dirs: Sequence[Path]) -> str:
    """The unit that owns new routines, from content/organisation.yml (``default_owner:``), if there is one."""
    for folder in reversed(list(dirs)):
        for suffix in YAML_SUFFIXES:
            file = folder / f"organisation{suffix}"
            if file.is_file():
                try:
                    data = yaml.safe_load(file.read_text(encoding="utf-8"))
                except (OSError, yaml.YAMLError, UnicodeDecodeError):
                    return ""
                owner = data.get("default_owner") if isinstance(data, dict) else None
                return owner if isinstance(owner, str) and is_id(owner) else ""
    return ""


def _names(what: str, id_or_title: str | None, title: str | None, short: str | None) -> tuple[str, str]:
    """(id, title) from the command line; the id made from the title (or a law's short name) when not given."""
    given = (id_or_title or "").strip()
    title = (title or "").strip()
    if given and is_id(given):
        return given, title
    if given and not title:
        title = given
    basis = given or (short if what == "law" and short else "") or title
    if not basis:
        raise SkeletonError("ange ett id eller en titel, till exempel "
                            f"`handbok new {what} \"{'Stöd vid akut placering' if what == 'routine' else 'Namn'}\"`.",
                            2)
    rid = slug_id(basis)
    if not rid:
        raise SkeletonError(f"kan inte bilda ett id av {basis!r}; ange id:t själv, till exempel "
                            f"`handbok new {what} mitt-id --title …`.", 2)
    return rid, title


def new_record(dirs: Sequence[Path], what: str, id_or_title: str | None, title: str | None = None,
               sfs: str | None = None, short: str | None = None, today: dt.date | None = None) -> Written:
    """Write the skeleton into the last content folder (the local one); never over an existing file."""
    if what not in KINDS:
        raise SkeletonError(f"okänd sort {what!r}; välj {', '.join(KINDS)}.", 2)
    if what != "law" and (sfs or short):
        raise SkeletonError("--sfs och --short gäller bara `handbok new law`.", 2)
    if sfs is not None and not SFS_RE.match(sfs):
        raise SkeletonError(f"--sfs {sfs!r} har fel form; skriv ÅÅÅÅ:NNN, till exempel 1990:52.", 2)
    kind, folder, _ = KINDS[what]
    content = Path(dirs[-1])
    if not content.is_dir():
        raise SkeletonError(f"Innehållsmappen {display_path(content)} finns inte. Ange mappen med --content DIR, "
                            "eller skapa en ny med `handbok init`.")
    rid, name = _names(what, id_or_title, title, short)
    target = content / folder / f"{rid}.yml"
    for suffix in YAML_SUFFIXES:
        existing = target.with_suffix(suffix)
        if existing.exists():
            raise SkeletonError(f"{display_path(existing)} finns redan och skrivs inte över. Redigera den filen, "
                                "eller välj ett annat id: ange det först, till exempel "
                                f"`handbok new {what} {rid}-2 --title …`.")
    today = today or dt.date.today()
    if what == "routine":
        text = routine_yaml(rid, name, today, _default_owner(dirs))
    elif what == "unit":
        text = unit_yaml(rid, name)
    elif what == "law":
        if sfs is None:
            found = re.search(r"\((\d{4}:\d+)\)", name)
            sfs = found.group(1) if found else None
        hint = ""
        if any((Path(d) / "sources" / "forfattningstext.yml").is_file() for d in dirs):
            hint = "För svenska lagar finns källan forfattningstext, t.ex. {id: forfattningstext, locator: ”6 §”}."
        text = law_yaml(rid, name, sfs, short, hint)
    else:
        text = source_yaml(rid, name, today)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8") as f:  # "x": never over a file that appeared meanwhile
        f.write(text)
    return Written(target, rid, what)


NEXT = {
    "routine": "Rutinen har status utkast. När den är beslutad: sätt status: fastställd och ange approved_by och "
               "approved.",
    "unit": "Rutinerna hänvisar till enheten med id:t {id}, till exempel `actor: {id}` i ett steg.",
    "law": "Rutinerna hänvisar till lagens bestämmelser i legal_basis:; `handbok laws` visar vilka som finns.",
    "source": "Posterna som bygger på källan anger den med id:t, till exempel `sources: [{id}]`.",
}


def report(written: Written, check_command: str) -> str:
    """What ``handbok new`` prints: the file written and what to do next."""
    name = KINDS[written.what][2]
    return (f"Skrev {display_path(written.path)} (ny {name} med id {written.id}).\n"
            "Gör så här:\n"
            '  1. Fyll i varje tomt värde ("" eller []) enligt kommentaren ovanför det.\n'
            f"  2. Kör `{check_command}`. Den visar ett fel för varje värde som inte är ifyllt.\n"
            f"  3. {NEXT[written.what].format(id=written.id)}\n")


# --- handbok laws --------------------------------------------------------------------------------------------------

def _number(law: Any) -> str:
    if law.sfs:
        return f"SFS {law.sfs}"
    if law.celex:
        return f"CELEX {law.celex}"
    if law.cets:
        return f"CETS {law.cets}"
    return "–"


def _state(repealed: dt.date | None, successor: str | None, in_force: dt.date | None, today: dt.date) -> str:
    if repealed is not None:
        state = f"upphävd {repealed.isoformat()}" if repealed <= today else f"upphävs {repealed.isoformat()}"
        return state + (f", ersatt av {successor}" if successor else "")
    if in_force is not None and in_force > today:
        return f"träder i kraft {in_force.isoformat()}"
    return "gäller"


def _provisions(project: Any, law: Any) -> list[tuple[Any, Any]]:
    """(provision, its node in the graph or None when its ref could not be read), in the file's order."""
    nodes = {n.index: n for n in project.provisions.values() if n.law.id == law.id}
    return [(prov, nodes.get(i)) for i, prov in enumerate(law.provisions)]


def laws_json(project: Any, today: dt.date) -> dict:
    from .graph import law_url

    out = []
    for law in sorted(project.legal.values(), key=lambda x: x.id):
        out.append({
            "id": law.id, "kind": law.kind, "title": law.title, "short_title": law.short_title,
            "abbreviations": list(law.abbreviations), "aliases": list(law.aliases), "sfs": law.sfs,
            "celex": law.celex, "cets": law.cets, "url": law.url,
            "in_force": law.in_force.isoformat() if law.in_force else None,
            "repealed": law.repealed.isoformat() if law.repealed else None, "successor": law.successor,
            "status": _state(law.repealed, law.successor, law.in_force, today),
            "file": project.doc("legal", law.id).path,
            "provisions": [{
                "ref": prov.ref, "id": node.canonical_id if node else None, "title": prov.title,
                "summary": prov.summary, "url": prov.url or (law_url(law, node.pinpoint) if node else law.url),
                "repealed": prov.repealed.isoformat() if prov.repealed else None, "successor": prov.successor,
                "status": _state(prov.repealed, prov.successor, None, today),
            } for prov, node in _provisions(project, law)],
        })
    return {"laws": out}


def _table(rows: list[list[str]], indent: str = "") -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [(indent + "  ".join(c.ljust(w) for c, w in zip(r, widths))).rstrip() for r in rows]


def _shorten(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1].rsplit(" ", 1)[0] + " …"


def format_laws(project: Any, today: dt.date) -> str:
    laws = sorted(project.legal.values(), key=lambda x: x.id)
    if not laws:
        return "Inga rättskällor i innehållet. Lägg till en med `handbok new law`.\n"
    count = sum(len(law.provisions) for law in laws)
    lines = [f"{len(laws)} rättskällor med {count} bestämmelser. Hänvisa till en bestämmelse i legal_basis: som i "
             "löptext (”6 § LVU”) eller med dess id (”lvu#p6”).", ""]
    rows = [["Id", "Typ", "Nummer", "Förkortning", "Kort namn", "Bestämmelser", "Status", "Titel"]]
    for law in laws:
        rows.append([law.id, law.kind, _number(law), ", ".join(law.abbreviations) or "–", law.short_title or "–",
                     str(len(law.provisions)), _state(law.repealed, law.successor, law.in_force, today), law.title])
    lines += _table(rows)
    for law in laws:
        lines += ["", f"{law.id}: {law.title}"]
        provisions = _provisions(project, law)
        if not provisions:
            lines.append(f"  Inga bestämmelser; lägg till dem under provisions: i {project.doc('legal', law.id).path}.")
            continue
        rows = [["Bestämmelse", "Id", "Rubrik eller sammanfattning", "Status"]]
        for prov, node in provisions:
            state = _state(prov.repealed, prov.successor, None, today)
            rows.append([prov.ref, node.canonical_id if node else "(kan inte läsas)",
                         prov.title or _shorten(prov.summary), "" if state == "gäller" else state])
        lines += _table(rows, "  ")
    return "\n".join(lines) + "\n"
