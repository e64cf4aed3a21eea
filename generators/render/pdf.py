"""Stage 5, render (PDF): a PDF beside every Word document, from the same pandoc Markdown.

pandoc writes Typst, in the same run as the Word file (``typst/pdf.lua``), with
``templates/documents/typst/handbok.typst`` (page setup, running header, "Sida N av M", table of contents, page
references for links inside the document, printed addresses for web links) and the Lua filter beside it
(alternative text for images). The ``typst`` wheel compiles that into a tagged PDF that meets
PDF/UA-1 and PDF/A-2a, with the fonts from the wheels (Roboto, and Typst's own as fallback): no TeX and no system
package. System fonts are ignored, so that every machine gives the same bytes; the document's date and the PDF's
timestamps come from SOURCE_DATE_EPOCH. ``compact`` then packs the PDF's objects into compressed streams.

Training packs are made with PLACEHOLDER for the municipality. pandoc runs once for all variants of a pack document
(render/variants.py) and writes one Typst source for them, in which a passage that only some variants have stands
under a condition on VARIANT_PLACEHOLDER. The name and the variant are filled into that source (escaped for where the
name stands) and each municipality's PDF is compiled from it, since a compiled PDF cannot be edited the way the Word
files' XML is.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import re
import threading
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .documents import Job

TEMPLATE = Path("typst") / "handbok.typst"  # under templates/documents/
FILTER = Path("typst") / "handbok.lua"
# The Lua filter that writes the Typst source in the Word file's pandoc run, and the variable naming its settings.
WRITER = Path("typst") / "pdf.lua"
SETTINGS_ENV = "HANDBOK_TYPST"
# Accessible (UA-1: alt text, title, language, tags) and archivable (A-2a); Typst refuses a document that fails either.
PDF_STANDARDS = ["ua-1", "a-2a"]
TOC_TITLE = "Innehåll"
# The municipality inside Typst strings (the keywords in the PDF's metadata), where markup escapes do not apply.
STRING_PLACEHOLDER = "⟦KOMMUN-STRÄNG⟧"
# The variant a copy shows, in the one Typst source of a pack document's variants (render/variants.py): "0", "1", ...
VARIANT_PLACEHOLDER = "⟦VARIANT⟧"
_MARKUP_SPECIAL = set("\\#$*_`<>@[]~=+/")  # quotes are plain text: the template turns smart quotes off


def makes_pdf(job: Job) -> bool:
    """Every Word document in the build gets a PDF beside it; presentations do not (the remiss file is not planned)."""
    return job.fmt == "docx"


def pdf_target(target: str) -> str:
    """'utbildning/solna/deltagarmaterial.docx' -> 'utbildning/solna/deltagarmaterial.pdf'."""
    return target.rsplit(".", 1)[0] + ".pdf"


def typst_string(text: str) -> str:
    """A Typst string literal."""
    return '"' + " ".join(text.split("\n")).replace("\\", "\\\\").replace('"', '\\"') + '"'


def typst_markup(text: str) -> str:
    """Text that Typst markup shows as it is: every character with a meaning there is escaped.

    A hyphen is escaped only where it could mean something (a list item, a dash, a soft hyphen), so that a name like
    Upplands-Bro comes out the same as in a Typst string, should the template ever put the name in one.
    """
    text = " ".join(text.split())
    out = []
    for i, c in enumerate(text):
        after = text[i + 1:i + 2]
        special = c in _MARKUP_SPECIAL or (c == "-" and (i == 0 or text[i - 1] in " -" or after in ("", " ", "-", "?")))
        out.append("\\" + c if special else c)
    return "".join(out)


def _typst_date(epoch: int) -> str:
    t = dt.datetime.fromtimestamp(epoch, dt.timezone.utc)
    return (f"datetime(year: {t.year}, month: {t.month}, day: {t.day}, "
            f"hour: {t.hour}, minute: {t.minute}, second: {t.second})")


def typst_request(job: Job, templates_dir: Path, epoch: int, folder: Path, only: bool = False, images: bool = True
                  ) -> tuple[list[str], dict[str, str], Path]:
    """What makes a pandoc run write the job's Typst source too: its extra arguments, its environment and the file
    the source goes to (in ``folder``). For a training pack the source still holds PLACEHOLDER (see ``fill``).
    ``images`` False says that the Markdown has no image, so that the filter for images (FILTER) is not run.

    The build adds this to the Word file's pandoc run (documents.run_pandoc), so that the Markdown is read once for
    both; ``only`` is for a run that makes nothing else (``typst_source``).
    """
    import json

    from .documents import PLACEHOLDER

    docs = Path(templates_dir) / "documents"
    author = f"{typst_string(job.author)}," if job.author else ""
    keywords = "".join(f"{typst_string(k.strip())}," for k in job.keywords.split(";") if k.strip())
    meta = {"title": job.title, "header": job.header or job.title}
    variables: dict[str, str | bool] = {"doc-author": author,
                                        "doc-keywords": keywords.replace(PLACEHOLDER, STRING_PLACEHOLDER),
                                        "doc-date": _typst_date(epoch)}
    if job.subtitle:
        meta["subtitle"] = job.subtitle
    if job.toc:
        variables["toc"] = True
        meta["toc-title"] = TOC_TITLE
    name = pdf_target(job.target).replace("/", "--")
    out = Path(folder) / f"{name}.typ-kalla"
    settings = Path(folder) / f"{name}.typ-kalla.json"
    settings.write_text(json.dumps({"template": str(docs / TEMPLATE), "filter": str(docs / FILTER), "out": str(out),
                                    "meta": meta, "variables": variables, "only": only, "images": images,
                                    "variant": VARIANT_PLACEHOLDER}, ensure_ascii=False),
                        encoding="utf-8")
    return ["--lua-filter", str(docs / WRITER)], {SETTINGS_ENV: str(settings)}, out


def typst_source(markdown: str, job: Job, templates_dir: Path, epoch: int) -> str:
    """The document as Typst, from a pandoc run of its own (the build gets it from the Word file's run)."""
    import tempfile

    from .documents import IMAGE, PANDOC_FROM, pandoc, pandoc_path

    with tempfile.TemporaryDirectory(prefix="handbok-typst-") as folder:
        args, env, out = typst_request(job, templates_dir, epoch, Path(folder), only=True, images=IMAGE in markdown)
        pandoc([pandoc_path(), "-f", PANDOC_FROM, "-t", "plain", *args], markdown, epoch, pdf_target(job.target), env)
        return out.read_text(encoding="utf-8")


def fill(source: str, name: str, variant: int = 0) -> str:
    """The Typst source with the municipality's name in place of PLACEHOLDER, escaped for markup or for strings,
    showing ``variant`` (the job's place among the variants read together, render/variants.py)."""
    from .documents import PLACEHOLDER

    return (source.replace(PLACEHOLDER, typst_markup(name)).replace(STRING_PLACEHOLDER, typst_string(name)[1:-1])
            .replace(VARIANT_PLACEHOLDER, str(variant)))


def font_dir() -> Path:
    import font_roboto

    return Path(font_roboto.__file__).parent / "files"


# Typst memoizes everything it lays out in caches that live as long as the process and that the wheel never empties:
# compiled in the build's own process, 56 PDFs held 1.2 GB and the 100 volumes at 10,000 routines 12 GB. The PDFs
# are compiled in worker processes instead, and a worker is replaced after a few jobs, which gives the memory back.
#
# The same memo is what makes a training pack's copies cheap: one job's copies (one per municipality) compile one
# after another in one worker, from the same file name, so Typst reuses the layout of every paragraph that does not
# name the municipality. That holds only while the name stays out of the set rules that style the whole document:
# the template takes the running header from a metadata element and sets the document's keywords last. The first
# copy takes the full time (about 0.4 s for a handout); each copy after it a fifth of that (see _parse_first).
JOBS_PER_PROCESS = 2
_POOL: ProcessPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def _pool() -> ProcessPoolExecutor:
    """Spawned workers, one per core, as the build's other pools (generators/workers.py), but each is replaced after
    JOBS_PER_PROCESS jobs and hears Ctrl-C: a compile of a training pack's 26 copies takes seconds, and a worker
    that ignored the interrupt (as workers.pool's do) would finish it before the build could stop (2–4 s from Ctrl-C
    to "Avbrutet." instead of 0.2–0.8 s, measured 2026-12-04). The interrupted worker's error never shows: the
    build has stopped waiting for it (documents.Cancelled)."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = ProcessPoolExecutor(max_workers=os.cpu_count() or 2, mp_context=multiprocessing.get_context("spawn"),
                                        max_tasks_per_child=JOBS_PER_PROCESS)
        return _POOL


def shutdown() -> None:
    """Stop the worker processes (and give back the memory of Typst's caches); the next compile starts new ones.

    The build calls this when its documents are done: a process that ended while the pool was still replacing a
    worker would leave that worker starting up without its parent, and it would print a traceback.
    """
    global _POOL
    with _POOL_LOCK:
        pool, _POOL = _POOL, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


def compile_pdf(source: str, root: Path, out: Path, target: str, epoch: int) -> None:
    """Compile Typst ``source`` (images are looked up in ``root``) into ``out``; ``target`` names it in messages.

    Typst's warnings count as errors, as pandoc's do: a missing font or image must not pass unnoticed.
    """
    compile_pdfs([(source, target)], root, [out], epoch)


def compile_pdfs(tasks: list[tuple[str, str]], root: Path, outs: list[Path], epoch: int) -> None:
    """Compile each (Typst source, target) of one job into the matching file of ``outs``, in one worker process."""
    from .documents import DocumentError

    try:
        made = _pool().submit(_compile_all, tasks, Path(root), epoch).result()
    except _Failed as exc:
        raise DocumentError(str(exc)) from None
    for out, data in zip(outs, made):
        Path(out).write_bytes(data)


class _Failed(Exception):
    """Typst's error or warning, from a worker; the build reports it as a DocumentError. (The worker does not import
    documents.py, which would add a quarter of a second to the start of every worker.)"""


_FONTS = None


def _compile_all(tasks: list[tuple[str, str]], root: Path, epoch: int) -> list[bytes]:
    """In a worker process: the compiled and packed PDFs, in order."""
    import typst

    global _FONTS
    if _FONTS is None:
        _FONTS = typst.Fonts(include_system_fonts=False, include_embedded_fonts=True, font_paths=[str(font_dir())])
    compiler = typst.Compiler(root=str(root), font_paths=_FONTS, ignore_system_fonts=True)
    # One file name for the job's copies (Typst's memo knows a paragraph by its file), another for each job, since
    # two workers compile side by side in the same folder.
    main = root / (tasks[0][1].replace("/", "--") + ".typ")
    made = []
    try:
        if len(tasks) > 1:
            _parse_first(compiler, main, tasks[-1][0])
        for source, target in tasks:
            main.write_text(source, encoding="utf-8")
            try:
                data, warnings = compiler.compile_with_warnings(str(main), pdf_standards=PDF_STANDARDS,
                                                                timestamp=epoch)
            except typst.TypstError as exc:
                hints = "".join(f"\n  tips: {h}" for h in getattr(exc, "hints", []) or [])
                raise _Failed(f"Typst kunde inte skapa dist/{target}: {getattr(exc, 'message', exc)}{hints}") from None
            if warnings:
                text = "\n".join(getattr(w, "message", str(w)) for w in warnings)
                raise _Failed(f"Typst varnade när dist/{target} skapades:\n{text}")
            made.append(compact(data))
    finally:
        main.unlink(missing_ok=True)
    return made


def _parse_first(compiler, main: Path, source: str) -> None:
    """Let Typst read ``source`` as ``main`` without laying it out, before the copies are compiled.

    Typst numbers the syntax nodes of a file when it first reads it, and renumbers the part an edit touches. The
    copies differ from each other by an edit (the municipality's name), so from the first edit on the numbers stay
    the same and the memo finds every paragraph again; the numbers of the first reading never come back. Reading the
    file first through an import (which evaluates it, but lays nothing out) makes the first copy an edit already:
    one full compile per job instead of two. Errors here are left for the real compile to report.
    """
    import typst

    stub = main.with_name(main.stem + ".las.typ")
    main.write_text(source, encoding="utf-8")
    stub.write_text(f'#import "{main.name}"\n', encoding="utf-8")
    try:
        compiler.compile(str(stub))
    except typst.TypstError:
        pass
    finally:
        stub.unlink(missing_ok=True)


# Typst (its PDF writer, krilla) writes every object on its own, uncompressed unless it is a stream, and a classic
# cross-reference table: "N 0 obj … endobj" in order, "xref", one subsection, "trailer << … >>", "startxref".
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_XREF = re.compile(rb"xref\s+0\s+(\d+)\s+")
_OBJ_HEAD = re.compile(rb"(\d+)\s+0\s+obj\s*")
_TRAILER = re.compile(rb"trailer\s*<<(.*)>>\s*startxref", re.S)
_TRAILER_KEY = re.compile(rb"/(Root|Info)\s+(\d+\s+0\s+R)|/ID\s*(\[[^\]]*\])")
OBJECTS_PER_STREAM = 100  # as qpdf does


def compact(data: bytes) -> bytes:
    """The same PDF with its objects packed into compressed object streams (PDF 1.5; allowed by PDF/A-2 and UA-1).

    Typst writes each of the thousands of tag and link objects uncompressed; packed, a handout is a third of the
    size. Every object keeps its number and its bytes; streams (page content, fonts, the XMP metadata) stay as they
    are, and the cross-reference table becomes a compressed cross-reference stream with the same trailer entries
    (root, info, the file identifier). A file of another shape (already packed, updated, encrypted) is returned
    unchanged: valid, only larger. (qpdf, through pikepdf, did the same in 55 ms a handout; this takes 15 ms,
    and pikepdf checks the result in the tests.)
    """
    import zlib

    end = _STARTXREF.search(data, max(0, len(data) - 64))
    if end is None:
        return data
    xref = int(end.group(1))
    table = _XREF.match(data, xref)
    trailer = _TRAILER.search(data, xref)
    if table is None or trailer is None or any(k in trailer.group(1) for k in (b"/Prev", b"/Encrypt", b"/XRefStm")):
        return data
    size = int(table.group(1))
    rows = data[table.end():table.end() + 20 * size]
    offsets = {}
    for n in range(1, size):
        row = rows[20 * n:20 * n + 18]
        if row[-1:] != b"n" or row[11:16] != b"00000":
            return data
        offsets[n] = int(row[:10])
    bounds = sorted(offsets.values()) + [xref]
    following = dict(zip(bounds, bounds[1:]))
    keys = {m.group(1) or b"ID": m.group(2) or m.group(3) for m in _TRAILER_KEY.finditer(trailer.group(1))}
    if b"Root" not in keys or (b"/ID" in trailer.group(1)) != (b"ID" in keys):
        return data
    first = min(bounds)
    out = bytearray(data[:first])
    where: dict[int, tuple[int, int, int]] = {}  # object -> (1, offset, 0) or (2, object stream, index)
    packed: list[tuple[int, bytes]] = []
    for n in sorted(offsets, key=offsets.get):
        # Found in place, without copying the object (a font or a page's content can be large).
        start, stop = offsets[n], following[offsets[n]]
        head = _OBJ_HEAD.match(data, start, stop)
        end = data.rfind(b"endobj", start, stop)
        if head is None or int(head.group(1)) != n or end < head.end() or data[end + 6:stop].strip():
            return data
        body_end = end
        while body_end > head.end() and data[body_end - 1] in b" \t\r\n\f\v":
            body_end -= 1
        if data.endswith(b"endstream", head.end(), body_end):
            where[n] = (1, len(out), 0)
            out += data[start:end + 6] + b"\n"
        else:
            packed.append((n, data[head.end():body_end]))
    next_number = size
    for i in range(0, len(packed), OBJECTS_PER_STREAM):
        chunk = packed[i:i + OBJECTS_PER_STREAM]
        header, bodies, at = [], bytearray(), 0
        for index, (n, body) in enumerate(chunk):
            header.append(f"{n} {at}".encode())
            where[n] = (2, next_number, index)
            bodies += body + b"\n"
            at = len(bodies)
        head = b" ".join(header) + b"\n"
        stream = zlib.compress(head + bytes(bodies))
        where[next_number] = (1, len(out), 0)
        out += (f"{next_number} 0 obj\n<</Type/ObjStm/N {len(chunk)}/First {len(head)}/Filter/FlateDecode"
                f"/Length {len(stream)}>>\nstream\n").encode() + stream + b"\nendstream\nendobj\n"
        next_number += 1
    xref_number = next_number
    where[xref_number] = (1, len(out), 0)
    entries = bytearray(b"\x00\x00\x00\x00\x00\xff\xff")  # object 0: the head of the free list
    for n in range(1, xref_number + 1):
        kind, a, b = where[n]
        entries += bytes([kind]) + a.to_bytes(4, "big") + b.to_bytes(2, "big")
    stream = zlib.compress(bytes(entries))
    extra = b"".join(b"/" + k + b" " + keys[k] for k in (b"Root", b"Info", b"ID") if k in keys)
    xref_at = len(out)
    out += (f"{xref_number} 0 obj\n<</Type/XRef/Size {xref_number + 1}/W[1 4 2]".encode() + extra +
            f"/Filter/FlateDecode/Length {len(stream)}>>\nstream\n".encode() + stream +
            f"\nendstream\nendobj\nstartxref\n{xref_at}\n%%EOF\n".encode())
    return bytes(out)
