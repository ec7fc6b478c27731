"""Pagefind's index files made byte-for-byte reproducible: filter values sorted, files renamed by their content.

Pagefind writes its filter indexes (and so the metadata and entry files naming them) in hash-map order,
which changes from run to run. Sorting them makes an incremental build equal a clean one and lets
output/ skip files whose bytes did not change. The files are CBOR, read and written with cbor2; each is
checked to re-encode to the very bytes Pagefind wrote, and anything unexpected is left exactly as it was.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import cbor2

SIGNATURE = b"pagefind_dcd"  # what every compressed Pagefind file starts with once gunzipped
_META = re.compile(r"^pagefind\.(?P<hash>(?P<lang>.+)_[0-9a-f]+)\.pf_meta$")


class UnknownFormatError(ValueError):
    """A file this module does not understand: it is then left as it is."""


def read_packed(path: Path) -> Any:
    """A gzipped Pagefind file's CBOR content, checked to re-encode to the very same bytes."""
    try:
        raw = gzip.decompress(path.read_bytes())
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise UnknownFormatError(f"{path.name} is not gzipped: {exc}") from None
    if not raw.startswith(SIGNATURE):
        raise UnknownFormatError(f"{path.name} has no Pagefind signature")
    try:
        value = cbor2.loads(raw[len(SIGNATURE):])
        same = cbor2.dumps(value) == raw[len(SIGNATURE):]
    except (cbor2.CBORError, ValueError, TypeError) as exc:
        raise UnknownFormatError(f"{path.name} is not the CBOR expected: {exc}") from None
    if not same:
        raise UnknownFormatError(f"{path.name} does not re-encode to the same bytes")
    return value


def packed(value: Any) -> bytes:
    """A value as Pagefind stores it: signature and CBOR, gzipped with no timestamp."""
    return gzip.compress(SIGNATURE + cbor2.dumps(value), compresslevel=9, mtime=0)


def _digest(data: bytes, length: int) -> str:
    return hashlib.sha256(data).hexdigest()[:length]


def _replace_strings(value: Any, renamed: dict[str, str]) -> Any:
    if isinstance(value, str):
        return renamed.get(value, value)
    if isinstance(value, list):
        return [_replace_strings(v, renamed) for v in value]
    if isinstance(value, dict):
        return {k: _replace_strings(v, renamed) for k, v in value.items()}
    return value


def _sort_filter_lists(value: Any, names: set[str]) -> Any:
    """Lists of [filter name, filter file] pairs, sorted by name."""
    if isinstance(value, list):
        value = [_sort_filter_lists(v, names) for v in value]
        if value and all(isinstance(v, list) and len(v) == 2 and v[1] in names for v in value):
            value.sort(key=lambda pair: str(pair[0]))
    return value


def _filter_file(path: Path) -> tuple[str, list]:
    """A filter file's name and its [value, pages] entries, checked to have that shape."""
    value = read_packed(path)
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[1], list)
            and all(isinstance(entry, list) and entry for entry in value[1])):
        raise UnknownFormatError(f"{path.name} is not a [name, values] pair")
    return value[0], value[1]


def _canonical_language(folder: Path, meta: Any, meta_path: Path, lang: str,
                        filters: dict[Path, tuple[str, list]]) -> str:
    """Rewrite one language's filter files and metadata in sorted order; returns the metadata's new hash."""
    renamed: dict[str, str] = {}
    for path, (name, values) in sorted(filters.items()):
        if not path.name.startswith(f"{lang}_"):
            continue
        data = packed([name, sorted(values, key=lambda entry: str(entry[0]))])
        new = f"{lang}_{_digest(data, 7)}"
        renamed[path.stem] = new
        path.unlink()
        (folder / "filter" / f"{new}.pf_filter").write_bytes(data)
    data = packed(_sort_filter_lists(_replace_strings(meta, renamed), set(renamed.values())))
    new_hash = f"{lang}_{_digest(data, 10)}"
    meta_path.unlink()
    (folder / f"pagefind.{new_hash}.pf_meta").write_bytes(data)
    return new_hash


def make_reproducible(folder: Path) -> str | None:
    """Rewrite the index in `folder` so that the same pages always give the same bytes.

    Returns None when done, else why the index was left exactly as Pagefind wrote it (a format this module
    does not know: a newer Pagefind, or a damaged file). All files are read and checked before any is changed.
    """
    entry_path = folder / "pagefind-entry.json"
    try:
        entry = json.loads(entry_path.read_text(encoding="utf-8"))
        metas = {m["lang"]: (p, m["hash"]) for p in folder.glob("*.pf_meta") if (m := _META.match(p.name))}
        languages = entry["languages"]
        if set(metas) != set(languages) or any(languages[lang]["hash"] != h for lang, (_, h) in metas.items()):
            raise UnknownFormatError("pagefind-entry.json does not name the metadata files")
        meta_values = {lang: read_packed(path) for lang, (path, _) in metas.items()}
        filters = {path: _filter_file(path) for path in (folder / "filter").glob("*.pf_filter")}
    except (OSError, ValueError, KeyError, TypeError, UnknownFormatError) as exc:
        return str(exc) or type(exc).__name__
    for lang, (path, _) in sorted(metas.items()):
        languages[lang]["hash"] = _canonical_language(folder, meta_values[lang], path, lang, filters)
    entry["languages"] = dict(sorted(languages.items()))
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return None
