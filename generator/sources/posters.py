"""Embed posters: the thumbnail a provider publishes for anyone (YouTube's), fetched once at build time when
`embed_posters: true` and the network answers, kept in the cache, and published on the site itself so that
the reader's browser asks the provider for nothing before a click."""

from __future__ import annotations

import hashlib
import io
import os
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

FOLDER = "embed-posters"  # under the cache dir
SITE_FOLDER = "embeds"  # under output/
TIMEOUT = 3.0  # seconds: an unreachable provider must not hold the build up
MAX_BYTES = 2 * 2**20
Fetch = Callable[[str], "bytes | None"]


def fetch_url(url: str) -> bytes | None:
    """The bytes at `url`, or None when the network, the provider or the size says no."""
    request = urllib.request.Request(url, headers={"User-Agent": "nutgraf (embed poster)"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - https addresses of ours
            data = response.read(MAX_BYTES + 1)
    except (OSError, ValueError):  # URLError and timeouts are OSErrors
        return None
    return data if len(data) <= MAX_BYTES else None


def poster_name(url: str) -> str:
    """The file name of the poster fetched from `url`."""
    return hashlib.blake2b(url.encode(), digest_size=10).hexdigest() + ".jpg"


def _size(path: Path) -> tuple[int, int] | None:
    try:
        with Image.open(path) as image:
            return image.size if image.format == "JPEG" else None
    except (OSError, Image.DecompressionBombError):
        return None


@dataclass(frozen=True, slots=True)
class Posters:
    """Where posters are kept and how a missing one is fetched (None: never, only what the cache holds)."""

    folder: Path
    fetch: Fetch | None = None

    def poster(self, url: str) -> dict | None:
        """The poster at `url` as a template shows it (name, src from the site's root, width, height), fetched
        when it is not kept yet; None when there is none."""
        path = self.folder / poster_name(url)
        if not path.is_file() and self.fetch is not None:
            data = self.fetch(url)
            if data is not None and _is_jpeg(data):
                self.folder.mkdir(parents=True, exist_ok=True)
                partial = path.with_name(f".{path.name}.{os.getpid()}")  # workers may fetch the same one
                partial.write_bytes(data)
                partial.replace(path)
        size = _size(path) if path.is_file() else None
        return None if size is None else {"name": path.name, "src": f"/{SITE_FOLDER}/{path.name}",
                                          "width": size[0], "height": size[1]}


def _is_jpeg(data: bytes) -> bool:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            return image.format == "JPEG"
    except Exception:  # noqa: BLE001 - whatever Pillow raises on garbage, it is no poster
        return False


def site_posters(cache_dir: Path | None, fetch_them: bool) -> Posters | None:
    """The posters of a build: none without a cache (where they are kept); fetched only when the site asks."""
    return None if cache_dir is None else Posters(cache_dir / FOLDER, fetch_url if fetch_them else None)


def poster_copies(posters: Posters | None, names: Iterable[str]) -> dict[str, Path]:
    """The kept posters of these names, by output path, to publish beside the pages."""
    if posters is None:
        return {}
    paths = {f"{SITE_FOLDER}/{name}": posters.folder / name for name in names}
    return {rel: path for rel, path in paths.items() if path.is_file()}
