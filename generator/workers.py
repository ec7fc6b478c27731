"""Workers: spread the heavy stages over processes, each set up once, fed in chunks."""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items a pool costs more than it saves.
MIN_PARALLEL_ITEMS = 64

# The per-process context made by `setup` in each worker. It is only ever set inside a worker
# process, once, by the pool's initializer: the parent process never reads or writes it.
_worker_context: Any = None


def default_jobs() -> int:
    """One worker per core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _init(setup: Callable[[], Any]) -> None:
    global _worker_context
    # A forked worker inherits the parent's Python signal handlers (watch mode turns SIGTERM into a clean
    # stop); a worker must instead die when its pool is terminated, and leave Ctrl-C to the parent.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_context = setup()


def _run(task: tuple[Callable[[Any, Sequence[T]], list[R]], Sequence[T]]) -> list[R]:
    work, chunk = task
    return work(_worker_context, chunk)


def _chunks(items: Sequence[T], count: int) -> Iterator[Sequence[T]]:
    size = max(1, -(-len(items) // count))
    for start in range(0, len(items), size):
        yield items[start: start + size]


def map_chunks(work: Callable[[Any, Sequence[T]], list[R]], items: Sequence[T], *, jobs: int,
               setup: Callable[[], Any], progress: Callable[[int], None] | None = None,
               min_items: int = MIN_PARALLEL_ITEMS) -> list[R]:
    """`work(context, chunk)` over chunks of `items`, results in order; `context = setup()` once per worker.

    The pool forks, so `setup` and what it closes over reach the workers without pickling;
    only the chunks' items and their results cross between processes. Heavy items (images)
    pass a lower `min_items`, since a pool pays off for them sooner.
    """
    if jobs <= 1 or len(items) < max(2, min_items):
        context = setup()
        results: list[R] = []
        for chunk in _chunks(items, max(1, len(items) // 200)):
            results += work(context, chunk)
            if progress:
                progress(len(chunk))
        return results
    tasks = [(work, chunk) for chunk in _chunks(items, jobs * 8)]
    # Objects frozen before the fork are left out of the workers' garbage collections, which would otherwise
    # walk the whole inherited site and copy every memory page they touch (about 2% less PSS at 10,000).
    gc.freeze()
    try:
        pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_init, initargs=(setup,))
    finally:
        gc.unfreeze()
    try:
        results = []
        for done, chunk_results in zip(tasks, pool.imap(_run, tasks), strict=True):
            results += chunk_results
            if progress:
                progress(len(done[1]))
    except BaseException:
        pool.terminate()
        pool.join()
        raise
    pool.close()  # every task is done: the workers leave by themselves
    pool.join()
    return results
