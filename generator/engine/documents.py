"""Documents: explainer files parsed into metadata and rendered bodies, reusing the cache, across workers."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from urllib.parse import urlsplit

from ..diagnostics import Diagnostic, Position, error
from ..markup.blocks.charting.store import ChartContext, ChartStore
from ..markup.body import Body, LocalImage, Markdowns, render_body
from ..markup.cards import expand_cards
from ..markup.htmlchecks import checked_html
from ..site.pages import root_href
from ..sources.cards import Card, card_digests, with_cards
from ..sources.config import SiteConfig
from ..sources.frontmatter import parse_document
from ..sources.images import Picture, local_image, resolve_local
from ..sources.metadata import read_meta
from ..sources.posters import Posters
from ..sources.tree import SourceFile
from ..workers import map_chunks
from .cache import BodyStore, DocumentRecord

MAX_DOCUMENT_BYTES = 8 * 2**20  # a longer "explainer" is a data dump or a mistake, and would stall the build
ImageSizes = Mapping[str, Picture]  # every image under content/, as pages show it
Cards = Mapping[str, Card]  # every card under content/cards/, by id
NO_CARDS: Cards = MappingProxyType({})
DATA_SUFFIXES = (".csv", ".tsv")  # files a chart reads; an edit parses again the explainers whose charts read it


@dataclass(frozen=True, slots=True)
class DataFiles:
    """The data files charts may read (by path under content/), and the store of drawn charts."""

    files: Mapping[str, SourceFile] = field(default_factory=dict)
    store: ChartStore = field(default_factory=ChartStore)

    def stat(self, rel: str) -> tuple[int, int] | None:
        item = self.files.get(rel)
        return None if item is None else (item.size, item.mtime_ns)


NO_DATA = DataFiles()


def data_files(assets: Sequence[SourceFile], store: ChartStore) -> DataFiles:
    """The data files among the assets."""
    return DataFiles(MappingProxyType({a.rel: a for a in assets if a.rel.lower().endswith(DATA_SUFFIXES)}), store)


@dataclass(frozen=True, slots=True)
class LoadedDocuments:
    records: Mapping[str, DocumentRecord]  # by path under content/, in source order
    parsed: int  # how many files were read and parsed this time


def _missing_image_errors(source: str, text: str, first_line: int, missing: Sequence[str],
                          problems: Mapping[str, str]) -> list[Diagnostic]:
    found = []
    for src in missing:
        line = first_line + text[: max(text.find(src), 0)].count("\n")
        if problems.get(src):
            found.append(error(source, f"image '{src}' cannot be published: {problems[src]}", Position(line),
                               "re-export it from the original as JPEG, PNG or WebP"))
        else:
            found.append(error(source, f"image '{src}' does not exist or is not a readable image", Position(line),
                               "image paths are relative to the explainer's file, e.g. images/photo.jpg"))
    return found


def _body_key(digest: str, images: Mapping[str, LocalImage], base_path: str, data: Mapping[str, str]) -> str:
    """What a rendered body is stored and known by: its source, the image files it points at, the path of
    base_url that its site paths are under, and the digests of the data its charts draw."""
    if not images and base_path == "/" and not data:
        return digest
    under = "" if base_path == "/" else f"|{base_path}"
    drawn = f"|{sorted(data.items())!r}" if data else ""
    return hashlib.blake2b(f"{digest}|{sorted(images.items())!r}{under}{drawn}".encode(),
                           digest_size=16).hexdigest()


# A src or href naming an image file as written (Markdown's own images point at their derivatives by now).
_LINKED_IMAGE = re.compile(r"\s(?:src|href)=[\"']([^\"'?#]+\.(?:jpe?g|png|gif|webp|svg|avif|tiff?|bmp))[\"'?#]",
                           re.IGNORECASE)


def _chart_context(item: SourceFile, files: DataFiles, used: dict, digests: dict) -> ChartContext:
    """Charts' data read through `files`, each file read noted in `used` with its stat key (None: missing) and
    in `digests` with the digest of its bytes."""

    def read(src: str) -> tuple[str, bytes] | None:
        rel = resolve_local(item.rel, src)
        used[rel] = files.stat(rel)
        try:
            data = files.files[rel].path.read_bytes() if rel in files.files else None
        except OSError:
            data = None
        if data is None:
            used[rel] = None
            return None
        digests[rel] = hashlib.blake2b(data, digest_size=16).hexdigest()
        return rel, data

    return ChartContext(read, files.store)


def parse_one(item: SourceFile, data: bytes, config: SiteConfig, md: Markdowns,
              sizes: ImageSizes, cards: Cards = NO_CARDS, posters: Posters | None = None,
              files: DataFiles = NO_DATA) -> tuple[DocumentRecord, str]:
    """Parse and render one explainer file, with the cards it shows; every failure becomes a diagnostic in the
    record."""
    shown = f"content/{item.rel}"
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    raw, found = parse_document(data, shown)
    if raw is None:
        return DocumentRecord(item.size, item.mtime_ns, digest, None, None, tuple(found)), ""
    meta, problems = read_meta(raw, config)
    expansion = expand_cards(raw.body, cards, meta.date, shown, raw.body_line)
    found += [*problems, *expansion.diagnostics]
    text, source_digest = expansion.text, raw.digest
    if expansion.uses:
        meta = with_cards(meta, [cards[card_id] for card_id in expansion.uses if card_id in cards])
        source_digest = hashlib.blake2b(repr((raw.digest, card_digests(cards, expansion.uses))).encode(),
                                        digest_size=16).hexdigest()
    used: dict[str, Picture | None] = {}
    shown_images: dict[str, LocalImage] = {}
    image_problems: dict[str, str] = {}

    def resolve(src: str) -> LocalImage | None:
        rel = resolve_local(item.rel, src)
        picture = used[rel] = sizes.get(rel)
        if picture is None or picture.problem:
            image_problems[src] = picture.problem if picture is not None else ""
            return None
        shown_images[src] = local_image(picture, root_href)  # render_body puts it under base_url's path
        return shown_images[src]

    data_used: dict[str, tuple[int, int] | None] = {}
    data_digests: dict[str, str] = {}
    try:
        body = render_body(md.for_text(text), text, source_digest, resolve, shown, raw.body_line,
                           config.base_path, meta.lang, meta.dir, config.embed_hosts,
                           posters.poster if posters else None,
                           _chart_context(item, files, data_used, data_digests))
    except RecursionError:  # Python-Markdown recurses once per level of nested emphasis, HTML blocks, lists
        found.append(error(shown, "the Markdown is nested too deeply to render", Position(raw.body_line),
                           "nest lists, quotes, emphasis and HTML blocks a few levels at most"))
        return DocumentRecord(item.size, item.mtime_ns, digest, None, None, tuple(found)), ""
    body = replace(body, digest=_body_key(source_digest, shown_images, config.base_path, data_digests),
                   cards=tuple(dict.fromkeys(card_id for card_id in expansion.uses if card_id in cards)))
    found += body.diagnostics
    found += _missing_image_errors(shown, text, raw.body_line, body.missing_images, image_problems)
    body = checked_html(shown, text, raw.body_line, body, config, found)
    for src in _LINKED_IMAGE.findall(body.html):  # a raw <img> or a link naming a picture uses it: keep it published
        rel = resolve_local(item.rel, src)
        if rel in sizes and not urlsplit(src).scheme and not urlsplit(src).netloc:
            used.setdefault(rel, sizes[rel])
    kept = replace(body, html="", diagnostics=())  # the html lives in the body store, findings in the record
    if expansion.uses:  # findings and terms at the lines the editors wrote
        found = expansion.place(shown, raw.body_line, found)
        kept = replace(kept, terms=tuple((term, expansion.line(line, raw.body_line)) for term, line in kept.terms))
    images_used = tuple(sorted(used.items()))
    cards_used = card_digests(cards, expansion.uses)
    record = DocumentRecord(item.size, item.mtime_ns, digest, meta, kept, tuple(found), images_used,
                            _shape(meta, kept, images_used, cards_used), cards_used, tuple(sorted(data_used.items())))
    return record, body.html


def _shape(meta, body: Body, images_used: tuple, cards_used: tuple = ()) -> str:
    """DocumentRecord.shape: the digest of everything parsing gives the site but the body's own text (the ids
    of the cards it shows included: their pages list it; not their digests, as a card's answer is text)."""
    terms = [term for term, _ in body.terms]  # not their lines, which move as text is added
    shown = [card_id for card_id, _ in cards_used]  # a card's answer may change; the cards shown may not
    text = repr((meta, images_used, body.sections, body.block_templates, body.embeds, body.missing_images, terms,
                 shown, body.charts))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _still_valid(record: DocumentRecord | None, item: SourceFile, sizes: ImageSizes, cards: Cards,
                 files: DataFiles) -> bool:
    return (record is not None and record.size == item.size and record.mtime_ns == item.mtime_ns
            and all(sizes.get(rel) == size for rel, size in record.images_used)
            and all(files.stat(rel) == stat for rel, stat in record.data_used)
            and card_digests(cards, [card_id for card_id, _ in record.cards_used]) == record.cards_used)


def parse_file(item: SourceFile, config: SiteConfig, md: Markdowns, sizes: ImageSizes,
               cards: Cards = NO_CARDS, posters: Posters | None = None,
               files: DataFiles = NO_DATA) -> tuple[DocumentRecord, str]:
    """Read and parse one explainer file; a file too big or unreadable is a record with its error."""
    if item.size > MAX_DOCUMENT_BYTES:
        limit = MAX_DOCUMENT_BYTES // 2**20
        message = f"the file is {item.size / 2**20:.0f} MB; explainers over {limit} MB are refused"
        return DocumentRecord(item.size, item.mtime_ns, "", None, None, (error(
            f"content/{item.rel}", message, Position(1), "split it, or move data files out of content/"),)), ""
    try:
        data = item.path.read_bytes()
    except OSError as exc:
        return DocumentRecord(item.size, item.mtime_ns, "", None, None,
                              (error(f"content/{item.rel}", f"cannot read: {exc.strerror}"),)), ""
    return parse_one(item, data, config, md, sizes, cards, posters, files)


def _parse_chunk(context, chunk: Sequence[SourceFile]) -> list:
    """Worker side: read and parse a chunk of files with this worker's Markdown instance. With a body store
    on disk the worker stores the bodies itself, so that they never travel to the parent (at 100,000
    explainers, a gigabyte held until the last file was parsed); else they go back with the records."""
    md, config, sizes, store, cards, posters, files = context
    results = [(item.rel, *parse_file(item, config, md, sizes, cards, posters, files)) for item in chunk]
    if store is None:
        return results
    store.put_many((record.body.digest, html) for _, record, html in results if record.body is not None)
    store.close()  # one connection per chunk: a worker that ends with the pool must leave nothing open
    return [(rel, record, "") for rel, record, _ in results]


def load_documents(items: Sequence[SourceFile], config: SiteConfig, previous: Mapping[str, DocumentRecord],
                   sizes: ImageSizes, store: BodyStore, jobs: int,
                   progress: Callable[[int], None] | None = None, cards: Cards = NO_CARDS,
                   posters: Posters | None = None, files: DataFiles = NO_DATA) -> LoadedDocuments:
    """A record for every file: reused when its stat key, images, cards and data files are unchanged, else
    parsed again."""
    records: dict[str, DocumentRecord] = {}
    todo = []
    for item in items:
        record = previous.get(item.rel)
        if _still_valid(record, item, sizes, cards, files):
            records[item.rel] = record
        else:
            records[item.rel] = None  # keeps source order; filled in below
            todo.append(item)
    store.prepare()  # made now, and closed: SQLite connections must not cross the fork of the workers
    on_disk = store if store.path is not None else None
    results = map_chunks(_parse_chunk, todo, jobs=jobs,
                         setup=lambda: (Markdowns(), config, sizes, on_disk, cards, posters, files), progress=progress)
    if on_disk is None:
        store.put_many((record.body.digest, html) for _, record, html in results if record.body is not None)
    for rel, record, _ in results:
        records[rel] = record
    return LoadedDocuments(records, len(todo))
