"""Workers: spread the heavy stages over processes, each set up once, fed in chunks."""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import pickle
import queue
import signal
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items a pool costs more than it saves.
MIN_PARALLEL_ITEMS = 64

# How often the parent, waiting for the last chunks, looks whether a helper died without a word.
_WAIT_SECONDS = 0.5


# progress(stage, done, total): how the build reports long stages, for a progress bar.
Progress = Callable[[str, int, int], None]


def stage_counter(progress: Progress | None, stage: str, total: int) -> Callable[[int], None] | None:
    """map_chunks' progress callback for one stage: counts the items done and reports `stage` as `done` of
    `total` to `progress`; None without a progress display."""
    if progress is None:
        return None
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        progress(stage, done, total)

    return advance


def default_jobs() -> int:
    """One worker per core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


# Chunks per worker while most items remain; and the fewest items a chunk shrinks to near the end.
CHUNKS_PER_JOB = 8
MIN_CHUNK_ITEMS = 32


def _chunks(items: Sequence[T], count: int) -> list[Sequence[T]]:
    size = max(1, -(-len(items) // count))
    return [items[start: start + size] for start in range(0, len(items), size)]


def _shrinking_chunks(items: Sequence[T], jobs: int) -> list[Sequence[T]]:
    """Chunks of an eighth of a worker's share at first; then, once that is more than a quarter of a
    worker's share of what remains, of that quarter, but at least MIN_CHUNK_ITEMS (or one item where even
    the first chunks are smaller). Equal chunks left one worker on the last of them while the others
    waited: at 10,000 explainers, 1.3 s of rendering on one core alone."""
    most = max(1, -(-len(items) // (jobs * CHUNKS_PER_JOB)))
    chunks, start = [], 0
    while start < len(items):
        size = min(most, max(MIN_CHUNK_ITEMS, -(-(len(items) - start) // (jobs * 4))))
        chunks.append(items[start: start + size])
        start += size
    return chunks


def _claim(claimed, count: int) -> int | None:
    """The next chunk nobody has taken yet, taken now; None when all are taken."""
    with claimed.get_lock():
        index = claimed.value
        if index >= count:
            return None
        claimed.value = index + 1
    return index


# prctl(2) option: the signal a process receives when the thread that forked it ends.
_PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> None:
    """End this helper as soon as `parent` ends, even by SIGKILL, which leaves the parent no say: on Linux
    the kernel sends SIGKILL then (prctl PR_SET_PDEATHSIG); elsewhere a thread looks twice a second. Without
    this, helpers of a killed build stayed forever, waiting on a lock the parent held."""
    try:
        # The process's own symbols, libc's among them (find_library would run ldconfig in every helper).
        watched = ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError, TypeError):  # no libc, or no prctl in it
        watched = False
    if os.getppid() != parent:  # it ended before the kernel was told to watch it
        os._exit(1)
    if not watched:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_WAIT_SECONDS)
    os._exit(1)


class WorkerError(RuntimeError):
    """A helper process failed in a way that could not travel back as its own exception."""


def _helper(work: Callable[[Any, Sequence[T]], list[R]], chunks: list[Sequence[T]], setup: Callable[[], Any],
            claimed, done, parent: int) -> None:
    """A forked helper: take chunks until none is left, sending back (index, results) for each, or
    (-1, pickled exception) on failure."""
    _die_with(parent)
    # A forked helper inherits the parent's Python signal handlers (watch mode turns SIGTERM into a clean
    # stop); it must instead die when the parent ends it, and leave Ctrl-C to the parent.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        context = setup()
        while (index := _claim(claimed, len(chunks))) is not None:
            done.put((index, work(context, chunks[index])))
    except BaseException as exc:  # noqa: BLE001 - every failure must reach the parent, which re-raises it
        try:
            failure = pickle.dumps(exc)
        except Exception:  # noqa: BLE001 - an exception that does not pickle travels as its traceback
            failure = pickle.dumps(WorkerError(traceback.format_exc()))
        done.put((-1, failure))


def map_chunks(work: Callable[[Any, Sequence[T]], list[R]], items: Sequence[T], *, jobs: int,
               setup: Callable[[], Any], progress: Callable[[int], None] | None = None,
               min_items: int = MIN_PARALLEL_ITEMS) -> list[R]:
    """`work(context, chunk)` over chunks of `items`, results in order; `context = setup()` once per process.

    The parent process is one of the `jobs` workers: it forks `jobs - 1` helpers and takes chunks from
    the same counter as they do. That spares a process and, above all, its copy of the parent's memory:
    CPython's reference counts turn every object a forked process reads into a private copy of its page.
    The helpers fork, so `work`, `setup`, the items and what they close over reach them without pickling;
    only results travel back. Heavy items (images) pass a lower `min_items`, since helpers pay off sooner.
    """
    if jobs <= 1 or len(items) < max(2, min_items):
        context = setup()
        results: list[R] = []
        for chunk in _chunks(items, max(1, len(items) // 200)):
            results += work(context, chunk)
            if progress:
                progress(len(chunk))
        return results
    chunks = _shrinking_chunks(items, jobs)
    fork = multiprocessing.get_context("fork")
    claimed = fork.Value("q", 0)
    done = fork.Queue()  # a helper's put never waits for the parent, busy with its own chunks
    helpers = [fork.Process(target=_helper, args=(work, chunks, setup, claimed, done, os.getpid()),
                               daemon=True)
               for _ in range(jobs - 1)]
    # The heap stays frozen (out of the garbage collector's reach) while the helpers live: a collection
    # writes to every object it visits, and each memory page it writes to, in the parent or in a helper,
    # stops being shared between them.
    gc.freeze()
    try:
        for helper in helpers:
            helper.start()
        by_index: list[list[R] | None] = [None] * len(chunks)
        try:
            context = None
            while (index := _claim(claimed, len(chunks))) is not None:
                context = setup() if context is None else context
                by_index[index] = work(context, chunks[index])
                if progress:
                    progress(len(chunks[index]))
                _receive(done, by_index, chunks, progress, helpers, wait=False)
            while any(results is None for results in by_index):
                _receive(done, by_index, chunks, progress, helpers, wait=True)
        except BaseException:
            for helper in helpers:
                helper.terminate()
            raise
        finally:
            for helper in helpers:
                helper.join()
            done.close()
        del context
        gc.collect()  # the parent's own garbage (its context holds cycles), without walking the frozen heap
    finally:
        gc.unfreeze()
    return [result for results in by_index for result in results]


def _receive(done, by_index: list, chunks: list, progress: Callable[[int], None] | None,
             helpers: list, *, wait: bool) -> None:
    """Take the helpers' finished chunks: those waiting now, or (`wait`) at least one."""
    while True:
        try:
            index, results = done.get(timeout=_WAIT_SECONDS) if wait else done.get_nowait()
        except queue.Empty:
            if not wait:
                return
            failed = [h.exitcode for h in helpers if h.exitcode not in (None, 0)]
            if failed:
                raise WorkerError(f"a worker process ended unexpectedly (exit code {failed[0]})") from None
            continue
        if index < 0:
            raise pickle.loads(results)
        by_index[index] = results
        if progress:
            progress(len(chunks[index]))
        wait = False  # one was enough; take the others waiting, then return
