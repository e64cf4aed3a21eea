"""The slide master of the training packs, and the finishing that pandoc leaves to us.

``templates/documents/reference.pptx`` is made here (``make reference-pptx``) from pandoc's own reference
presentation, the way ``reference.docx`` is: the layouts keep the names pandoc looks for, and get a design of
our own. Widescreen (13.33 × 7.5 in), Arial, dark text on white, the site's dark blue for the titles and for the
title and section slides (white on it: 12:1), a thin accent bar, and a footer row with the municipality, the date
and the slide number. The text does not shrink to fit: the template keeps every slide short enough instead, and
tests/test_slides.py measures it.

After pandoc, :func:`finish_slides` writes what pandoc cannot: the footer and the slide number on every slide,
and the organiser and the date on the title slide.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import subprocess
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from lxml import etree

from .templating import pandoc_escape, sv_date

NAME = "Handbok"  # the theme's and the slide master's name: how a test knows the master is ours
FONT = "Arial"  # LibreOffice shows it as Liberation Sans, which has the same metrics

# Colours, as in templates/overrides/assets/stylesheets/handbok.css. Contrast on white: INK 17.4:1, NAVY 12.6:1,
# MUTED 8.9:1, ACCENT 8.3:1; white on NAVY 12.6:1.
INK, NAVY, ACCENT, MUTED, WHITE, LIGHT, PINK = "1A1A1A", "00365D", "A3003B", "474747", "FFFFFF", "E8EEF4", "FF8FB4"

IN = 914400  # EMU per inch
PT = 12700  # EMU per point
SLIDE_W, SLIDE_H = 12192000, 6858000  # 13.333 × 7.5 in, PowerPoint's widescreen
MARGIN = int(0.75 * IN)
WIDTH = SLIDE_W - 2 * MARGIN

# Where things go on a content slide (x, y, width, height)
TITLE_BOX = (MARGIN, int(0.3 * IN), WIDTH, int(1.3 * IN))
BAR_BOX = (MARGIN, int(1.68 * IN), int(1.2 * IN), int(0.06 * IN))
BODY_BOX = (MARGIN, int(1.95 * IN), WIDTH, int(4.65 * IN))
FOOT_Y, FOOT_H = int(6.78 * IN), int(0.4 * IN)
FOOTER_BOX = (MARGIN, FOOT_Y, int(7.5 * IN), FOOT_H)
DATE_BOX = (MARGIN + int(7.6 * IN), FOOT_Y, int(2.2 * IN), FOOT_H)
NUMBER_BOX = (SLIDE_W - MARGIN - int(1.5 * IN), FOOT_Y, int(1.5 * IN), FOOT_H)

TITLE_PT, BODY_PT, FOOTER_PT = 32, 26, 12
BODY_LEVELS = [  # (size in points, left margin in EMU, space before in points, bullet)
    (26, 342900, 12, "•"), (22, 800100, 6, "–"), (18, 1200150, 6, "•"), (18, 1600200, 6, "–"), (18, 2000250, 6, "•"),
    (18, 2400300, 6, "–"), (18, 2800350, 6, "•"), (18, 3200400, 6, "–"), (18, 3600450, 6, "•")]

# The title slide's extra placeholder: who gives the course. finish_slides fills it in.
ORGANISER_IDX = 13
DATE_IDX, FOOTER_IDX, NUMBER_IDX = 10, 11, 12

NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
_XMLNS = " ".join(f'xmlns:{k}="{v}"' for k, v in NS.items())
_SLIDENUM_ID = "{6A1B7C2D-3E4F-4A5B-8C6D-7E8F9A0B1C2D}"
_DATE_ID = "{5B2C8D3E-4F5A-4B6C-9D7E-8F9A0B1C2D3E}"
_DECORATIVE = ('<a:extLst><a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}"><adec:decorative '
               'xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="1"/></a:ext></a:extLst>')


# --- the master -------------------------------------------------------------------------------

def _fill(colour: str) -> str:
    return f'<a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>'


def _rpr(size: int, colour: str, bold: bool = False, font: str = "+mn") -> str:
    b = ' b="1"' if bold else ' b="0"'
    return (f'<a:defRPr sz="{size * 100}"{b} kern="1200">{_fill(colour)}<a:latin typeface="{font}-lt"/>'
            f'<a:ea typeface="{font}-ea"/><a:cs typeface="{font}-cs"/></a:defRPr>')


def _body_pr(anchor: str = "t", vert: str = "horz") -> str:
    return (f'<a:bodyPr vert="{vert}" wrap="square" lIns="0" tIns="45720" rIns="0" bIns="45720" rtlCol="0" '
            f'anchor="{anchor}"><a:noAutofit/></a:bodyPr>')


def _plain_level(size: int, colour: str, bold: bool = False, align: str = "l", font: str = "+mn") -> str:
    return (f'<a:lvl1pPr marL="0" indent="0" algn="{align}"><a:lnSpc><a:spcPct val="100000"/></a:lnSpc>'
            f'<a:spcBef><a:spcPts val="0"/></a:spcBef><a:buNone/>{_rpr(size, colour, bold, font)}</a:lvl1pPr>')


def _bullet_levels(colour: str, bullet: str, scale: float = 1.0) -> str:
    out = []
    for i, (size, mar, before, char) in enumerate(BODY_LEVELS, 1):
        size = max(12, round(size * scale))
        out.append(f'<a:lvl{i}pPr marL="{mar}" indent="-342900" algn="l" defTabSz="914400" rtl="0" eaLnBrk="1" '
                   f'latinLnBrk="0" hangingPunct="1"><a:lnSpc><a:spcPct val="100000"/></a:lnSpc>'
                   f'<a:spcBef><a:spcPts val="{before * 100}"/></a:spcBef><a:buClr><a:srgbClr val="{bullet}"/></a:buClr>'
                   f'<a:buFont typeface="{FONT}"/><a:buChar char="{char}"/>{_rpr(size, colour)}</a:lvl{i}pPr>')
    return "".join(out)


def _ph(sid: int, name: str, ph: str, box: tuple[int, int, int, int], lst: str = "", anchor: str = "t",
        text: str = "", vert: str = "horz") -> str:
    x, y, w, h = box
    para = text or '<a:p><a:endParaRPr lang="sv-SE"/></a:p>'
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{sid}" name="{name}"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>'
            f'<p:nvPr>{ph}</p:nvPr></p:nvSpPr><p:spPr><a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{w}" cy="{h}"/>'
            f'</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr><p:txBody>{_body_pr(anchor, vert)}'
            f'<a:lstStyle>{lst}</a:lstStyle>{para}</p:txBody></p:sp>')


def _bar(sid: int, box: tuple[int, int, int, int], colour: str) -> str:
    """A decorative accent bar (marked decorative, so screen readers skip it)."""
    x, y, w, h = box
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{sid}" name="Accent">{_DECORATIVE}</p:cNvPr><p:cNvSpPr/><p:nvPr userDrawn="1"/>'
            f'</p:nvSpPr><p:spPr><a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{w}" cy="{h}"/></a:xfrm>'
            f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>{_fill(colour)}<a:ln><a:noFill/></a:ln></p:spPr>'
            f'<p:txBody><a:bodyPr rtlCol="0" anchor="ctr"/><a:lstStyle/><a:p><a:endParaRPr lang="sv-SE"/></a:p>'
            f'</p:txBody></p:sp>')


def _prompt(text: str) -> str:
    return f'<a:p><a:r><a:rPr lang="sv-SE"/><a:t>{xml_escape(text)}</a:t></a:r></a:p>'


def _footers(first_id: int, colour: str, idx: tuple[int, int, int] = (DATE_IDX, FOOTER_IDX, NUMBER_IDX),
             date_box: tuple[int, int, int, int] = DATE_BOX, date_level: str = "") -> str:
    d, f, n = idx
    return (
        _ph(first_id, "Datum", f'<p:ph type="dt" sz="half" idx="{d}"/>', date_box,
            date_level or _plain_level(FOOTER_PT, colour, align="r"), "ctr",
            f'<a:p><a:fld id="{_DATE_ID}" type="datetimeFigureOut"><a:rPr lang="sv-SE"/><a:t>Datum</a:t></a:fld></a:p>')
        + _ph(first_id + 1, "Sidfot", f'<p:ph type="ftr" sz="quarter" idx="{f}"/>', FOOTER_BOX,
              _plain_level(FOOTER_PT, colour), "ctr")
        + _ph(first_id + 2, "Bildnummer", f'<p:ph type="sldNum" sz="quarter" idx="{n}"/>', NUMBER_BOX,
              _plain_level(FOOTER_PT, colour, bold=True, align="r"), "ctr",
              f'<a:p><a:fld id="{_SLIDENUM_ID}" type="slidenum"><a:rPr lang="sv-SE"/><a:t>‹#›</a:t></a:fld></a:p>'))


def _tree(shapes: str) -> str:
    return ('<p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr>'
            '<a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm>'
            f'</p:grpSpPr>{shapes}</p:spTree>')


def _background(colour: str) -> str:
    return f'<p:bg><p:bgPr>{_fill(colour)}<a:effectLst/></p:bgPr></p:bg>'


def master_xml(layout_ids: str) -> str:
    title = _plain_level(TITLE_PT, NAVY, bold=True, font="+mj").replace("<a:lvl1pPr ", '<a:lvl1pPr defTabSz="914400" ')
    other = "".join(f'<a:lvl{i}pPr marL="{(i - 1) * 457200}" algn="l" defTabSz="914400">{_rpr(18, INK)}</a:lvl{i}pPr>'
                    for i in range(1, 10))
    shapes = (_ph(2, "Rubrik", '<p:ph type="title"/>', TITLE_BOX, anchor="b", text=_prompt("Rubrik"))
              + _ph(3, "Innehåll", '<p:ph type="body" idx="1"/>', BODY_BOX, text=_prompt("Text"))
              + _footers(4, MUTED, (2, 3, 4)))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<p:sldMaster {_XMLNS}>'
            f'<p:cSld name="{NAME}">{_background(WHITE)}{_tree(shapes)}</p:cSld>'
            '<p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" accent3="accent3" '
            'accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink" folHlink="folHlink"/>'
            f'{layout_ids}<p:txStyles><p:titleStyle>{title}</p:titleStyle>'
            f'<p:bodyStyle>{_bullet_levels(INK, ACCENT)}</p:bodyStyle>'
            f'<p:otherStyle><a:defPPr><a:defRPr lang="sv-SE"/></a:defPPr>{other}</p:otherStyle></p:txStyles>'
            '</p:sldMaster>')


def _layout(kind: str, name: str, shapes: str, background: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<p:sldLayout {_XMLNS} type="{kind}" '
            f'preserve="1"><p:cSld name="{name}">{background}{_tree(shapes)}</p:cSld>'
            '<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>')


def _title(sid: int, box: tuple[int, int, int, int] = TITLE_BOX, vert: str = "horz", orient: str = "") -> str:
    return _ph(sid, "Rubrik", f'<p:ph type="title"{orient}/>', box, anchor="b", text=_prompt("Rubrik"), vert=vert)


def _content(sid: int, idx: int, box: tuple[int, int, int, int], kind: str = "", size: str = "",
             lst: str = "", prompt: str = "Text") -> str:
    attrs = (f' type="{kind}"' if kind else "") + (f' sz="{size}"' if size else "") + f' idx="{idx}"'
    return _ph(sid, f"Innehåll {idx}", f"<p:ph{attrs}/>", box, lst, text=_prompt(prompt))


def layouts_xml() -> dict[str, str]:
    """Every layout pandoc knows, by name, with our geometry."""
    x, y, w, h = BODY_BOX
    half = (w - int(0.4 * IN)) // 2
    left, right = (x, y, half, h), (x + half + int(0.4 * IN), y, half, h)
    head = int(0.6 * IN)
    heading = _plain_level(BODY_PT, NAVY, bold=True)
    white_title = _plain_level(40, WHITE, bold=True, font="+mj")
    caption_w = int(4.2 * IN)
    out = {}

    # Title slide: the course on the site's dark blue; the municipality, the organiser and the date below the bar.
    out["Title Slide"] = _layout("title", "Title Slide", _ph(
        2, "Rubrik", '<p:ph type="ctrTitle"/>', (MARGIN, int(1.2 * IN), WIDTH, int(2.7 * IN)), white_title, "b",
        _prompt("Utbildningens namn"))
        + _bar(3, (MARGIN, int(4.08 * IN), int(1.5 * IN), int(0.08 * IN)), PINK)
        + _ph(4, "Underrubrik", '<p:ph type="subTitle" idx="1"/>', (MARGIN, int(4.3 * IN), WIDTH, int(0.65 * IN)),
              _plain_level(28, WHITE, bold=True), "t", _prompt("Kommun"))
        + _ph(5, "Arrangör", f'<p:ph type="body" sz="quarter" idx="{ORGANISER_IDX}"/>',
              (MARGIN, int(5.0 * IN), WIDTH, int(0.95 * IN)), _plain_level(20, WHITE), "t", _prompt("Arrangör"))
        + _footers(6, WHITE, date_box=(MARGIN, int(6.0 * IN), WIDTH, int(0.5 * IN)), date_level=_plain_level(20, WHITE)),
        _background(NAVY))

    out["Title and Content"] = _layout("obj", "Title and Content", _title(2) + _bar(3, BAR_BOX, ACCENT)
                                       + _content(4, 1, BODY_BOX) + _footers(5, MUTED))

    out["Section Header"] = _layout("secHead", "Section Header", _ph(
        2, "Rubrik", '<p:ph type="title"/>', (MARGIN, int(1.8 * IN), WIDTH, int(2.6 * IN)), white_title, "b",
        _prompt("Avsnitt"))
        + _bar(3, (MARGIN, int(4.6 * IN), int(1.5 * IN), int(0.08 * IN)), PINK)
        + _ph(4, "Text", '<p:ph type="body" idx="1"/>', (MARGIN, int(4.85 * IN), WIDTH, int(1.2 * IN)),
              _plain_level(20, WHITE), "t", _prompt("Text"))
        + _footers(5, WHITE), _background(NAVY))

    out["Two Content"] = _layout("twoObj", "Two Content", _title(2) + _bar(3, BAR_BOX, ACCENT)
                                 + _content(4, 1, left, size="half") + _content(5, 2, right, size="half")
                                 + _footers(6, MUTED))

    lh, rh = (left[0], y, half, head), (right[0], y, half, head)
    lc, rc = (left[0], y + head, half, h - head), (right[0], y + head, half, h - head)
    out["Comparison"] = _layout("twoTxTwoObj", "Comparison", _title(2) + _bar(3, BAR_BOX, ACCENT)
                                + _content(4, 1, lh, kind="body", lst=heading) + _content(5, 2, lc, size="half")
                                + _content(6, 3, rh, kind="body", size="quarter", lst=heading)
                                + _content(7, 4, rc, size="quarter") + _footers(8, MUTED))

    out["Title Only"] = _layout("titleOnly", "Title Only", _title(2) + _bar(3, BAR_BOX, ACCENT) + _footers(4, MUTED))
    out["Blank"] = _layout("blank", "Blank", _footers(2, MUTED))

    side_title = (MARGIN, int(0.5 * IN), caption_w, int(1.5 * IN))
    side_text = (MARGIN, int(2.2 * IN), caption_w, int(4.4 * IN))
    main = (MARGIN + caption_w + int(0.4 * IN), int(0.5 * IN), WIDTH - caption_w - int(0.4 * IN), int(6.1 * IN))
    caption = _plain_level(18, INK)
    out["Content with Caption"] = _layout("objTx", "Content with Caption", _title(2, side_title)
                                          + _content(3, 1, main) + _content(4, 2, side_text, kind="body", size="half",
                                                                            lst=caption) + _footers(5, MUTED))
    out["Picture with Caption"] = _layout("picTx", "Picture with Caption", _title(2, side_title)
                                          + _content(3, 1, main, kind="pic", prompt="Bild")
                                          + _content(4, 2, side_text, kind="body", size="half", lst=caption)
                                          + _footers(5, MUTED))
    out["Title and Vertical Text"] = _layout("vertTx", "Title and Vertical Text", _title(2) + _bar(3, BAR_BOX, ACCENT)
                                             + _ph(4, "Innehåll 1", '<p:ph type="body" orient="vert" idx="1"/>',
                                                   BODY_BOX, text=_prompt("Text"), vert="eaVert")
                                             + _footers(5, MUTED))
    tall = (SLIDE_W - MARGIN - int(2.0 * IN), int(0.5 * IN), int(2.0 * IN), int(6.1 * IN))
    out["Vertical Title and Text"] = _layout(
        "vertTitleAndTx", "Vertical Title and Text", _title(2, tall, "eaVert", ' orient="vert"')
        + _ph(3, "Innehåll 1", '<p:ph type="body" orient="vert" idx="1"/>',
              (MARGIN, int(0.5 * IN), WIDTH - int(2.4 * IN), int(6.1 * IN)), text=_prompt("Text"), vert="eaVert")
        + _footers(4, MUTED))
    return out


def _theme(raw: bytes) -> bytes:
    """pandoc's theme with our name, colours and fonts."""
    root = etree.fromstring(raw)
    a = NS["a"]
    root.set("name", NAME)
    scheme = root.find(f"{{{a}}}themeElements/{{{a}}}clrScheme")
    scheme.set("name", NAME)
    colours = {"dk1": INK, "lt1": WHITE, "dk2": NAVY, "lt2": LIGHT, "accent1": NAVY, "accent2": ACCENT,
               "accent3": "1C5A8A", "accent4": "5A5A5A", "accent5": "005A9E", "accent6": "6B2C91",
               "hlink": "005A9E", "folHlink": "6B2C91"}
    for el in list(scheme):
        key = etree.QName(el).localname
        for child in list(el):
            el.remove(child)
        etree.SubElement(el, f"{{{a}}}srgbClr", val=colours[key])
    fonts = root.find(f"{{{a}}}themeElements/{{{a}}}fontScheme")
    fonts.set("name", NAME)
    for part in ("majorFont", "minorFont"):
        fonts.find(f"{{{a}}}{part}/{{{a}}}latin").set("typeface", FONT)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _replace(element: Any, xml: str) -> None:
    """Put new XML into a part's root element, in place (python-pptx keeps references to the element)."""
    new = etree.fromstring(xml.encode("utf-8"))
    for key in list(element.attrib):
        del element.attrib[key]
    element.attrib.update(new.attrib)
    element[:] = list(new)


def make_reference_pptx(target: Path = Path("templates/documents/reference.pptx")) -> None:
    """Write ``reference.pptx``: pandoc's reference presentation with our master, layouts, theme and size.

    Run by ``make reference-pptx`` when the design should change; the file is committed, and a test checks that
    this function still writes exactly it.
    """
    import pptx
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    from .documents import EARLIEST_ZIP_DATE, LANG, normalize_zip, pandoc_path

    raw = subprocess.run([pandoc_path(), "--print-default-data-file", "reference.pptx"], capture_output=True,
                         check=True).stdout
    prs = pptx.Presentation(io.BytesIO(raw))
    # pandoc's sample slides are not part of the design
    ids = prs.slides._sldIdLst
    for sld in list(ids):
        prs.part.drop_rel(sld.rId)
        ids.remove(sld)
    pres = prs.part._element
    size = pres.find(f"{{{NS['p']}}}sldSz")
    size.attrib.pop("type", None)
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    for rpr in pres.iter(f"{{{NS['a']}}}defRPr"):
        if rpr.get("lang"):
            rpr.set("lang", LANG)
    master = prs.slide_master
    layout_ids = etree.tostring(master._element.find(f"{{{NS['p']}}}sldLayoutIdLst")).decode("utf-8")
    _replace(master._element, master_xml(layout_ids))
    designs = layouts_xml()
    for layout in master.slide_layouts:
        _replace(layout._element, designs[layout.name])
    theme = master.part.part_related_by(RT.THEME)
    theme._blob = _theme(theme.blob)
    props = prs.core_properties
    props.title = "Utbildningspaketen: bildmall"
    props.author = props.last_modified_by = "handbok"
    props.language = LANG
    props.revision = 1
    props.created = props.modified = dt.datetime(2026, 1, 1)
    target.parent.mkdir(parents=True, exist_ok=True)
    prs.save(str(target))
    normalize_zip(target, EARLIEST_ZIP_DATE)


# --- after pandoc ---------------------------------------------------------------------------------

_PH_IDX = {"dt": DATE_IDX, "ftr": FOOTER_IDX, "sldNum": NUMBER_IDX, "body": ORGANISER_IDX}


def _ph_of(sp: Any) -> Any:
    p = NS["p"]
    return sp.find(f"{{{p}}}nvSpPr/{{{p}}}nvPr/{{{p}}}ph")


def _placeholder(slide: Any, kind: str, idx: int | None = None) -> Any:
    """The slide's placeholder of this type (and index); added from its layout when pandoc left it out.

    The added one is a full copy of the layout's (position, text box and list style), not an empty shape that
    inherits them: LibreOffice does not take a footer's or a slide number's style from the layout.
    """
    p = NS["p"]
    want = str(idx if idx is not None else _PH_IDX[kind])

    def match(sp: Any) -> bool:
        ph = _ph_of(sp)
        return ph is not None and ph.get("type") == kind and (kind != "body" or ph.get("idx") == want)

    tree = slide.shapes._spTree
    found = next((sp for sp in tree.iter(f"{{{p}}}sp") if match(sp)), None)
    if found is not None:
        return found
    source = next((sp for sp in slide.slide_layout.shapes._spTree.iter(f"{{{p}}}sp") if match(sp)), None)
    if source is None:
        return None
    sp = copy.deepcopy(source)
    ids = [int(el.get("id")) for el in tree.iter(f"{{{p}}}cNvPr") if el.get("id", "").isdigit()]
    sp.find(f"{{{p}}}nvSpPr/{{{p}}}cNvPr").set("id", str(max(ids, default=1) + 1))
    tree.append(sp)
    return sp


def _set_text(sp: Any, lines: list[str], field: str = "") -> None:
    """Replace the placeholder's paragraphs with one per line (or one field, e.g. the slide number), formatted
    as its own list style says, so that it looks the same where the style is not inherited."""
    a = NS["a"]
    body = sp.find(f"{{{NS['p']}}}txBody")
    level = body.find(f"{{{a}}}lstStyle/{{{a}}}lvl1pPr")
    for para in body.findall(f"{{{a}}}p"):
        body.remove(para)
    for line in lines:
        para = etree.SubElement(body, f"{{{a}}}p")
        rpr = etree.Element(f"{{{a}}}rPr", lang="sv-SE")
        if level is not None:
            if level.get("algn"):
                etree.SubElement(para, f"{{{a}}}pPr", algn=level.get("algn"))
            default = level.find(f"{{{a}}}defRPr")
            if default is not None:
                for key in ("sz", "b"):
                    if default.get(key):
                        rpr.set(key, default.get(key))
                for child in default:
                    rpr.append(copy.deepcopy(child))
        if field:
            ident = _SLIDENUM_ID if field == "slidenum" else _DATE_ID
            run = etree.SubElement(para, f"{{{a}}}fld", id=ident, type=field)
        else:
            run = etree.SubElement(para, f"{{{a}}}r")
        run.append(rpr)
        etree.SubElement(run, f"{{{a}}}t").text = line


def build_date(epoch: int) -> str:
    """The build date in Swedish, e.g. '2 december 2026'."""
    return sv_date(dt.datetime.fromtimestamp(epoch, dt.timezone.utc).date())


def finish_slides(prs: Any, municipality: str, epoch: int) -> None:
    """The footer (municipality and date) and the slide number on every slide but the first; on the title slide,
    the organiser and the date.

    pandoc writes the title slide's subtitle and authors into one placeholder, separated by line breaks. The first
    line (the municipality) stays; the authors (the organiser, see presentation.md.j2) move to the layout's own
    organiser placeholder.
    """
    date = build_date(epoch)
    p = NS["p"]
    for number, slide in enumerate(prs.slides, 1):
        if number == 1 and slide.slide_layout.name == "Title Slide":
            sub = next((sp for sp in slide.shapes._spTree.iter(f"{{{p}}}sp")
                        if (ph := _ph_of(sp)) is not None and ph.get("type") == "subTitle"), None)
            if sub is not None:
                lines = _lines_of(sub)
                _set_text(sub, lines[:1])
                organiser = _placeholder(slide, "body", ORGANISER_IDX)
                if organiser is not None and any(lines[1:]):
                    _set_text(organiser, [ln for ln in lines[1:] if ln])
            when = _placeholder(slide, "dt")
            if when is not None:
                _set_text(when, [date])
            continue
        footer = _placeholder(slide, "ftr")
        if footer is not None:
            _set_text(footer, [f"{municipality} · {date}"])
        num = _placeholder(slide, "sldNum")
        if num is not None:
            _set_text(num, [str(number)], field="slidenum")
        # a date placeholder of pandoc's (from a date in the metadata) would repeat the footer's date
        for sp in list(slide.shapes._spTree.iter(f"{{{p}}}sp")):
            if (ph := _ph_of(sp)) is not None and ph.get("type") == "dt":
                sp.getparent().remove(sp)


def _lines_of(sp: Any) -> list[str]:
    """A text box's lines: its paragraphs, split at line breaks (pandoc separates subtitle and authors so)."""
    a = NS["a"]
    lines: list[str] = []
    for para in sp.iter(f"{{{a}}}p"):
        lines.append("")
        for el in para:
            if el.tag == f"{{{a}}}br":
                lines.append("")
            elif el.tag in (f"{{{a}}}r", f"{{{a}}}fld"):
                lines[-1] += el.findtext(f"{{{a}}}t") or ""
    return [ln.strip() for ln in lines]


# --- the slides as the trainer's guide names them ------------------------------------------------------------------

_CONTINUED = re.compile(r" \(\d+ av \d+\)")  # "Testa dig själv (2 av 3)": a list run on to a next slide (_slides.md.j2)


def slide_titles(markdown: str) -> list[str]:
    """The title of each slide pandoc makes of the presentation's Markdown (``--slide-level=2``), in order: the title
    slide from the metadata (""), then one slide per heading of level 1 (a module's title slide) or 2, outside the
    fenced divs of the speaker notes. The titles are as the Markdown writes them (escaped for pandoc)."""
    titles, depth = [""], 0
    for line in markdown.splitlines():
        if line.startswith(":::"):
            depth += -1 if line.strip() == ":::" else 1
        elif depth == 0 and line.startswith(("# ", "## ")):
            titles.append(line.split(" ", 1)[1].strip())
    return titles


class SlideNotFound(LookupError):
    """The guide names a slide that the presentation does not have (documents.render_markdown reports it)."""


class SlideNumbers:
    """The trainer's guide's "Bild 7" and "Bilderna 7–8": the slides titled ``title``, looked for from the last slide
    found on, as the guide follows the presentation. ``times``: that many such slides in a row (a section's title
    slide and the slide after it with the same title), each with the slides its list runs on to. A title the
    presentation does not have stops the build: a guide that named the wrong slide would send the trainer to it."""

    def __init__(self, titles: list[str]):
        self.titles, self.at = titles, 0

    def __call__(self, title: str, times: int = 1) -> str:
        want = str(pandoc_escape(title))

        def same(found: str) -> bool:
            return found == want or (found.startswith(want) and _CONTINUED.fullmatch(found[len(want):]) is not None)

        first = None
        for _ in range(times):
            i = next((i for i in range(self.at, len(self.titles)) if same(self.titles[i])), None)
            if i is None:
                raise SlideNotFound(f"Utbildarhandledningen nämner bilden ”{title}”, men presentationen har ingen "
                                    f"sådan bild efter bild {self.at}.")
            end = i + 1
            while end < len(self.titles) and self.titles[end] != want and same(self.titles[end]):
                end += 1
            first = i + 1 if first is None else first
            self.at = end
        return f"Bild {first}" if self.at == first else f"Bilderna {first}–{self.at}"
