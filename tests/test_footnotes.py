"""Footnotes in the documents (issue 15, part 3): never a run of numbers, and the law once per routine in print.

"brottsoffer.²⁰²¹²²²³" came from references that stood side by side, each its own footnote. Now references that
meet make one footnote listing every source, separated by "; ". The printed handbook cites each law once per
routine, in its Lagstöd list with the address of the official text, instead of a footnote per step.
"""

import re
import zipfile

import docx
import pytest
from lxml import etree

from conftest import ROOT
from generators.pipeline import check_content
from generators.render import charts, documents
from generators.render.context import NOTE_SEPARATOR, Notes, View

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Two inline pandoc footnotes with nothing but spaces between them: "…^[a]^[b]" or "…^[a] ^[b]".
ADJACENT = re.compile(r"(?<!\\)\]\s*\^\[")
# Before this change the handbook had 573 footnotes (56 distinct texts); each step repeated its law.
HANDBOOK_NOTES_BEFORE = 573


@pytest.fixture(scope="module")
def project():
    p, _ = check_content(ROOT / "content")
    return p


def _markdown(project, job):
    images = {f"{c.id}.png": c.title for c in charts.follow_up_charts(project)}
    return documents.render_markdown(project, ROOT / "templates", job, images)


def _footnote_texts(path):
    with zipfile.ZipFile(path) as zf:
        if "word/footnotes.xml" not in zf.namelist():
            return []
        root = etree.fromstring(zf.read("word/footnotes.xml"))
    return [" ".join("".join(t.text or "" for t in fn.iter(f"{W}t")).split()) for fn in root.iter(f"{W}footnote")
            if fn.get(f"{W}type") not in ("separator", "continuationSeparator")]


def _adjacent_references(path) -> list[str]:
    """Footnote references in the Word file with nothing but spaces between them, with the text before them."""
    with zipfile.ZipFile(path) as zf:
        body = etree.fromstring(zf.read("word/document.xml"))
    found = []
    for para in body.iter(f"{W}p"):
        last_was_ref, before = False, ""
        for run in para.iter(f"{W}r"):
            text = "".join(t.text or "" for t in run.iter(f"{W}t"))
            if run.find(f"{W}footnoteReference") is not None:
                if last_was_ref:
                    found.append(before[-40:])
                last_was_ref = True
            elif text.strip():
                last_was_ref, before = False, before + text
    return found


# --- every document -------------------------------------------------------------------------------------------------


def test_no_job_writes_two_footnotes_side_by_side(project):
    """The Markdown of every planned document, the packs' variants included: no '…]^[…' anywhere."""
    jobs = documents.plan_jobs(project)
    assert {j.template for j in jobs} >= {"handlingsplan.md.j2", "rutinhandbok.md.j2", "avstamning.md.j2",
                                          "oppna-fragor.md.j2", "deltagarmaterial.md.j2", "utbildarhandledning.md.j2"}
    for job in jobs:
        md = _markdown(project, job)
        hits = [md[max(0, m.start() - 60):m.end() + 20] for m in ADJACENT.finditer(md)]
        assert hits == [], f"{job.target}: {hits[:3]}"


def test_no_word_file_has_two_footnote_references_side_by_side(default_dist):
    files = sorted(default_dist.rglob("*.docx"))
    assert len(files) > 4
    for path in files:
        assert _adjacent_references(path) == [], path.relative_to(default_dist)


def test_a_source_list_is_one_footnote_with_every_source(project):
    notes = Notes(View(project))
    measure = max(project.measures.values(), key=lambda m: len(m.sources))
    assert len(measure.sources) >= 3
    md = str(notes.sources(measure.sources))
    assert md.count("^[") == 1 and md.endswith("]")
    for s in measure.sources:
        assert project.sources[s.id].title.split(":")[0] in md, s.id
    assert md.count(NOTE_SEPARATOR) >= len(measure.sources) - 1
    assert ".;" not in md  # "…, 2021; Rapporten …", not "…, 2021.; Rapporten …"
    # The same source twice at one place is listed once; nothing to cite gives no footnote at all.
    assert str(notes.sources([measure.sources[0], measure.sources[0]])).count(NOTE_SEPARATOR) == 0
    assert str(notes.sources([])) == ""


def test_references_side_by_side_in_a_chapter_make_one_footnote(mini):
    """A chapter's text that cites a law and two sources in a row gets one footnote listing all three."""
    chapter = mini / "plans" / "testplan" / "inledning.md"
    text = chapter.read_text(encoding="utf-8")
    text = text.replace("[§ 5 kap. 11 § socialtjänstlagen (2001:453)]",
                        "[§ 5 kap. 11 § socialtjänstlagen (2001:453)][@plan, s. 3] [@lagtext]")
    chapter.write_text(text, encoding="utf-8")
    project, issues = check_content(mini)
    assert not [i for i in issues if i.severity.name == "ERROR"]
    notes = Notes(View(project))
    md = str(notes.prose("testplan/inledning.md", None))
    first = md.split("\n")[0]
    assert first.count("^[") == 1, first
    note = first[first.index("^["):]
    assert "5 kap. 11 §" in note and "s. 3" in note and "Lagtext" in note
    assert note.count(NOTE_SEPARATOR) >= 2
    assert not ADJACENT.search(md)
    # A reference on its own stays a footnote of its own.
    assert md.count("^[") == 3


# --- the printed handbook -------------------------------------------------------------------------------------------


def _routine_sections(path):
    """{routine title: [paragraph texts]} for each routine printed in full (Heading 2 followed by more than a pointer)."""
    d = docx.Document(str(path))
    sections, current = {}, None
    for p in d.paragraphs:
        if p.style.name == "Heading 1":
            current = None
        elif p.style.name == "Heading 2":
            current = p.text
            sections.setdefault(current, [])
        elif current is not None:
            sections[current].append(p.text)
    return {t: ps for t, ps in sections.items() if not (len(ps) == 1 and ps[0].startswith("Se rutinen under"))}


def _lagstod(paragraphs):
    """The Lagstöd list of a routine: the paragraphs after 'Lagstöd' up to the sources line."""
    if "Lagstöd" not in paragraphs:
        return []
    out = []
    for text in paragraphs[paragraphs.index("Lagstöd") + 1:]:
        if text.startswith("Källor:"):
            break
        out.append(text)
    return out


def test_handbook_footnotes_are_few(project, default_dist):
    notes = _footnote_texts(default_dist / "rutinhandbok.docx")
    print(f"rutinhandbok.docx: {len(notes)} fotnoter ({len(set(notes))} olika), före ändringen {HANDBOOK_NOTES_BEFORE}")
    assert len(notes) <= len(project.routines)  # at most one per routine; there were 573
    assert not any(re.match(r"\d+ kap\. \d+ [a-z ]*§", n) for n in notes)  # no statute repeated in a footnote


def test_each_routine_prints_each_law_once_with_its_address(project, default_dist):
    view = View(project)
    sections = _routine_sections(default_dist / "rutinhandbok.docx")
    printed = 0
    for r in project.routines.values():
        paragraphs = sections[r.title]
        cites = view.citations_of("routine", r.id)
        cited = [cites[c] for part in [r] + r.steps + r.decisions + r.rights for c in part.legal_basis if c in cites]
        first = view.first(r)
        cited += first.responsibility_basis if first else []
        lagstod = _lagstod(paragraphs)
        laws = {res.law.id: res.law for res in cited}
        assert bool(lagstod) == bool(laws), r.id
        for law in laws.values():
            lines = [t for t in lagstod if t.startswith(law.title)]
            assert len(lines) == 1, (r.id, law.title)  # the law once, with the address of its official text
            assert law.url in lines[0], (r.id, law.url)
            printed += 1
        # Each provision once, under its law; the steps keep their text and carry no legal footnote.
        pins, law = [], None
        for t in lagstod:
            heads = [x for x in laws.values() if t.startswith(x.title)]
            if heads:
                law = heads[0].id
            else:
                pins.append((law, t.split(":")[0].rstrip(".")))
        assert len(pins) == len(set(pins)), (r.id, pins)
        seen = set()
        for res in cited:  # a provision cited twice ("artikel 12.1", "artikel 12.1 a–f") stands once, as first cited
            pin = res.shown or res.pinpoint.label()
            if pin and res.canonical_id not in seen:
                assert (res.law.id, pin) in pins, (r.id, pin)
            seen.add(res.canonical_id)
        text = "\n".join(paragraphs)
        assert "officiell text" not in text
    assert printed > 40


def test_four_kap_1a_brottsbalken_is_printed_at_most_once_per_routine(default_dist):
    """It was printed nine times in the handbook, in a footnote for every step that cited it."""
    sections = _routine_sections(default_dist / "rutinhandbok.docx")
    with_it = 0
    for title, paragraphs in sections.items():
        count = sum(1 for t in _lagstod(paragraphs) if t.startswith("4 kap. 1 a §"))
        assert count <= 1, title
        with_it += count
    assert with_it >= 2
