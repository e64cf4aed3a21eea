"""Worker processes for the stages that pay for them: loading and checking a large content folder, and converting a
large site's Markdown (render/markdown_pool.py).

The same start everywhere: spawned processes (a fork of a process with a big project in memory would copy its pages on
write, and is unsafe with threads), by default one per core, each ignoring Ctrl-C, which goes to the whole process
group and is for the main process: it stops the pool itself, and queued tasks are dropped. The callers treat a pool
that cannot start or fails as no pool at all and do the work themselves: the workers change how long a run takes,
never what comes out of it.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from typing import Callable


def cores() -> int:
    return os.cpu_count() or 1


def pool(max_workers: int | None = None, initializer: Callable[[], None] | None = None) -> ProcessPoolExecutor:
    """A pool of spawned workers, one per core unless ``max_workers`` says otherwise, started by ``initializer``
    (by default ignore_interrupt); shut it down with ``shutdown(wait=True, cancel_futures=True)``."""
    import multiprocessing

    return ProcessPoolExecutor(max_workers=max_workers or cores(), mp_context=multiprocessing.get_context("spawn"),
                               initializer=initializer or ignore_interrupt)


def ignore_interrupt() -> None:
    """In a worker: Ctrl-C (sent to the whole process group) is for the main process, which stops the workers."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
