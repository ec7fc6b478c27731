"""Fingerprints: theme static files also published under content-hashed names, where the theme asks for it."""

from __future__ import annotations

import fnmatch
import hashlib
import posixpath
from collections.abc import Mapping, Sequence
from pathlib import Path

import yaml

from .minify import MINIFIABLE, minify_asset

MANIFEST = "theme.yaml"
PREFIX = "static/"


def fingerprint_patterns(folders: Sequence[Path]) -> tuple[str, ...]:
    """What `fingerprint:` in theme.yaml asks for, from the first theme of the chain that says: `true` for
    every static file, or glob patterns under static/ such as ["css/*.css", "images/*"]; () for nothing."""
    return _fingerprint_setting(folders)[0]


def minify_wanted(folders: Sequence[Path]) -> bool:
    """`minify: true` beside `fingerprint:` in the theme.yaml that sets it: fingerprinted CSS and JS minified."""
    return _fingerprint_setting(folders)[1]


def _fingerprint_setting(folders: Sequence[Path]) -> tuple[tuple[str, ...], bool]:
    for folder in folders:
        manifest = folder / MANIFEST
        if not manifest.is_file():
            continue
        try:
            data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
        except (yaml.YAMLError, OSError, UnicodeDecodeError):
            return (), False  # the theme chain reports a broken theme.yaml
        if not isinstance(data, dict) or "fingerprint" not in data:
            continue
        wanted, minify = data["fingerprint"], data.get("minify") is True
        if wanted is True:
            return ("*",), minify
        if isinstance(wanted, str):
            return (wanted,), minify
        if isinstance(wanted, list):
            return tuple(str(p) for p in wanted), minify
        return (), False
    return (), False


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


def minified_static(static_files: Mapping[str, Path], patterns: Sequence[str],
                    ) -> tuple[dict[str, Path], dict[str, bytes], dict[str, str]]:
    """Like `fingerprint_static`, but matching CSS and JS files are published minified: their fingerprinted
    names hash the minified bytes, which are returned as data (other matching files stay copies)."""
    copies, names = fingerprint_static(static_files, patterns)
    data: dict[str, bytes] = {}
    for name, hashed in list(names.items()):
        if not name.lower().endswith(MINIFIABLE):
            continue
        source = copies.pop(hashed)
        small = minify_asset(name, source.read_bytes())
        renamed = fingerprinted_name(PREFIX + name, small)
        data[renamed] = small
        names[name] = renamed
    return copies, data, names
