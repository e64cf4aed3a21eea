"""``handbok schema``: JSON Schema for each kind of content, wired up for editors.

Writes ``<content>/_schemas/<kind>.schema.json`` from the pydantic models and
maps them to the content folders in ``.vscode/settings.json`` (the Red Hat YAML
extension, built on yaml-language-server). Other yaml-language-server editors can
use the same files through a modeline; see the README.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .load import KIND_DIRS
from .model import KIND_LABELS, KIND_MODELS

SCHEMA_DIR = "_schemas"


def schemas() -> dict[str, dict]:
    out = {}
    for folder, kind in sorted(KIND_DIRS.items()):
        schema = KIND_MODELS[kind].model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = f"Rutinhandboken: {KIND_LABELS[kind]} (content/{folder}/*.yml)"
        out[f"{kind}.schema.json"] = schema
    return out


def _dump(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def vscode_settings(content: Path, existing: dict) -> dict:
    mapping = dict(existing.get("yaml.schemas", {}))
    for folder, kind in sorted(KIND_DIRS.items()):
        key = (content / SCHEMA_DIR / f"{kind}.schema.json").as_posix()
        mapping[key] = [f"{content.as_posix()}/{folder}/*.yml", f"{content.as_posix()}/{folder}/*.yaml"]
    settings = dict(existing)
    settings["yaml.schemas"] = mapping
    return settings


def write_schemas(content: Path, check: bool = False, settings_file: Path = Path(".vscode/settings.json")) -> int:
    target = content / SCHEMA_DIR
    stale = []
    files = {target / name: _dump(data) for name, data in schemas().items()}
    existing = {}
    if settings_file.is_file():
        try:
            existing = json.loads(settings_file.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            print(f"{settings_file}: ogiltig JSON; rätta eller ta bort filen och kör igen.", file=sys.stderr)
            return 1
    files[settings_file] = _dump(vscode_settings(content, existing))
    for path, text in files.items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(path)
    if check:
        for path in stale:
            print(f"{path}: inaktuell; kör `handbok schema`.", file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(files[path], encoding="utf-8")
        print(f"Skrev {path}", file=sys.stderr)
    if not stale:
        print("Schemafilerna är redan aktuella.", file=sys.stderr)
    return 0
