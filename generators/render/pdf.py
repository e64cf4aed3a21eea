"""Stage 5, render (PDF): a PDF beside every Word document, from the same pandoc Markdown.

pandoc writes Typst with ``templates/documents/typst/handbok.typst`` (page setup, running header, "Sida N av M",
table of contents, page references for links inside the document, printed addresses for web links) and the Lua
filter beside it (alternative text for images). The ``typst`` wheel compiles that into a tagged PDF that meets
PDF/UA-1 and PDF/A-2a, with the fonts from the wheels (Roboto, and Typst's own as fallback): no TeX and no system
package. System fonts are ignored, so that every machine gives the same bytes; the document's date and the PDF's
timestamps come from SOURCE_DATE_EPOCH. pikepdf (qpdf) then packs the PDF's objects into compressed streams.

Training packs are made once per variant with PLACEHOLDER for the municipality. pandoc runs once per variant;
the name is filled into the Typst source (escaped for where it stands) and each municipality's PDF is compiled
from that, since a compiled PDF cannot be edited the way the Word files' XML is.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .documents import Job

TEMPLATE = Path("typst") / "handbok.typst"  # under templates/documents/
FILTER = Path("typst") / "handbok.lua"
# Accessible (UA-1: alt text, title, language, tags) and archivable (A-2a); Typst refuses a document that fails either.
PDF_STANDARDS = ["ua-1", "a-2a"]
TOC_TITLE = "Innehåll"
# The municipality inside Typst strings (the keywords in the PDF's metadata), where markup escapes do not apply.
STRING_PLACEHOLDER = "⟦KOMMUN-STRÄNG⟧"
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


def typst_source(markdown: str, job: Job, templates_dir: Path, epoch: int) -> str:
    """The document as Typst, from pandoc; for a training pack, still with PLACEHOLDER (see ``fill``)."""
    from .documents import PANDOC_FROM, PLACEHOLDER, pandoc, pandoc_path

    docs = Path(templates_dir) / "documents"
    author = f"{typst_string(job.author)}," if job.author else ""
    keywords = "".join(f"{typst_string(k.strip())}," for k in job.keywords.split(";") if k.strip())
    cmd = [pandoc_path(), "-f", PANDOC_FROM, "-t", "typst", "--wrap=none",
           "--template", str(docs / TEMPLATE), "--lua-filter", str(docs / FILTER),
           "-M", f"title={job.title}", "-M", f"header={job.header or job.title}",
           "-V", f"doc-author={author}", "-V", f"doc-keywords={keywords.replace(PLACEHOLDER, STRING_PLACEHOLDER)}",
           "-V", f"doc-date={_typst_date(epoch)}"]
    if job.subtitle:
        cmd += ["-M", f"subtitle={job.subtitle}"]
    if job.toc:
        cmd += ["-V", "toc", "-M", f"toc-title={TOC_TITLE}"]
    return pandoc(cmd, markdown, epoch, pdf_target(job.target))


def fill(source: str, name: str) -> str:
    """The Typst source with the municipality's name in place of PLACEHOLDER, escaped for markup or for strings."""
    from .documents import PLACEHOLDER

    return source.replace(PLACEHOLDER, typst_markup(name)).replace(STRING_PLACEHOLDER, typst_string(name)[1:-1])


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
# two copies take the full time (about 0.5 s for a handout); each copy after them a fifth of that.
JOBS_PER_PROCESS = 2
_POOL: ProcessPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def _pool() -> ProcessPoolExecutor:
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = ProcessPoolExecutor(max_workers=os.cpu_count() or 2, mp_context=multiprocessing.get_context("spawn"),
                                        max_tasks_per_child=JOBS_PER_PROCESS)
        return _POOL


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


def compact(data: bytes) -> bytes:
    """The same PDF with its objects packed into compressed object streams (PDF 1.5; allowed by PDF/A-2 and UA-1).

    Typst writes each of the thousands of tag and link objects uncompressed; packed, a handout is a third of the
    size. The file identifier is computed from the content, so the same PDF gives the same bytes.
    """
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as doc:
        packed = io.BytesIO()
        doc.save(packed, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True,
                 deterministic_id=True)
    return packed.getvalue()
