"""The last line of defence on every site page: no event handlers, no script URLs.

The templates escape the content and the checks refuse raw HTML, but Markdown
extensions can still turn content into attributes (``{: onclick=…}`` through
attr_list) or links. Every page's HTML passes through :func:`safe_html` before
it is written, so whatever an author types, the browser shows it and runs none of it.
"""

from __future__ import annotations

import html
import re

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_TAG = re.compile(r"<[a-zA-Z][^<>]*>")
# An attribute inside a tag: name, and a quoted or unquoted value.
_ATTR = re.compile(r"""\s+([^\s"'<>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_URL_ATTRS = frozenset({"href", "src", "action", "formaction", "xlink:href", "poster", "data", "background"})
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f]")  # browsers drop these from a URL before reading its scheme
_NAME = r"<[a-zA-Z][a-zA-Z0-9-]*"  # "<" and the tag's name
_FRAMING = ("srcdoc", "formaction")  # attributes that frame or send a document: never needed in page content


def safe_url(value: str) -> str:
    """``value`` if it is an http(s), mailto, tel or relative URL, otherwise ``#``."""
    url = _IGNORED_IN_URLS.sub("", html.unescape(value))
    m = _SCHEME.match(url)
    if m and m.group(1).lower() not in SAFE_SCHEMES:
        return "#"
    return value


# A tag as Markdown writes most of them, <name attr="value" …> or <name attr="value"/>, with no attribute that could
# be an event handler or a framed document, and no value that could hold another scheme than http(s), mailto or tel
# (any other ":", or an "&" that could hide one). _rebuilt would give it back unchanged, so it is returned as it is:
# a page has thousands of tags, and taking each apart cost more than everything else the plugin does to a page.
_PLAIN_TAG = re.compile(_NAME + r"""(?: (?![oO][nN])(?!(?i:""" + "|".join(_FRAMING) + r""")=)[^\s"'<>/=]+="""
                        r""""(?:(?:""" + "|".join(sorted(SAFE_SCHEMES)) + r"""):[^"<>]*|[^"<>:&]*)")*/?>""")


def _clean_tag(m: re.Match) -> str:
    tag = m.group(0)
    return tag if _PLAIN_TAG.fullmatch(tag) else _rebuilt(tag)


def _rebuilt(tag: str) -> str:
    """The tag with its attributes taken one by one: event handlers and framed documents dropped, unsafe URLs
    replaced by ``#``."""
    name_end = re.match(_NAME, tag).end()
    body, end = tag[name_end:-1], ">"
    if body.endswith("/"):
        body, end = body[:-1], "/>"
    out = []
    for a in _ATTR.finditer(body):
        name, raw = a.group(1).lower(), a.group(2)
        if name.startswith("on") or name in _FRAMING:
            continue  # event handlers and framed documents are never needed in page content
        if raw is not None and name in _URL_ATTRS:
            quoted = raw[:1] in "\"'"
            value = raw[1:-1] if quoted else raw
            if safe_url(value) != value:
                out.append(f' {a.group(1)}="#"')
                continue
        out.append(a.group(0))
    return tag[:name_end] + "".join(out) + end


def safe_html(text: str) -> str:
    """Page HTML without event-handler attributes and with only http(s), mailto, tel and relative URLs."""
    return _TAG.sub(_clean_tag, text)
