"""The training presentations (issue 15, slides): our own slide master, short slides, and text that fits.

Every slide of every generated pack is measured: each paragraph is wrapped at its placeholder's width with the
font's own metrics (Liberation Sans, which has Arial's metrics, the master's font), at 1.2 × the font size per
line, with the space before each paragraph; the total must fit the placeholder's height. One pack is also
rendered by LibreOffice, and no word may land below the text area, where the footer is.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pptx
import pytest
from lxml import etree
from pptx.enum.shapes import PP_PLACEHOLDER as PH

from conftest import ROOT
from generators.pipeline import check_content
from generators.render import documents, slides
from generators.render.context import View

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
EMU_PER_PT = 12700
MAX_WORDS = 40
NOT_BODY = {PH.TITLE, PH.CENTER_TITLE, PH.FOOTER, PH.SLIDE_NUMBER, PH.DATE}
DATE = slides.build_date(1796256000)  # SOURCE_DATE_EPOCH in conftest.run_cli
FONTS = [Path("/usr/share/fonts/truetype/liberation2"), Path("/usr/share/fonts/truetype/liberation")]


@pytest.fixture(scope="module")
def project():
    p, _ = check_content(ROOT / "content")
    return p


def _packs(default_dist: Path) -> list[Path]:
    packs = sorted((default_dist / "utbildning").glob("**/presentation.pptx"))
    assert packs
    return packs


# --- measuring -----------------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _font(bold: bool, size: float):
    """Liberation Sans at ``size`` points (measured in points); None when it is not installed."""
    from PIL import ImageFont

    name = "LiberationSans-Bold.ttf" if bold else "LiberationSans-Regular.ttf"
    for folder in FONTS:
        if (folder / name).is_file():
            return ImageFont.truetype(str(folder / name), size=max(1, round(size * 10)))
    return None


def _width(text: str, size: float, bold: bool) -> float:
    """Text width in points: the font's metrics, or a conservative 0.6 em per character without the font."""
    font = _font(bold, size)
    if font is None:
        return len(text) * size * 0.6
    return font.getlength(text) / 10


def _levels(el) -> dict[int, etree._Element]:
    """lvl1pPr … lvl9pPr of a list style (a:lstStyle or p:bodyStyle), by level 0–8."""
    out = {}
    if el is None:
        return out
    for i in range(9):
        found = el.find(f"{A}lvl{i + 1}pPr")
        if found is not None:
            out[i] = found
    return out


class Styles:
    """What a paragraph inherits: its shape's list style, the layout's placeholder, the master's text styles."""

    def __init__(self, slide, shape):
        self.chain = []
        sp = shape._element
        self.chain.append(_levels(sp.find(f"{P}txBody/{A}lstStyle")))
        self.body_pr = [sp.find(f"{P}txBody/{A}bodyPr")]
        kind = shape.placeholder_format.type if shape.is_placeholder else None
        if shape.is_placeholder:
            idx = shape.placeholder_format.idx
            for layout_shape in slide.slide_layout.placeholders:
                if layout_shape.placeholder_format.idx == idx:
                    el = layout_shape._element
                    self.chain.append(_levels(el.find(f"{P}txBody/{A}lstStyle")))
                    self.body_pr.append(el.find(f"{P}txBody/{A}bodyPr"))
        master = slide.slide_layout.slide_master._element
        styles = master.find(f"{P}txStyles")
        if kind in (PH.TITLE, PH.CENTER_TITLE):
            self.chain.append(_levels(styles.find(f"{P}titleStyle")))
        elif shape.is_placeholder:
            self.chain.append(_levels(styles.find(f"{P}bodyStyle")))
        else:
            self.chain.append(_levels(styles.find(f"{P}otherStyle")))

    def level(self, lvl: int, what: str, attr: str | None = None):
        """The first definition of ``what`` (a child of lvlNpPr, or of its defRPr) along the chain."""
        for levels in self.chain:
            pp = levels.get(lvl)
            if pp is None:
                continue
            if attr is not None:  # an attribute of lvlNpPr or defRPr
                holder = pp.find(f"{A}defRPr") if what == "defRPr" else pp
                if holder is not None and holder.get(attr) is not None:
                    return holder.get(attr)
            else:
                found = pp.find(f"{A}{what}")
                if found is not None:
                    return found
        return None

    def inset(self, side: str, default: int) -> int:
        for bp in self.body_pr:
            if bp is not None and bp.get(side) is not None:
                return int(bp.get(side))
        return default


def _paragraph(para, styles: Styles) -> tuple[float, float, bool, float, str]:
    """(font size, space before, bold, left margin in points, text) of one paragraph."""
    ppr = para.find(f"{A}pPr")
    lvl = int(ppr.get("lvl", 0)) if ppr is not None else 0
    sizes = [int(r.get("sz")) for r in para.iter(f"{A}rPr") if r.get("sz")]
    size = (max(sizes) if sizes else int(styles.level(lvl, "defRPr", "sz") or 1800)) / 100
    bolds = [r.get("b") for r in para.iter(f"{A}rPr")]
    bold = "1" in bolds or (not any(bolds) and styles.level(lvl, "defRPr", "b") == "1")
    before = 0.0
    spc = ppr.find(f"{A}spcBef") if ppr is not None else None
    spc = spc if spc is not None else styles.level(lvl, "spcBef")
    if spc is not None:
        pts, pct = spc.find(f"{A}spcPts"), spc.find(f"{A}spcPct")
        before = int(pts.get("val")) / 100 if pts is not None else int(pct.get("val")) / 100000 * size * 1.2
    mar = ppr.get("marL") if ppr is not None and ppr.get("marL") is not None else styles.level(lvl, "", "marL")
    text = "".join(t.text or "" for t in para.iter(f"{A}t"))
    return size, before, bold, int(mar or 0) / EMU_PER_PT, text


def _lines(text: str, width: float, size: float, bold: bool) -> int:
    """How many lines the text takes, wrapped at spaces (a word longer than the line takes lines of its own)."""
    lines, current = 1, ""
    for word in text.split():
        trial = f"{current} {word}" if current else word
        if _width(trial, size, bold) <= width:
            current = trial
            continue
        if current:
            lines += 1
        current = word
        while _width(current, size, bold) > width:  # an overlong word breaks
            lines += 1
            cut = max(1, int(len(current) * width / _width(current, size, bold)))
            current = current[cut:]
    return lines


def text_height(slide, shape) -> tuple[float, float]:
    """(estimated text height, room in the placeholder), both in points."""
    styles = Styles(slide, shape)
    width = shape.width / EMU_PER_PT - (styles.inset("lIns", 91440) + styles.inset("rIns", 91440)) / EMU_PER_PT
    room = shape.height / EMU_PER_PT - (styles.inset("tIns", 45720) + styles.inset("bIns", 45720)) / EMU_PER_PT
    total = 0.0
    for para in shape._element.find(f"{P}txBody").findall(f"{A}p"):
        size, before, bold, mar, text = _paragraph(para, styles)
        n = _lines(text, width - mar, size, bold) if text.strip() else 1
        total += before + n * 1.2 * size
    return total, room


def body_words(slide) -> int:
    return sum(len(shape.text_frame.text.split()) for shape in slide.shapes if shape.has_text_frame
               and not (shape.is_placeholder and shape.placeholder_format.type in NOT_BODY))


# --- every slide of every pack --------------------------------------------------------------------

def test_no_slide_has_more_than_40_body_words(default_dist):
    too_long = []
    for path in _packs(default_dist):
        for i, slide in enumerate(pptx.Presentation(str(path)).slides, 1):
            if body_words(slide) > MAX_WORDS:
                too_long.append((path.parent.name, i, slide.shapes.title.text, body_words(slide)))
    assert too_long == []


def test_text_fits_its_placeholder_on_every_slide(default_dist):
    """Font metrics, not a guess: every text frame's wrapped height is within its placeholder."""
    overflow = []
    for path in _packs(default_dist):
        for i, slide in enumerate(pptx.Presentation(str(path)).slides, 1):
            for shape in slide.shapes:
                if not shape.has_text_frame or not shape.text_frame.text.strip():
                    continue
                need, room = text_height(slide, shape)
                if need > room:
                    overflow.append((path.parent.name, i, shape.name, round(need), round(room)))
    assert overflow == []


def test_the_measure_sees_an_overflow():
    """The fit test is not vacuous: 14 long items in the body of our master do not fit."""
    prs = pptx.Presentation(str(ROOT / "templates" / "documents" / "reference.pptx"))
    slide = prs.slides.add_slide(next(lay for lay in prs.slide_layouts if lay.name == "Title and Content"))
    body = slide.placeholders[1]
    body.text_frame.text = "\n".join(["Regionkoordinatorn bedömer, ansöker och samordnar stödet"] * 14)
    need, room = text_height(slide, body)
    assert need > room
    body.text_frame.text = "\n".join(["Regionkoordinatorn bedömer, ansöker och samordnar stödet"] * 5)
    need, room = text_height(slide, body)
    assert need < room


def test_the_course_has_50_to_70_slides(default_dist):
    counts = {path.parent.name: len(pptx.Presentation(str(path)).slides) for path in _packs(default_dist)}
    assert all(50 <= n <= 70 for n in counts.values()), counts


def test_bullets_are_real_lists(default_dist):
    """No list written out as text ("- a) …", "\\- …", "• …"): list items are paragraphs with bullets or numbers."""
    for path in _packs(default_dist):
        prs = pptx.Presentation(str(path))
        for i, slide in enumerate(prs.slides, 1):
            texts = [p.text for sh in slide.shapes if sh.has_text_frame for p in sh.text_frame.paragraphs]
            texts += [p.text for p in slide.notes_slide.notes_text_frame.paragraphs]
            for text in texts:
                assert not re.search(r"(^|\s)\\?[-•] [a-f]\)|\\-|^\s*[-•] ", text), (path.parent.name, i, text)
                assert not re.match(r"\d+\. ", text), (path.parent.name, i, text)  # numbers are the list's own


def test_definitions_in_the_notes_keep_their_lists(default_dist, project):
    prs = pptx.Presentation(str(default_dist / "utbildning" / "solna" / "presentation.pptx"))
    paras = [p for s in prs.slides for p in s.notes_slide.notes_text_frame.paragraphs]
    item = next(p for p in paras if p.text.startswith("akut sjukvård"))
    assert item._p.find(f"{A}pPr/{A}buAutoNum").get("type") == "alphaLcParenR"


# --- the master, the footer, the numbers and the title slide ---------------------------------------

def test_the_presentation_uses_our_master_with_slide_numbers(default_dist):
    for path in _packs(default_dist):
        prs = pptx.Presentation(str(path))
        assert prs.slide_master.name == slides.NAME
        with zipfile.ZipFile(path) as zf:
            theme = etree.fromstring(zf.read("ppt/theme/theme1.xml"))
        assert theme.get("name") == slides.NAME
        assert (prs.slide_width, prs.slide_height) == (slides.SLIDE_W, slides.SLIDE_H)
        layout = next(lay for lay in prs.slide_layouts if lay.name == "Title and Content")
        assert {ph.placeholder_format.type for ph in layout.placeholders} >= {PH.SLIDE_NUMBER, PH.FOOTER}
        for i, slide in enumerate(prs.slides, 1):
            if i == 1:
                continue
            kinds = {sh.placeholder_format.type: sh for sh in slide.placeholders}
            number = kinds[PH.SLIDE_NUMBER]._element
            fields = list(number.iter(f"{A}fld"))
            assert [f.get("type") for f in fields] == ["slidenum"] and fields[0].findtext(f"{A}t") == str(i)
            assert kinds[PH.FOOTER].text_frame.text.endswith(f" · {DATE}"), (path, i)


def test_footer_and_title_slide_name_the_municipality_course_organiser_and_date(default_dist, project):
    view = View(project)
    course = project.courses["grundutbildning"]
    for m in view.pack_municipalities():
        prs = pptx.Presentation(str(default_dist / "utbildning" / m.id / "presentation.pptx"))
        title = prs.slides[0]
        assert title.slide_layout.name == "Title Slide"
        texts = {ph.placeholder_format.type: ph.text_frame.text for ph in title.placeholders}
        organiser = next(ph.text_frame.text for ph in title.placeholders
                         if ph.placeholder_format.idx == slides.ORGANISER_IDX)
        assert texts[PH.CENTER_TITLE] == course.title
        assert texts[PH.SUBTITLE] == f"{m.name} · Utkast, inte fastställt"  # a course records no decision
        assert "Utkast – inte fastställt." in title.notes_slide.notes_text_frame.text
        assert texts[PH.DATE] == DATE
        assert organiser.split("\n") == [project.organisation.name, view.unit_name(course.offer)]
        footers = {ph.text_frame.text for s in list(prs.slides)[1:] for ph in s.placeholders
                   if ph.placeholder_format.type == PH.FOOTER}
        assert footers == {f"{m.name} · {DATE}"}


def test_master_colours_are_accessible():
    """Contrast (WCAG) of the master's colours: titles and text on white, white on the dark blue."""
    def lum(hex_colour: str) -> float:
        rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    def contrast(x: str, y: str) -> float:
        hi, lo = sorted((lum(x), lum(y)), reverse=True)
        return (hi + 0.05) / (lo + 0.05)

    assert contrast(slides.WHITE, slides.NAVY) > 7
    assert contrast(slides.INK, slides.WHITE) > 7
    assert contrast(slides.NAVY, slides.WHITE) > 7
    assert contrast(slides.MUTED, slides.WHITE) > 7  # the 12 pt footer
    assert contrast(slides.ACCENT, slides.WHITE) > 4.5  # bullets and the bar
    prs = pptx.Presentation(str(ROOT / "templates" / "documents" / "reference.pptx"))
    for layout in prs.slide_layouts:
        if layout.name in ("Title Slide", "Section Header"):
            fill = layout._element.find(f"{P}cSld/{P}bg/{P}bgPr/{A}solidFill/{A}srgbClr")
            assert fill.get("val") == slides.NAVY


def test_reference_pptx_is_made_by_its_function(tmp_path):
    """The committed slide master is exactly what `make reference-pptx` writes: no hand edits to lose."""
    slides.make_reference_pptx(tmp_path / "reference.pptx")
    assert (tmp_path / "reference.pptx").read_bytes() == \
        (ROOT / "templates" / "documents" / "reference.pptx").read_bytes()


# --- sources --------------------------------------------------------------------------------------

def test_sources_slides_list_every_source_once(default_dist, project):
    view = View(project)
    course = project.courses["grundutbildning"]
    for m in view.pack_municipalities():
        prs = pptx.Presentation(str(default_dist / "utbildning" / m.id / "presentation.pptx"))
        listed = [p.text for s in prs.slides if s.shapes.title.text.startswith("Källor")
                  for p in s.placeholders[1].text_frame.paragraphs]
        variant = view.variant(course, m)
        ids = list(dict.fromkeys(s.id for s in course.sources + variant.sources
                                 + (m.sources if m.local else [])))
        assert len(listed) == len(set(listed)) == len(ids), m.id
        for sid in ids:
            assert any(t.startswith(view.source(sid).title) for t in listed), (m.id, sid)


# --- as LibreOffice shows it ------------------------------------------------------------------------

def _stray_words(pdf: Path) -> list[tuple[int, str]]:
    """Words that LibreOffice put below the body's bottom edge, other than on the footer line, page by page."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    root = etree.fromstring(out.encode("utf-8"), etree.XMLParser(recover=True))
    x, y, w, h = slides.BODY_BOX
    bottom = (y + h) / slides.SLIDE_H  # as a share of the page height
    footer_top = slides.FOOT_Y / slides.SLIDE_H
    stray = []
    for n, page in enumerate(root.findall(".//{*}page"), 1):
        height = float(page.get("height"))
        for word in page.findall("{*}word"):
            y_min, y_max = float(word.get("yMin")) / height, float(word.get("yMax")) / height
            if y_max > 1.0 or (y_max > bottom + 0.01 and y_min < footer_top - 0.005):
                stray.append((n, word.text))
    return stray


def test_libreoffice_renders_no_text_below_the_text_area(default_dist, tmp_path):
    """One pack through LibreOffice: below the body's bottom edge there is only the footer line. A copy with one
    slide overfilled on purpose shows that the check sees text that runs off."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice or pdftotext saknas; testet körs i CI.")
    src = tmp_path / "botkyrka.pptx"
    shutil.copy(default_dist / "utbildning" / "botkyrka" / "presentation.pptx", src)
    broken = pptx.Presentation(str(src))
    body = next(sh for sh in broken.slides[1].placeholders if sh.placeholder_format.idx == 1)
    body.text_frame.text = "\n".join(["Regionkoordinatorn bedömer, ansöker och samordnar stödet"] * 12)
    broken.save(str(tmp_path / "overfilled.pptx"))
    r = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(tmp_path), str(src), str(tmp_path / "overfilled.pptx")],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert {n for n, _ in _stray_words(tmp_path / "overfilled.pdf")} == {2}
    assert _stray_words(tmp_path / "botkyrka.pdf") == []
    pages = subprocess.run(["pdfinfo", str(tmp_path / "botkyrka.pdf")], capture_output=True, text=True).stdout
    assert re.search(r"^Pages:\s+(\d+)$", pages, re.M).group(1) == str(len(pptx.Presentation(str(src)).slides))


# --- the trainer's guide names the slides ---------------------------------------------------------------------------


def test_slides_are_counted_as_pandoc_makes_them_and_a_missing_one_is_an_error():
    from generators.render.templating import pandoc_escape

    odd = "Lagen [SFS 2005:716] # 2"  # a title as the presentation writes it: escaped for pandoc
    assert str(pandoc_escape(odd)) != odd
    markdown = ("---\nauthor:\n- |\n  X\n---\n\n## Upplägg\n\n1. a\n\n::: notes\n# not a slide\n:::\n\n"
                f"# Modul 1: Begrepp\n\n## {pandoc_escape(odd)}\n\n## Testa dig själv (1 av 2)\n\n"
                "## Testa dig själv (2 av 2)\n\n# Det här gäller i Ekerö\n\n## Det här gäller i Ekerö\n\n"
                "## Vart ni vänder er\n")
    titles = slides.slide_titles(markdown)
    assert titles == ["", "Upplägg", "Modul 1: Begrepp", str(pandoc_escape(odd)), "Testa dig själv (1 av 2)",
                      "Testa dig själv (2 av 2)", "Det här gäller i Ekerö", "Det här gäller i Ekerö", "Vart ni vänder er"]
    slide = slides.SlideNumbers(titles)
    assert [slide("Modul 1: Begrepp"), slide(odd), slide("Testa dig själv"), slide("Det här gäller i Ekerö", 2),
            slide("Vart ni vänder er")] == ["Bild 3", "Bild 4", "Bilderna 5–6", "Bilderna 7–8", "Bild 9"]
    with pytest.raises(slides.SlideNotFound) as err:
        slide("Upplägg")  # only looked for after the last slide found: the guide follows the presentation
    assert str(err.value) == ("Utbildarhandledningen nämner bilden ”Upplägg”, men presentationen har ingen sådan bild "
                              "efter bild 9.")


def test_the_trainer_guide_names_the_slides_it_goes_with(project, default_dist):
    """Each module, part, self-test and the municipality's section in the guide names its slides ("Bild 4",
    "Bilderna 10–11"), and those are the slides with that title in the same pack's presentation."""
    import docx

    course = project.courses["grundutbildning"]
    modules = [project.modules[m] for m in course.modules]
    expected = len(modules) * 2 + sum(len(m.segments) for m in modules) + 1
    for m in View(project).pack_municipalities():
        folder = default_dist / "utbildning" / m.id
        titles = [s.shapes.title.text if s.shapes.title is not None else "" for s in
                  pptx.Presentation(str(folder / "presentation.pptx")).slides]
        heading, named = None, []
        for para in docx.Document(str(folder / "utbildarhandledning.docx")).paragraphs:
            if para.style.name.startswith("Heading"):
                heading = para.text
                continue
            found = re.match(r"Bild(?:erna)? (\d+)(?:–(\d+))?\b", para.text)
            if found and heading is not None:
                named.append((heading, int(found.group(1)), int(found.group(2) or found.group(1))))
        assert len(named) >= expected, (m.id, len(named))
        for heading, first, last in named:
            part = re.sub(r" \(\d+ min\)$", "", heading)
            want = {"Självtest med svar": "Testa dig själv"}.get(part, part)
            shown = titles[first - 1:last]
            assert shown and all(t == want or t.startswith(f"{want} (") or t.endswith(f": {want}") for t in shown), \
                (m.id, heading, first, last, shown)
