"""Import, reading: each kind of document read into the front matter, body and images of one explainer."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from ..diagnostics import Diagnostic, Position, error
from ..sources.archieml import read_header
from ..sources.config import SiteConfig
from ..sources.frontmatter import FENCE, decode_source
from ..sources.imported import front_matter
from ..sources.slugs import slugify

# The records nutgraf writes into front matter: where a file came from, and its copy desk's sign-off.
RECORD_BLOCK = re.compile(r"^(source|signoff):[ \t]*\n(?:[ \t]+.*\n)*", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Converted:
    """One document read: front matter, Markdown body and images, and where it came from."""

    front: Mapping
    slug: str
    body: str
    origin: str  # the document's path, or its id
    revision: str  # a digest of the file read, or the document's revision id
    images: Mapping[str, bytes] = field(default_factory=lambda: MappingProxyType({}))  # name under images/
    version: str = ""  # a Google Doc's Drive version when pulled: `nutgraf pull` fetches it again when it grows


def without_records(text: str) -> str:
    """The file without the `source:` and `signoff:` records in its front matter: what their digests are of."""
    closing = FENCE.search(text, 4)
    if not text.startswith("---") or closing is None:
        return text
    return RECORD_BLOCK.sub("", text[: closing.start()]) + text[closing.start():]


def record_block(text: str, key: str) -> str:
    """The `source:` or `signoff:` record of the file's front matter as written, or ""."""
    closing = FENCE.search(text, 4)
    found = RECORD_BLOCK.search(text, 0, closing.start() if text.startswith("---") and closing else 0)
    while found and found[1] != key:
        found = RECORD_BLOCK.search(text, found.end(), closing.start())
    return found[0] if found else ""


def file_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def shown_path(target: Path, config: SiteConfig) -> str:
    return target.relative_to(config.root).as_posix() if target.is_relative_to(config.root) else str(target)


def header_and_body(lines: list[str], path: str, config: SiteConfig, unit: str = "line"
                    ) -> tuple[dict | None, str, int, list[Diagnostic]]:
    """The front matter of an ArchieML header at the top of `lines`, the slug it gives, and the index of the
    first line after `:ignore`; front matter None when there are errors."""
    header = read_header(lines, path)
    if header.body_index is None:
        return None, "", 0, [error(path, "no `:ignore` line: nutgraf cannot tell where the header ends",
                                   Position(1), "write the ArchieML header (title:, date: ...), then a line "
                                   "`:ignore`, then the body")]
    front, found = front_matter(header, path, config, unit)
    if front is None:
        return None, "", 0, found
    missing = [error(path, f"{key}.image {image!r} is not in content/ (looked for "
                           f"{shown_path(config.content_dir / image, config)})",
                     Position(header.lines.get(f"{key}.image", header.lines.get(key, 1))),
                     "image paths are relative to content/, e.g. images/photo.jpg; copy the picture there first")
               for key in ("hero", "social_image")
               if (image := _image_of(front.get(key))) and not (config.content_dir / image).is_file()]
    if missing:
        return None, "", 0, found + missing
    slug = str(front.get("slug") or slugify(str(front["title"])))
    if not slug:
        return None, "", 0, found + [error(path, f"the title {front['title']!r} gives no slug for the file name",
                                           Position(header.lines.get("title", 1)), "add slug: a-short-name")]
    return front, slug, header.body_index, found


def _image_of(value: object) -> str:
    """The image path of `hero:` or `social_image:`, written as a path or as a mapping with `image`."""
    return str(value.get("image") or "") if isinstance(value, dict) else str(value or "")


def read_archieml(data: bytes, path: str, config: SiteConfig) -> tuple[Converted | None, list[Diagnostic]]:
    """An .aml file: the ArchieML header, `:ignore`, then the Markdown body as it is."""
    text, found = decode_source(data, path)
    if text is None:
        return None, found
    lines = text.split("\n")
    front, slug, body_index, problems = header_and_body(lines, path, config)
    found += problems
    if front is None:
        return None, found
    body = "\n".join(lines[body_index:]).strip("\n")
    return Converted(front, slug, body, path, file_digest(data)), found


