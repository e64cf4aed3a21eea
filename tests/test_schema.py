"""``handbok schema``: Swedish labels and descriptions on every key, and editor settings beside the content."""

import json
import shutil

import pytest

from conftest import MINI, run_cli
from generators import schema as sch
from generators.model import KIND_MODELS


def _keyed(node, where=""):
    """Every (where, key, key schema) in a schema, inline objects and $defs included."""
    if isinstance(node, dict):
        for key, prop in node.get("properties", {}).items():
            yield where, key, prop
        for k, v in node.items():
            yield from _keyed(v, f"{where}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _keyed(v, f"{where}/{i}")


@pytest.fixture(scope="module")
def schemas():
    return sch.schemas()


def test_every_kind_has_a_schema(schemas):
    kinds = {name.removesuffix(".schema.json") for name in schemas}
    assert kinds >= set(sch.KIND_DIRS.values())
    assert kinds <= set(KIND_MODELS)


def test_every_key_has_a_swedish_title_and_a_description(schemas):
    bad = []
    count = 0
    for name, schema in schemas.items():
        for where, key, prop in _keyed(schema, name):
            count += 1
            title, description = prop.get("title"), (prop.get("description") or "").strip()
            if not title or title in (sch.auto_title(key), key) or not description:
                bad.append(f"{where}: {key} (title {title!r}, description {description!r})")
    assert count > 300
    assert bad == [], "Lägg till titel och beskrivning i generators/schema.py (FIELDS eller OVERRIDES):\n" + "\n".join(bad)


def test_no_english_auto_title_is_left(schemas):
    text = json.dumps(schemas, ensure_ascii=False)
    for english in ("Legal Basis", "Action", "Time Limit", "Open Questions", "Review Interval Months", "Sources",
                    "Target Groups", "Have Ready", "Short Title"):
        assert f'"{english}"' not in text


def test_every_record_and_part_is_named_in_swedish(schemas):
    for name, schema in schemas.items():
        assert schema["title"].startswith("Rutinhandboken: ")
        assert schema.get("description"), name
        for def_name, sub in schema.get("$defs", {}).items():
            assert sub["title"] != def_name and sub.get("description"), f"{name}: $defs/{def_name}"


def test_labels_follow_the_model(schemas):
    routine = schemas["routine.schema.json"]
    assert routine["properties"]["legal_basis"]["title"] == "Lagstöd"
    assert routine["properties"]["title"]["title"] == "Rubrik"
    step = routine["$defs"]["Step"]["properties"]
    assert step["action"]["title"] == "Vad som görs" and "t.ex." in step["action"]["description"]
    # A description written in the model stays; the table fills the gaps.
    assert step["actor"]["description"] == "Vem som gör steget (id för en enhet)."
    # A source given as a mapping is labelled too.
    inline = routine["properties"]["sources"]["items"]["anyOf"][1]["properties"]
    assert inline["id"]["title"] == "Källa" and inline["locator"]["title"] == "Var i källan"
    # The same key means different things in different records.
    assert schemas["figure.schema.json"]["properties"]["unit"]["title"] == "Måttenhet"
    assert schemas["measure.schema.json"]["properties"]["status"]["title"] == "Genomförande"


# --- .vscode/settings.json beside the content ----------------------------------------------------------------------

def test_settings_go_to_the_workspace_of_the_content_with_relative_paths(tmp_path):
    project = tmp_path / "projekt"
    shutil.copytree(MINI, project / "content")
    (project / ".vscode").mkdir()
    (project / ".vscode" / "settings.json").write_text('{"editor.tabSize": 2}\n', encoding="utf-8")
    elsewhere = tmp_path / "annanstans"
    elsewhere.mkdir()

    r = run_cli("schema", "--content", str(project / "content"), cwd=elsewhere)
    assert r.returncode == 0, r.stderr
    assert not (elsewhere / ".vscode").exists()
    text = (project / ".vscode" / "settings.json").read_text(encoding="utf-8")
    assert str(tmp_path) not in text
    settings = json.loads(text)
    assert settings["editor.tabSize"] == 2  # the other settings stay
    mapping = settings["yaml.schemas"]
    assert mapping["content/_schemas/routine.schema.json"] == ["content/routines/*.yml", "content/routines/*.yaml"]
    assert mapping["content/_schemas/module.schema.json"] == ["content/training/modules/*.yml",
                                                              "content/training/modules/*.yaml"]
    for key, patterns in mapping.items():
        assert not key.startswith("/") and all(not p.startswith("/") for p in patterns)
        assert (project / key).is_file(), key
    assert f"Skrev {project / '.vscode' / 'settings.json'}" in r.stderr

    again = run_cli("schema", "--check", "--content", str(project / "content"), cwd=elsewhere)
    assert again.returncode == 0, again.stderr


def test_settings_name_the_content_folder_as_it_is_called(tmp_path):
    settings = sch.vscode_settings(tmp_path / "innehall", {"yaml.schemas": {"annat.json": ["x/*.yml"]}})
    mapping = settings["yaml.schemas"]
    assert mapping["annat.json"] == ["x/*.yml"]
    assert mapping["innehall/_schemas/unit.schema.json"] == ["innehall/units/*.yml", "innehall/units/*.yaml"]


def test_a_stale_settings_file_is_reported_where_it_is(tmp_path):
    project = tmp_path / "projekt"
    (project / "content").mkdir(parents=True)
    r = run_cli("schema", "--check", "--content", "projekt/content", cwd=tmp_path)
    assert r.returncode == 1
    assert "projekt/.vscode/settings.json: inaktuell; kör `handbok schema`." in r.stderr
