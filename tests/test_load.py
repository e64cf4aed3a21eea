"""Stage 1: loading YAML with positions, and refusing bad files with a clear message."""

from pathlib import Path

import pytest
import yaml

from generators import load as load_mod
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


REST = " Resten av filen granskades inte; rätta felet och kör igen."


def test_yaml_syntax_error_golden(tmp_path):
    # The unclosed bracket is reported where it opens, not at the end of the file where the parser noticed.
    _, issues = _load(tmp_path, "id: a\nname: [x\n")
    assert issues == [
        "content/units/x.yml:2:7: error[yaml-syntax]: Hakparentesen ([) stängs aldrig." + REST + "\n"
        "  tips: Avsluta med ] på samma rad, till exempel `[a, b]`, eller skriv en punkt per rad med `- ` utan "
        "parenteser."
    ]


def test_tab_indentation_gets_a_tab_hint(tmp_path):
    _, issues = _load(tmp_path, "id: a\nsteps:\n\t- x\n")
    assert issues == [
        "content/units/x.yml:3:1: error[yaml-syntax]: Raden är indragen med tabbtecken." + REST + "\n"
        "  tips: YAML tillåter inte tabbtecken för indrag; använd mellanslag (ställ in editorn på att dra in med "
        "mellanslag)."]


def test_colon_in_text_hint(tmp_path):
    _, issues = _load(tmp_path, "id: a\nname: Obs: viktigt\n")
    assert issues == [
        "content/units/x.yml:2:10: error[yaml-syntax]: Texten innehåller kolon följt av mellanslag och måste stå inom "
        "citattecken." + REST + "\n  tips: Skriv `name: \"Obs: viktigt\"`."]


# --- syntax errors in Swedish, at the line to fix, with both parsers -----------------------------------------------

LOADERS = [pytest.param(yaml.CSafeLoader, id="libyaml"), pytest.param(yaml.SafeLoader, id="python")]

# (file, position and message, hint): the same with the C parser (used when present) and the pure-Python one.
SHAPES = {
    "missing-colon": (
        "id: x\ntitle Något\nsummary: text\n",
        "2:1: error[yaml-syntax]: Kolon saknas efter nyckeln 'title'.",
        "Raden saknar kolon efter nyckeln: skriv `title: Något`."),
    "missing-colon-first-key": (  # the parser stops at the next line with 'mapping values are not allowed here'
        "title Något\nid: x\n",
        "1:1: error[yaml-syntax]: Kolon saknas efter nyckeln 'title'.",
        "Raden saknar kolon efter nyckeln: skriv `title: Något`."),
    "missing-colon-in-list-item": (
        "id: x\nsteps:\n  - action Ring polisen\n    note: x\n",
        "3:5: error[yaml-syntax]: Kolon saknas efter nyckeln 'action'.",
        "Raden saknar kolon efter nyckeln: skriv `action: Ring polisen`."),
    "missing-colon-nested-last": (
        "id: x\nfirst:\n  ask: y\n  call team\n",
        "4:3: error[yaml-syntax]: Kolon saknas efter nyckeln 'call'.",
        "Raden saknar kolon efter nyckeln: skriv `call: team`."),
    "missing-colon-before-block": (
        "id: x\nfirst\n  call: team\n",
        "2:1: error[yaml-syntax]: Kolon saknas efter nyckeln 'first'.",
        "Raden saknar kolon efter nyckeln: skriv `first:` och värdet efter kolonet eller på raderna under."),
    "missing-colon-after-comment": (
        "id: x\ntitle Något\n# kommentar\n\nsummary: text\n",
        "2:1: error[yaml-syntax]: Kolon saknas efter nyckeln 'title'.",
        "Raden saknar kolon efter nyckeln: skriv `title: Något`."),
    "sentence-broken-off-above": (  # a key or the rest of the sentence above: both fixes are named
        "id: x\nsteps:\n  - action: Ring till\n    polisen nu\n    note: x\n",
        "4:5: error[yaml-syntax]: Kolon saknas efter nyckeln 'polisen'.",
        "Raden saknar kolon efter nyckeln: skriv `polisen: nu`. Hör raden till texten på raden ovanför, dra in den "
        "med mellanslag i stället."),
    "colon-in-continued-text": (  # the continued text is no key without a colon
        "id: x\nsummary: Lång text\n  som fortsätter\n  next: x\n",
        "4:7: error[yaml-syntax]: Ett kolon står där det inte får stå.",
        "Text som innehåller kolon följt av mellanslag ska stå inom citattecken; kontrollera också indraget på raden "
        "och raden ovanför."),
    "unindented-continuation": (
        "id: x\nsummary: Lång text som\nfortsätter här\nnext: x\n",
        "3:1: error[yaml-syntax]: Raden är varken `nyckel: värde` eller en indragen fortsättning på texten ovanför.",
        "Sätt kolon efter nyckeln. Hör raden till texten på raden ovanför, dra in den med mellanslag."),
    "over-indented-key": (
        "id: x\ntitle: Något\n  summary: text\n",
        "3:3: error[yaml-syntax]: Nyckeln 'summary' är indragen längre än nyckeln 'title' på raden ovanför.",
        "Ställ `summary:` rakt under `title:`, utan indrag. Är raden en fortsättning på texten ovanför, sätt hela "
        "texten inom citattecken."),
    "over-indented-key-in-list": (
        "id: x\nsteps:\n  - actor: a\n    action: b\n      note: c\n",
        "5:7: error[yaml-syntax]: Nyckeln 'note' är indragen längre än nyckeln 'action' på raden ovanför.",
        "Dra in `note:` lika mycket som `action:` (4 mellanslag). Är raden en fortsättning på texten ovanför, sätt "
        "hela texten inom citattecken."),
    "colon-in-list-text": (
        "id: x\nsteps:\n  - action: Ring: 112\n",
        "3:17: error[yaml-syntax]: Texten innehåller kolon följt av mellanslag och måste stå inom citattecken.",
        "Skriv `action: \"Ring: 112\"`."),
    "colon-in-quoted-looking-text": (
        "id: x\nname: Hon sa \"nej\": slut\n",
        "2:19: error[yaml-syntax]: Texten innehåller kolon följt av mellanslag och måste stå inom citattecken.",
        "Skriv `name: 'Hon sa \"nej\": slut'`."),
    "list-item-dedented": (
        "id: x\nsteps:\n  - a\n - b\n",
        "4:2: error[yaml-syntax]: Listpunkten har fel indrag.",
        "Dra in bindestrecket lika mycket som listpunkten på rad 3 (2 mellanslag)."),
    "list-item-between-levels": (
        "id: x\nsteps:\n  - actor: a\n    implements:\n      - krav\n   - actor: b\n",
        "6:4: error[yaml-syntax]: Listpunkten har fel indrag.",
        "Dra in bindestrecket lika mycket som listpunkten på rad 3 (2 mellanslag)."),
    "list-item-after-value": (
        "id: x\nsynonyms: a\n- b\n",
        "3:1: error[yaml-syntax]: Listpunkten hör inte till någon lista.",
        "Nyckeln 'synonyms' har redan ett värde på samma rad. Ska listan höra till 'synonyms', skriv `synonyms:` "
        "ensamt på raden och listpunkterna under."),
    "key-among-list-items": (
        "id: x\nsteps:\n  - a\n  b: c\n",
        "4:3: error[yaml-syntax]: Raden står bland listpunkterna men börjar inte med bindestreck.",
        "Är raden en ny listpunkt, börja den med `- `. Hör den till listpunkten ovanför, dra in den lika mycket som "
        "texten efter bindestrecket. Annars flytta ut den till samma indrag som nyckeln ovanför listan."),
    "key-dedented": (
        "id: x\nfirst:\n  call: a\n ask: b\n",
        "4:2: error[yaml-syntax]: Raden har fel indrag, eller text där en ny nyckel väntades.",
        "Nycklar i samma mappning står lika mycket indragna, och varje rad börjar med `nyckel:`."),
    "list-after-key-on-same-line": (
        "id: x\nsynonyms: - a\n",
        "2:11: error[yaml-syntax]: En listpunkt (`- `) kan inte stå efter en nyckel på samma rad.",
        "Skriv listpunkten på en egen rad under nyckeln, eller sätt texten inom citattecken om den börjar med "
        "bindestreck."),
    "unclosed-double-quote": (
        "id: x\ntitle: \"Något\nsummary: text\n",
        "2:8: error[yaml-syntax]: Citattecknet (\") avslutas aldrig.",
        "Avsluta texten med \" på samma rad. Ska ett citattecken stå inne i texten, skriv \\\" eller sätt hela texten "
        "inom enkla citattecken."),
    "unclosed-single-quote-closed-later": (
        "id: x\ntitle: 'Polisens roll\nsummary: 'text'\n",
        "2:8: error[yaml-syntax]: Citattecknet (') avslutas inte på samma rad, utan först på rad 3.",
        "Avsluta texten med ' på samma rad. Ska en apostrof stå i texten, skriv den dubbelt ('') eller sätt hela "
        "texten inom dubbla citattecken."),
    "apostrophe-in-single-quotes": (
        "id: x\ntitle: 'Barnens rätt's'\n",
        "2:21: error[yaml-syntax]: En apostrof avslutar texten inom enkla citattecken för tidigt.",
        "Skriv apostrofen dubbelt ('') eller sätt hela texten inom dubbla citattecken."),
    "quote-in-double-quotes": (
        "id: x\ntitle: \"Hon sa \"hej\"\"\n",
        "2:16: error[yaml-syntax]: Ett citattecken avslutar texten inom dubbla citattecken för tidigt.",
        "Skriv citattecken inne i texten som \\\" eller sätt hela texten inom enkla citattecken."),
    "text-after-quote": (
        "id: x\ntitle: \"Polisen\" och socialtjänsten\n",
        "2:18: error[yaml-syntax]: Det står text efter det avslutande citattecknet.",
        "Sätt hela värdet inom citattecknen, eller ta bort citattecknen."),
    "unclosed-brace": (
        "id: x\nfirst: {call: team\nsummary: text\n",
        "2:8: error[yaml-syntax]: Klammerparentesen ({) stängs aldrig.",
        "Avsluta med } på samma rad, till exempel `{call: a, ask: b}`, eller skriv en punkt per rad med `- ` utan "
        "parenteser."),
    "bracket-open-at-end-of-file": (  # the parser says 'expected the node content' at the end of the file
        "id: x\nsynonyms: [a,\n",
        "2:11: error[yaml-syntax]: Hakparentesen ([) stängs aldrig.",
        "Avsluta med ] på samma rad, till exempel `[a, b]`, eller skriv en punkt per rad med `- ` utan parenteser."),
    "inner-bracket-open": (
        "id: x\nsynonyms: [a, [b\n",
        "2:15: error[yaml-syntax]: Hakparentesen ([) stängs aldrig.",
        "Avsluta med ] på samma rad, till exempel `[a, b]`, eller skriv en punkt per rad med `- ` utan parenteser."),
    "colon-inside-brackets": (
        "id: x\nsynonyms: [a: b: c]\n",
        "2:16: error[yaml-syntax]: Texten inom [] har ett tecken som inte hör dit.",
        "Skilj punkterna åt med komma, och sätt punkter som innehåller kolon, komma eller parenteser inom "
        "citattecken."),
    "at-sign": (
        "id: x\nname: @team\n",
        "2:7: error[yaml-syntax]: Ett värde kan inte börja med tecknet '@'.",
        "Sätt värdet inom citattecken: `name: \"@team\"`."),
    "backslash-in-double-quotes": (
        "id: x\nname: \"C:\\data\"\n",
        "2:10: error[yaml-syntax]: Okänd kod efter \\ inom dubbla citattecken.",
        "Inom dubbla citattecken inleder \\ en kod. Skriv \\\\ för ett omvänt snedstreck, eller sätt texten inom "
        "enkla citattecken."),
    "unicode-escape": (
        "id: x\nname: \"\\u12\"\n",
        "2:10: error[yaml-syntax]: Koden efter \\x, \\u eller \\U inom dubbla citattecken har fel antal siffror.",
        "Inom dubbla citattecken inleder \\ en kod. Skriv \\\\ för ett omvänt snedstreck, eller sätt texten inom "
        "enkla citattecken."),
    "text-after-pipe": (
        "id: x\nnote: | text\n",
        "2:9: error[yaml-syntax]: Efter | eller > får inget mer stå på raden.",
        "Skriv texten på raderna under, indragna. Ska värdet börja med | eller >, sätt det inom citattecken."),
    "indentation-indicator-zero": (
        "id: x\nnote: |0\n  text\n",
        "2:8: error[yaml-syntax]: Siffran efter | eller > ska vara mellan 1 och 9.",
        "Ta bort siffran; texten under dras in med mellanslag."),
    "ampersand": (
        "id: x\nname: & co\n",
        "2:8: error[yaml-syntax]: Tecknet & eller * följs inte av ett namn.",
        "Innehållsfiler använder inte & och *. Ska tecknet stå i texten, sätt värdet inom citattecken."),
    "broken-tag": (
        "id: !<x\n",
        "1:8: error[yaml-syntax]: Taggen (det som börjar med !) är felskriven.",
        "Innehållsfiler använder inga taggar. Ska tecknet ! stå i texten, sätt värdet inom citattecken."),
    "undefined-tag-handle": (
        "id: !h!x y\n",
        "1:5: error[yaml-syntax]: Taggen (det som börjar med !) är felskriven.",
        "Innehållsfiler använder inga taggar. Ska tecknet ! stå i texten, sätt värdet inom citattecken."),
    "closing-bracket-as-value": (
        "id: x\nname: ]\n",
        "2:7: error[yaml-syntax]: Ett värde väntades här, men raden har ett tecken som inte kan inleda ett värde.",
        "Sätt värdet inom citattecken om det börjar med ett specialtecken som ], } eller ,."),
    "after-document-end": (
        "id: x\n...\nname: y\n",
        "3:1: error[yaml-syntax]: Det står något efter en rad `---` eller `...`.",
        "Ta bort raden `---` eller `...`; en innehållsfil är ett enda YAML-dokument."),
    "document-marker-in-quotes": (
        "id: x\nname: \"a\n---\nb\"\n",
        "2:7: error[yaml-syntax]: Citattecknet (\") avslutas aldrig.",
        "Avsluta texten med \" på samma rad. Ska ett citattecken stå inne i texten, skriv \\\" eller sätt hela texten "
        "inom enkla citattecken."),
    "yaml-version": (
        "%YAML 2.0\n---\nid: x\n",
        "1:1: error[yaml-syntax]: Raden som börjar med % är ett YAML-direktiv som inte stöds.",
        "Ta bort raden. Ska ett värde börja med %, sätt det inom citattecken."),
    "control-character": (
        "id: å\nname: ä\x01\n",
        "2:8: error[yaml-syntax]: Filen innehåller tecknet U+0001, som inte är tillåtet i YAML.",
        "Ta bort tecknet. Det syns ofta inte i editorn och kan ha följt med när text kopierades från ett annat "
        "program."),
    "tab-in-indentation": (
        "id: x\nfirst:\n  call: a\n\task: b\n",
        "4:1: error[yaml-syntax]: Raden är indragen med tabbtecken.",
        "YAML tillåter inte tabbtecken för indrag; använd mellanslag (ställ in editorn på att dra in med mellanslag)."),
    "crlf-line-ends": (
        "id: x\r\ntitle Något\r\nsummary: text\r\n",
        "2:1: error[yaml-syntax]: Kolon saknas efter nyckeln 'title'.",
        "Raden saknar kolon efter nyckeln: skriv `title: Något`."),
}


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize("shape", list(SHAPES))
def test_syntax_error_golden_with_both_parsers(tmp_path, monkeypatch, loader, shape):
    text, head, hint = SHAPES[shape]
    monkeypatch.setattr(load_mod, "_Loader", loader)
    _, issues = _load(tmp_path, text)
    pos, message = head.split(" ", 1)
    assert issues == [f"content/units/x.yml:{pos} {message}{REST}\n  tips: {hint}"]


# Broken files whose wording differs between the parsers (or that only one of them refuses): the message is Swedish
# with both, never the fallback with PyYAML's English.
DIFFERING = {
    "tab-after-colon": "id: a\nname:\tx\n\t\n",
    "chomping-twice": "id: a\nnote: |+-\n  x\n",
    "tag-uri-escape": "id: !<tag:%zz> x\n",
    "unknown-directive": "%FOO bar\n---\nid: a\n",
    "hex-escape": "id: a\nname: \"\\x4\"\n",
    "key-too-long": "id: a\n" + "k" * 1100 + ": v\n",
}


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize("text", list(SHAPES.values()) + list(DIFFERING.values()), ids=list(SHAPES) + list(DIFFERING))
def test_no_english_parser_message_reaches_the_writer(tmp_path, monkeypatch, loader, text):
    monkeypatch.setattr(load_mod, "_Loader", loader)
    _, issues = _load(tmp_path, text if isinstance(text, str) else text[0])
    for issue in issues:
        assert "kan inte läsas som YAML (" not in issue
        assert not any(w in issue for w in ("found", "expected", "while ", "allowed", "character"))


def test_unknown_parser_problem_falls_back_to_swedish_with_the_original():
    from generators.load import syntax_issue

    mark = yaml.Mark("x", 7, 1, 2, None, None)
    exc = yaml.MarkedYAMLError("while doing something new", mark, "found a brand new problem", mark)
    assert syntax_issue(exc, "id: a\nname: b\n", "content/units/x.yml").format() == (
        "content/units/x.yml:2:3: error[yaml-syntax]: Filen kan inte läsas som YAML (while doing something new: found "
        "a brand new problem)." + REST + "\n  tips: Kontrollera indrag, kolon och citattecken på raden och raden "
        "ovanför.")


def test_other_problems_that_stop_a_file_say_the_rest_was_not_read(tmp_path):
    _, issues = _load(tmp_path, "id: a\nname: *ref\n")
    assert issues == [
        "content/units/x.yml:2:7: error[yaml-alias]: YAML-alias (*ref) är inte tillåtna i innehållsfiler." + REST + "\n"
        "  tips: Skriv ut värdet i stället för att hänvisa med & och *. Alias kan användas för att blåsa upp en liten "
        "fil till enorma mängder data."]


def test_two_broken_files_and_a_good_one_are_each_reported(tmp_path, monkeypatch):
    from generators.load import load_tree

    monkeypatch.chdir(tmp_path)
    units = tmp_path / "content" / "units"
    units.mkdir(parents=True)
    (units / "a.yml").write_text("id: a\nname Team A\nparent: b\n", encoding="utf-8")
    (units / "b.yml").write_text("id: b\nname: Team B\n\tparent: c\n", encoding="utf-8")
    (units / "c.yml").write_text("id: c\nname: Team C\n", encoding="utf-8")
    failed: list = []
    docs, issues = load_tree(tmp_path / "content", failed)
    assert [d.data["id"] for d in docs] == ["c"] and failed == [("unit", "a"), ("unit", "b")]
    assert [i.format() for i in issues] == [
        "content/units/a.yml:2:1: error[yaml-syntax]: Kolon saknas efter nyckeln 'name'." + REST + "\n"
        "  tips: Raden saknar kolon efter nyckeln: skriv `name: Team A`.",
        "content/units/b.yml:3:1: error[yaml-syntax]: Raden är indragen med tabbtecken." + REST + "\n"
        "  tips: YAML tillåter inte tabbtecken för indrag; använd mellanslag (ställ in editorn på att dra in med "
        "mellanslag)."]


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
                      "(första gången på rad 2)." + REST + "\n  tips: Ta bort eller slå ihop den ena förekomsten."]


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
        "inte tillåten i innehållsfiler." + REST + "\n"
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
