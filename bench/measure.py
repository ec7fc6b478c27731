"""Measure: wall time and peak memory of a command's whole process tree, sampled from /proc without psutil."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

SAMPLE_SECONDS = 0.02


@dataclass(frozen=True, slots=True)
class Sample:
    """One measured run of a command."""

    seconds: float  # wall time from spawn to exit
    tree_peak_kb: int  # largest sum of VmRSS over the process and all its descendants, sampled every 20 ms
    single_peak_kb: int  # largest ru_maxrss of any single process of the tree (kernel-exact, from wait4)
    exit_code: int
    polls: int  # how many /proc samples were taken

    @property
    def peak_mb(self) -> float:
        """The peak to report: the sampled tree sum, or the exact single-process peak if that is larger."""
        return max(self.tree_peak_kb, self.single_peak_kb) / 1024


def _children_of(pid: int) -> list[int]:
    """Direct children of `pid` from /proc/PID/task/*/children (empty if it has gone)."""
    kids: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as f:
                kids.extend(int(k) for k in f.read().split())
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return kids


def _children_by_scan(pid: int) -> list[int]:
    """Direct children of `pid` found by reading every /proc/*/stat (when the children file is missing)."""
    kids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                fields = f.read().rpartition(")")[2].split()
        except OSError:
            continue
        if len(fields) > 1 and int(fields[1]) == pid:
            kids.append(int(entry))
    return kids


def has_children_files() -> bool:
    """True when the kernel offers /proc/PID/task/TID/children (CONFIG_PROC_CHILDREN)."""
    return Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").exists()


def _rss_kb(pid: int) -> int:
    """VmRSS of one process in kB (0 if it has gone or is a zombie)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kb(root: int, use_children_files: bool = True) -> int:
    """The sum of VmRSS over `root` and all its descendants right now."""
    children = _children_of if use_children_files else _children_by_scan
    total, stack, seen = 0, [root], set()
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += _rss_kb(pid)
        stack.extend(children(pid))
    return total


class _Sampler(threading.Thread):
    """Polls the tree's memory until told to stop; keeps only the peak."""

    def __init__(self, pid: int, interval: float):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.use_children_files = has_children_files()
        self.peak_kb = 0
        self.polls = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak_kb = max(self.peak_kb, tree_rss_kb(self.pid, self.use_children_files))
            self.polls += 1
            self.done.wait(self.interval)


def run_measured(argv: Sequence[str], log: Path, cwd: Path | None = None,
                 env: Mapping[str, str] | None = None, interval: float = SAMPLE_SECONDS) -> Sample:
    """Run `argv` to completion with stdout and stderr in `log`; time it and sample its memory."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(list(argv), cwd=cwd, env=dict(env) if env is not None else None,
                                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        sampler = _Sampler(proc.pid, interval)
        sampler.start()
        # wait4 rather than Popen.wait: its rusage gives the largest ru_maxrss among the reaped tree.
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        sampler.done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    return Sample(seconds, sampler.peak_kb, usage.ru_maxrss, proc.returncode, sampler.polls)
