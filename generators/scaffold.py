"""``handbok init``: a new, minimal and valid content folder for another organisation.

The new folder gets what any Swedish municipality shares with the base content: the laws and conventions, the
glossary and the requirements of the guidance on the reflection period and the rights package, with the sources they
cite. What is particular to the base organisation is left out: its open questions (they are asked of its own units),
the findings against its programme and the actors it named. Then one organisation record, one example unit and one
example routine, marked as examples, so that ``check`` and a strict ``build`` pass as written.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from . import TOOL_ROOT
from .load import YAML_SUFFIXES, walk_files

#: The shared folders copied from the base, and the keys left out of their records (particular to the base).
SHARED = {"legal": ("open_questions",), "glossary": ("open_questions",),
          "requirements": ("open_questions", "findings", "actors")}
#: Keys left out at any depth of a copied record (an open question is asked of one of the base's units).
DROPPED_EVERYWHERE = ("open_questions",)

BASE_CONTENT = TOOL_ROOT / "content"


class InitError(Exception):
    """The folder cannot be created (it is not empty, or the base content is missing)."""


def _strip(data: Any, drop: tuple[str, ...]) -> Any:
    if isinstance(data, dict):
        return {k: _strip(v, DROPPED_EVERYWHERE) for k, v in data.items() if k not in drop}
    if isinstance(data, list):
        return [_strip(v, DROPPED_EVERYWHERE) for v in data]
    return data


def _source_ids(data: Any) -> set[str]:
    """The ids of every source a record cites (``sources: [{id: …}]`` at any depth)."""
    found: set[str] = set()
    todo = [data]
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "sources" and isinstance(v, list):
                    found.update(s["id"] if isinstance(s, dict) else s for s in v
                                 if isinstance(s, str) or (isinstance(s, dict) and isinstance(s.get("id"), str)))
                todo.append(v)
        elif isinstance(node, list):
            todo.extend(node)
    return found


def _dump(data: dict, header: str = "") -> str:
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)


def _quote(text: str) -> str:
    return yaml.safe_dump(text, allow_unicode=True, width=1000).removesuffix("\n...\n").strip()


def organisation_yaml(name: str, department: str | None) -> str:
    dept = f"department: {_quote(department)}\n" if department else (
        "# department: Socialförvaltningen   # förvaltningen som äger handboken\n")
    return f"""\
# Vem som ger ut handboken. Namnen står i webbplatsens sidhuvud och på Om-sidan, i dokumentens sidhuvud och i deras
# egenskaper (författare). Ändra här, inte i verktyget.
id: organisation
name: {_quote(name)}
{dept}site_title: Rutinhandbok mot prostitution och människohandel
short_title: Rutinhandboken
# logo: logotyp.svg          # en bildfil i den här mappen
# about: >-                  # inledningen på sidan Om handboken (annars en standardtext)
#   …
default_owner: socialtjansten
"""


def unit_yaml(name: str) -> str:
    return f"""\
# EXEMPEL: en enhet att utgå från. Skriv om den med er egen organisation, eller ta bort den när ni har egna enheter
# (ändra då också default_owner i organisation.yml och after_hours_unit i first/forst.yml).
id: socialtjansten
name: {_quote(f"Socialtjänsten i {name}")}
kind: förvaltning
status: utkast
mission: >-
  Socialtjänsten i kommunen där en person vistas har det yttersta ansvaret för att hen får det stöd och den hjälp
  som hen behöver, även om hen bor i en annan kommun eller saknar uppehållstillstånd. Utanför kontorstid nås
  socialjouren via 112.
reach: via 112, be att få tala med socialjouren
sources:
  - id: prop-2010-11-49
  - id: forfattningstext
"""


FIRST_YAML = """\
# Raderna som står i varje situationsrutins Först-block, överst på sidan.
id: forst
danger: Ring 112 om någon är i fara nu.
after_hours: Ring 112 och be att få tala med socialjouren där personen är.
after_hours_unit: socialtjansten
responsibility: >-
  Kommunen där personen är ansvarar för akut hjälp, även om hen bor i en annan kommun eller saknar
  uppehållstillstånd.
responsibility_basis:
  - socialtjänstlag (2025:400)
office_hours: Ring
sources:
  - {id: prop-2010-11-49, locator: "Ansvarsfördelning mellan bosättningskommun och vistelsekommun"}
  - {id: nspm-akut-skydd}
"""


def routine_yaml(today: dt.date) -> str:
    return f"""\
# EXEMPEL: en rutin att utgå från. Skriv om den med er egen rutin eller ta bort den. `handbok new routine TITEL`
# skriver en tom rutin med alla nycklar.
id: exempel-akut-fara
title: "Exempel: akut fara vid misstanke om människohandel"
summary: Vad du gör först när någon kan vara utsatt för människohandel och är i fara nu.
kind: situation
situation: >-
  Du möter en person som kan vara utsatt för människohandel, och hen eller någon annan är i fara nu.
target_groups: [vuxen, barn]
responsible: socialtjansten
first:
  call: socialtjansten
  ask: Säg att du misstänker människohandel och att personen behöver skydd nu.
  have_ready:
    - Var personen är och vad som har hänt
steps:
  - actor: socialtjansten
    action: Ring 112 om någon är i fara. Polisen kan ge skydd direkt.
    time_limit: omedelbart
  - actor: socialtjansten
    action: >-
      Ge personen akut stöd och hjälp. Kommunen där personen är ansvarar, även om hen bor i en annan kommun eller
      saknar uppehållstillstånd.
    legal_basis:
      - socialtjänstlag (2025:400)
    time_limit: samma dag
owner: socialtjansten
status: utkast
updated: {today.isoformat()}
review_interval_months: 12
sources:
  - id: nspm-akut-skydd
  - id: prop-2010-11-49
"""


def init_tree(target: Path, organisation: str, department: str | None = None, base: Path = BASE_CONTENT,
              today: dt.date | None = None) -> list[Path]:
    """Write a new content folder at ``target``; returns the files written. Raises InitError."""
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InitError(f"Mappen {target} finns redan och är inte tom. Ange en ny mapp; inget skrevs.")
    if not (base / "legal").is_dir():
        raise InitError(f"Grundinnehållet saknas i {base}; installera om verktyget.")
    files: dict[Path, str] = {}
    cited: set[str] = {"prop-2010-11-49", "forfattningstext", "nspm-akut-skydd"}
    header = "# Kopierad från grundinnehållet av `handbok init`. Gemensam för alla kommuner; ändra bara om lagen ändras.\n"
    for folder, drop in SHARED.items():
        for file in walk_files(base / folder):
            if not file.name.endswith(YAML_SUFFIXES):
                continue
            data = _strip(yaml.safe_load(file.read_text(encoding="utf-8")), drop)
            cited |= _source_ids(data)
            files[target / folder / file.name] = _dump(data, header)
    for sid in sorted(cited):
        file = base / "sources" / f"{sid}.yml"
        if file.is_file():
            data = _strip(yaml.safe_load(file.read_text(encoding="utf-8")), DROPPED_EVERYWHERE)
            files[target / "sources" / file.name] = _dump(data, header)
    files[target / "organisation.yml"] = organisation_yaml(organisation, department)
    files[target / "units" / "socialtjansten.yml"] = unit_yaml(organisation)
    files[target / "first" / "forst.yml"] = FIRST_YAML
    files[target / "routines" / "exempel-akut-fara.yml"] = routine_yaml(today or dt.date.today())
    for path, text in sorted(files.items()):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return sorted(files)
