"""Fingerprints: theme static files also published under content-hashed names, where the theme asks for it."""

from __future__ import annotations

import fnmatch
import hashlib
import posixpath
from collections.abc import Mapping, Sequence
from pathlib import Path

import yaml

MANIFEST = "theme.yaml"
PREFIX = "static/"


def fingerprint_patterns(folders: Sequence[Path]) -> tuple[str, ...]:
    """What `fingerprint:` in theme.yaml asks for, from the first theme of the chain that says: `true` for
    every static file, or glob patterns under static/ such as ["css/*.css", "images/*"]; () for nothing."""
    for folder in folders:
        manifest = folder / MANIFEST
        if not manifest.is_file():
            continue
        try:
            data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
        except (yaml.YAMLError, OSError, UnicodeDecodeError):
            return ()  # the theme chain reports a broken theme.yaml
        if not isinstance(data, dict) or "fingerprint" not in data:
            continue
        wanted = data["fingerprint"]
        if wanted is True:
            return ("*",)
        if isinstance(wanted, str):
            return (wanted,)
        if isinstance(wanted, list):
            return tuple(str(p) for p in wanted)
        return ()
    return ()


def fingerprinted_name(rel: str, data: bytes) -> str:
    """"static/css/style.css" -> "static/css/style.3f2a1b9c0d.css", the digest being of the file's bytes."""
    stem, suffix = posixpath.splitext(rel)
    return f"{stem}.{hashlib.blake2b(data, digest_size=5).hexdigest()}{suffix}"


def fingerprint_static(static_files: Mapping[str, Path], patterns: Sequence[str],
                       ) -> tuple[dict[str, Path], dict[str, str]]:
    """Copies of the matching static files under fingerprinted names (the plain names stay, for the files'
    own relative links), and for `static(name)` each matching name's fingerprinted site path."""
    copies: dict[str, Path] = {}
    names: dict[str, str] = {}
    for rel, path in static_files.items():
        name = rel.removeprefix(PREFIX)
        if not any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns):
            continue
        hashed = fingerprinted_name(rel, path.read_bytes())
        copies[hashed] = path
        names[name] = hashed
    return copies, names
