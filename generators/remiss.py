"""The Word round trip for the people who review the programme.

``handbok remiss`` writes the draft programme's goals and commitments and the requirement table as a Word file
(``dist/remiss/<programme>.docx``), each block under a heading whose bookmark carries its id
(``krav_<id>``, ``atag_<id>``, ``mal_<id>``; Word's bookmark names take no hyphens). A reviewer comments in Word
or LibreOffice. ``handbok comments FILE.docx`` reads the comments, maps each to the block it sits in (the nearest
bookmark before it) and merges them into ``content/remissvar/<stem>.yml``. A comment's id is a hash of its block,
author, date and text, so importing the same file again adds nothing. A comment whose place cannot be mapped is
reported with its paragraph and page, never dropped silently. Personal data (identity numbers, phone numbers,
e-mail addresses) in a comment is removed before anything is written.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from . import privacy

PREFIXES = {"krav_": "krav", "atag_": "åtagande", "mal_": "mål"}
REDACTED = "[uppgift borttagen]"


BOOKMARK_MAX = 40  # Word's limit; pandoc replaces a longer heading id with a hash


def bookmark(kind: str, rid: str) -> str:
    """The bookmark (and pandoc heading id) of a block: ('krav', 'betanketid-30-dagar') -> 'krav_betanketid_30_dagar'.

    Word bookmark names take no hyphens and at most 40 characters; a longer id is cut and given a short hash.
    """
    prefix = {v: k for k, v in PREFIXES.items()}[kind]
    name = prefix + rid.replace("-", "_")
    if len(name) > BOOKMARK_MAX:
        digest = hashlib.sha256(rid.encode("utf-8")).hexdigest()[:6]
        name = name[: BOOKMARK_MAX - 7] + "_" + digest
    return name


def known_anchors(project, programme) -> dict[str, str]:
    """Bookmark name -> block ('krav/<id>', 'åtagande/<id>', 'mål/<id>') for everything the remiss file shows."""
    blocks = [("krav", rid) for rid in project.requirements]
    blocks += [("mål", g.id) for g in programme.goals]
    blocks += [("åtagande", c.id) for g in programme.goals for c in g.commitments]
    return {bookmark(kind, rid): f"{kind}/{rid}" for kind, rid in blocks}


@dataclass(frozen=True)
class Found:
    comment_id: str  # the w:id in the file
    anchor: str | None
    paragraph: int  # 1-based, in reading order
    page: int  # 1-based, from the page breaks that the last save recorded
    quoted: str


def _places(document, anchors: dict[str, str]) -> dict[str, Found]:
    """Where each comment sits: the block (nearest bookmark before it), paragraph, page and the text it marks."""
    from docx.oxml.ns import qn

    body = document.element.body
    anchor = None
    paragraph = 0
    page = 1
    open_ranges: dict[str, list[str]] = {}
    starts: dict[str, tuple[str | None, int, int]] = {}
    found: dict[str, Found] = {}
    for el in body.iter():
        tag = el.tag
        if tag == qn("w:p"):
            paragraph += 1
        elif tag == qn("w:bookmarkStart"):
            mapped = anchors.get(el.get(qn("w:name")) or "")
            if mapped:
                anchor = mapped
        elif tag == qn("w:lastRenderedPageBreak") or (tag == qn("w:br") and el.get(qn("w:type")) == "page"):
            page += 1
        elif tag == qn("w:commentRangeStart"):
            cid = el.get(qn("w:id"))
            starts[cid] = (anchor, paragraph, page)
            open_ranges[cid] = []
        elif tag == qn("w:t"):
            for parts in open_ranges.values():
                parts.append(el.text or "")
        elif tag == qn("w:commentRangeEnd"):
            cid = el.get(qn("w:id"))
            a, para, pg = starts.get(cid, (anchor, paragraph, page))
            found[cid] = Found(cid, a, para, pg, " ".join("".join(open_ranges.pop(cid, [])).split()))
        elif tag == qn("w:commentReference"):
            cid = el.get(qn("w:id"))
            if cid not in found:  # a comment without a range marks the point where it is
                a, para, pg = starts.get(cid, (anchor, paragraph, page))
                found[cid] = Found(cid, a, para, pg, " ".join("".join(open_ranges.pop(cid, [])).split()))
    return found


def _redact(text: str) -> tuple[str, int]:
    hits = sorted(privacy.find(text), key=lambda f: f.start, reverse=True)
    for f in hits:
        text = text[: f.start] + REDACTED + text[f.start + len(f.text):]
    return text, len(hits)


@dataclass
class Imported:
    comments: list[dict]
    unmapped: list[str]  # messages, in Swedish
    redacted: int


def read_comments(path: Path, anchors: dict[str, str]) -> Imported:
    """The comments in ``path``, each mapped to its block through ``anchors`` (see :func:`known_anchors`)."""
    import docx

    document = docx.Document(str(path))
    places = _places(document, anchors)
    comments, unmapped, redacted = [], [], 0
    for c in document.comments:
        place = places.get(str(c.comment_id))
        text, n1 = _redact(" ".join((c.text or "").split()))
        author, n2 = _redact(c.author or "")
        quoted, n3 = _redact(place.quoted if place else "")
        redacted += n1 + n2 + n3
        if place is None or place.anchor is None:
            where = f"stycke {place.paragraph}, sida {place.page}" if place else "okänd plats"
            unmapped.append(f"{path.name}: kommentaren ”{text[:60]}” av {author or 'okänd'} ({where}) sitter utanför "
                            "programmets mål, åtaganden och krav och kunde inte knytas till något block.")
            continue
        date = c.timestamp.date().isoformat() if c.timestamp else None
        key = "\x00".join((place.anchor, author, date or "", text))
        cid = "k-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]
        entry = {"id": cid, "anchor": place.anchor, "author": author or "okänd", "date": date, "text": text}
        if quoted:
            entry["quoted"] = quoted
        comments.append(entry)
    return Imported(comments, unmapped, redacted)


def merge(existing: list[dict], new: list[dict]) -> tuple[list[dict], int]:
    """Existing comments (with their responses) first, then the ones not seen before; returns (merged, added)."""
    seen = {c["id"] for c in existing}
    added = [c for c in new if c["id"] not in seen and not seen.add(c["id"])]
    return existing + added, len(added)


_SAFE_STEM = re.compile(r"[^a-z0-9]+")


def stem_id(path: Path) -> str:
    """A content id from a file name: 'Remiss program (JS).docx' -> 'remiss-program-js'."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", path.stem.lower()).encode("ascii", "ignore").decode("ascii")
    return _SAFE_STEM.sub("-", plain).strip("-") or "remissvar"


def write_remiss(project, programme, templates_dir: Path, dist_dir: Path, epoch: int) -> Path:
    """dist/remiss/<programme>.docx: goals, commitments and requirements, each under a bookmarked heading."""
    from markupsafe import Markup

    from .align import align
    from .render.documents import Job, write_one

    def anchor_attr(kind: str, rid: str) -> Markup:
        return Markup("{#" + bookmark(kind, rid) + "}")

    title = "Remissunderlag: avstämning mot vägledningen om betänketid och rättighetspaketet"
    job = Job(f"remiss/{programme.id}.docx", "remiss.md.j2", title, f"Underlag för synpunkter på {programme.title}",
              "Remissunderlag · avstämning mot vägledningen om betänketid" +
              (" · utkast" if programme.status == "utkast" else ""), subject="Remissunderlag",
              keywords="remiss; betänketid; rättighetspaket; program mot våld", toc=True,
              context={"alignment": align(project, programme), "anchor_attr": anchor_attr},
              author=project.organisation.author)
    return write_one(project, templates_dir, job, Path(dist_dir) / job.target, epoch)
