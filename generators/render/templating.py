"""The one Jinja environment factory.

StrictUndefined turns a misspelt variable into an error instead of an empty
string, and escaping makes anything in the content show as text. Two dialects
share it: ``html`` escapes HTML (site pages, read by Python-Markdown, and SVG);
``pandoc`` backslash-escapes Markdown syntax for pandoc, which builds the Word
and PowerPoint files. In both, a value marked safe (``Markup``) passes as it is.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path

import jinja2
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
    return Markup(str(escape(value)).replace("{", "&#123;"))


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
    env.filters.update(sv_date=sv_date, number=number, months=months, slug=slug, provision_key=provision_key,
                       law_url=law_url)
    if html:
        env.filters.update(cell=cell, oneline=oneline, indent_md=indent_md, in_lang=in_lang)
    else:
        env.filters.update(oneline=pandoc_oneline, esc=pandoc_escape)
    return env
