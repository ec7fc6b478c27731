"""map_chunks: results in order, the parent takes part, and a helper's failure reaches the parent."""

import os
import time

import pytest

from generator.workers import MIN_CHUNK_ITEMS, WorkerError, _shrinking_chunks, map_chunks

PARENT = os.getpid()


def _slow_helpers():
    """Helpers start late, so that the parent certainly takes chunks of its own."""
    if os.getpid() != PARENT:
        time.sleep(0.3)
    return "context"


def _square_with_pid(context, chunk):
    assert context == "context"
    return [(x * x, os.getpid()) for x in chunk]


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_results_come_back_in_order_whoever_made_them(jobs):
    items = list(range(500))
    ticks = []
    results = map_chunks(_square_with_pid, items, jobs=jobs, setup=_slow_helpers, progress=ticks.append)
    assert [square for square, _ in results] == [x * x for x in items]
    assert sum(ticks) == len(items)
    pids = {pid for _, pid in results}
    assert PARENT in pids  # the parent is one of the workers
    assert len(pids) <= jobs


def test_a_helper_does_work_too():
    def setup():  # the parent is slow here, so the helper must take chunks
        if os.getpid() == PARENT:
            time.sleep(0.3)
        return "context"

    results = map_chunks(_square_with_pid, list(range(500)), jobs=2, setup=setup)
    assert {pid for _, pid in results} - {PARENT}


def _fail_in_helper(context, chunk):
    if os.getpid() != PARENT:
        raise ValueError(f"bad item {chunk[0]}")
    time.sleep(0.01)
    return list(chunk)


def test_a_helpers_exception_is_raised_in_the_parent():
    with pytest.raises(ValueError, match="bad item"):
        map_chunks(_fail_in_helper, list(range(500)), jobs=2, setup=lambda: None)


class _UnpicklableError(Exception):
    def __reduce__(self):
        raise TypeError("cannot pickle this")


def _fail_unpicklably(context, chunk):
    if os.getpid() != PARENT:
        raise _UnpicklableError("lost")
    time.sleep(0.01)
    return list(chunk)


def test_an_exception_that_does_not_pickle_arrives_as_its_traceback():
    with pytest.raises(WorkerError, match="_UnpicklableError"):
        map_chunks(_fail_unpicklably, list(range(500)), jobs=2, setup=lambda: None)


def _die_in_helper(context, chunk):
    if os.getpid() != PARENT:
        os._exit(3)
    time.sleep(0.01)
    return list(chunk)


def test_a_helper_that_dies_is_noticed_not_waited_for():
    started = time.monotonic()
    with pytest.raises(WorkerError, match="exit code 3"):
        map_chunks(_die_in_helper, list(range(500)), jobs=2, setup=lambda: None)
    assert time.monotonic() - started < 30


@pytest.mark.parametrize(("count", "jobs"), [(16323, 2), (100_000, 2), (5000, 8), (500, 2), (10, 2), (1, 4)])
def test_chunks_cover_the_items_in_order_and_shrink_towards_the_end(count, jobs):
    items = list(range(count))
    chunks = _shrinking_chunks(items, jobs)
    assert [x for chunk in chunks for x in chunk] == items
    sizes = [len(chunk) for chunk in chunks]
    assert all(sizes)
    assert max(sizes) <= -(-count // (jobs * 8))  # no chunk bigger than an eighth of a worker's share
    assert sizes[:-1] == sorted(sizes[:-1], reverse=True)  # they only shrink (the last is what is left)
    if count >= 16 * MIN_CHUNK_ITEMS * jobs:  # big enough to shrink: the end is in small pieces
        assert max(sizes[-jobs * 2:]) <= MIN_CHUNK_ITEMS


def _children(pid: int) -> set[int]:
    """The processes whose parent is `pid`, read from /proc."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue  # it ended meanwhile
            if int(fields[1]) == pid:
                found.add(int(entry))
    return found


def _alive(pid: int) -> bool:
    """Running, or stopped; not ended (a zombie has ended, whether or not anyone has reaped it yet)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False



def _helpers_outlive(process, count: int = 1) -> list[int]:
    """Wait for `process` to fork `count` helpers, SIGKILL it, and return those helpers still alive 2 s later."""
    import signal

    try:
        deadline = time.monotonic() + 60
        while len(helpers := _children(process.pid)) < count and process.poll() is None \
                and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(helpers) >= count, "no helper was forked"
        time.sleep(0.2)  # well into their work
        process.send_signal(signal.SIGKILL)
        process.wait()
        deadline = time.monotonic() + 2
        while any(map(_alive, helpers)) and time.monotonic() < deadline:
            time.sleep(0.05)
        left = [pid for pid in helpers if _alive(pid)]
        for pid in left:  # leave nothing running behind the test either
            os.kill(pid, signal.SIGKILL)
        return left
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="finds the helpers through /proc")
def test_helpers_die_with_a_killed_build(tmp_path):
    """SIGKILL (the OOM killer, a CI timeout) gives the parent no chance to end its helpers: they must see
    to it themselves, at once, rather than wait forever on a lock the dead parent held."""
    import subprocess
    import sys

    from conftest import SITE_YAML, explainer

    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    for i in range(400):
        (root / f"content/e{i}.md").write_text(explainer(f"Explainer {i}", "## Why?\n\n" + "Words. " * 400,
                                                         topics=f"[T{i % 7}]"), encoding="utf-8")
    build = subprocess.Popen([sys.executable, "-m", "generator", "build", "--source", str(root), "--jobs", "2"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert _helpers_outlive(build) == []


_WITHOUT_PRCTL = """
import ctypes, time
def no_libc(*args, **kwargs):
    raise OSError("no libc here")
ctypes.CDLL = no_libc  # as where prctl is missing: the helpers fall back to watching their parent
from generator.workers import map_chunks
def slow(context, chunk):
    time.sleep(60)
    return list(chunk)
map_chunks(slow, list(range(200)), jobs=3, setup=lambda: None)
"""


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="finds the helpers through /proc")
def test_without_prctl_helpers_still_die_with_their_parent():
    import subprocess
    import sys

    assert _helpers_outlive(subprocess.Popen([sys.executable, "-c", _WITHOUT_PRCTL]), count=2) == []
