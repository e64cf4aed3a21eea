"""Stage 1: loading YAML with positions, and refusing bad files with a clear message."""

from pathlib import Path

from generators.load import MAX_BYTES, load_file, parse_yaml


def _load(tmp_path: Path, raw: bytes | str, name: str = "x.yml"):
    f = tmp_path / name
    f.write_bytes(raw.encode("utf-8") if isinstance(raw, str) else raw)
    doc, issues = load_file(f, "unit", shown=f"content/units/{name}")
    return doc, [i.format() for i in issues]


def test_positions_of_keys_and_values(tmp_path):
    doc, issues = _load(tmp_path, "id: a\nsteps:\n  - actor: b\n    action: |\n      text\n")
    assert issues == []
    assert doc.pos(("steps", 0, "actor")).line == 3
    assert doc.pos(("steps", 0, "actor")).col == 12
    assert doc.pos(("steps", 0, "actor"), key=True).col == 5
    # Unknown parts of a location fall back to the deepest known one.
    assert doc.pos(("steps", 0, "Step", "missing")).line == 3


def test_dates_are_dates_and_bad_dates_stay_text(tmp_path):
    doc, _ = _load(tmp_path, "a: 2025-07-01\nb: 2025-13-45\nc: '2025-07-01'\n")
    import datetime as dt
    assert doc.data["a"] == dt.date(2025, 7, 1)
    assert doc.data["b"] == "2025-13-45"
    assert doc.data["c"] == "2025-07-01"


def test_yaml_syntax_error_golden(tmp_path):
    _, issues = _load(tmp_path, "id: a\nname: [x\n")
    assert issues == [
        "content/units/x.yml:3:1: error[yaml-syntax]: YAML-syntaxfel: did not find expected ',' or ']'.\n"
        "  tips: Kontrollera indrag, kolon och citattecken på raden och raden före."
    ]


def test_tab_indentation_gets_a_tab_hint(tmp_path):
    _, issues = _load(tmp_path, "id: a\nsteps:\n\t- x\n")
    assert len(issues) == 1
    assert issues[0].startswith("content/units/x.yml:3:1: error[yaml-syntax]:")
    assert "tabbtecken" in issues[0]


def test_colon_in_text_hint(tmp_path):
    _, issues = _load(tmp_path, "id: a\nname: Obs: viktigt\n")
    assert issues[0].startswith("content/units/x.yml:2:10: error[yaml-syntax]: YAML-syntaxfel: mapping values are not allowed in this context.")
    assert "citattecken" in issues[0]


def test_windows_1252_file_golden(tmp_path):
    _, issues = _load(tmp_path, "id: a\nname: Mikamottagningen i Sk\xe4rholmen\n".encode("cp1252"))
    assert issues == [
        "content/units/x.yml:2:28: error[encoding]: Filen är inte giltig UTF-8 (byte 0xe4).\n"
        "  tips: Filen verkar vara sparad som Windows-1252 eller Latin-1. Spara om den som UTF-8."
    ]


def test_utf8_bom_is_accepted(tmp_path):
    doc, issues = _load(tmp_path, "\ufeffid: å\n")
    assert issues == [] and doc.data == {"id": "å"}


def test_empty_and_comment_only_files(tmp_path):
    for text in ("", "\n\n", "# bara en kommentar\n"):
        _, issues = _load(tmp_path, text)
        assert issues == ["content/units/x.yml:1:1: error[empty-file]: Filen är tom.\n"
                          "  tips: Fyll i posten (se README: Skriva innehåll) eller ta bort filen."]


def test_alias_bomb_is_refused_before_expansion(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8))
    _, issues = _load(tmp_path, bomb)
    assert issues[0].startswith("content/units/x.yml:2:8: error[yaml-alias]: YAML-alias (*a) är inte tillåtna i innehållsfiler.")


def test_deep_nesting_is_refused(tmp_path):
    _, issues = _load(tmp_path, "a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert len(issues) == 1 and "error[yaml-depth]" in issues[0]


def test_very_large_file_is_refused_without_reading(tmp_path):
    _, issues = _load(tmp_path, "a: " + "x" * (MAX_BYTES + 10) + "\n")
    assert len(issues) == 1 and "error[too-large]" in issues[0] and issues[0].startswith("content/units/x.yml:1:1:")


def test_duplicate_key_names_both_lines(tmp_path):
    _, issues = _load(tmp_path, "id: a\nname: x\nname: y\n")
    assert issues == ["content/units/x.yml:3:1: error[duplicate-key]: Nyckeln 'name' förekommer två gånger "
                      "(första gången på rad 2).\n  tips: Ta bort eller slå ihop den ena förekomsten."]


def test_top_level_list_and_python_tags_are_refused(tmp_path):
    _, issues = _load(tmp_path, "- a\n- b\n")
    assert "error[wrong-type]" in issues[0]
    _, issues = _load(tmp_path, "a: !!python/object:os.system x\n")
    assert "error[yaml-tag]" in issues[0]


def test_several_documents_are_refused(tmp_path):
    _, issues = _load(tmp_path, "id: a\n---\nid: b\n")
    assert "error[yaml-documents]" in issues[0] and ":2:1:" in issues[0]


def test_parse_yaml_is_iterative_for_long_lists():
    data, pos, _ = parse_yaml("a:\n" + "".join(f"  - {i}\n" for i in range(5000)), "p")
    assert len(data["a"]) == 5000 and pos[("a", 4999)].line == 5001


def test_tags_on_lists_and_mappings_are_refused_golden(tmp_path):
    _, issues = _load(tmp_path, "id: a\nsteps: !!python/object/apply:os.system ['true']\n")
    assert issues == [
        "content/units/x.yml:2:8: error[yaml-tag]: YAML-taggen 'tag:yaml.org,2002:python/object/apply:os.system' är "
        "inte tillåten i innehållsfiler.\n"
        "  tips: Ta bort taggen (det som börjar med !) och skriv värdet som en vanlig lista eller mappning."]
    _, issues = _load(tmp_path, "id: a\ntags: !!set {a, b}\n")
    assert issues[0].startswith("content/units/x.yml:2:7: error[yaml-tag]: YAML-taggen 'tag:yaml.org,2002:set' är inte")
    doc, issues = _load(tmp_path, "id: a\ntags: !!seq [a]\nother: !!map {b: c}\n")
    assert issues == [] and doc.data == {"id": "a", "tags": ["a"], "other": {"b": "c"}}


def test_symlink_in_a_loop_golden(tmp_path):
    (tmp_path / "x.yml").symlink_to("x.yml")
    doc, issues = load_file(tmp_path / "x.yml", "unit", shown="content/units/x.yml")
    assert doc is None and [i.format() for i in issues] == [
        "content/units/x.yml:1:1: error[read]: Filen kan inte läsas: symboliska länkar pekar på varandra i en slinga.\n"
        "  tips: Kontrollera att filen finns, att den inte är en trasig symbolisk länk och att du har läsrätt."]


def test_dangling_symlink_golden(tmp_path):
    (tmp_path / "x.yml").symlink_to("finns-inte.yml")
    _, issues = load_file(tmp_path / "x.yml", "unit", shown="content/units/x.yml")
    assert [i.format() for i in issues] == [
        "content/units/x.yml:1:1: error[read]: Filen kan inte läsas: den finns inte (en trasig symbolisk länk?).\n"
        "  tips: Kontrollera att filen finns, att den inte är en trasig symbolisk länk och att du har läsrätt."]


def test_named_pipe_is_refused_without_opening_it_golden(tmp_path):
    import os

    os.mkfifo(tmp_path / "x.yml")  # opening a pipe for reading would wait for a writer forever
    _, issues = load_file(tmp_path / "x.yml", "unit", shown="content/units/x.yml")
    assert [i.format() for i in issues] == [
        "content/units/x.yml:1:1: error[read]: Filen är ingen vanlig fil utan en mapp, en enhet eller en namngiven pipe.\n"
        "  tips: Innehållet ska ligga i vanliga textfiler. Ta bort den här eller ersätt den med en vanlig fil."]


def test_display_path_survives_a_symlink_loop(tmp_path, monkeypatch):
    from generators.load import display_path

    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.yml").symlink_to("x.yml")
    assert display_path(tmp_path / "x.yml") == "x.yml"
