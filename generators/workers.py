"""Worker processes for the stages that pay for them (loading and checking a large content folder).

The same start everywhere: one process per core, spawned (a fork of a process with a big project in memory would copy
its pages on write, and is unsafe with threads), each ignoring Ctrl-C, which goes to the whole process group and is
for the main process: it stops the pool itself, and queued tasks are dropped. The callers treat a pool that cannot
start or fails as no pool at all and do the work themselves: the workers change how long a run takes, never what
comes out of it.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor


def cores() -> int:
    return os.cpu_count() or 1


def pool() -> ProcessPoolExecutor:
    """A pool of one spawned worker per core; shut it down with ``shutdown(wait=True, cancel_futures=True)``."""
    import multiprocessing

    return ProcessPoolExecutor(max_workers=cores(), mp_context=multiprocessing.get_context("spawn"),
                               initializer=ignore_interrupt)


def ignore_interrupt() -> None:
    """In a worker: Ctrl-C (sent to the whole process group) is for the main process, which stops the workers."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
