"""Training packs that serve their audience: one variant per status (joined, not joined, unknown).

Each municipality's pack is read as its users read it (python-docx, python-pptx) and checked for:

- the audience line, which names the variant's audience and not that of another;
- the not-joined and unknown packs, which never send staff to the city's internal routes and do name the routes that
  work without an agreement: their own social services and socialjouren via 112, the regionkoordinatorer (through
  the national support line), the national method support, the police, what happens at a police operation, and how
  the municipality joins;
- one contact route per situation in the joined packs (see ``test_joined_packs_give_one_contact_route_per_situation``);
- a pack for Danderyd (status okänd) in the unknown variant, with its page on the site.
"""

import re
from pathlib import Path

import docx
import pptx
import pytest
from pptx.enum.shapes import PP_PLACEHOLDER

from conftest import ROOT
from generators.model import Municipality
from generators.pipeline import check_content
from generators.render import documents
from generators.render.context import View

DOCS = ("deltagarmaterial.docx", "utbildarhandledning.docx")
NOT_BODY = {PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.SUBTITLE, PP_PLACEHOLDER.FOOTER,
            PP_PLACEHOLDER.SLIDE_NUMBER, PP_PLACEHOLDER.DATE}

# Phone numbers as the content writes them: 112, 114 14, 116 006, 1177, 020-39 00 00, 0771-235 235.
PHONE = re.compile(r"(?<![\d-])(?:0\d{1,3}-\d{2,3}(?: \d{2,3}){1,3}|11[2-6](?: \d{2,3})?|1177)(?![\d-])")
# What a not-joined pack must never tell its readers: routes that only the city's own staff can use.
INTERNAL = ("interna kontaktvägar", "intern kontaktväg", "stadens interna", "stadens kontaktvägar", "stadens växel",
            "intranät", "internt nummer", "internnummer", "via staden")
# "staden" or "stadens" alone means the reader's own municipality to staff elsewhere; packs say "Stockholms stad".
THE_CITY = re.compile(r"\bstad(?:en|ens)\b", re.IGNORECASE)
# Stockholm's own offices, which staff of other municipalities cannot turn to.
STOCKHOLM_OFFICES = ("stadsdelsförvaltning", "stadsdelen", "stadsdelsnämnd")


@pytest.fixture(scope="module")
def project():
    p, _ = check_content(ROOT / "content")
    return p


@pytest.fixture(scope="module")
def course(project):
    return project.courses["grundutbildning"]


@pytest.fixture(scope="module")
def view(project):
    return View(project)


def _by_status(view, *statuses):
    return [m for m in view.pack_municipalities() if m.status in statuses]


# --- reading the packs -----------------------------------------------------------------------------------------------

def _docx_blocks(path: Path) -> list[tuple[str, str]]:
    """(style, text) for every paragraph and table row in body order; a table row is ("row", "a | b | c")."""
    out = []
    for block in docx.Document(str(path)).iter_inner_content():
        if isinstance(block, docx.table.Table):
            out += [("row", " | ".join(c.text for c in row.cells)) for row in block.rows]
        else:
            out.append((block.style.name, block.text))
    return out


def _docx_section(path: Path, heading: str) -> list[tuple[str, str]]:
    """The blocks from the Heading 1 ``heading`` up to the next Heading 1."""
    blocks = _docx_blocks(path)
    starts = [i for i, (style, text) in enumerate(blocks) if style == "Heading 1" and text == heading]
    assert len(starts) == 1, f"{path}: rubriken ”{heading}” finns {len(starts)} gånger"
    end = next((i for i in range(starts[0] + 1, len(blocks)) if blocks[i][0] == "Heading 1"), len(blocks))
    return blocks[starts[0]:end]


def _table_rows(section: list[tuple[str, str]]) -> list[str]:
    rows = [text for style, text in section if style == "row"]
    assert rows and rows[0] == "Situation | Vänd dig till | Så gör du", rows[:1]
    return rows[1:]


def _slides(path: Path) -> list[dict]:
    out = []
    for slide in pptx.Presentation(str(path)).slides:
        body = [sh.text_frame.text for sh in slide.placeholders
                if sh.has_text_frame and sh.placeholder_format.type not in NOT_BODY]
        notes = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
        out.append({"title": slide.shapes.title.text if slide.shapes.title else "", "body": "\n".join(body),
                    "notes": notes})
    return out


def _slide_section(path: Path, title: str) -> list[dict]:
    """The closing variant section: from the first slide titled ``title`` up to the sources or the local part."""
    slides = _slides(path)
    start = next(i for i, s in enumerate(slides) if s["title"] == title)
    end = next(i for i in range(start, len(slides)) if slides[i]["title"].startswith("Källor")
               or slides[i]["title"].startswith("Lokalt i "))
    return slides[start:end]


def _section_texts(dist: Path, m: Municipality, title: str) -> dict[str, str]:
    """The variant section of each of the pack's three documents, as plain text."""
    folder = dist / "utbildning" / m.id
    out = {name: "\n".join(text for _, text in _docx_section(folder / name, title)) for name in DOCS}
    out["presentation.pptx"] = "\n".join(f"{s['title']}\n{s['body']}\n{s['notes']}"
                                         for s in _slide_section(folder / "presentation.pptx", title))
    return out


def _all_text(folder: Path) -> str:
    parts = []
    for name in DOCS:
        parts += [text for _, text in _docx_blocks(folder / name)]
        d = docx.Document(str(folder / name))
        parts += [p.text for section in d.sections for p in section.header.paragraphs]
    parts += [f"{s['title']}\n{s['body']}\n{s['notes']}" for s in _slides(folder / "presentation.pptx")]
    return "\n".join(parts)


def _audience_lines(folder: Path) -> dict[str, str]:
    return {name: next(text for _, text in _docx_blocks(folder / name) if text.startswith("Målgrupp:"))
            for name in DOCS}


# --- which variant each municipality gets ----------------------------------------------------------------------------

def test_each_status_has_its_own_variant(course, view):
    assert course.variants.okand is not None
    for status, expected in (("ansluten", course.variants.ansluten), ("ej ansluten", course.variants.ej_ansluten),
                             ("okänd", course.variants.okand)):
        m = Municipality.model_construct(id="x", name="X", status=status, sources=[])
        assert view.variant(course, m) is expected, status
    titles = [course.variants.ansluten.title, course.variants.ej_ansluten.title, course.variants.okand.title]
    assert len(set(titles)) == 3


def test_unknown_status_falls_back_to_not_joined_without_its_own_variant(course, view):
    bare = course.model_copy(update={"variants": course.variants.model_copy(update={"okand": None})})
    m = Municipality.model_construct(id="x", name="X", status="okänd", sources=[])
    assert view.variant(bare, m) is course.variants.ej_ansluten


def test_unknown_municipalities_get_a_pack_and_a_job(project, course, view):
    assert [m.id for m in _by_status(view, "okänd")] == ["danderyd"]
    jobs = [j for j in documents.plan_jobs(project)
            if any(target == "utbildning/danderyd/deltagarmaterial.docx" for target, _ in j.outputs)]
    assert len(jobs) == 1 and jobs[0].context["variant"] is course.variants.okand


def test_danderyd_has_a_pack_in_the_unknown_variant(project, course, view, default_dist, default_site):
    danderyd = project.municipalities["danderyd"]
    assert danderyd.status == "okänd"
    folder = default_dist / "utbildning" / "danderyd"
    assert {"deltagarmaterial.docx", "utbildarhandledning.docx", "presentation.pptx"} <= {f.name for f in
                                                                                          folder.iterdir()}
    mine = view.fill(course.variants.okand.title, danderyd)
    others = [view.fill(v.title, danderyd) for v in (course.variants.ansluten, course.variants.ej_ansluten)]
    for name in DOCS:
        h1 = [text for style, text in _docx_blocks(folder / name) if style == "Heading 1"]
        assert mine in h1 and not set(others) & set(h1), name
    titles = [s["title"] for s in _slides(folder / "presentation.pptx")]
    assert mine in titles and not set(others) & set(titles)
    assert "Det här gäller i Danderyd, där anslutningen inte är klarlagd" == mine
    # The site's page for the pack says the same, with the routes.
    page = (default_site / "utbildning" / "kommun" / "danderyd" / "index.html").read_text(encoding="utf-8")
    assert mine in page and "Det är inte klarlagt om Danderyd har anslutit sig" in page
    assert "020-39 00 00" in page and "socialjouren" in page
    assert 'href="../../../nedladdning/utbildning/danderyd/deltagarmaterial.docx"' in page


# --- the audience line -----------------------------------------------------------------------------------------------

AUDIENCE = {
    "nacka": "Målgrupp: Medarbetare i Nacka som kan möta personer i prostitution eller människohandel, eller personer "
             "som köper sex. Nacka har tecknat avtal med Stockholms stad inom det länsövergripande erbjudandet, och "
             "utbildningen ingår i erbjudandet.",
    "botkyrka": "Målgrupp: Medarbetare i Botkyrka som kan möta personer i prostitution eller människohandel, eller "
                "personer som köper sex. Enligt rapporten 2022 hade Botkyrka inte anslutit sig till det "
                "länsövergripande erbjudandet. Materialet säger därför vart ni vänder er utan avtal.",
    "danderyd": "Målgrupp: Medarbetare i Danderyd som kan möta personer i prostitution eller människohandel, eller "
                "personer som köper sex. Det är inte klarlagt om Danderyd har anslutit sig till det "
                "länsövergripande erbjudandet. Materialet säger därför vart ni vänder er utan avtal, tills det är "
                "klart.",
}


@pytest.mark.parametrize("mid", sorted(AUDIENCE))
def test_audience_line_is_the_variants_own(default_dist, mid):
    for name, line in _audience_lines(default_dist / "utbildning" / mid).items():
        assert line == AUDIENCE[mid], name


def test_every_pack_states_the_audience_of_its_variant(course, view, default_dist):
    for m in view.pack_municipalities():
        variant = view.variant(course, m)
        expected = "Målgrupp: " + " ".join(view.fill(variant.audience, m).split())
        lines = _audience_lines(default_dist / "utbildning" / m.id)
        assert set(lines.values()) == {expected}, m.id
        if m.status != "ansluten":
            assert "har tecknat avtal" not in expected, m.id


# --- not joined and unknown: where staff turn instead ----------------------------------------------------------------

def test_not_joined_packs_never_send_staff_to_the_citys_internal_routes(view, default_dist):
    packs = _by_status(view, "ej ansluten", "okänd")
    assert len(packs) >= 9
    for m in packs:
        text = _all_text(default_dist / "utbildning" / m.id).lower()
        found = [phrase for phrase in INTERNAL if phrase in text]
        assert not found, (m.id, found)


def test_not_joined_packs_name_the_fallback_routes(course, view, default_dist):
    for m in _by_status(view, "ej ansluten", "okänd"):
        title = view.fill(view.variant(course, m).title, m)
        for name, text in _section_texts(default_dist, m, title).items():
            where = (m.id, name)
            # Their own social services, and socialjouren via 112 outside office hours.
            assert f"Socialtjänsten i {m.name}" in text, where
            assert "Ring 112 och be att få tala med socialjouren" in text, where
            # The regionkoordinatorer, who work in the whole county, reached through the national support line.
            assert "Regionkoordinatorn" in text and "arbetar i hela länet" in text, where
            assert "Jämställdhetsmyndighetens stödtelefon för yrkesverksamma, 020-39 00 00" in text, where
            # The national method support.
            assert "Jämställdhetsmyndighetens nationella metodstöd" in text and "NSPM" in text, where
            # The police: 112 when it is acute, 114 14 otherwise.
            assert "Polisen" in text and "ring 114 14" in text, where
            # What happens to a resident met in a police operation.
            assert "Vid polisens insatser mot sexköp i Stockholm" in text, where
            assert "informeras kommunen" in text and "med personens samtycke" in text, where
            # How the municipality joins, and whom it asks meanwhile.
            assert f"Vill {m.name} ansluta sig tecknar kommunen avtal med Stockholms stad" in text, where
            assert "projektledaren för det länsövergripande erbjudandet" in text, where
            # Nothing here promises what only an agreement gives.
            assert "Invånarna kan få stöd av Mikamottagningen och KAST" not in text, where


def test_unknown_packs_tell_staff_to_check_and_meanwhile_use_the_not_joined_routes(course, view, default_dist):
    okand, ej = course.variants.okand, course.variants.ej_ansluten
    assert [(r.when, r.who, r.how) for r in okand.routes] == [(r.when, r.who, r.how) for r in ej.routes]
    for m in _by_status(view, "okänd"):
        texts = _section_texts(default_dist, m, view.fill(okand.title, m))
        for name, text in texts.items():
            assert f"Fråga socialtjänsten i {m.name} om kommunen har" in text, name
            assert "Till dess: gör som i en kommun utan avtal" in text, name


# --- every pack: the reader's municipality is never "staden" ---------------------------------------------------------

def test_packs_never_call_stockholm_staden_in_the_parts_about_the_municipality(course, view, default_dist):
    for m in view.pack_municipalities():
        folder = default_dist / "utbildning" / m.id
        texts = _section_texts(default_dist, m, view.fill(view.variant(course, m).title, m))
        for name in DOCS:  # the opening: its paragraphs up to the next heading
            blocks = _docx_blocks(folder / name)
            start = next(i for i, (style, _) in enumerate(blocks) if style == "Heading 1")
            end = next(i for i, (style, _) in enumerate(blocks) if i > start and style.startswith("Heading"))
            assert blocks[start][1] in ("Om materialet", "Om utbildningen"), blocks[start]
            texts[f"{name} (inledning)"] = "\n".join(text for style, text in blocks[start:end] if style != "row")
        for name, text in texts.items():
            assert not THE_CITY.findall(text), (m.id, name, THE_CITY.findall(text))
            assert not [w for w in STOCKHOLM_OFFICES if w in text.lower()], (m.id, name)
            assert "Stockholms stad" in text or "(inledning)" in name, (m.id, name)


# --- joined: one contact route per situation -------------------------------------------------------------------------

def test_joined_packs_give_one_contact_route_per_situation(course, view, default_dist):
    """What "one consistent contact route" means here, for every joined pack:

    1. The three documents give the same routes in the same words: the handout's and the trainer's guide's tables
       are the variant's routes (situation, whom, how) row by row, and the slides show every route (situation: whom)
       with the same "how" in the speaker notes.
    2. The variant section names exactly the phone numbers of those routes, no other; no unit's own "Kontakt:" line
       is repeated beside them.
    3. Each service is reached one way: every sentence that names the regionkoordinator and a number gives
       020-39 00 00; every sentence that names socialjouren and a number gives 112 and nothing else; no sentence
       gives Mikamottagningen or KAST a number (the route to them is the municipality's social services).
    """
    variant = course.variants.ansluten
    assert variant.routes
    packs = _by_status(view, "ansluten")
    assert len(packs) >= 15
    for m in packs:
        folder = default_dist / "utbildning" / m.id
        title = view.fill(variant.title, m)
        routes = [tuple(" ".join(view.fill(x, m).split()) for x in (r.when, r.who, r.how)) for r in variant.routes]
        # 1. the same routes everywhere
        for name in DOCS:
            assert _table_rows(_docx_section(folder / name, title)) == [" | ".join(r) for r in routes], (m.id, name)
        slides = _slide_section(folder / "presentation.pptx", title)
        route_slides = [s for s in slides if s["title"].startswith("Vart ni vänder er")]
        bullets = [line for s in route_slides for line in s["body"].splitlines()]
        assert bullets == [f"{when}: {who}" for when, who, _ in routes], m.id
        notes = " ".join(s["notes"] for s in route_slides)
        assert all(f"{when}: {who}. {how}" in notes for when, who, how in routes), m.id
        # 2. only the routes' numbers, and no unit contact lines
        wanted = {n for r in routes for n in PHONE.findall(r[2])}
        assert wanted == {"112", "114 14", "020-39 00 00"}
        for name, text in _section_texts(default_dist, m, title).items():
            assert set(PHONE.findall(text)) == wanted, (m.id, name, set(PHONE.findall(text)) ^ wanted)
            assert "Kontakt:" not in text, (m.id, name)
            # 3. one way to each service
            for sentence in re.split(r"(?<=[.!?])\s+|\n", text):
                numbers = set(PHONE.findall(sentence))
                lowered = sentence.lower()
                if "regionkoordinator" in lowered and numbers:
                    assert numbers == {"020-39 00 00"}, (m.id, name, sentence)
                if "socialjour" in lowered and numbers:
                    assert numbers == {"112"}, (m.id, name, sentence)
                if ("mikamottagningen" in lowered or "kast" in lowered) and numbers:
                    pytest.fail(f"{m.id} {name}: ett nummer till Mikamottagningen eller KAST: {sentence}")


def test_variant_routes_only_use_allowed_contact_routes(project, course):
    allowed = {e.value for a in project.allowlists.values() for e in a.entries}
    for key, variant in (("ansluten", course.variants.ansluten), ("ej ansluten", course.variants.ej_ansluten),
                         ("okänd", course.variants.okand)):
        for r in variant.routes:
            assert set(PHONE.findall(r.how)) <= allowed, (key, r.how)
            assert r.sources, (key, r.when)
