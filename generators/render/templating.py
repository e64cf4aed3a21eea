"""The one Jinja environment factory.

StrictUndefined turns a misspelt variable into an error instead of an empty
string, and escaping makes anything in the content show as text. Two dialects
share it: ``html`` escapes HTML (site pages, read by Python-Markdown, and SVG);
``pandoc`` backslash-escapes Markdown syntax for pandoc, which builds the Word
and PowerPoint files. In both, a value marked safe (``Markup``) passes as it is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle
import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import jinja2.compiler
from markupsafe import Markup, escape

from ..citations import CitationError, parse_local
from ..graph import law_url

MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
          "november", "december"]


def sv_date(value: dt.date | str | None) -> str:
    """18 mars 2026; partial dates 'mars 2026' and '2026'."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    parts = str(value).split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return parts[0]


def html_escape(value: object) -> Markup:
    """HTML-escaped text in which Markdown cannot make attributes either: ``{`` becomes ``&#123;``,
    so ``{: onclick=…}`` (attr_list) stays text. A value already marked safe passes as it is."""
    if isinstance(value, Markup):
        return value
    text = escape(value)  # already Markup: no second copy unless there is a brace to replace (a page has thousands)
    return Markup(str.replace(text, "{", "&#123;")) if "{" in text else text


def cell(value: object) -> Markup:
    """Escape text for a Markdown table cell."""
    text = str(html_escape(value)).replace("|", "\\|").replace("\n", " ")
    return Markup(text)


def oneline(value: object) -> Markup:
    return Markup(" ".join(str(html_escape(value)).split()))


def indent_md(value: object, width: int = 4) -> Markup:
    """Indent continuation lines so multi-line text stays inside a list item."""
    text = str(html_escape(value)).strip("\n")
    pad = " " * width
    return Markup(("\n").join(line if i == 0 or not line.strip() else pad + line
                              for i, line in enumerate(text.split("\n"))))


def number(value: int | float) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}".replace(",", "\u00a0").replace(".", ",")
    return f"{int(value):,}".replace(",", "\u00a0")


def months(n: int) -> str:
    if n == 12:
        return "var 12:e månad"
    return f"var {n}:e månad" if n not in (1, 2) else ("varje månad" if n == 1 else "varannan månad")


def provision_key(ref: str) -> str:
    try:
        return parse_local(ref).key or ""
    except CitationError:
        return ""


def slug(value: str) -> str:
    value = value.lower().translate(str.maketrans("åäöéü", "aaoeu"))
    return re.sub(r"[^a-z0-9]+", "-", value).strip("-")


# Emphasis (* and _) is left as it is: the content uses it, and the site shows it too.
_PANDOC_SPECIAL = re.compile(r"([\\`{}\[\]<>#+\-!|~^$@&])")
_PANDOC_LINE_START = re.compile(r"^(\s*)(\d+)([.)])|^(\s*)([:%])", re.M)


def pandoc_escape(value: object) -> Markup:
    """Text that pandoc's Markdown reader shows exactly as written, never as markup."""
    if isinstance(value, Markup):
        return value
    text = _PANDOC_SPECIAL.sub(r"\\\1", str(value))
    text = _PANDOC_LINE_START.sub(lambda m: f"{m.group(1)}{m.group(2)}\\{m.group(3)}" if m.group(2)
                                  else f"{m.group(4)}\\{m.group(5)}", text)
    return Markup(text)


def pandoc_oneline(value: object) -> Markup:
    return pandoc_escape(" ".join(str(value).split()))


def in_lang(value: object, lang: str = "sv") -> Markup:
    """Text in another language than the page's, marked up for screen readers (WCAG 3.1.2)."""
    text = html_escape(value)
    return Markup(f'<span lang="{lang}">{text}</span>') if lang and lang != "sv" else Markup(text)


class _FinalizedOutput(jinja2.compiler.CodeGenerator):
    """Writes ``{{ value }}`` as ``finalize(value)`` where Jinja writes ``escape(finalize(value))``.

    html_escape returns escaped Markup for every value, and Jinja's escape of a Markup only copies it: a copy per
    expression, and a page has thousands (a tenth of the site's generation). Only where the finalize is html_escape
    and autoescape is known at compile time; otherwise Jinja's own code.
    """

    def _finalized(self, frame: Any, finalize: Any) -> bool:
        return self.environment.finalize is html_escape and not frame.eval_ctx.volatile and frame.eval_ctx.autoescape

    def _output_child_pre(self, node: Any, frame: Any, finalize: Any) -> None:
        if self._finalized(frame, finalize):
            self.write(finalize.src)
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: Any, frame: Any, finalize: Any) -> None:
        if self._finalized(frame, finalize):
            self.write(")")
        else:
            super()._output_child_post(node, frame, finalize)


@lru_cache(maxsize=8)
def make_env(templates_dir: Path, dialect: str = "html") -> jinja2.Environment:
    if dialect not in ("html", "pandoc"):
        raise ValueError(f"unknown dialect {dialect!r}")
    html = dialect == "html"
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        undefined=jinja2.StrictUndefined,
        autoescape=html,
        finalize=html_escape if html else pandoc_escape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.code_generator_class = _FinalizedOutput
    env.bytecode_cache = bytecode_cache(env)
    env.filters.update(sv_date=sv_date, number=number, months=months, slug=slug, provision_key=provision_key,
                       law_url=law_url)
    if html:
        env.filters.update(cell=cell, oneline=oneline, indent_md=indent_md, in_lang=in_lang)
    else:
        env.filters.update(oneline=pandoc_oneline, esc=pandoc_escape)
    return env


# --- compiled templates -------------------------------------------------------------
#
# Jinja compiles a template to Python source and then to bytecode; for the default content that is 0.6 s of every
# build's processor time (our templates and the theme's), for the same few files. Like Python's own bytecode it is
# kept on disk, in the package's __pycache__, never in .handbok-cache/ (the content's cache): it depends only on the
# tool. Jinja checks each entry against a hash of the template's source, so an edited template is compiled again. An
# entry is named by the template's name alone, not its folder, so a copy of the templates elsewhere (a project made
# by `handbok init`, a test) finds the same entries instead of adding its own. The folder's name holds everything
# else that decides the compiled code (Jinja's and Python's versions, the environment's syntax settings) and the last
# part of each folder it loads from, so two environments never share an entry. `make build` fills it before the
# first build (``python -m generators.render.templating``), as it writes the package's .pyc files.

BYTECODE_DIR = Path(__file__).resolve().parent.parent / "__pycache__" / "jinja"


class _QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
    """A folder that cannot be read or written leaves the template compiled in memory, as without a cache."""

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return hashlib.sha1(name.encode("utf-8")).hexdigest()

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError):  # a damaged entry: compile anew
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def bytecode_cache(env: jinja2.Environment) -> jinja2.BytecodeCache | None:
    """The on-disk cache of ``env``'s compiled templates, or None when its folder cannot be made."""
    escape = env.autoescape
    settings = (jinja2.__version__, sys.version_info[:2], env.block_start_string, env.block_end_string,
                env.variable_start_string, env.variable_end_string, env.comment_start_string, env.comment_end_string,
                env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks,
                env.newline_sequence, env.keep_trailing_newline, env.optimized, env.finalize is not None,
                f"{env.code_generator_class.__module__}.{env.code_generator_class.__qualname__}",
                getattr(escape, "__qualname__", None) if callable(escape) else escape, sorted(env.extensions),
                [Path(p).name for p in getattr(env.loader, "searchpath", [])])  # site/ and charts/ apart
    folder = BYTECODE_DIR / hashlib.sha1(repr(settings).encode()).hexdigest()[:16]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _QuietBytecodeCache(str(folder))


def precompile(templates_dir: Path, config_file: Path) -> int:
    """Compile every template the tool renders into the bytecode cache: ours in both dialects, and the mkdocs
    theme's pages (loaded from ``config_file`` as the build loads it). How many were compiled."""
    from mkdocs.config import load_config

    count = 0
    for folder, dialect in (("site", "html"), ("charts", "html"), ("documents", "pandoc")):
        if (Path(templates_dir) / folder).is_dir():
            env = make_env(Path(templates_dir) / folder, dialect)
            for name in env.list_templates(filter_func=lambda n: n.endswith(".j2")):
                env.get_template(name)
                count += 1
    env = load_config(str(config_file)).theme.get_env()
    env.bytecode_cache = bytecode_cache(env)
    for name in env.list_templates(filter_func=lambda n: n.endswith((".html", ".xml"))):
        try:
            env.get_template(name)
        except jinja2.TemplateError:  # a page of a plugin the site does not use (the blog's need its filters)
            continue
        count += 1
    return count


if __name__ == "__main__":  # `make build`: python -m generators.render.templating
    from generators import TOOL_ROOT

    precompile(TOOL_ROOT / "templates", TOOL_ROOT / "mkdocs.yml")
