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
import json
import os
import tempfile
import zlib
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


@lru_cache(maxsize=1)
def _base_hash():
    return hashlib.sha256(tool_fingerprint().encode())


def key(*parts: str | bytes) -> str:
    """A key from the parts that decide an entry's bytes (the tool's fingerprint is always one of them)."""
    h = _base_hash().copy()
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
    if path is not None:
        _write(path, data)


def touch(area: str, k: str) -> None:
    """Mark an entry as used now (``prune`` keeps what was used lately)."""
    path = _path(area, k)
    if path is not None:
        try:
            os.utime(path)
        except OSError:
            pass


def prune(area: str, keep: set[str], max_age: float) -> int:
    """Remove the entries of ``area`` that are not in ``keep`` and were not written or used for ``max_age`` seconds;
    how many were removed. For the areas whose entries are big and are replaced as the content changes (documents):
    without it, every edit would leave its old documents behind for good."""
    import time

    base = root()
    if base is None or not (base / area).is_dir():
        return 0
    now, removed = time.time(), 0
    for entry in (base / area).glob("??/*"):
        if entry.name in keep or entry.name.startswith(".tmp-"):
            continue
        try:
            if now - entry.stat().st_mtime > max_age:
                entry.unlink()
                removed += 1
        except OSError:
            pass
    return removed


# Several named files in one entry: MAGIC, a JSON list [[name, length], ...] on one line, then the files' bytes.
# Plain data, so that an entry someone planted in the cache can at worst give wrong bytes (never run code).
_FILES_MAGIC = b"handbok-files 1\n"


def pack_files(files: dict[str, bytes]) -> bytes:
    names = sorted(files)
    header = json.dumps([[n, len(files[n])] for n in names], ensure_ascii=False, separators=(",", ":")).encode()
    return b"".join([_FILES_MAGIC, header, b"\n", *(files[n] for n in names)])


def unpack_files(data: bytes) -> dict[str, bytes] | None:
    """The files of ``pack_files``; None when ``data`` is not such an entry, whole."""
    try:
        if not data.startswith(_FILES_MAGIC):
            return None
        end = data.index(b"\n", len(_FILES_MAGIC))
        offset, files = end + 1, {}
        for name, length in json.loads(data[len(_FILES_MAGIC):end]):
            if not (isinstance(name, str) and isinstance(length, int) and 0 <= length <= len(data) - offset):
                return None
            files[name] = data[offset:offset + length]
            offset += length
        return files if offset == len(data) else None
    except (ValueError, TypeError):
        return None


class Pack:
    """Many small entries of one area kept in a few files: ``<area>/packs/<scope>/<shard>.pack``.

    Creating a file costs far more than writing its bytes (10,000 entries of one file each added seconds to a check),
    so the entries of one scope (e.g. one content folder) are kept in 16 files, by the first hex digit of their key.
    A shard is read once, when first asked for, and written again (atomically) by ``flush()`` only when an entry was
    added to it; it then keeps the entries asked for in this run and the new ones, so entries of files that changed
    since do not pile up. A shard that cannot be read whole, and an entry whose checksum does not match, are misses.

    A shard: MAGIC, a JSON list ``[[key, length, crc32], ...]`` on one line, then the entries' bytes one after another.
    """

    MAGIC = b"handbok-pack 1\n"
    SHARDS = 16

    def __init__(self, area: str, scope: str, folder: Path | None = None):
        """The pack of ``scope`` in ``area``; or, given ``folder`` (another process's ``Pack.folder``), that one."""
        if folder is None:
            base = root()
            name = hashlib.sha256(scope.encode("utf-8", "surrogatepass")).hexdigest()[:32]
            folder = None if base is None else base / area / "packs" / name
        self.folder = folder
        self._index: dict[int, dict[str, tuple[bytes, int, int, int]]] = {}
        self._used: dict[int, set[str]] = {}
        self._new: dict[int, dict[str, bytes]] = {}

    def _shard(self, k: str) -> int:
        return int(k[:1] or "0", 16) % self.SHARDS

    def _read(self, shard: int) -> dict[str, tuple[bytes, int, int, int]]:
        index: dict[str, tuple[bytes, int, int, int]] = {}
        try:
            raw = (self.folder / f"{shard:x}.pack").read_bytes()  # type: ignore[operator]
            if not raw.startswith(self.MAGIC):
                return index
            end = raw.index(b"\n", len(self.MAGIC))
            offset = end + 1
            for k, length, crc in json.loads(raw[len(self.MAGIC):end]):
                if not (isinstance(k, str) and isinstance(length, int) and isinstance(crc, int) and length >= 0):
                    return {}
                index[k] = (raw, offset, length, crc)
                offset += length
            if offset != len(raw):
                return {}
        except (OSError, ValueError, TypeError):
            return {}
        return index

    def _loaded(self, shard: int) -> dict[str, tuple[bytes, int, int, int]]:
        index = self._index.get(shard)
        if index is None:
            index = self._index[shard] = self._read(shard)
        return index

    def has(self, k: str) -> bool:
        """Whether there is an entry for ``k``, without copying or checking its bytes (``get`` may still find it
        damaged, and then misses)."""
        if self.folder is None:
            return False
        shard = self._shard(k)
        return k in self._new.get(shard, ()) or k in self._loaded(shard)

    def get(self, k: str) -> bytes | None:
        if self.folder is None:
            return None
        shard = self._shard(k)
        added = self._new.get(shard)
        if added is not None and k in added:  # put in this run (load._read_ahead), not yet written
            return added[k]
        found = self._loaded(shard).get(k)
        if found is None:
            return None
        raw, offset, length, crc = found
        data = raw[offset:offset + length]
        if zlib.crc32(data) != crc:
            return None
        self._used.setdefault(shard, set()).add(k)
        return data

    def forget(self, keep: str | None = None) -> None:
        """Let go of the files read so far (a reader of many entries), except the one that holds ``keep``."""
        shard = None if keep is None else self._shard(keep)
        self._index = {n: index for n, index in self._index.items() if n == shard}

    def put(self, k: str, data: bytes) -> None:
        if self.folder is not None:
            self._new.setdefault(self._shard(k), {})[k] = data

    def flush(self) -> None:
        """Write the shards that got new entries; a cache that cannot be written is skipped silently."""
        new, self._new = self._new, {}
        if self.folder is None:
            return
        for shard, added in sorted(new.items()):
            index = self._index.get(shard) or self._read(shard)
            entries = [(k, index[k]) for k in sorted(self._used.get(shard, ())) if k in index and k not in added]
            header = [[k, length, crc] for k, (_, _, length, crc) in entries]
            header += [[k, len(data), zlib.crc32(data)] for k, data in added.items()]
            parts = [self.MAGIC, json.dumps(header, separators=(",", ":")).encode(), b"\n"]
            parts += [raw[offset:offset + length] for _, (raw, offset, length, _) in entries]
            parts += added.values()
            _write(self.folder / f"{shard:x}.pack", b"".join(parts))
        self._index, self._used = {}, {}


def _write(path: Path, data: bytes) -> None:
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
