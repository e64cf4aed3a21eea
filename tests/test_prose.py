"""Chapter texts in Markdown: references become checked footnotes, with file, line and column (golden messages)."""

import datetime as dt

from generators.graph import build_project
from generators.load import Prose
from generators.pipeline import check_content
from generators.prose import scan, substitute

TODAY = dt.date(2026, 11, 22)


def _formatted(content):
    return [i.format() for i in check_content(content, TODAY)[1]]


def _write(mini, name, text):
    (mini / "plans" / "testplan" / name).write_text(text, encoding="utf-8")


def test_references_are_found_with_their_positions():
    refs, issues = scan(Prose("x.md", "Text.[@plan, s. 3]\nMer [§ 10 kap. 23 § OSL] och `[@inte]`.\n"))
    assert issues == []
    assert [(r.kind, r.target, r.locator, r.pos.line, r.pos.col) for r in refs] == [
        ("source", "plan", "s. 3", 1, 6), ("law", "10 kap. 23 § OSL", None, 2, 5)]
    assert substitute("a[@x]b", scan(Prose("x.md", "a[@x]b"))[0], lambda r: f"<{r.target}>") == "a<x>b"


def test_plan_prose_resolves_to_sources_and_provisions(mini):
    p = build_project(mini)
    doc = p.prose["testplan/inledning.md"]
    targets = [doc.target(r) for r in doc.refs]
    assert [getattr(t, "id", None) or t.canonical_id for t in targets] == ["sol-old#k5-p11", "plan", "lagtext"]


def test_unknown_source_in_prose_golden(mini):
    _write(mini, "omrade-1.md", "Första raden.\nKunskap behövs.[@rapportt, s. 4]\n")
    assert _formatted(mini) == [
        "content/plans/testplan/omrade-1.md:2:16: error[dangling-ref]: Hänvisningen 'rapportt' pekar inte på någon "
        "källa.\n  tips: Id:t ska finnas som content/sources/rapportt.yml."]


def test_unknown_provision_in_prose_golden(mini):
    _write(mini, "omrade-1.md", "Se [§ 5 kap. 99 § utlänningslagen].\n")
    assert _formatted(mini) == [
        "content/plans/testplan/omrade-1.md:1:4: error[unknown-provision]: 5 kap. 99 § finns inte bland "
        "bestämmelserna i utlänningslagen.\n  tips: Lägg till bestämmelsen under `provisions:` i "
        "content/legal/utl.yml, eller rätta hänvisningen."]


def test_footnotes_html_and_level_one_headings_are_refused_golden(mini):
    _write(mini, "omrade-1.md", "# Rubrik\n\nText[^1] och <script>alert(1)</script>.\n\n[^1]: Fotnot.\n")
    assert _formatted(mini) == [
        "content/plans/testplan/omrade-1.md:1:1: error[prose-heading]: Rubriker på nivå 1 (#) skapas från kapitlets "
        "`title:`.\n  tips: Börja underrubriker med ## eller ###.",
        "content/plans/testplan/omrade-1.md:3:5: error[prose-footnote]: Egna fotnoter ([^…]) används inte i "
        "kapiteltexterna.\n  tips: Hänvisa med [@källans-id, s. 12] eller [§ 10 kap. 23 § OSL]; fotnoterna skapas av dem.",
        "content/plans/testplan/omrade-1.md:3:14: error[prose-html]: HTML ('<script>') är inte tillåtet i "
        "kapiteltexterna.\n  tips: Skriv vanlig Markdown. Ska tecknet < synas i texten, skriv \\<.",
        "content/plans/testplan/omrade-1.md:3:30: error[prose-html]: HTML ('</script>') är inte tillåtet i "
        "kapiteltexterna.\n  tips: Skriv vanlig Markdown. Ska tecknet < synas i texten, skriv \\<.",
        "content/plans/testplan/omrade-1.md:5:1: error[prose-footnote]: Egna fotnoter ([^…]) används inte i "
        "kapiteltexterna.\n  tips: Hänvisa med [@källans-id, s. 12] eller [§ 10 kap. 23 § OSL]; fotnoterna skapas av dem."]


def test_missing_chapter_file_names_the_yaml_line(mini):
    (mini / "plans" / "testplan" / "omrade-1.md").unlink()
    assert _formatted(mini) == [
        "content/plans/testplan.yml:25:15: error[read]: Filen content/plans/testplan/omrade-1.md finns inte.\n"
        "  tips: Kontrollera `file:` i planens YAML-fil; sökvägen är relativ till content/plans/."]


def test_chapter_file_outside_the_plans_folder_is_refused(mini):
    path = mini / "plans" / "testplan.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("file: testplan/inledning.md",
                                                             "file: testplan/../../routines/x.md"), encoding="utf-8")
    assert _formatted(mini) == [
        "content/plans/testplan.yml:13:11: error[bad-path]: Sökvägen 'testplan/../../routines/x.md' pekar utanför "
        "content/plans/.\n  tips: Ange en fil under content/plans/, t.ex. handlingsplan-2021/inledning.md."]


def test_chapter_text_in_cp1252_is_reported(mini):
    (mini / "plans" / "testplan" / "omrade-1.md").write_bytes("Åtgärd\n".encode("cp1252"))
    out = _formatted(mini)
    # The message names the chapter file and the bad byte's place in it, and the YAML line that includes it.
    assert out == ["content/plans/testplan/omrade-1.md:1:1: error[encoding]: Filen är inte giltig UTF-8 (byte 0xc5).\n"
                   "  tips: Filen verkar vara sparad som Windows-1252 eller Latin-1. Spara om den som UTF-8.\n"
                   "  se även: content/plans/testplan.yml:25"]


def test_repealed_law_in_the_dated_plan_is_not_a_warning(mini):
    # The plan cites 5 kap. 11 § SoL (2001:453), repealed in 2025: the plan keeps it, and the footnote dates it.
    assert _formatted(mini) == []
