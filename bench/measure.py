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
# Pss is read every this many samples: the kernel walks every page table of the process to sum it, and at
# every sample that walk took a core's share that slowed a 10,000-explainer build by about 15%.
PSS_EVERY = 10


@dataclass(frozen=True, slots=True)
class Sample:
    """One measured run of a command."""

    seconds: float  # wall time from spawn to exit
    tree_peak_kb: int  # largest sum of VmRSS over the process and all its descendants, sampled every 20 ms
    single_peak_kb: int  # largest ru_maxrss of any single process of the tree (kernel-exact, from wait4)
    exit_code: int
    polls: int  # how many /proc samples were taken
    # Largest sum of Pss over the tree: forked workers share the parent's pages copy-on-write, which VmRSS
    # counts once per process and Pss divides among the processes sharing them. 0 where the kernel lacks it.
    tree_peak_pss_kb: int = 0
    # CPU time (user + system) of the process and every descendant it waited for, from wait4: on a shared,
    # loaded machine a steadier measure of a build's work than its wall time.
    cpu_seconds: float = 0.0

    @property
    def peak_pss_mb(self) -> float:
        return self.tree_peak_pss_kb / 1024

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


def _proc_kb(pid: int, name: str, key: str) -> int:
    """A kB figure of one process from /proc/PID/NAME, the line starting `key` (0 if the process has gone,
    is a zombie, or the kernel lacks the file)."""
    try:
        with open(f"/proc/{pid}/{name}", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_memory_kb(root: int, use_children_files: bool = True, with_pss: bool = True) -> tuple[int, int]:
    """The sums of VmRSS and of Pss (0 unless `with_pss`) over `root` and all its descendants right now."""
    children = _children_of if use_children_files else _children_by_scan
    rss = pss = 0
    stack, seen = [root], set()
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        rss += _proc_kb(pid, "status", "VmRSS:")
        if with_pss:
            pss += _proc_kb(pid, "smaps_rollup", "Pss:")
        stack.extend(children(pid))
    return rss, pss


class _Sampler(threading.Thread):
    """Polls the tree's memory until told to stop; keeps only the peak."""

    def __init__(self, pid: int, interval: float):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.use_children_files = has_children_files()
        self.peak_kb = self.peak_pss_kb = 0
        self.polls = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            rss, pss = tree_memory_kb(self.pid, self.use_children_files, with_pss=self.polls % PSS_EVERY == 0)
            self.peak_kb, self.peak_pss_kb = max(self.peak_kb, rss), max(self.peak_pss_kb, pss)
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
    return Sample(seconds, sampler.peak_kb, usage.ru_maxrss, proc.returncode, sampler.polls, sampler.peak_pss_kb,
                  usage.ru_utime + usage.ru_stime)
