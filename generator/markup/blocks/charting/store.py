"""Drawn charts kept by the digest of their inputs (the data's bytes, the block's attributes, the language), so
that a build draws only the charts whose inputs changed."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .... import __version__

RECIPE = "2"  # bump when drawing changes within a version, so that kept charts are drawn again
_SEPARATOR = "\n<!-- layout -->\n"
_STORED = re.compile(r"[0-9a-f]{24}\.(svg|png|map\.svg)")  # the store's own files; never another's


def chart_key(data: bytes, attrs: dict[str, str], lang: str) -> str:
    """The digest of everything a chart's drawing depends on."""
    data_digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    shaping = repr((__version__, RECIPE, data_digest, sorted(attrs.items()), lang))
    return hashlib.blake2b(shaping.encode(), digest_size=12).hexdigest()


@dataclass(frozen=True, slots=True)
class ChartStore:
    """Drawn charts on disk (the build's cache folder); without a folder nothing is kept."""

    folder: Path | None = None

    def get(self, key: str) -> tuple[str, ...] | None:
        """A chart's drawings (its picture is beside them), or None when it was not drawn yet."""
        if self.folder is None or not self.png(key).is_file():
            return None
        try:
            return tuple((self.folder / f"{key}.svg").read_text(encoding="utf-8").split(_SEPARATOR))
        except (OSError, UnicodeDecodeError):
            return None

    def png(self, key: str) -> Path:
        """Where a chart's picture for feeds is kept."""
        return (self.folder or Path()) / f"{key}.png"

    def put(self, key: str, drawn: tuple[str, ...], png: bytes) -> None:
        """Keep the drawings and the picture; each written aside and renamed, so that no worker reads half a
        file, the picture first, since the drawings' file says that both are there."""
        for name, data in ((f"{key}.png", png), (f"{key}.svg", _SEPARATOR.join(drawn).encode())):
            self._write(name, data)

    def get_map(self, key: str) -> str | None:
        """A locator map's drawing, or None when it was not drawn yet."""
        if self.folder is None:
            return None
        try:
            return (self.folder / f"{key}.map.svg").read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def put_map(self, key: str, svg: str) -> None:
        """Keep a locator map's drawing (written aside and renamed, so that no worker reads half a file)."""
        self._write(f"{key}.map.svg", svg.encode("utf-8"))

    def _write(self, name: str, data: bytes) -> None:
        if self.folder is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary = self.folder / f".{name}.{os.getpid()}.tmp"
            temporary.write_bytes(data)
            temporary.replace(self.folder / name)
        except OSError:
            pass  # a cache that cannot be written only costs drawing again

    def keep_only(self, keys: Iterable[str]) -> None:
        """Forget the charts and maps no explainer draws any more."""
        if self.folder is None or not self.folder.is_dir():
            return
        wanted = set(keys)
        for path in self.folder.iterdir():
            if _STORED.fullmatch(path.name) and path.name.split(".")[0] not in wanted:
                path.unlink(missing_ok=True)


# Reads a chart's data file as written (relative to the explainer): its path under content/ and its bytes,
# or None when there is no such file.
DataReader = Callable[[str], "tuple[str, bytes] | None"]


@dataclass(frozen=True, slots=True)
class ChartContext:
    """What a body's charts need from the build: their data files and the store (the page's language and direction
    reach them through render_body, as they reach maps)."""

    read_data: DataReader | None = None
    store: ChartStore = field(default_factory=ChartStore)


NO_CHARTS = ChartContext()
