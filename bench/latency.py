"""Save-to-disk latency of watch modes: nutgraf watch against Hugo's server rendering to disk.

    python bench/latency.py --sizes 1000,10000 --edits 20

For each size: start the watcher on the corpus, wait for its first build, then edit one explainer's
body `--edits` times and time from the write until its page on disk holds the new words.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from corpus import generate, write_corpus
from report import machine, now_utc, p90
from tools import detect_nutgraf, ensure_peers, hugo_version_tuple
from writers import WriteOptions

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
POLL_SECONDS = 0.002
TIMEOUT_SECONDS = 120.0


@dataclass(frozen=True, slots=True)
class Watcher:
    name: str
    argv: tuple[str, ...]
    ready_text: str  # printed once the first build is done and the watcher listens
    page: Path  # the edited explainer's page on disk
    source: Path  # the edited explainer's Markdown file


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_line(process: subprocess.Popen, text: str, timeout: float) -> None:
    """Read the watcher's output until `text` appears (the output keeps draining in a thread after)."""
    found = threading.Event()

    def drain() -> None:
        for line in process.stdout:
            if text in line:
                found.set()

    threading.Thread(target=drain, daemon=True).start()
    if not found.wait(timeout):
        process.kill()
        sys.exit(f"bench: the watcher never printed {text!r}")


def _wait_for_text(path: Path, marker: bytes, started: float) -> float:
    while time.perf_counter() - started < TIMEOUT_SECONDS:
        try:
            if marker in path.read_bytes():
                return time.perf_counter() - started
        except OSError:
            pass
        time.sleep(POLL_SECONDS)
    sys.exit(f"bench: {path} never showed the edit")


def measure(watcher: Watcher, edits: int) -> list[float]:
    """Seconds from each save to the page on disk holding the change."""
    process = subprocess.Popen(watcher.argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _wait_for_line(process, watcher.ready_text, TIMEOUT_SECONDS * 5)
        time.sleep(1.0)  # let the first build's own file events pass
        original = watcher.source.read_text(encoding="utf-8")
        latencies = []
        for n in range(edits):
            marker = f"Latency marker {watcher.name} {n} {time.time_ns()}."
            started = time.perf_counter()
            watcher.source.write_text(original.rstrip("\n") + f"\n\n{marker}\n", encoding="utf-8")
            latencies.append(_wait_for_text(watcher.page, marker.encode(), started))
            time.sleep(0.3)  # one save at a time: a real editor does not save every millisecond
        watcher.source.write_text(original, encoding="utf-8")
        return latencies
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def watchers(size: int, work: Path, nutgraf_exe: Path, hugo: Path, slug: str) -> list[Watcher]:
    site = work / f"latency-{size}"
    nutgraf_site, hugo_site = site / "nutgraf", site / "hugo"
    port = _free_port()
    return [
        Watcher("nutgraf", (str(nutgraf_exe), "watch", "--source", str(nutgraf_site), "--output",
                            str(site / "nutgraf-out"), "--cache-dir", str(site / "nutgraf-cache")),
                "Built ", site / "nutgraf-out" / slug / "index.html", nutgraf_site / "content" / f"{slug}.md"),
        # Hugo 0.16x renders to disk by default and no longer knows --renderToDisk.
        Watcher("hugo server", (str(hugo), "server", "--source", str(hugo_site),
                                              "--destination", str(site / "hugo-out"), "--port", str(port),
                                              "--bind", "127.0.0.1", "--disableLiveReload", "--cacheDir",
                                              str(site / "hugo-cache")),
                "Web Server is available", site / "hugo-out" / slug / "index.html",
                hugo_site / "content" / "explainers" / f"{slug}.md"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--nutgraf", type=Path, default=ROOT / ".venv" / "bin" / "nutgraf")
    args = parser.parse_args()
    work = BENCH / ".work"
    peers = ensure_peers(work / "venv")
    nutgraf = detect_nutgraf(args.nutgraf)
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        corpus = generate(args.seed, size)
        site = work / f"latency-{size}"
        write_corpus(corpus, site, ("nutgraf", "hugo"), WriteOptions(hugo_version_tuple(peers)))
        slug = corpus.explainers[len(corpus.explainers) // 2].slug
        for watcher in watchers(size, work, nutgraf.exe, peers.hugo, slug):
            found = measure(watcher, args.edits)
            rows.append((watcher.name, size, statistics.median(found), p90(found), len(found)))
            print(f"{watcher.name} at {size}: median {statistics.median(found) * 1000:.0f} ms, "
                  f"p90 {p90(found) * 1000:.0f} ms", file=sys.stderr)
    info = machine()
    print(f"\nSave-to-disk latency, {now_utc()}, {info.get('cpu', '?')}, {os.cpu_count()} cores\n")
    print("| watcher | explainers | median ms | p90 ms | edits |\n|---|---:|---:|---:|---:|")
    for name, size, median, tail, count in rows:
        print(f"| {name} | {size:,} | {median * 1000:.0f} | {tail * 1000:.0f} | {count} |")


if __name__ == "__main__":
    main()
