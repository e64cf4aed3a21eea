"""Ids as the content writes them: lower-case ASCII words joined by hyphens, e.g. ``betanketid-vuxen``.

An id is also a file name and a page address, so it has no å, ä or ö. :func:`slug_id` turns a title or a file name
into such an id; every tip that suggests an id uses it, and so does ``handbok new``. No imports from the rest of the
package, so that any module (the model too) can use it.
"""

from __future__ import annotations

import re
import unicodedata

#: The form of an id (the same as model.ID_PATTERN; a test keeps them equal).
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
ID_RE = re.compile(ID_PATTERN)
#: The longest id the model accepts.
ID_MAX_LENGTH = 80

# Letters that Unicode does not split into a base letter and an accent.
_LETTERS = str.maketrans({"æ": "ae", "ø": "o", "œ": "oe", "ß": "ss", "ð": "d", "þ": "th", "ł": "l", "đ": "d",
                          "ı": "i"})


def is_id(text: str) -> bool:
    """Whether ``text`` is a valid id."""
    return len(text) <= ID_MAX_LENGTH and ID_RE.match(text) is not None


def slug_id(text: str) -> str:
    """An id made from ``text``: 'Stöd till våldsutsatta i Märsta' -> 'stod-till-valdsutsatta-i-marsta'.

    å, ä -> a, ö -> o, é -> e and every other accent dropped; lower case; anything but a–z and 0–9 becomes a hyphen,
    runs of them one, none at either end. At most ID_MAX_LENGTH characters, cut at a hyphen when there is one.
    Empty when nothing of ``text`` is left (e.g. only punctuation): the caller decides what to suggest then.
    """
    text = unicodedata.normalize("NFKD", text.lower().translate(_LETTERS))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(slug) > ID_MAX_LENGTH:
        cut = slug[:ID_MAX_LENGTH + 1]
        slug = cut[:cut.rfind("-")] if "-" in cut else slug[:ID_MAX_LENGTH]
        slug = slug.strip("-")
    return slug
