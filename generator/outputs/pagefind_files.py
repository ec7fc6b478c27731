"""Pagefind's index files made byte-for-byte reproducible: filter values sorted, files renamed by their content.

Pagefind writes its filter indexes (and so the metadata and entry files naming them) in hash-map order,
which changes from run to run. Sorting them makes an incremental build equal a clean one and lets
output/ skip files whose bytes did not change. Anything unexpected is left exactly as Pagefind wrote it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import struct
from pathlib import Path
from typing import Any

SIGNATURE = b"pagefind_dcd"  # what every compressed Pagefind file starts with once gunzipped
_META = re.compile(r"^pagefind\.(?P<hash>(?P<lang>.+)_[0-9a-f]+)\.pf_meta$")


class UnknownFormatError(ValueError):
    """A file this module does not understand: it is then left as it is."""


def _head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for extra, size, fmt in ((24, 0xFF, ">B"), (25, 0xFFFF, ">H"), (26, 0xFFFFFFFF, ">I"), (27, 2**64 - 1, ">Q")):
        if value <= size:
            return bytes([major << 5 | extra]) + struct.pack(fmt, value)
    raise UnknownFormatError("integer too large")


def cbor_encode(value: Any) -> bytes:
    """The subset of CBOR Pagefind writes: integers, text, bytes, arrays, maps, booleans and null."""
    if value is True or value is False or value is None:
        return {False: b"\xf4", True: b"\xf5", None: b"\xf6"}[value]
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        data = value.encode("utf-8")
        return _head(3, len(data)) + data
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(cbor_encode(v) for v in value)
    if isinstance(value, dict):
        return _head(5, len(value)) + b"".join(cbor_encode(k) + cbor_encode(v) for k, v in value.items())
    raise UnknownFormatError(f"cannot encode {type(value).__name__}")


def cbor_decode(data: bytes) -> Any:
    """Decode one CBOR item that fills `data`, in the subset `cbor_encode` writes."""
    value, end = _decode(data, 0)
    if end != len(data):
        raise UnknownFormatError("trailing bytes")
    return value


def _decode(data: bytes, pos: int) -> tuple[Any, int]:
    try:
        first = data[pos]
    except IndexError:
        raise UnknownFormatError("truncated") from None
    major, info = first >> 5, first & 0x1F
    pos += 1
    if major == 7:
        simple = {20: False, 21: True, 22: None}
        if info not in simple:
            raise UnknownFormatError("floats and other simple values are not expected")
        return simple[info], pos
    if info < 24:
        arg = info
    elif info <= 27:
        size = 1 << (info - 24)
        if pos + size > len(data):
            raise UnknownFormatError("truncated")
        arg = int.from_bytes(data[pos:pos + size], "big")
        pos += size
    else:
        raise UnknownFormatError("indefinite lengths are not expected")
    if major == 0:
        return arg, pos
    if major == 1:
        return -1 - arg, pos
    if major in (2, 3):
        chunk = data[pos:pos + arg]
        if len(chunk) != arg:
            raise UnknownFormatError("truncated")
        return (bytes(chunk) if major == 2 else chunk.decode("utf-8")), pos + arg
    if major == 4:
        items = []
        for _ in range(arg):
            item, pos = _decode(data, pos)
            items.append(item)
        return items, pos
    if major == 5:
        mapping = {}
        for _ in range(arg):
            key, pos = _decode(data, pos)
            mapping[key], pos = _decode(data, pos)
        return mapping, pos
    raise UnknownFormatError("tags are not expected")


def read_packed(path: Path) -> Any:
    """A gzipped Pagefind file's CBOR content, checked to re-encode to the very same bytes."""
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise UnknownFormatError(f"{path.name} has no Pagefind signature")
    value = cbor_decode(raw[len(SIGNATURE):])
    if cbor_encode(value) != raw[len(SIGNATURE):]:
        raise UnknownFormatError(f"{path.name} does not round-trip")
    return value


def packed(value: Any) -> bytes:
    """A value as Pagefind stores it: signature and CBOR, gzipped with no timestamp."""
    return gzip.compress(SIGNATURE + cbor_encode(value), compresslevel=9, mtime=0)


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


def _canonical_language(folder: Path, meta_path: Path, lang: str) -> str:
    """Rewrite one language's filter files and metadata in sorted order; returns the metadata's new hash."""
    renamed: dict[str, str] = {}
    for path in sorted((folder / "filter").glob(f"{lang}_*.pf_filter")):
        name, values = read_packed(path)
        values.sort(key=lambda entry: str(entry[0]))
        data = packed([name, values])
        new = f"{lang}_{_digest(data, 7)}"
        renamed[path.stem] = new
        path.unlink()
        (folder / "filter" / f"{new}.pf_filter").write_bytes(data)
    meta = _sort_filter_lists(_replace_strings(read_packed(meta_path), renamed), set(renamed.values()))
    data = packed(meta)
    new_hash = f"{lang}_{_digest(data, 10)}"
    meta_path.unlink()
    (folder / f"pagefind.{new_hash}.pf_meta").write_bytes(data)
    return new_hash


def make_reproducible(folder: Path) -> bool:
    """Rewrite the index in `folder` so that the same pages always give the same bytes; False if left as it was.

    All files are read and checked before any is changed.
    """
    entry_path = folder / "pagefind-entry.json"
    try:
        entry = json.loads(entry_path.read_text(encoding="utf-8"))
        metas = {m["lang"]: (p, m["hash"]) for p in folder.glob("*.pf_meta") if (m := _META.match(p.name))}
        languages = entry["languages"]
        if set(metas) != set(languages) or any(languages[lang]["hash"] != h for lang, (_, h) in metas.items()):
            raise UnknownFormatError("pagefind-entry.json does not name the metadata files")
        for path in [*(p for p, _ in metas.values()), *(folder / "filter").glob("*.pf_filter")]:
            read_packed(path)
    except (OSError, ValueError, KeyError, TypeError, EOFError, UnknownFormatError):
        return False
    for lang, (path, _) in sorted(metas.items()):
        languages[lang]["hash"] = _canonical_language(folder, path, lang)
    entry["languages"] = dict(sorted(languages.items()))
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return True
