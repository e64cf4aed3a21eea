"""Issue 11: the editorial status, the Först block, open questions and reader text, as `handbok check` sees them.

Golden tests: each breaks one thing in the small fixture and expects exactly the message a writer would read.
"""

import datetime as dt

import pytest

from generators import editorial
from generators.pipeline import check_content
from conftest import run_cli


def _formatted(content, today=dt.date(2026, 11, 22)):
    return [i.format() for i in check_content(content, today)[1]]


def _replace(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


POLISINSATS_FIRST = ("first:\n  now:\n    - Skydda personen först.\n  call: team\n  ask: Berätta vad som har hänt.\n"
                     "  have_ready:\n    - Var insatsen pågår.\n")


def test_the_fixture_is_clean(mini):
    assert _formatted(mini) == []


# --- status -------------------------------------------------------------------------------------


def test_adopted_routine_needs_approver_and_date_golden(mini):
    _replace(mini / "routines" / "betanketid.yml", "approved_by: Testnämnden\napproved: 2026-11-01\n", "")
    assert _formatted(mini) == [
        "content/routines/betanketid.yml:23:9: error[status-approval]: Status fastställd kräver approved_by och "
        "approved.\n  tips: Ange vilket organ eller vilken roll som fastställde posten (`approved_by:`) och när "
        "(`approved: ÅÅÅÅ-MM-DD`), eller sätt `status: utkast`."]


def test_a_draft_cannot_carry_an_adoption_date_golden(mini):
    _replace(mini / "routines" / "polisinsats.yml", "status: utkast\n", "status: utkast\napproved: 2026-11-01\n")
    assert _formatted(mini) == [
        "content/routines/polisinsats.yml:12:11: error[status-approval]: Posten har status utkast men anger att den "
        "är fastställd.\n  tips: Sätt `status: fastställd` om posten är beslutad, annars ta bort approved och "
        "approved_by."]


def test_review_date_needs_a_reviewer_golden(mini):
    _replace(mini / "routines" / "polisinsats.yml", "status: utkast\n", "status: utkast\nreviewed: 2026-11-10\n")
    assert _formatted(mini) == [
        "content/routines/polisinsats.yml:12:11: error[review-without-reviewer]: reviewed anges utan reviewed_by.\n"
        "  tips: En granskning anges med både datum (`reviewed:`) och vem som granskade (`reviewed_by:`, ett organ "
        "eller en roll)."]


def test_review_with_a_reviewer_is_accepted(mini):
    _replace(mini / "routines" / "polisinsats.yml", "status: utkast\n",
             "status: utkast\nreviewed: 2026-11-10\nreviewed_by: Enhetschefen\n")
    assert _formatted(mini) == []


def test_approver_is_a_body_or_role_never_a_name_golden(mini):
    _replace(mini / "routines" / "betanketid.yml", "approved_by: Testnämnden", "approved_by: Anna Svensson")
    assert _formatted(mini) == [
        "content/routines/betanketid.yml:24:14: error[person-name]: approved_by: 'Anna Svensson' ser ut som en "
        "persons namn.\n  tips: Ange ett organ eller en roll, till exempel ”Socialnämnden” eller ”Enhetschefen, "
        "enheten mot prostitution och människohandel”, aldrig en persons namn."]


def test_one_wording_of_the_draft_notice_for_routines_units_and_the_handbook(mini):
    from generators.review import handbook_notice, status_notice

    p, _ = check_content(mini, dt.date(2026, 11, 22))
    assert status_notice(p.routines["betanketid"], "Rutinen") is None  # adopted
    assert status_notice(p.routines["polisinsats"], "Rutinen") == (
        "Utkast – inte fastställd.", "Rutinen bygger på offentliga dokument och lagtext och är inte beslutad av "
        "förvaltningen. Vid akut fara: följ alltid Först-blocket. Stäm av övriga steg med din chef.")
    assert status_notice(p.units["team"], "Beskrivningen") == (
        "Utkast – inte fastställd.", "Beskrivningen bygger på offentliga dokument och lagtext och är inte beslutad av "
        "förvaltningen.")  # a unit description asks nothing of the reader
    assert handbook_notice(p)[1].startswith("1 av 2 rutiner bygger på offentliga dokument och lagtext")


def test_status_must_be_one_of_three(mini):
    _replace(mini / "routines" / "polisinsats.yml", "status: utkast\n", "status: klar\n")
    out = _formatted(mini)
    assert out == ["content/routines/polisinsats.yml:11:9: error[invalid-value]: status: texten 'klar' är inte ett "
                   "tillåtet värde.\n  tips: Tillåtna värden: 'utkast', 'remiss' eller 'fastställd'."]


# --- the Först block ------------------------------------------------------------------------------


def test_situation_routine_without_first_block_golden(mini):
    _replace(mini / "routines" / "polisinsats.yml", POLISINSATS_FIRST, "")
    assert _formatted(mini) == [
        "content/routines/polisinsats.yml:1:5: error[first-missing]: Situationsrutinen saknar Först-blocket "
        "(`first:`).\n  tips: Lägg till `first:` med `call:` (första samtalet under kontorstid), `ask:` och "
        "`have_ready:`, eller sätt `kind: arbetssätt` om rutinen inte gäller en akut situation."]


def test_a_how_to_routine_needs_no_first_block(mini):
    _replace(mini / "routines" / "polisinsats.yml", POLISINSATS_FIRST, "kind: arbetssätt\n")
    assert _formatted(mini) == []


def test_a_danger_line_must_name_112_golden(mini):
    _replace(mini / "routines" / "polisinsats.yml", "first:\n", "first:\n  danger: Ring polisen.\n")
    assert _formatted(mini) == [
        "content/routines/polisinsats.yml:16:11: error[first-112]: Raden om akut fara nämner inte 112.\n"
        "  tips: Skriv till exempel ”Är barnet i akut fara: ring 112.”"]


def test_the_shared_danger_line_must_name_112_golden(mini):
    _replace(mini / "first" / "forst.yml", "ring 112.", "ring polisen.")
    assert _formatted(mini) == [
        "content/first/forst.yml:2:9: error[first-112]: Raden om akut fara nämner inte 112.\n"
        "  tips: Skriv till exempel ”Är någon i akut fara: ring 112.”"]


def test_the_after_hours_line_must_name_socialjouren_and_112(mini):
    _replace(mini / "first" / "forst.yml", "Ring 112 och be att få tala med socialjouren.", "Ring jourhavande.")
    out = _formatted(mini)
    assert [o.split(": ", 1)[0] for o in out] == ["content/first/forst.yml:3:14"]
    assert "error[first-after-hours]" in out[0]


def test_first_call_must_be_a_unit(mini):
    _replace(mini / "routines" / "polisinsats.yml", "  call: team\n", "  call: polisen\n")
    assert _formatted(mini)[0].startswith("content/routines/polisinsats.yml:18:9: error[dangling-ref]: "
                                          "Hänvisningen 'polisen' pekar inte på någon enhet.")


# --- reader text ------------------------------------------------------------------------------------


def test_remark_about_the_sources_in_reader_text_golden(mini):
    _replace(mini / "routines" / "polisinsats.yml", "action: Ge information om stöd.",
             "action: Ge information om stöd. Källorna anger inte vem som betalar.")
    assert _formatted(mini) == [
        "content/routines/polisinsats.yml:9:13: error[editorial-note]: Texten är en anmärkning om källorna "
        "(”Källorna anger inte”), inte en instruktion till läsaren.\n  tips: Flytta anmärkningen till "
        "`open_questions:` (question, why, ask) och skriv här den bästa instruktionen läsaren kan följa, till "
        "exempel reservvägen."]


@pytest.mark.parametrize("remark", ["Det behöver verifieras.", "Det är vår läsning.", "Det framgår inte av källorna.",
                                    "Använd stadens interna kontaktvägar.", "Det här har vi inte kunnat verifiera.",
                                    "Figuren återges inte här.", "Stadens senare dokument (rapporten 2022, Dnr KS "
                                    "2025/263 och Dnr SOF 2025/920) nämner inte MVP."])
def test_every_kind_of_remark_is_caught(mini, remark):
    _replace(mini / "units" / "team.yml", "mission: Möter personer i fältet.", f"mission: Möter personer. {remark}")
    assert [o.split("]")[0] for o in _formatted(mini)] == ["content/units/team.yml:4:10: error[editorial-note"]


def test_remarks_belong_in_open_questions_where_they_are_allowed(mini):
    _replace(mini / "units" / "koordinator.yml", "    why: Då kan den som ringer nå koordinatorn direkt.\n",
             "    why: Källorna anger inget nummer, och det behöver verifieras.\n")
    assert _formatted(mini) == []


def test_internal_id_in_reader_text_golden(mini):
    _replace(mini / "routines" / "polisinsats.yml", "action: Ge information om stöd.",
             "action: Ge information om stöd enligt stod-till-brottsoffer.")
    assert _formatted(mini) == [
        "content/routines/polisinsats.yml:9:13: error[internal-id]: Id:t 'stod-till-brottsoffer' står i text som "
        "läsaren ser.\n  tips: Skriv namnet eller titeln i stället; länkar och hänvisningar görs med nycklar som "
        "`related:` och `call:`."]


def test_any_kebab_id_in_parentheses_is_an_internal_id(mini):
    _replace(mini / "routines" / "polisinsats.yml", "action: Ge information om stöd.",
             "action: Följ rutinen (ny-rutin).")
    assert [o.split(":", 4)[3] for o in _formatted(mini)] == [" error[internal-id]"]


def test_swedish_hyphenated_words_are_not_ids():
    known = {"manniskohandel-vuxen", "e-post"}
    text = "Skicka e-post till EU-medborgare, hbtqi-personer och barn- och ungdomspsykiatrin (BUP)."
    assert editorial.internal_ids(text, {"manniskohandel-vuxen"}) == []
    assert editorial.internal_ids("Se manniskohandel-vuxen.", known) == ["manniskohandel-vuxen"]


def test_remarks_in_hand_written_pages_are_caught(mini):
    pages = mini / "pages"
    pages.mkdir()
    (pages / "om.md").write_text("# Om\n\nText.\n\nKontaktuppgifter framgår inte av källorna.\n", encoding="utf-8")
    assert [o.split(": ", 1)[0] for o in _formatted(mini)] == ["content/pages/om.md:5:18"]


# --- open questions -----------------------------------------------------------------------------------


def test_open_question_is_put_to_a_unit_golden(mini):
    _replace(mini / "units" / "koordinator.yml", "    ask: team\n", "    ask: teamet\n")
    assert _formatted(mini) == [
        "content/units/koordinator.yml:10:10: error[dangling-ref]: Hänvisningen 'teamet' pekar inte på någon enhet.\n"
        "  tips: Menade du 'team'? Id:t ska finnas som content/units/teamet.yml."]


def test_open_question_is_phrased_as_a_question_golden(mini):
    _replace(mini / "units" / "koordinator.yml", "Har koordinatorn ett eget funktionsnummer?",
             "Koordinatorns funktionsnummer saknas.")
    assert _formatted(mini) == [
        "content/units/koordinator.yml:8:15: warning[question-form]: En öppen fråga ska vara formulerad som en "
        "fråga.\n  tips: Skriv frågan så att den som ska svara vet vad som efterfrågas, och avsluta med ?."]


def test_open_question_needs_why_and_who(mini):
    _replace(mini / "units" / "koordinator.yml", "    why: Då kan den som ringer nå koordinatorn direkt.\n", "")
    assert _formatted(mini) == ["content/units/koordinator.yml:8:5: error[missing-key]: Nyckeln 'why' saknas.\n"
                                "  tips: Lägg till `why:` i filen."]


def test_review_questions_lists_them_by_who_can_answer_golden(mini):
    r = run_cli("review", "--questions", "--content", str(mini), cwd=mini.parent)
    assert r.returncode == 0, r.stderr
    assert r.stdout == (
        "Öppna frågor till förvaltningen (2)\n\n"
        "Koordinatorn (1)\n"
        "  content/programmes/program-gammalt.yml:8: Program mot våld 2021–2025\n"
        "    Fråga: Vilka mål har programmet?\n"
        "    Varför: Utan målen går det inte att se vad programmet åtar sig.\n\n"
        "Testteamet (1)\n"
        "  content/units/koordinator.yml:8: Koordinatorn\n"
        "    Fråga: Har koordinatorn ett eget funktionsnummer?\n"
        "    Varför: Då kan den som ringer nå koordinatorn direkt.\n"
        "    Till dess: Ring teamets växel.\n")


def test_review_questions_refuses_content_with_errors(mini):
    _replace(mini / "units" / "koordinator.yml", "    ask: team\n", "    ask: teamet\n")
    r = run_cli("review", "--questions", "--content", str(mini), cwd=mini.parent)
    assert r.returncode == 1 and "error[dangling-ref]" in r.stderr and "Traceback" not in r.stderr


# --- sources and contact routes --------------------------------------------------------------------------


def test_web_page_needs_address_and_date_read_golden(mini):
    _replace(mini / "sources" / "teamets-sida.yml", "url: https://example.org/team\n", "")
    out = _formatted(mini)
    assert "content/sources/teamets-sida.yml:4:7: error[web-source]: Webbsidan saknar url.\n  tips: Ange sidans " \
           "adress (`url:`) och dagen då den lästes (`read: ÅÅÅÅ-MM-DD`)." in out


def test_contact_point_needs_an_official_page_golden(mini):
    _replace(mini / "privacy" / "kontaktvagar.yml", "    sources: [teamets-sida]\n  - value: team@",
             "    sources: [plan]\n  - value: team@")
    assert _formatted(mini) == [
        "content/privacy/kontaktvagar.yml:10:14: error[contact-unsourced]: Kontaktvägen 'Teamets växel' saknar en "
        "officiell webbsida som källa.\n  tips: Hänvisa till en källa med `kind: webbsida`, `url:` och `read:` som "
        "anger kontaktvägen."]


def test_short_numbers_are_phone_numbers(mini):
    _replace(mini / "privacy" / "kontaktvagar.yml", 'value: "112"', 'value: "114 14"')
    assert _formatted(mini) == []
