"""Search shards: the written pages Pagefind indexes, grouped by date into bounded shards, each with a digest.

The index is made shard by shard so that an edit re-indexes one shard and Pagefind's memory is bounded by
the largest shard, however large the archive. Shards go by time (a year; a half, a quarter or a month of it
when it holds too many pages; numbered slices of a month past that), so that new explainers land in the
newest shard and old years rarely change. The search page merges the shards of its language.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..site.cards import CARDS_PATH

# A shard's size is a trade: Pagefind's memory and an edit's re-indexing grow with it (measured on the
# benchmark's explainers, about 1,100 words each: 500 pages 0.16 GB and 1.9 CPU-seconds, 1,000 pages 0.32 GB
# and 3.5, 2,000 pages 0.65 GB and 7.3), while a search loads one index chunk (about 25 KB) from every shard
# of its language (on 10,000 explainers a one-word search transferred 1.49x a whole-site index's bytes with
# shards of up to 1,000 pages, a year each; 2.2x with 500).
SHARD_PAGES = 1000
UNDATED = "undated"  # the shard of indexed pages whose theme marks no date
# Question cards' pages, in a shard of their own whatever their dates: an edit of a card's answer, shown in
# hundreds of explainers, then indexes again a shard of cards, not a year of explainers.
CARDS = "cards"
_CARD_PAGES = CARDS_PATH.lstrip("/")
PAGE_NAME = "index.html"

# The date search shows with each result: <time datetime="2024-03-05..." data-pagefind-meta="date">.
_DATED = re.compile(rb"<time\b[^>]*\bdata-pagefind-meta=\"date\"[^>]*>")
_DATETIME = re.compile(rb"\bdatetime=\"(\d{4})-(\d{2})-\d{2}")
_BODY = b"data-pagefind-body"
# What Pagefind reads of a page: its language, each data-pagefind-body element, and filters, metadata and
# sort keys wherever they are (a theme may put them outside the body). The rest (related cards, navigation)
# changes with other explainers and must not make a shard stale.
_HTML_TAG = re.compile(rb"<html\b[^>]*>", re.IGNORECASE)
_BODY_TAG = re.compile(rb"<([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*\bdata-pagefind-body\b[^>]*>")
_TAGGED = re.compile(rb"<[^>]*\bdata-pagefind-(?:filter|meta|sort)\b[^>]*>[^<]*")
# An element whose text Pagefind does not index (a card's answer in an explainer: searched at the card's page).
_IGNORED_TAG = re.compile(rb"<([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*\bdata-pagefind-ignore\b[^>]*>")


@dataclass(frozen=True, slots=True)
class PageFacts:
    """What search needs of one written page, kept by its stat so that an unchanged page is not read again."""

    stat: tuple[int, int]  # size, modification time in nanoseconds
    digest: str  # of what Pagefind reads of it (indexed_digest): a shard's inputs
    month: str  # "2024-03" of its search date; "" undated; None: not indexed (no data-pagefind-body)

    def indexed(self) -> bool:
        """Whether Pagefind indexes this page at all."""
        return self.month is not None


def _element_end(data: bytes, match: re.Match) -> int | None:
    """Where the element whose start tag `match` found ends: after its matching end tag (None: it has none)."""
    tags = re.compile(rb"<(/?)" + re.escape(match.group(1)) + rb"\b[^>]*>", re.IGNORECASE)
    depth = 1
    for tag in tags.finditer(data, match.end()):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return tag.end()
    return None


def _bodies(data: bytes) -> list[bytes]:
    """Each data-pagefind-body element of a page, to its matching end tag, without the elements it ignores."""
    found, pos = [], 0
    while match := _BODY_TAG.search(data, pos):
        end = _element_end(data, match) or len(data)
        found.append(_without_ignored(data[match.start():end]))
        pos = end
    return found


def _without_ignored(body: bytes) -> bytes:
    """`body` without its data-pagefind-ignore elements (a void one, such as an img: its tag alone)."""
    if b"data-pagefind-ignore" not in body:
        return body
    kept, pos = [], 0
    while match := _IGNORED_TAG.search(body, pos):
        kept.append(body[pos:match.start()])
        pos = _element_end(body, match) or match.end()
    kept.append(body[pos:])
    return b"".join(kept)


def indexed_digest(data: bytes) -> str:
    """A digest of what Pagefind reads of a page."""
    digest = hashlib.sha256()
    html = _HTML_TAG.search(data)
    for part in (html.group(0) if html else b"", *_bodies(data), *_TAGGED.findall(data)):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


def read_facts(path: Path, stat: tuple[int, int]) -> PageFacts:
    """One page's facts, read from its bytes."""
    data = path.read_bytes()
    if _BODY not in data:
        return PageFacts(stat, "", None)
    dated = _DATED.search(data)
    when = _DATETIME.search(dated.group(0)) if dated else None
    month = f"{when.group(1).decode()}-{when.group(2).decode()}" if when else ""
    return PageFacts(stat, indexed_digest(data), month)


def page_files(out: Path, skip: str) -> dict[str, tuple[int, int]]:
    """Every folder's index.html under `out` (not under `skip`), by output path, with its size and mtime."""
    found: dict[str, tuple[int, int]] = {}
    stack = [""]
    while stack:
        rel = stack.pop()
        try:
            listing = os.scandir(os.path.join(out, rel))
        except OSError:
            continue
        with listing:
            for entry in listing:
                name = f"{rel}/{entry.name}" if rel else entry.name
                if entry.is_dir(follow_symlinks=False):
                    if name != skip:
                        stack.append(name)
                elif entry.name == PAGE_NAME and rel:  # pages are folders' index files; the home page is not one
                    info = entry.stat(follow_symlinks=False)
                    found[name] = (info.st_size, info.st_mtime_ns)
    return found


def scan_pages(out: Path, skip: str, known: Mapping[str, PageFacts],
               pages: Iterable[str] | Mapping[str, tuple[int, int]] | None = None) -> dict[str, PageFacts]:
    """The facts of every page now in `out` (or of `pages`, the site's, when the build knows them, with their
    stats when it knows those too): those of `known` whose stat is unchanged, the others read again."""
    if pages is None:
        stats = page_files(out, skip)
    elif isinstance(pages, Mapping):
        stats = pages  # the quick path's: it checked the others were intact, and stat'ed what it wrote
    else:
        stats = {}
        for rel in pages:
            try:
                info = os.stat(os.path.join(out, rel))
            except FileNotFoundError:  # not written (a page the build kept going past): nothing to index
                continue
            stats[rel] = (info.st_size, info.st_mtime_ns)
    return {rel: fact if (fact := known.get(rel)) is not None and fact.stat == stat else read_facts(out / rel, stat)
            for rel, stat in sorted(stats.items())}


def _half(month: str) -> str:
    return f"{month[:4]}-h{1 if month[5:] <= '06' else 2}"


def _quarter(month: str) -> str:
    return f"{month[:4]}-q{(int(month[5:]) - 1) // 3 + 1}"


# Each level splits a group that holds more than SHARD_PAGES pages: the year, then its halves, quarters, months.
_LEVELS: tuple[Callable[[str], str], ...] = (lambda m: m[:4], _half, _quarter, lambda m: m)


def plan_shards(pages: Mapping[str, PageFacts], limit: int = SHARD_PAGES) -> dict[str, list[str]]:
    """The shards of the indexed pages, by name, each with its pages' output paths, sorted."""
    dated = sorted((fact.month, rel) for rel, fact in pages.items() if fact.indexed())
    cards = [rel for _, rel in dated if rel.startswith(_CARD_PAGES)]
    dated = [(m, rel) for m, rel in dated if not rel.startswith(_CARD_PAGES)]
    shards: dict[str, list[str]] = {}
    _split([(m, rel) for m, rel in dated if m], 0, shards, limit)
    for name, rels in ((UNDATED, [rel for m, rel in dated if not m]), (CARDS, cards)):
        if rels:
            _slice(name, rels, shards, limit)
    return shards


def _split(items: list[tuple[str, str]], level: int, shards: dict[str, list[str]], limit: int) -> None:
    groups: dict[str, list[tuple[str, str]]] = {}
    for month, rel in items:
        groups.setdefault(_LEVELS[level](month), []).append((month, rel))
    for name, group in groups.items():
        if len(group) <= limit:
            shards[name] = sorted(rel for _, rel in group)
        elif level + 1 < len(_LEVELS):
            _split(group, level + 1, shards, limit)
        else:
            _slice(name, [rel for _, rel in group], shards, limit)


def _slice(name: str, rels: list[str], shards: dict[str, list[str]], limit: int) -> None:
    """A month (or the undated pages) past the limit: numbered slices in path order."""
    rels = sorted(rels)
    if len(rels) <= limit:
        shards[name] = rels
        return
    for start in range(0, len(rels), limit):
        shards[f"{name}-{start // limit + 1}"] = rels[start:start + limit]


def shard_digest(rels: Iterable[str], pages: Mapping[str, PageFacts]) -> str:
    """A shard's inputs: its pages' paths and bytes."""
    digest = hashlib.sha256()
    for rel in rels:
        digest.update(f"{rel}\0{pages[rel].digest}\n".encode())
    return digest.hexdigest()


def newest_first(names: Iterable[str]) -> list[str]:
    """Shard names, dated ones first and the later before the earlier (the first is the search page's primary
    index; results are ranked by score across all of them), undated ones last."""
    return sorted(names, key=lambda name: (name[:1].isdigit(), name), reverse=True)
