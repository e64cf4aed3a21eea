"""Run by bench.py in a subprocess: a real `handbok build` with timers around its phases, or a plain mkdocs build.

    python benchmarks/instrumented.py build JSON [--dump DIR] [--rescue DIR] [--sequential] -- [handbok build arguments]
    python benchmarks/instrumented.py plain JSON MKDOCS_YML

`build` calls the `handbok` command itself (generators.cli.main) and wraps, without changing them, the functions
that the build calls: the content check, our page generation (render_pages and the plugin's hooks), mkdocs' build,
Pagefind, the service worker, the offline zip and the documents. With --dump it writes the Markdown pages that our
plugin generated to DIR afterwards (outside every timer), for the plain mkdocs build of the same pages. With
--rescue, when the documents fail (pandoc running out of memory at 10,000 routines), the finished site and offline zip
are moved to DIR/site and DIR/dist before the build cleans up, so that the site can still be measured; the build
itself fails and publishes nothing, as always. (A document that fails now stops the build before the site is
written, and there is nothing to rescue.)

`handbok build` writes the documents in the background while mkdocs makes the pages. With --sequential they are
written first and the site after them, as before stop 22, so that the site's phases are timed without the documents
beside them on the two cores (the table's site, generation and mkdocs columns); the whole build's wall time as a
user meets it comes from runs without --sequential.

`plain` times mkdocs' own load_config + build of a mkdocs.yml, the same two calls that `handbok build` makes.

Both write their timings (seconds) and peak memory (ru_maxrss, KiB) as JSON.
"""

from __future__ import annotations

import time

T0 = time.perf_counter()

import functools  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
from collections import defaultdict  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

timings: dict[str, float] = defaultdict(float)
calls: dict[str, int] = defaultdict(int)


def _wrap(owner, name: str, key: str, keep=None) -> bool:
    fn = getattr(owner, name, None)
    if fn is None:
        return False

    @functools.wraps(fn)
    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            result = fn(*args, **kwargs)
        finally:
            timings[key] += time.perf_counter() - start
            calls[key] += 1
        if keep is not None:
            keep.append(result)
        return result

    setattr(owner, name, timed)
    return True


def _watch_pagefind(owner) -> None:
    start_pagefind = getattr(owner, "start_pagefind", None)
    if start_pagefind is None:
        return

    def started(*args, **kwargs):
        begun = time.perf_counter()
        indexing = start_pagefind(*args, **kwargs)

        def watch() -> None:
            indexing.wait()
            timings["pagefind"] += time.perf_counter() - begun
            calls["pagefind"] += 1

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        _watchers.append(watcher)
        return indexing

    setattr(owner, "start_pagefind", started)


_watchers: list[threading.Thread] = []


def _memory() -> dict[str, int]:
    return {"maxrss_self_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            "maxrss_children_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}


def _rescue_on_failure(finish, documents, rescue: Path, failures: list[str]) -> None:
    made: dict[str, Path] = {}
    zip_fn, docs_fn = finish.write_offline_zip, documents.build_documents

    def write_offline_zip(site_dir, target, *a, **kw):
        made["site"], made["zip"] = Path(site_dir), Path(target)
        return zip_fn(site_dir, target, *a, **kw)

    def build_documents(*a, **kw):
        try:
            return docs_fn(*a, **kw)
        except Exception as exc:
            failures.append(f"{type(exc).__name__}: {exc}")
            if "site" in made:
                shutil.rmtree(rescue, ignore_errors=True)
                (rescue / "dist").mkdir(parents=True)
                shutil.move(str(made["site"]), str(rescue / "site"))
                if made["zip"].exists():
                    shutil.move(str(made["zip"]), str(rescue / "dist" / made["zip"].name))
            raise

    finish.write_offline_zip, documents.build_documents = write_offline_zip, build_documents


class _Serial:
    """Stands in for publish's background executor (--sequential): the documents are written when submitted."""

    def __init__(self, *args, **kwargs) -> None:
        pass

    def submit(self, fn, *args, **kwargs):
        from concurrent.futures import Future

        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:
            future.set_exception(exc)
        return future

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        pass


def cmd_build(out: Path, dump: Path | None, rescue: Path | None, argv: list[str], sequential: bool = False) -> int:
    import mkdocs.commands.build
    import mkdocs.config

    from generators import cli, finish, mkdocs_plugin, pipeline, publish
    from generators.mkdocs_plugin import HandbokPlugin
    from generators.render import documents, site

    imported = time.perf_counter()
    pages: list[dict[str, str]] = []
    failures: list[str] = []
    if rescue is not None:
        _rescue_on_failure(finish, documents, rescue, failures)
    _wrap(pipeline, "check_content", "check")
    _wrap(site, "render_pages", "render_pages", keep=pages)
    for hook in sorted(n for n in vars(HandbokPlugin) if n.startswith("on_") and n != "on_post_build"):
        _wrap(HandbokPlugin, hook, f"hook_{hook}")
    _wrap(HandbokPlugin, "on_post_build", "on_post_build")
    _wrap(HandbokPlugin, "_write_search_page", "search_pages")  # Pagefind's input, written during on_post_page
    _wrap(mkdocs.config, "load_config", "mkdocs_load_config")
    _wrap(mkdocs.commands.build, "build", "mkdocs_build")
    # Pagefind runs beside the documents (mkdocs_plugin.on_post_build): its time is its process's, from start to exit.
    for owner in (finish, mkdocs_plugin):
        _watch_pagefind(owner)
    _wrap(finish, "write_service_worker", "service_worker")
    _wrap(finish, "write_offline_zip", "offline_zip")
    _wrap(documents, "build_documents", "documents")
    _wrap(publish, "swap_into_place", "swap")
    if sequential:
        publish.ThreadPoolExecutor = _Serial
    start = time.perf_counter()
    code = cli.main(["build", *argv])
    end = time.perf_counter()
    for watcher in _watchers:
        watcher.join()
    result = {"exit": code, "startup": imported - T0, "main": end - start, "total": end - T0,
              "timings": dict(timings), "calls": dict(calls), "documents_failed": failures, **_memory()}
    if dump is not None and pages:
        dump_start = time.perf_counter()
        content = Path(argv[argv.index("--content") + 1]) if "--content" in argv else ROOT / "content"
        if dump.exists():
            shutil.rmtree(dump)
        if (content / "pages").is_dir():
            shutil.copytree(content / "pages", dump)
        for uri, text in pages[-1].items():
            target = dump / uri
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        result["dumped_pages"] = len(pages[-1])
        result["dump_s"] = time.perf_counter() - dump_start
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return code


def cmd_plain(out: Path, config_file: Path) -> int:
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    imported = time.perf_counter()
    start = time.perf_counter()
    config = load_config(str(config_file))
    build(config)
    end = time.perf_counter()
    out.write_text(json.dumps({"exit": 0, "startup": imported - T0, "mkdocs": end - start, "total": end - T0,
                               **_memory()}, indent=2), encoding="utf-8")
    return 0


def main() -> int:
    mode, out = sys.argv[1], Path(sys.argv[2])
    if mode == "build":
        rest = sys.argv[3:]
        opts = rest[: rest.index("--")]
        dump = Path(opts[opts.index("--dump") + 1]) if "--dump" in opts else None
        rescue = Path(opts[opts.index("--rescue") + 1]) if "--rescue" in opts else None
        return cmd_build(out, dump, rescue, rest[rest.index("--") + 1:], sequential="--sequential" in opts)
    if mode == "plain":
        return cmd_plain(out, Path(sys.argv[3]))
    raise SystemExit(f"okänt läge {mode!r}")


if __name__ == "__main__":
    sys.exit(main())
