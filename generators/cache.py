"""A content-addressed cache on disk, under the stages: ``.handbok-cache/`` (ignored by git).

An entry's key is a hash of everything that decides its bytes (the input, the tool's own code and the versions of the
programs it runs), so a hit gives exactly the bytes a fresh run would: the build stays byte-identical with or without
the cache. Entries are written atomically (a temporary file renamed into place), so two builds at once, or a build
stopped half-way, never leave a half-written entry; an entry that cannot be read counts as a miss.

``HANDBOK_CACHE`` names another folder, or turns the cache off with ``0``/``off``; ``handbok --no-cache`` does the
same for one run.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path

CACHE_ENV = "HANDBOK_CACHE"
DEFAULT_DIR = ".handbok-cache"
OFF = {"0", "off", "no", "false"}
PACKAGE = Path(__file__).resolve().parent


def root() -> Path | None:
    """The cache folder, or None when the cache is off."""
    value = os.environ.get(CACHE_ENV, "")
    if value.strip().lower() in OFF:
        return None
    return Path(value) if value else Path.cwd() / DEFAULT_DIR


def disable() -> None:
    """Turn the cache off for this process and the processes it starts (``--no-cache``)."""
    os.environ[CACHE_ENV] = "off"


@lru_cache(maxsize=1)
def tool_fingerprint() -> str:
    """A hash of the tool's own code: a changed generator invalidates every entry it may have made."""
    h = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        h.update(path.relative_to(PACKAGE).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def key(*parts: str | bytes) -> str:
    """A key from the parts that decide an entry's bytes (the tool's fingerprint is always one of them)."""
    h = hashlib.sha256(tool_fingerprint().encode())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def _path(area: str, k: str) -> Path | None:
    base = root()
    return None if base is None else base / area / k[:2] / k


def get(area: str, k: str) -> bytes | None:
    path = _path(area, k)
    if path is None:
        return None
    try:
        return path.read_bytes()
    except OSError:
        return None


def put(area: str, k: str, data: bytes) -> None:
    """Store ``data``; a cache that cannot be written is skipped silently (it only costs time)."""
    path = _path(area, k)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)  # type: ignore[possibly-undefined]
        except (OSError, NameError):
            pass
