"""Build: the pipeline, stage by stage: config, sources, documents, site, pages, render, write."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

from .aliases import check_aliases
from .blocks import fill_for_feeds
from .cache import (
    EMPTY_STATE,
    BodyStore,
    BuildState,
    DocumentRecord,
    load_stamp,
    load_state,
    output_intact,
    outputs_intact,
    parse_key,
    save_state,
)
from .config import SiteConfig, load_config
from .diagnostics import Diagnostic, has_errors
from .documents import load_documents, parse_file
from .feeds import feed_files, feed_paths
from .glossary import load_glossary
from .hosting import hosting_files
from .imaging import ImageWork, process_images, publish_images
from .markup import Body, make_markdown
from .model import Explainer, Site, assemble_site, swap_explainer
from .output import (
    check_output_dir,
    claim_output_dir,
    commit_staged,
    discard_staged,
    file_stats,
    write_files,
    write_output,
)
from .publish import publish_files
from .render import page_digests, render_pages
from .routes import check_collisions, plan_pages
from .search import index_files, update_index
from .sitemap import news_expiry
from .sources import SourceFile, SourceTree, scan_sources
from .themes import Theme, load_theme, make_environment, template_digests
from .workers import default_jobs

CACHE_DIR = ".nutgraf-cache"

# progress(stage, done, total): called as long stages advance, for a progress bar.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class BuildOptions:
    source: Path
    output: Path | None = None  # default: output/ in the source
    drafts: bool = False
    future: bool = False
    base_url: str | None = None
    now: dt.datetime | None = None  # what counts as "now" for scheduled explainers; default: the clock
    cache_dir: Path | None = None  # default: .nutgraf-cache/ in the source
    use_cache: bool = True  # False: keep nothing on disk between builds
    jobs: int = 0  # worker processes; 0: one per core
    progress: Progress | None = None
    keep_going: bool = False  # watch mode: build around broken explainers, keeping their last good page
    defer_search: bool = False  # watch mode: leave the search index to the watcher, which refreshes it afterwards


@dataclass(frozen=True, slots=True)
class BuildResult:
    diagnostics: tuple[Diagnostic, ...]
    explainers: int = 0
    pages: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    seconds: float = 0.0
    next_scheduled: dt.datetime | None = None
    output: Path | None = None
    parsed: int = 0  # explainer files parsed (not taken from the cache)
    rendered: int = 0  # pages rendered (not skipped because their inputs were unchanged)
    state: BuildState = field(default=EMPTY_STATE)
    search_pending: bool = False  # the search index is yet to be refreshed (defer_search)
    quick: bool = False  # made by the quick path for body edits (watch mode)

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


def _input_stamp(options: BuildOptions, config: SiteConfig, theme: Theme, tree: SourceTree, out: Path) -> str:
    """A digest of every input's stat key and every setting: equal stamps mean an identical build."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr((options.drafts, options.future, str(out), config, theme.digest)).encode())
    for source in (*tree.documents, *tree.assets, *tree.data):
        digest.update(f"{source.rel}|{source.size}|{source.mtime_ns}\n".encode())
    for rel, path in sorted(theme.static_files.items()):
        stat = path.stat()
        digest.update(f"{rel}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def document_settings(config: SiteConfig) -> str:
    """The cache key of parsed documents: the settings that parsing and body rendering read."""
    return parse_key(config.timezone, config.language, config.base_url, config.untrusted_html, config.embed_hosts)


def _ticker(options: BuildOptions, stage: str, total: int) -> Callable[[int], None] | None:
    if options.progress is None:
        return None
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        options.progress(stage, done, total)

    return advance


@dataclass(frozen=True, slots=True)
class _Setting:
    """What every stage after the first needs: settings, theme, folders and the previous state."""

    config: SiteConfig
    theme: Theme
    out: Path
    cache_dir: Path | None
    previous: BuildState
    tree: SourceTree
    stamp: str
    now: dt.datetime
    jobs: int  # worker processes for parsing, images and rendering


@dataclass(frozen=True, slots=True)
class _Content:
    records: dict  # path under content/ -> DocumentRecord, as parsed now
    used: dict  # the records the site is made of (in watch mode, last good ones stand in for broken ones)
    images: dict
    site: Site
    pages: list
    copies: dict
    parsed: int
    photos: ImageWork | None = None  # holds the image store (a temporary folder without a cache) until written


@dataclass(frozen=True, slots=True)
class Live:
    """What an error-free build was made of, kept in memory by watch mode (BuildState.live) so that a save
    that changes only explainer bodies re-renders their pages and feeds without planning the site again."""

    setting: _Setting
    site: Site
    pages: tuple  # as planned
    page_at: Mapping[str, int]  # an explainer's site path -> index of its page in `pages`
    env: object  # the theme's jinja2 environment
    templates: Mapping[str, str]  # template digests
    shared: str  # what page_digests calls shared
    sizes: Mapping  # images.Picture of every image under content/


def _prepare(options: BuildOptions, state: BuildState | None, found: list) -> _Setting | None:
    """Settings, theme, a safe output folder, the previous state and the list of sources."""
    config, problems = load_config(options.source, options.base_url)
    found += problems
    theme, problems = load_theme(config) if config is not None and not has_errors(found) else (None, [])
    found += problems
    if theme is None:
        return None
    out = check_output_dir(options.output or config.root / "output", config.root,
                           [config.content_dir, *theme.folders, *theme.template_dirs])
    cache_dir = (options.cache_dir or config.root / CACHE_DIR) if options.use_cache else None
    # Without a state in memory, the small stamp is enough to tell that nothing changed.
    previous = _for_output(state if state is not None else load_stamp(cache_dir), out)
    tree, problems = scan_sources(config.root, config.content_dir)
    found += problems
    stamp = _input_stamp(options, config, theme, tree, out)
    return _Setting(config, theme, out, cache_dir, previous, tree, stamp, options.now or dt.datetime.now(dt.UTC),
                    options.jobs or default_jobs())


def _for_output(previous: BuildState, out: Path) -> BuildState:
    """The state, forgetting what it says about output files if it describes another output folder."""
    if previous.output != str(out):
        return replace(previous, output=str(out), pages={}, outputs={}, input_stamp="")
    return previous


def _unchanged(setting: _Setting) -> bool:
    """Nothing changed since the last build, no scheduled explainer fell due, nobody touched the output."""
    previous = setting.previous
    return (setting.stamp == previous.input_stamp and (previous.valid_until is None
                                                      or setting.now < previous.valid_until)
            and outputs_intact(setting.out, previous.outputs))


def _stand_ins(records: dict, good: Mapping, sources: set[str]) -> dict:
    """Records to build from: broken ones (or those named in `sources`) replaced by their last good version."""
    broken = {f"content/{rel}" for rel, r in records.items() if has_errors(r.diagnostics)} | sources
    used = {}
    for rel, record in records.items():
        if f"content/{rel}" not in broken:
            used[rel] = record
        elif rel in good:
            used[rel] = good[rel]
    return used


def _load_content(setting: _Setting, options: BuildOptions, store: BodyStore, found: list) -> _Content:
    """Parse what changed, assemble the site and plan its pages."""
    config, previous = setting.config, setting.previous
    photos = process_images(setting.tree.assets, previous.images, config.images, setting.cache_dir,
                            setting.jobs, options.progress)
    images, sizes = photos.index, photos.pictures
    found += photos.diagnostics
    key = document_settings(config)
    documents = load_documents(setting.tree.documents, config,
                               previous.documents if previous.parse_key == key else {}, sizes, store,
                               setting.jobs,
                               _ticker(options, "Parsing", len(setting.tree.documents)))
    records = dict(documents.records)
    found += [d for r in records.values() for d in r.diagnostics]
    used = _stand_ins(records, previous.good, set()) if options.keep_going else records
    glossary, problems = load_glossary(setting.tree.data)
    found += problems
    for attempt in range(2):
        site, problems = assemble_site([(r.meta, r.body) for r in used.values() if r.meta is not None], config,
                                       sizes, drafts=options.drafts, future=options.future, now=setting.now,
                                       glossary=glossary)
        if not options.keep_going or not has_errors(problems) or attempt:
            break
        used = _stand_ins(used, previous.good, {d.path for d in problems if has_errors([d])})
        found += problems
    found += problems
    pages = plan_pages(site, config)
    store.close()  # SQLite connections must not cross the fork of the image workers
    files, problems = publish_images(setting.tree.assets, photos, site, config.images, setting.jobs,
                                     options.progress)
    found += problems
    copies = files | dict(setting.theme.static_files)
    found += check_collisions(pages, list(copies), {e.path: e.source for e in site.explainers})
    live = {e.source for e in site.explainers}
    found += check_aliases(pages, [r.meta for r in used.values() if r.meta is not None and r.meta.source in live])
    return _Content(records, used, images, site, pages, copies, documents.parsed, photos)


def build(options: BuildOptions, state: BuildState | None = None,
          changed: frozenset[str] | None = None) -> BuildResult:
    """Build the site; `state` (else the cache on disk) lets unchanged work be skipped.

    With any error nothing is written and the previous output stays as it was; with `keep_going`
    (watch mode) a broken explainer keeps its last good page and everything else is built.
    `changed` (watch mode) names the only files changed since `state`: when they are explainers whose
    bodies alone changed, the quick path re-renders just their pages and feeds.
    """
    started = time.perf_counter()
    if changed and state is not None and state.live is not None:
        quick = rebuild_bodies(options, state, changed, started)
        if quick is not None:
            return quick
    found: list[Diagnostic] = []
    setting = _prepare(options, state, found)
    if setting is None:
        return BuildResult(tuple(found))
    previous, out = setting.previous, setting.out
    if not options.keep_going and _unchanged(setting):  # watch mode needs the site in memory (Live)
        return BuildResult(previous.diagnostics, previous.explainers, previous.page_count or len(previous.pages),
                           unchanged=len(previous.outputs), output=out,
                           state=previous if state is not None else EMPTY_STATE,
                           seconds=time.perf_counter() - started, next_scheduled=previous.valid_until)
    if state is None:  # something changed: now the whole state is worth loading
        setting = replace(setting, previous=_for_output(load_state(setting.cache_dir), out))
        previous = setting.previous
    store = BodyStore(setting.cache_dir)
    content = _load_content(setting, options, store, found)
    site, pages, config = content.site, content.pages, setting.config
    key = document_settings(config)
    good = _good_records(previous.good, content.records)
    # On failure the parsing work is kept, and the output with what describes it stays as it was.
    kept = BuildState(key, content.records, content.images, str(out), previous.pages, previous.outputs, good=good)
    fatal = [d for d in found if has_errors([d]) and not (options.keep_going and _is_content(d, content))]
    rendered = None
    if not fatal:
        env = make_environment(setting.theme, config)
        blocks = {name for e in site.explainers for name in e.block_templates}  # rendered into bodies
        templates = template_digests(env, {p.template for p in pages} | blocks)
        shared = f"{setting.theme.strings!r}|{setting.theme.static_names!r}|{config!r}"
        digests = page_digests(pages, site, shared, templates)
        stale = [p for p in pages if previous.pages.get(p.output) != digests[p.output]
                 or not output_intact(out, p.output, previous.outputs)]
        claim_output_dir(out)
        rendered = render_pages(stale, site, lambda: make_environment(setting.theme, config), store, out,
                                setting.jobs, _ticker(options, "Rendering", len(stale)))
        found += rendered.diagnostics
        fatal += rendered.diagnostics
    if fatal:
        discard_staged(rendered.staged if rendered else {})
        save_state(setting.cache_dir, kept)
        store.close()
        return BuildResult(tuple(found), len(site.explainers), len(pages), parsed=content.parsed, state=kept,
                           seconds=time.perf_counter() - started)
    commit_staged(out, rendered.staged)
    page_files = [p.output for p in pages]
    published = publish_files(site, pages, config, fill_for_feeds(env, site, store.get), setting.now,
                              unchanged=lambda atom, digest: previous.feeds.get(atom) == digest and all(
                                  output_intact(out, p, previous.outputs) for p in feed_paths(atom)),
                              salt=setting.theme.digest)
    # _headers, _redirects and the minified, fingerprinted theme assets
    hosting = hosting_files(config, pages, [*published.files, *published.kept], setting.theme.static_names)
    hosting |= setting.theme.static_data
    stats = write_output(out, published.files | hosting, content.copies,
                         keep=[*page_files, *published.kept, *index_files(out)])
    pages_changed = bool(rendered.staged) or set(page_files) != set(previous.pages)
    search = update_index(out, config.search, pages_changed=pages_changed, outputs=previous.outputs,
                          defer=options.defer_search)
    found += search.diagnostics
    store.keep_only(r.body.digest for r in (*content.records.values(), *good.values()) if r.body is not None)
    store.close()
    # Feeds and sitemaps change with the clock too: the news sitemap drops explainers older than two days.
    valid_until = min((t for t in (site.next_scheduled, news_expiry(site, setting.now)) if t), default=None)
    new_state = BuildState(key, content.records, content.images, str(out), digests,
                           file_stats(out, [*page_files, *published.files, *published.kept, *hosting, *content.copies,
                                           *search.recorded]),
                           "" if has_errors(search.diagnostics) else setting.stamp, valid_until,
                           tuple(found), len(site.explainers), good, published.feeds)
    if options.keep_going and not has_errors(found):
        sizes = content.photos.pictures if content.photos is not None else {}
        new_state = replace(new_state, live=Live(setting, site, tuple(pages), {p.path: i for i, p in enumerate(pages)
                                                                                  if p.template == "explainer.html"},
                                                   env, templates, shared, sizes))
    save_state(setting.cache_dir, new_state)
    return BuildResult(tuple(found), len(site.explainers), len(pages), stats.written + search.written
                       + len(rendered.staged), stats.unchanged + search.unchanged + len(pages) - len(rendered.staged),
                       stats.removed + search.removed,
                       time.perf_counter() - started, site.next_scheduled, out, content.parsed, len(stale),
                       new_state, search_pending=search.pending)


def _same_shape(old: Body | None, new: Body | None) -> bool:
    """Two renderings of a body that give the site the same questions, glossary terms and block templates:
    only the explainer's own page and the feeds that carry its text can differ."""
    return (old is not None and new is not None and old.sections == new.sections
            and old.block_templates == new.block_templates and old.missing_images == new.missing_images
            and [term for term, _ in old.terms] == [term for term, _ in new.terms])


@dataclass(frozen=True, slots=True)
class _BodyEdit:
    source: SourceFile
    record: DocumentRecord
    html: str
    explainer: Explainer | None  # as the site has it now; None for a draft or scheduled one, not published


def _body_edits(live: Live, state: BuildState, changed: frozenset[str], options: BuildOptions,
                now: dt.datetime) -> list[_BodyEdit] | None:
    """The saved explainers, parsed again, if every changed path is an explainer whose front matter and the
    shape of whose body stayed the same and which has no error; else None."""
    config = live.setting.config
    content_dir = config.content_dir.resolve()
    md = None
    edits = []
    for name in sorted(changed):
        path = Path(name)
        if not path.is_relative_to(content_dir):
            return None
        rel = path.relative_to(content_dir).as_posix()
        old = state.documents.get(rel)
        if old is None or old.meta is None:
            return None
        try:
            stat = path.stat()
        except OSError:
            return None
        if (stat.st_size, stat.st_mtime_ns) == (old.size, old.mtime_ns):
            continue  # an echo of a save already built
        md = md or make_markdown()
        source = SourceFile(path, rel, stat.st_size, stat.st_mtime_ns)
        record, html = parse_file(source, config, md, live.sizes)  # too big or unreadable: an error record
        if (has_errors(record.diagnostics) or record.meta != old.meta or record.images_used != old.images_used
                or not _same_shape(old.body, record.body)):
            return None
        unpublished = (old.meta.draft and not options.drafts) or (old.meta.date > now and not options.future)
        index = live.site.order.get(old.meta.slug)
        explainer = live.site.explainers[index] if index is not None else None
        if unpublished != (explainer is None) or (explainer and explainer.source != old.meta.source):
            return None
        edits.append(_BodyEdit(source, record, html, explainer))
    return edits


def _replace_diagnostics(before: tuple[Diagnostic, ...], old: DocumentRecord, new: DocumentRecord) -> tuple:
    """The build's findings with one file's parse findings swapped for those of its new version."""
    dropped = set(old.diagnostics)
    kept = [d for d in before if d not in dropped]
    return (*kept, *new.diagnostics)


def rebuild_bodies(options: BuildOptions, state: BuildState, changed: frozenset[str],
                   started: float) -> BuildResult | None:
    """The quick path of watch mode, for saves that changed only the bodies of published explainers: parse
    those files, render their pages and the feeds that carry them, and write those files first-hand.
    Everything else is known to be as the last build left it. None: the change is more than that."""
    live: Live = state.live
    setting, config, out = live.setting, live.setting.config, live.setting.out
    now = options.now or dt.datetime.now(dt.UTC)
    if state.valid_until is not None and now >= state.valid_until:
        return None
    edits = _body_edits(live, state, changed, options, now)
    if edits is None:
        return None
    if not edits:  # only echoes of saves already built
        return BuildResult(state.diagnostics, len(live.site.explainers), len(live.pages),
                           unchanged=len(state.outputs), seconds=time.perf_counter() - started, output=out,
                           next_scheduled=live.site.next_scheduled, state=state, quick=True)
    site, pages = live.site, list(live.pages)
    touched = []
    for edit in (e for e in edits if e.explainer is not None):
        new = replace(edit.explainer, body_digest=edit.record.body.digest)
        site = swap_explainer(site, edit.explainer, new)
        at = live.page_at[new.path]
        pages[at] = replace(pages[at], context=MappingProxyType({**pages[at].context, "explainer": new}))
        touched.append(pages[at])
    store = BodyStore(setting.cache_dir)
    try:
        store.put_many((edit.record.body.digest, edit.html) for edit in edits)
        digests = page_digests(touched, site, live.shared, live.templates)
        stale = [p for p in touched if state.pages.get(p.output) != digests[p.output]
                 or not output_intact(out, p.output, state.outputs)]
        rendered = render_pages(stale, site, lambda: live.env, store, out, 1, None)
        if rendered.diagnostics:
            discard_staged(rendered.staged)
            return None
        commit_staged(out, rendered.staged)  # the pages first: they are what the editor is looking at
        feeds, feed_digests = feed_files(site, config, fill_for_feeds(live.env, site, store.get), now,
                                         unchanged=lambda atom, digest: state.feeds.get(atom) == digest and all(
                                             output_intact(out, p, state.outputs) for p in feed_paths(atom)),
                                         salt=setting.theme.digest)
    finally:
        store.close()
    stats = write_files(out, feeds)
    search = update_index(out, config.search, pages_changed=bool(rendered.staged), outputs=state.outputs,
                          defer=options.defer_search)
    documents, good, diagnostics = dict(state.documents), dict(state.good), state.diagnostics
    sources = {s.rel: i for i, s in enumerate(setting.tree.documents)}
    tree_documents = list(setting.tree.documents)
    for edit in edits:
        diagnostics = _replace_diagnostics(diagnostics, documents[edit.source.rel], edit.record)
        documents[edit.source.rel] = good[edit.source.rel] = edit.record
        tree_documents[sources[edit.source.rel]] = edit.source
    tree = replace(setting.tree, documents=tuple(tree_documents))
    stamp = _input_stamp(options, config, setting.theme, tree, out)
    new_state = replace(state, documents=documents, good=good, diagnostics=diagnostics,
                        pages={**state.pages, **{p.output: digests[p.output] for p in stale}},
                        outputs={**state.outputs, **file_stats(out, [*rendered.staged, *feeds])},
                        input_stamp=stamp, feeds=feed_digests,
                        live=replace(live, setting=replace(setting, tree=tree, stamp=stamp, now=now), site=site,
                                     pages=tuple(pages)))
    return BuildResult(diagnostics, len(site.explainers), len(pages), len(rendered.staged) + stats.written,
                       len(pages) - len(rendered.staged) + stats.unchanged, 0, time.perf_counter() - started,
                       site.next_scheduled, out, len(edits), len(stale), new_state, search_pending=search.pending,
                       quick=True)


def _good_records(before: Mapping, records: Mapping) -> dict:
    """The last error-free record of each file that still exists."""
    return {rel: (r if not has_errors(r.diagnostics) else before[rel])
            for rel, r in records.items() if not has_errors(r.diagnostics) or rel in before}


def _is_content(diagnostic: Diagnostic, content: _Content) -> bool:
    """An error in one explainer file, which watch mode builds around."""
    return diagnostic.path.startswith("content/") and diagnostic.path.removeprefix("content/") in content.records
