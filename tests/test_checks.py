"""Stage 4: checks yield warnings and errors with file and line."""

import datetime as dt

from generators.pipeline import check_content


def _formatted(content, today=dt.date(2026, 11, 22)):
    return [i.format() for i in check_content(content, today)[1]]


def test_review_overdue_is_a_warning(mini):
    out = _formatted(mini, dt.date(2027, 12, 1))
    assert out == ["content/routines/betanketid.yml:25:11: warning[review-overdue]: Rutinen granskades eller "
                   "fastställdes senast 2026-11-01; den ska granskas var 12:e månad.\n  tips: Gå igenom rutinen mot "
                   "källorna och ange den nya granskningen med `reviewed:` och `reviewed_by:`."]


def test_a_draft_is_never_due_for_review(mini):
    """Only an adopted or reviewed routine runs a review interval; the draft (polisinsats) has neither."""
    out = _formatted(mini, dt.date(2030, 1, 1))
    assert [o for o in out if "polisinsats" in o] == []


def test_citing_repealed_law_warns_and_suggests_successor(mini):
    path = mini / "routines" / "polisinsats.yml"
    path.write_text(path.read_text(encoding="utf-8") + "legal_basis: ['5 kap. 11 § socialtjänstlagen (2001:453)']\n",
                    encoding="utf-8")
    out = _formatted(mini)
    assert out == ["content/routines/polisinsats.yml:22:15: warning[repealed-law]: 5 kap. 11 § socialtjänstlagen "
                   "upphävdes 2025-07-01.\n  tips: Hänvisa till 13 kap. 1 § socialtjänstlag (2025:400) i stället."]


def test_discouraged_term_in_routine(mini):
    path = mini / "routines" / "polisinsats.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("Ge information om stöd.", "Ge information om reflektionstid."),
                    encoding="utf-8")
    out = _formatted(mini)
    assert out == ["content/routines/polisinsats.yml:9:13: warning[discouraged-term]: 'reflektionstid' avråds i "
                   "begreppslistan: Används inte i lagen.\n  tips: Använd 'Betänketid' (se content/glossary/betanketid.yml)."]


def test_id_must_match_file_name(mini):
    (mini / "units" / "team.yml").rename(mini / "units" / "teamet.yml")
    out = _formatted(mini)
    assert out[0].startswith("content/units/teamet.yml:1:5: error[id-filename]: Id 'team' stämmer inte med filnamnet 'teamet.yml'.")


def test_id_filename_tip_never_suggests_an_id_with_a_swedish_letter_golden(mini):
    (mini / "units" / "team.yml").rename(mini / "units" / "teamet-på-söder.yml")
    assert _formatted(mini) == [
        "content/units/teamet-på-söder.yml:1:5: error[id-filename]: Id 'team' stämmer inte med filnamnet "
        "'teamet-på-söder.yml'.\n  tips: Döp om filen till team.yml: filnamnet är postens id och får bara innehålla "
        "a–z, siffror och bindestreck, inte å, ä eller ö. Eller ändra id till 'teamet-pa-soder' och döp om filen till "
        "teamet-pa-soder.yml."]


def test_id_filename_tip_when_the_ascii_file_name_is_the_id_golden(mini):
    (mini / "units" / "team.yml").rename(mini / "units" / "Téam.yml")
    assert _formatted(mini) == [
        "content/units/Téam.yml:1:5: error[id-filename]: Id 'team' stämmer inte med filnamnet 'Téam.yml'.\n"
        "  tips: Döp om filen till team.yml: filnamnet är postens id och får bara innehålla a–z, siffror och "
        "bindestreck, inte å, ä eller ö."]


def test_slug_id_golden():
    from generators.ids import slug_id

    assert slug_id("Stöd till våldsutsatta i Märsta") == "stod-till-valdsutsatta-i-marsta"
    assert slug_id("Betänketid – vuxna (18+)") == "betanketid-vuxna-18"
    assert slug_id("  Café, Ærø & Straße  ") == "cafe-aero-strasse"
    assert slug_id("ÅÄÖ åäö Éé Üü Ññ") == "aao-aao-ee-uu-nn"
    assert slug_id("---") == ""


def test_slug_id_is_always_a_valid_id():
    from generators.ids import ID_MAX_LENGTH, is_id, slug_id
    from generators.model import ID_PATTERN

    from generators import ids

    assert ids.ID_PATTERN == ID_PATTERN  # the model's Id and the suggestions agree
    texts = ["Stöd till våldsutsatta i Märsta", "Ord " * 40, "x" * 200, "İstanbul", "a\u0301b", "１２３ ﬁ", "Ø-æ-œ",
             "tab\there", "emoji 🙂 här", "Ändå–så—långt"]
    for text in texts:
        slug = slug_id(text)
        assert is_id(slug) and len(slug) <= ID_MAX_LENGTH, (text, slug)
    assert slug_id("Ord " * 40) == "-".join(["ord"] * 20)  # cut at a hyphen, within 80 characters


def test_measure_in_an_area_the_plan_does_not_have_golden(mini):
    path = mini / "measures" / "webbutbildning.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("area: 1", "area: 7"), encoding="utf-8")
    assert _formatted(mini) == ["content/measures/webbutbildning.yml:3:7: error[dangling-ref]: Planen 'testplan' har "
                                "inget utvecklingsområde 7.\n  tips: Planens områden: 1."]


def test_quiz_question_needs_exactly_one_right_answer_golden(mini):
    path = mini / "training" / "modules" / "grunder.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("      - text: 6 månader\n",
                                                             "      - text: 6 månader\n        correct: true\n"),
                    encoding="utf-8")
    assert _formatted(mini) == ["content/training/modules/grunder.yml:25:7: error[quiz-answer]: Frågan 'Hur lång är "
                                "betänketiden?' har 2 rätta svar; den ska ha exakt ett.\n  tips: Sätt `correct: true` "
                                "på det rätta svaret och ta bort det från de andra."]


def test_module_minutes_must_add_up_golden(mini):
    path = mini / "training" / "modules" / "grunder.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("duration_minutes: 20", "duration_minutes: 30"),
                    encoding="utf-8")
    assert _formatted(mini) == ["content/training/modules/grunder.yml:4:19: warning[duration]: Avsnitten tar 20 "
                                "minuter men modulen anger 30.\n  tips: Rätta `duration_minutes:` eller avsnittens "
                                "`minutes:` så att de stämmer."]


def test_unknown_placeholder_in_course_variant_golden(mini):
    path = mini / "training" / "courses" / "grund.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("Invånare i {kommun} kan", "Invånare i {kommunen} kan"),
                    encoding="utf-8")
    assert _formatted(mini) == ["content/training/courses/grund.yml:11:9: error[placeholder]: Okänd platshållare "
                                "'{kommunen}'.\n  tips: Bara {kommun} ersätts, med kommunens namn."]


def test_training_citing_repealed_law_warns(mini):
    path = mini / "training" / "modules" / "grunder.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "      - 5 kap. 15 § andra stycket utlänningslagen\n",
        "      - 5 kap. 15 § andra stycket utlänningslagen\n      - 5 kap. 11 § socialtjänstlagen (2001:453)\n"),
        encoding="utf-8")
    assert _formatted(mini) == ["content/training/modules/grunder.yml:16:9: warning[repealed-law]: 5 kap. 11 § "
                                "socialtjänstlagen upphävdes 2025-07-01.\n  tips: Hänvisa till 13 kap. 1 § "
                                "socialtjänstlag (2025:400) i stället."]


def test_the_id_index_is_refused_where_it_would_take_an_overviews_address_golden(mini):
    unit = mini / "units" / "team.yml"
    (mini / "units" / "index.yml").write_text(unit.read_text(encoding="utf-8").replace("id: team", "id: index", 1),
                                              encoding="utf-8")
    unit.unlink()
    plan = mini / "plans" / "testplan.yml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("  - id: aktorer", "  - id: index", 1), encoding="utf-8")
    out = [o for o in _formatted(mini) if "id-reserved" in o]
    assert out == [
        "content/plans/testplan.yml:17:9: error[id-reserved]: Kapitlets id 'index' kan inte användas: kapitlet skulle "
        "få samma adress som handlingsplanens sida handlingsplan/testplan/.\n  tips: Välj ett id efter kapitlets rubrik.",
        "content/units/index.yml:1:5: error[id-reserved]: Id 'index' kan inte användas: sidan skulle få samma adress "
        "som översikten enheter/.\n  tips: Välj ett id som säger vad posten gäller, t.ex. efter titeln, och döp om "
        "filen efter det.",
    ]


def test_index_is_a_plain_id_where_nothing_clashes(mini):
    """A term's or a source's id is an anchor on a shared page, not an address: 'index' is allowed there."""
    term = next((mini / "glossary").glob("*.yml"))
    text = term.read_text(encoding="utf-8")
    old = text.split("id: ", 1)[1].split("\n", 1)[0]
    (mini / "glossary" / "index.yml").write_text(text.replace(f"id: {old}", "id: index", 1), encoding="utf-8")
    term.unlink()
    assert [o for o in _formatted(mini) if "id-reserved" in o] == []


def test_the_workers_work_out_the_discouraged_words_summary_the_check_asks_for():
    """checks._wanted takes the glossary's discouraged words from the files, before the records are built, so that
    worker processes can work out each routine's summary meanwhile (from 1,000 files); the check asks for the summary
    under the words taken from the records (_discouraged_context). Were the two to differ, every summary the workers
    made would go unused, and the check would work each out again in the main process."""
    from conftest import ROOT
    from generators.checks import _discouraged_context, _wanted

    project, _ = check_content(ROOT / "content")
    contexts = {context for _, name, context in _wanted(project.documents) if name == "discouraged_terms"}
    assert contexts == {_discouraged_context(project)}
    assert "" not in contexts
