"""One Pagefind run: some of the written pages indexed into a folder by the Pagefind binary.

Each shard gets its own Pagefind process, which exits when the shard is written, so that the build's peak
memory is what the largest shard needs. Pagefind reads a folder, so the shard's pages are linked (hard
links, or copies across file systems) into a temporary folder at the same paths: its URLs are the site's.
Pagefind's Python API was measured too and left aside: its client waits 0.1 s for each page's answer.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

TIMEOUT_SECONDS = 600
NOTHING_TO_INDEX = "not able to build an index"


class PagefindError(RuntimeError):
    """Pagefind failed: not installed, crashed, or refused the pages."""


def _link_pages(out: Path, rels: Sequence[str], site: Path) -> None:
    for rel in rels:
        target = site / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(out / rel, target)
        except OSError:  # another file system, or links not allowed: a copy reads the same
            shutil.copyfile(out / rel, target)


def index_pages(executable: Path, out: Path, rels: Sequence[str], dest: Path, scratch: Path | None) -> bool:
    """Index the pages `rels` of `out` into `dest` (made); False if none has words to index.

    PagefindError when Pagefind fails. `scratch`: where the folder of linked pages goes (beside the output
    is best: links need the same file system), else the system's temporary folder.
    """
    with tempfile.TemporaryDirectory(prefix="nutgraf-shard-", dir=scratch) as site:
        _link_pages(out, rels, Path(site))
        command = [str(executable), "--site", site, "--output-path", str(dest), "--quiet"]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False,
                                  stdin=subprocess.DEVNULL)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PagefindError(str(exc)) from exc
    if done.returncode != 0 and NOTHING_TO_INDEX in done.stdout + done.stderr:
        return False
    if done.returncode != 0:
        said = " ".join((done.stderr or done.stdout).split())[-500:]
        raise PagefindError(f"exit status {done.returncode}: {said}")
    return True
