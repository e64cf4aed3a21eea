"""``handbok new`` (a skeleton to fill in, flagged by check until it is) and ``handbok laws``."""

import json
import re
import shutil

import pytest
import yaml

from conftest import MINI, run_cli
from generators.model import KIND_MODELS
from generators.ids import slug_id
from generators.skeleton import scalar

TODAY = "2026-12-03"  # SOURCE_DATE_EPOCH in run_cli


def _fill(path, pairs):
    """Replace each placeholder once, as a writer would, keeping the comments."""
    text = path.read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


def _errors_in(stderr: str, name: str) -> list[str]:
    """'line:col: error[code]: message' for every error in one file."""
    return [m.group(1) for m in re.finditer(rf"^\S*{re.escape(name)}:(\d+:\d+: error\[.*)$", stderr, re.M)]


def _required(kind: str) -> set[str]:
    return {k for k, f in KIND_MODELS[kind].model_fields.items() if f.is_required()}


CASES = {
    "routine": dict(
        args=["routine", "Stöd vid akut placering"],
        file="routines/stod-vid-akut-placering.yml",
        kind="routine",
        printed=(
            "Skrev content/routines/stod-vid-akut-placering.yml (ny rutin med id stod-vid-akut-placering).\n"
            "Gör så här:\n"
            '  1. Fyll i varje tomt värde ("" eller []) enligt kommentaren ovanför det.\n'
            "  2. Kör `handbok check`. Den visar ett fel för varje värde som inte är ifyllt.\n"
            "  3. Rutinen har status utkast. När den är beslutad: sätt status: fastställd och ange approved_by och "
            "approved.\n"),
        errors=[
            "15:10: error[invalid-value]: summary får inte vara tom.",
            "21:12: error[invalid-value]: situation får inte vara tom.",
            "23:16: error[invalid-value]: target_groups får inte vara tom.",
            "25:14: error[invalid-value]: responsible får inte vara tom.",
            "33:9: error[invalid-value]: first, call får inte vara tom.",
            "35:8: error[invalid-value]: first, ask får inte vara tom.",
            "38:7: error[invalid-value]: first, punkt 1 får inte vara tom.",
            "44:12: error[invalid-value]: steg 1, actor får inte vara tom.",
            "46:13: error[invalid-value]: steg 1, action får inte vara tom.",
            "48:8: error[invalid-value]: owner får inte vara tom.",
            "59:5: error[invalid-value]: källa 1, id får inte vara tom.",
        ],
        fill=[('summary: ""', "summary: Ge personen stöd samma dag."),
              ('situation: ""', "situation: Du möter en person som behöver en akut placering."),
              ("target_groups: []", "target_groups: [vuxen]"),
              ('responsible: ""', "responsible: team"),
              ('call: ""', "call: team"),
              ('ask: ""', "ask: Berätta vad som har hänt."),
              ('    - ""', "    - Var personen är nu."),
              ('- actor: ""', "- actor: team"),
              ('action: ""', "action: Ordna en säker plats att sova."),
              ('owner: ""', "owner: team"),
              ('sources:\n  - ""', "sources:\n  - plan")],
    ),
    "unit": dict(
        args=["unit", "socialjouren", "--title", "Socialjouren"],
        file="units/socialjouren.yml",
        kind="unit",
        printed=(
            "Skrev content/units/socialjouren.yml (ny enhet med id socialjouren).\n"
            "Gör så här:\n"
            '  1. Fyll i varje tomt värde ("" eller []) enligt kommentaren ovanför det.\n'
            "  2. Kör `handbok check`. Den visar ett fel för varje värde som inte är ifyllt.\n"
            "  3. Rutinerna hänvisar till enheten med id:t socialjouren, till exempel `actor: socialjouren` i ett "
            "steg.\n"),
        errors=[
            "13:7: error[invalid-value]: kind: texten '' är inte ett tillåtet värde.",
            "16:10: error[invalid-value]: mission får inte vara tom.",
            "23:5: error[invalid-value]: källa 1, id får inte vara tom.",
        ],
        fill=[('kind: ""', "kind: stadens verksamhet"),
              ('mission: ""', "mission: Ger akut stöd på kvällar och helger."),
              ('sources:\n  - ""', "sources:\n  - plan")],
    ),
    "law": dict(
        args=["law", "--sfs", "1990:52", "--title", "Lag (1990:52) med särskilda bestämmelser om vård av unga",
              "--short", "LVU"],
        file="legal/lvu.yml",
        kind="legal",
        printed=(
            "Skrev content/legal/lvu.yml (ny lag med id lvu).\n"
            "Gör så här:\n"
            '  1. Fyll i varje tomt värde ("" eller []) enligt kommentaren ovanför det.\n'
            "  2. Kör `handbok check`. Den visar ett fel för varje värde som inte är ifyllt.\n"
            "  3. Rutinerna hänvisar till lagens bestämmelser i legal_basis:; `handbok laws` visar vilka som finns.\n"),
        errors=[
            "26:10: error[invalid-value]: bestämmelse 1, ref får inte vara tom.",
            "28:14: error[invalid-value]: bestämmelse 1, summary får inte vara tom.",
            "32:5: error[invalid-value]: källa 1, id får inte vara tom.",
        ],
        fill=[('ref: ""', "ref: 6 §"),
              ('summary: ""', "summary: Socialnämnden får besluta om omedelbart omhändertagande."),
              ('sources:\n  - ""', "sources:\n  - lagtext")],
    ),
    "source": dict(
        args=["source", "Årsrapport: människohandel 2025"],
        file="sources/arsrapport-manniskohandel-2025.yml",
        kind="source",
        printed=(
            "Skrev content/sources/arsrapport-manniskohandel-2025.yml (ny källa med id "
            "arsrapport-manniskohandel-2025).\n"
            "Gör så här:\n"
            '  1. Fyll i varje tomt värde ("" eller []) enligt kommentaren ovanför det.\n'
            "  2. Kör `handbok check`. Den visar ett fel för varje värde som inte är ifyllt.\n"
            "  3. Posterna som bygger på källan anger den med id:t, till exempel "
            "`sources: [arsrapport-manniskohandel-2025]`.\n"),
        errors=[
            "12:9: error[invalid-value]: issuer får inte vara tom.",
            "15:7: error[invalid-value]: kind: texten '' är inte ett tillåtet värde.",
            "18:7: error[invalid-value]: date får inte vara tom.",
        ],
        fill=[('issuer: ""', "issuer: Länsstyrelsen"), ('kind: ""', "kind: rapport"), ('date: ""', "date: 2025")],
    ),
}


@pytest.mark.parametrize("what", list(CASES))
def test_new_writes_a_skeleton_that_check_flags_until_it_is_filled_in(mini, what):
    case = CASES[what]
    r = run_cli("new", *case["args"], "--content", "content", cwd=mini.parent)
    assert r.returncode == 0, r.stderr
    assert r.stdout == ""
    assert r.stderr == case["printed"]

    path = mini / case["file"]
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert _required(case["kind"]) <= set(data), "every key the model requires is there"
    assert data["id"] == path.stem and data["id"].isascii()
    # Every key has a Swedish comment above it that says what to write.
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if re.match(r"^[a-z_]+:", line):
            assert lines[i - 1].startswith("#"), line
    assert "å" not in data["id"] and "ö" not in data["id"]

    before = run_cli("check", "--content", "content", cwd=mini.parent)
    assert before.returncode == 1
    assert _errors_in(before.stderr, path.name) == case["errors"]

    _fill(path, case["fill"])
    after = run_cli("check", "--content", "content", cwd=mini.parent)
    assert after.returncode == 0, after.stderr
    assert "0 fel" in after.stderr


def test_the_law_skeleton_is_shaped_like_the_existing_laws(mini):
    r = run_cli("new", "law", "--title", "Lag (1990:52) med särskilda bestämmelser om vård av unga", "--short", "LVU",
                "--content", "content", cwd=mini.parent)
    assert r.returncode == 0, r.stderr
    data = yaml.safe_load((mini / "legal" / "lvu.yml").read_text(encoding="utf-8"))
    # The SFS number is read from the title when --sfs is not given; the link follows the existing laws.
    assert data["sfs"] == "1990:52" and data["url"] == "https://lagen.nu/1990:52"
    assert data["kind"] == "lag" and data["short_title"] == "LVU" and data["abbreviations"] == ["LVU"]


def test_new_never_overwrites_a_file(mini):
    target = mini / "routines" / "polisinsats.yml"
    before = target.read_text(encoding="utf-8")
    r = run_cli("new", "routine", "polisinsats", "--content", "content", cwd=mini.parent)
    assert r.returncode == 1
    assert r.stderr == ("content/routines/polisinsats.yml finns redan och skrivs inte över. Redigera den filen, eller "
                        "välj ett annat id: ange det först, till exempel `handbok new routine polisinsats-2 --title "
                        "…`.\n")
    assert target.read_text(encoding="utf-8") == before


def test_new_in_a_content_folder_outside_the_working_directory(tmp_path):
    content = tmp_path / "projekt" / "content"
    shutil.copytree(MINI, content)
    (tmp_path / "annanstans").mkdir()
    r = run_cli("new", "source", "Lägesrapport", "--content", str(content), cwd=tmp_path / "annanstans")
    assert r.returncode == 0, r.stderr
    assert (content / "sources" / "lagesrapport.yml").is_file()
    assert f"Kör `handbok check --content {content}`." in r.stderr


@pytest.mark.parametrize("args, message", [
    (["routine"], "handbok new: ange ett id eller en titel, till exempel "
                  "`handbok new routine \"Stöd vid akut placering\"`.\n"),
    (["unit", "x", "--sfs", "1990:52"], "handbok new: --sfs och --short gäller bara `handbok new law`.\n"),
    (["law", "--sfs", "1990/52", "--title", "Lag"], "handbok new: --sfs '1990/52' har fel form; skriv ÅÅÅÅ:NNN, "
                                                    "till exempel 1990:52.\n"),
    (["source", "!!!"], "handbok new: kan inte bilda ett id av '!!!'; ange id:t själv, till exempel "
                        "`handbok new source mitt-id --title …`.\n"),
])
def test_new_usage_errors_exit_2(mini, args, message):
    r = run_cli("new", *args, "--content", "content", cwd=mini.parent)
    assert r.returncode == 2
    assert r.stderr == message


def test_new_needs_an_existing_content_folder(tmp_path):
    r = run_cli("new", "routine", "Ny rutin", "--content", "saknas", cwd=tmp_path)
    assert r.returncode == 1
    assert r.stderr == ("Innehållsmappen saknas finns inte. Ange mappen med --content DIR, eller skapa en ny med "
                        "`handbok init`.\n")


def test_new_routine_takes_the_default_owner_of_the_organisation(mini):
    (mini / "organisation.yml").write_text("id: organisation\nname: Testkommunen\nsite_title: Handbok\n"
                                           "default_owner: team\n", encoding="utf-8")
    r = run_cli("new", "routine", "Ny rutin", "--content", "content", cwd=mini.parent)
    assert r.returncode == 0, r.stderr
    assert yaml.safe_load((mini / "routines" / "ny-rutin.yml").read_text(encoding="utf-8"))["owner"] == "team"


def test_ids_and_yaml_values():
    # The ids come from generators/ids.py (tested there); here only what `new` relies on.
    assert slug_id("Stöd vid akut placering") == "stod-vid-akut-placering"
    assert slug_id("Årsrapport: människohandel 2025") == "arsrapport-manniskohandel-2025"
    for value in ("Stöd vid akut placering", "Årsrapport: 2025", "# inte en kommentar", "2025", "ja", "true", "1990:52"):
        assert yaml.safe_load(f"k: {scalar(value)}") == {"k": value}
    assert scalar("Stöd vid akut placering") == "Stöd vid akut placering"


def test_help_is_swedish():
    top = run_cli("--help")
    assert "skapa en ny rutin, enhet, lag eller källa att fylla i" in top.stdout
    assert "lista lagarna och deras bestämmelser" in top.stdout
    new = run_cli("new", "--help")
    assert new.returncode == 0
    assert new.stdout.startswith("användning: handbok new")
    words = " ".join(new.stdout.split())
    for text in ("argument:", "flaggor:", "vad som ska skapas: routine (rutin), unit (enhet), law (lag) eller source "
                 "(källa)", "En befintlig fil skrivs aldrig över (slutkod 1).", "visa hjälpen och avsluta",
                 "lagens nummer i Svensk författningssamling"):
        assert text in words, text
    laws = run_cli("laws", "--help")
    assert laws.returncode == 0 and "Listar rättskällorna i innehållet" in laws.stdout and "utdataformat" in laws.stdout


# --- handbok laws --------------------------------------------------------------------------------------------------

LAWS_TEXT = """\
3 rättskällor med 4 bestämmelser. Hänvisa till en bestämmelse i legal_basis: som i löptext (”6 § LVU”) eller med dess id (”lvu#p6”).

Id       Typ  Nummer        Förkortning  Kort namn          Bestämmelser  Status                                 Titel
sol-new  lag  SFS 2025:400  SoL          socialtjänstlagen  1             gäller                                 Socialtjänstlag (2025:400)
sol-old  lag  SFS 2001:453  SoL          socialtjänstlagen  1             upphävd 2025-07-01, ersatt av sol-new  Socialtjänstlag (2001:453)
utl      lag  SFS 2005:716  UtlL         utlänningslagen    2             gäller                                 Utlänningslag (2005:716)

sol-new: Socialtjänstlag (2025:400)
  Bestämmelse  Id              Rubrik eller sammanfattning  Status
  13 kap. 1 §  sol-new#k13-p1  Stöd till brottsoffer.

sol-old: Socialtjänstlag (2001:453)
  Bestämmelse  Id              Rubrik eller sammanfattning  Status
  5 kap. 11 §  sol-old#k5-p11  Stöd till brottsoffer.

utl: Utlänningslag (2005:716)
  Bestämmelse                Id             Rubrik eller sammanfattning                     Status
  5 kap. 15 §                utl#k5-p15     Uppehållstillstånd för målsägande och vittnen.
  5 kap. 15 § andra stycket  utl#k5-p15-s2  Betänketid
"""


def test_laws_lists_the_laws_and_their_provisions(tmp_path):
    r = run_cli("laws", "--content", str(MINI), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == LAWS_TEXT


def test_laws_as_json():
    r = run_cli("laws", "--format", "json", "--content", str(MINI))
    assert r.returncode == 0, r.stderr
    laws = {law["id"]: law for law in json.loads(r.stdout)["laws"]}
    assert set(laws) == {"sol-new", "sol-old", "utl"}
    assert laws["sol-old"]["repealed"] == "2025-07-01" and laws["sol-old"]["successor"] == "sol-new"
    utl = laws["utl"]
    assert utl["sfs"] == "2005:716" and utl["abbreviations"] == ["UtlL"] and utl["short_title"] == "utlänningslagen"
    assert [p["id"] for p in utl["provisions"]] == ["utl#k5-p15", "utl#k5-p15-s2"]
    assert utl["provisions"][1]["title"] == "Betänketid"
    assert utl["provisions"][1]["url"] == "https://lagen.nu/2005:716#K5P15S2"


def test_laws_reports_a_broken_law_file(mini):
    (mini / "legal" / "trasig.yml").write_text("id: trasig\nkind: lag\n", encoding="utf-8")
    r = run_cli("laws", "--content", "content", cwd=mini.parent)
    assert r.returncode == 1
    assert "content/legal/trasig.yml" in r.stderr and "error[missing-key]" in r.stderr
    assert r.stderr.rstrip().endswith("fel i rättskällorna; det som har fel visas inte. Kör `handbok check`.")
    assert "utl: Utlänningslag (2005:716)" in r.stdout
