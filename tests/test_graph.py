"""Stage 2–3: records, ids, references and citations, with golden messages."""

from pathlib import Path

from generators.graph import build_project
from generators.pipeline import check_content
import datetime as dt

TODAY = dt.date(2026, 11, 22)


def messages(content: Path) -> list[str]:
    _, issues = check_content(content, TODAY)
    return [i.format() for i in issues]


def test_mini_content_is_clean(mini):
    assert messages(mini) == []


def test_backlinks_and_resolution(mini):
    p = build_project(mini)
    assert p.routines_by_provision["utl#k5-p15-s2"] == ["betanketid"]
    assert p.routines_by_law["sol-new"] == ["betanketid"]
    assert p.routines_by_unit["team"] == ["betanketid", "polisinsats"]
    assert p.related_from["polisinsats"] == ["betanketid"]
    texts = {r.text: r.canonical_id for r in p.cited[("routine", "betanketid")]}
    # The same provision written as a string and as an id resolves to one canonical id.
    assert texts["5 kap. 15 § 2 st. UtlL"] == "utl#k5-p15-s2"
    assert texts["5 kap. 15 § andra stycket utlänningslagen"] == "utl#k5-p15-s2"
    term = {r.text: r.canonical_id for r in p.cited[("term", "betanketid")]}
    assert term == {"utl#k5-p15-s2": "utl#k5-p15-s2"}


def test_shared_abbreviation_resolves_by_provision(mini):
    """'SoL' names both laws; 5 kap. 11 § exists only in the old one, 13 kap. 1 § only in the new."""
    (mini / "glossary" / "betanketid.yml").write_text(
        "id: betanketid\nterm: B\ndefinition: D\nlegal_basis: ['5 kap. 11 § SoL', '13 kap. 1 § SoL']\nsources: [plan]\n",
        encoding="utf-8")
    p = build_project(mini)
    assert [r.law.id for r in p.cited[("term", "betanketid")]] == ["sol-old", "sol-new"]


def test_unknown_key_wrong_type_and_bad_date_golden(mini):
    (mini / "routines" / "polisinsats.yml").write_text("""\
id: polisinsats
title: Möte under polisinsats
summary: 12
situation: Polisen genomför en insats.
target_groups: [vuxen, alla]
responsible: team
stepz: []
steps:
  - actor: team
    action: Ge information om stöd.
    time_limit: efter lunch
owner: team
status: utkast
updated: 2026-13-01
review_interval_months: 12
kind: arbetssätt
sources: [plan]
""", encoding="utf-8")
    assert messages(mini) == [
        "content/routines/polisinsats.yml:3:10: error[wrong-type]: summary: väntade text, fick talet 12.\n"
        "  tips: Sätt text inom citattecken om den ser ut som ett tal, datum eller true/false.",
        "content/routines/polisinsats.yml:5:24: error[invalid-value]: målgrupp 2: texten 'alla' är inte ett "
        "tillåtet värde.\n  tips: Tillåtna värden: 'barn', 'vuxen' eller 'köpare'.",
        "content/routines/polisinsats.yml:7:1: error[unknown-key]: Okänd nyckel 'stepz'.\n"
        "  tips: Menade du 'steps'? Tillåtna nycklar här: id, title, summary, kind, situation, target_groups, "
        "responsible, first, steps, handovers, decisions, rights, documentation, legal_basis, related, keywords, "
        "synonyms, tags, owner, updated, review_interval_months, featured, open_questions, history, sources, status, "
        "approved_by, approved, reviewed, reviewed_by.",
        "content/routines/polisinsats.yml:11:17: error[invalid-value]: steg 1, time_limit: texten 'efter lunch' har "
        "fel form.\n  tips: Skriv till exempel ”omedelbart”, ”samma dag”, ”skyndsamt” eller ”inom 30 dagar”.",
        "content/routines/polisinsats.yml:14:10: error[invalid-date]: updated: texten '2026-13-01' är inget giltigt "
        "datum.\n  tips: Skriv datum som ÅÅÅÅ-MM-DD utan citattecken, till exempel 2026-03-18.",
    ]


def test_missing_key_points_at_the_mapping(mini):
    (mini / "units" / "team.yml").write_text("id: team\nname: T\nkind: stadens verksamhet\nsources: [plan]\n",
                                             encoding="utf-8")
    assert messages(mini) == ["content/units/team.yml:1:1: error[missing-key]: Nyckeln 'mission' saknas.\n"
                              "  tips: Lägg till `mission:` i filen."]


def test_duplicate_id_names_both_files(mini):
    text = (mini / "units" / "team.yml").read_text(encoding="utf-8")
    (mini / "units" / "team-2.yml").write_text(text, encoding="utf-8")
    out = messages(mini)
    assert "content/units/team.yml:1:5: error[duplicate-id]: Id 'team' används redan av en annan enhet.\n" \
           "  tips: Varje post behöver ett eget id. Byt id här eller i den andra filen.\n" \
           "  se även: content/units/team-2.yml:1" in out


def test_dangling_references_golden(mini):
    path = mini / "routines" / "polisinsats.yml"
    text = path.read_text(encoding="utf-8").replace("responsible: team", "responsible: teamet")
    text = text.replace("sources: [plan]", "sources: [plan]\nrelated: [betanketd]")
    path.write_text(text, encoding="utf-8")
    assert messages(mini) == [
        "content/routines/polisinsats.yml:6:14: error[dangling-ref]: Hänvisningen 'teamet' pekar inte på någon enhet.\n"
        "  tips: Menade du 'team'? Id:t ska finnas som content/units/teamet.yml.",
        "content/routines/polisinsats.yml:15:11: error[dangling-ref]: Hänvisningen 'betanketd' pekar inte på någon rutin.\n"
        "  tips: Menade du 'betanketid'? Id:t ska finnas som content/routines/betanketd.yml.",
    ]


def test_citation_problems_golden(mini):
    path = mini / "routines" / "polisinsats.yml"
    text = path.read_text(encoding="utf-8").replace(
        "    action: Ge information om stöd.\n",
        "    action: Ge information om stöd.\n    legal_basis:\n      - 5 kap. 99 § utlänningslagen\n"
        "      - 3 § lagen om okänt\n      - 5 kap 15 utlänningslagen\n")
    path.write_text(text, encoding="utf-8")
    assert messages(mini) == [
        "content/routines/polisinsats.yml:11:9: error[unknown-provision]: 5 kap. 99 § finns inte bland "
        "bestämmelserna i utlänningslagen.\n  tips: Lägg till bestämmelsen under `provisions:` i "
        "content/legal/utl.yml, eller rätta hänvisningen.",
        "content/routines/polisinsats.yml:12:9: error[unknown-law]: Okänd lag eller konvention 'lagen om okänt' "
        "i '3 § lagen om okänt'.\n  tips: Kända namn och förkortningar står i content/legal/*.yml (title, "
        "short_title, abbreviations, aliases).",
        "content/routines/polisinsats.yml:13:9: error[bad-citation]: Hänvisningen '5 kap 15 utlänningslagen' kunde "
        "inte tolkas.\n  tips: Skriv paragrafen som `5 kap. 15 §` (med §-tecken) eller artikeln som `artikel 12.1 c`.",
    ]


def test_a_broken_file_does_not_stop_the_others(mini):
    (mini / "units" / "team.yml").write_text("id: team\nname: [\n", encoding="utf-8")
    out = messages(mini)
    assert out[0].startswith("content/routines/betanketid.yml") or any("yaml-syntax" in m for m in out)
    # The other unit is still loaded: references to it resolve.
    assert not any("'koordinator'" in m for m in out)
    assert any("error[yaml-syntax]" in m for m in out)


# --- layered content folders (base first, local last) -------------------------------------------------------------

def test_a_later_folder_adds_records_and_replaces_one_by_id_and_says_so(mini, tmp_path):
    local = tmp_path / "lokal"
    (local / "municipalities").mkdir(parents=True)
    (local / "units").mkdir()
    (local / "municipalities" / "solna.yml").write_text(
        "id: solna\nname: Solna\nstatus: ansluten\ncounty: Stockholms län\npolice_region: Polisregion Stockholm\n"
        "contact_units: [solna-kontakt]\nlocal_note: Ring växeln.\nsources: [plan]\n", encoding="utf-8")
    (local / "units" / "solna-kontakt.yml").write_text(
        "id: solna-kontakt\nname: Socialtjänsten i Solna\nkind: förvaltning\nmission: Stöd och hjälp.\n"
        "sources: [plan]\n", encoding="utf-8")
    project, issues = check_content([mini, local], TODAY)
    assert [i.format() for i in issues] == [
        "lokal/municipalities/solna.yml:1:5: info[override]: Ersätter kommun 'solna' från "
        "content/municipalities/solna.yml.\n"
        "  tips: Posten här gäller i stället för den i grundinnehållet. Ta bort filen här för att använda "
        "grundinnehållets.\n  se även: content/municipalities/solna.yml:1"]
    solna = project.municipalities["solna"]
    assert solna.contact_units == ["solna-kontakt"] and solna.local
    assert not project.municipalities["lidingo"].local
    assert project.docs[("municipality", "solna")].path == "lokal/municipalities/solna.yml"
    assert "solna-kontakt" in project.units and project.content_dirs == [mini, local]


def test_two_records_with_one_id_in_the_same_folder_are_still_an_error(mini, tmp_path):
    local = tmp_path / "lokal"
    (local / "units").mkdir(parents=True)
    for name in ("a", "b"):
        (local / "units" / f"{name}.yml").write_text(
            "id: dubbel\nname: X\nkind: förvaltning\nmission: Y.\nsources: [plan]\n", encoding="utf-8")
    codes = [i.code for i in check_content([mini, local], TODAY)[1]]
    assert "duplicate-id" in codes and "override" not in codes


def test_a_local_municipality_names_units_and_routines_that_exist(mini, tmp_path):
    local = tmp_path / "lokal"
    (local / "municipalities").mkdir(parents=True)
    (local / "municipalities" / "solna.yml").write_text(
        "id: solna\nname: Solna\nstatus: ansluten\ncounty: Stockholms län\npolice_region: Polisregion Stockholm\n"
        "contact_units: [finns-inte]\nroutines: [betanketid]\nsources: [plan]\n", encoding="utf-8")
    project, issues = check_content([mini, local], TODAY)
    assert ("lokal/municipalities/solna.yml:6:17: error[dangling-ref]: Hänvisningen 'finns-inte' pekar inte på någon "
            "enhet.") in [i.format().splitlines()[0] for i in issues]
    assert project.municipalities_by_routine["betanketid"] == ["solna"]


def test_open_questions_of_a_law_and_its_provisions_in_file_order(mini):
    """A law's questions stand on the law and on each provision (graph._questions looks only in the fields that can
    hold them)."""
    law = mini / "legal" / "sol-new.yml"
    law.write_text(law.read_text(encoding="utf-8").replace(
        "    summary: Stöd till brottsoffer.\n",
        "    summary: Stöd till brottsoffer.\n    open_questions:\n      - question: Gäller paragrafen även vuxna?\n"
        "        why: Rutinen hänvisar till den.\n        ask: team\n") + "open_questions:\n"
        "  - question: Vilken lydelse gäller?\n    why: Lagen ändras.\n    ask: team\n", encoding="utf-8")
    project = build_project(mini)
    assert not [i for i in project.issues if i.severity == "error"], [i.format() for i in project.issues]
    found = [(a.loc, a.question.question, a.pos.line) for a in project.open_questions() if a.id == "sol-new"]
    assert found == [(("provisions", 0, "open_questions", 0), "Gäller paragrafen även vuxna?", 13),
                     (("open_questions", 0), "Vilken lydelse gäller?", 18)]


def test_content_path_asks_the_file_system_once_per_file(mini, monkeypatch):
    """The open questions' pages name a record's file once per place (thousands of times at 1,000 routines), and
    resolving a path asks the file system once per folder in it: the answer is kept per file."""
    project, _ = check_content(mini)
    path = next(iter(project.docs.values())).path
    expected = Path(path).resolve().relative_to(mini.resolve().parent).as_posix()
    resolved = []
    real = Path.resolve
    monkeypatch.setattr(Path, "resolve", lambda self, strict=False: (resolved.append(self), real(self, strict))[1])
    assert project.content_path(path) == expected
    asked = len(resolved)
    assert asked
    assert [project.content_path(path) for _ in range(3)] == [expected] * 3
    assert len(resolved) == asked
