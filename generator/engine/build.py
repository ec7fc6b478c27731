"""Build: the pipeline, stage by stage: config, sources, documents, site, pages, render, write."""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import logging
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

from ..diagnostics import Diagnostic, has_errors
from ..markup.body import Markdowns
from ..markup.glossary import load_glossary
from ..outputs.blockfill import fill_for_feeds
from ..outputs.feeds import FeedPlan, feed_files, feed_paths, plan_feeds
from ..outputs.hosting import hosting_files
from ..outputs.imaging import ImageWork, process_images, publish_images
from ..outputs.publish import publish_files
from ..outputs.render import (
    CardDigests,
    SitePages,
    digest_shared,
    nav_topics,
    page_digests,
    planned_digest,
    render_pages,
    render_site,
)
from ..outputs.reserved import check_reserved, site_reserved
from ..outputs.search import INDEX_DIR as SEARCH_DIR
from ..outputs.search import index_files, update_index
from ..outputs.sitemap import news_expiry
from ..outputs.themes import Theme, load_theme, make_environment, missing_strings, template_digests
from ..outputs.writer import (
    OutputMode,
    check_output_dir,
    claim_output_dir,
    commit_staged,
    discard_staged,
    file_stats,
    mark_output,
    stranger_at_top,
    write_files,
    write_output,
)
from ..site.cards import card_pages, card_users, with_card_pages
from ..site.model import Site, assemble_site, swap_explainer
from ..site.routes import ExplainerPages, PageEntry, SitePlan, check_collisions, plan_site
from ..sources.aliases import check_aliases
from ..sources.cards import load_cards, unchanged_cards
from ..sources.config import SiteConfig, load_config
from ..sources.topics import load_topic_names
from ..sources.tree import SourceFile, SourceTree, scan_sources
from ..workers import default_jobs
from .cache import (
    EMPTY_STATE,
    BodyStore,
    BuildState,
    CacheDamageError,
    DocumentRecord,
    check_cache_dir,
    claim_cache_dir,
    damage_warning,
    discard_cache,
    load_stamp,
    load_state,
    output_intact,
    outputs_intact,
    parse_key,
    save_stamp,
    save_state,
)
from .documents import load_documents, parse_file
from .pageindex import IndexedBuild, PageIndex, PagePacker
from .withheld import FileUse, file_use, withheld_files

CACHE_DIR = ".nutgraf-cache"

log = logging.getLogger(__name__)

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


def settings_stamp(options: BuildOptions, config: SiteConfig, theme: Theme, tree: SourceTree, out: Path) -> str:
    """A digest of every setting and every input's stat key but those of explainer files (their names are
    in): equal stamps mean builds that can differ only by what explainer files say."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr((options.drafts, options.future, str(out), config, theme.digest)).encode())
    for source in tree.documents:
        digest.update(f"{source.rel}\n".encode())
    for source in (*tree.assets, *tree.data, *tree.cards):
        digest.update(f"{source.rel}|{source.size}|{source.mtime_ns}\n".encode())
    for rel, path in sorted(theme.static_files.items()):
        stat = path.stat()
        digest.update(f"{rel}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _input_stamp(settings: str, tree: SourceTree) -> str:
    """A digest of every input's stat key and every setting: equal stamps mean an identical build."""
    digest = hashlib.blake2b(settings.encode(), digest_size=16)
    for source in tree.documents:
        digest.update(f"{source.rel}|{source.size}|{source.mtime_ns}\n".encode())
    return digest.hexdigest()


def document_settings(config: SiteConfig) -> str:
    """The cache key of parsed documents: the settings that parsing and body rendering read."""
    return parse_key(config.timezone, config.language, config.base_url, config.untrusted_html, config.embed_hosts)


@contextmanager
def _timed(stage: str) -> Iterator[None]:
    """Say how long a stage took (`nutgraf build --verbose`)."""
    started = time.perf_counter()
    yield
    log.debug("%-28s %6.2f s", stage, time.perf_counter() - started)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off, then back as it was: for the stages that make or save the site's
    long-lived objects by the hundred thousand and no cyclic garbage (assembling and planning the site,
    saving the cache), where the collections that allocation sets off walked those objects again and
    again. Measured at 10,000 explainers: assembling 1.36 s -> 0.72 s, saving 0.93 s -> 0.43 s.
    Parsing and rendering keep it: paused there too, at 100,000 explainers the peak memory grew by 90 MB."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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
    settings: str  # settings_stamp
    stamp: str  # _input_stamp
    now: dt.datetime
    jobs: int  # worker processes for parsing, images and rendering
    mode: OutputMode = OutputMode()  # a preview (--drafts, --future): every page says so, and is not indexed


@dataclass(frozen=True, slots=True)
class _Content:
    records: dict  # path under content/ -> DocumentRecord, as parsed now
    used: dict  # the records the site is made of (in watch mode, last good ones stand in for broken ones)
    images: dict
    site: Site
    plan: SitePlan
    entries: list[PageEntry]  # of every page, explainer pages first
    copies: dict
    parsed: int
    photos: ImageWork | None = None  # holds the image store (a temporary folder without a cache) until written
    feeds: tuple[FeedPlan, ...] = ()
    use: FileUse | None = None  # which content files the explainers use: what is withheld, what `check` lists


@dataclass(frozen=True, slots=True)
class Live:
    """What an error-free build was made of, kept in memory by watch mode (BuildState.live) so that a save
    that changes only explainer bodies re-renders their pages and feeds without planning the site again."""

    setting: _Setting
    site: Site
    explainer_pages: ExplainerPages  # plans an explainer's page as the full build did
    pages: int  # how many the site has
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
    sources = [config.content_dir, config.root / "static", *theme.folders, *theme.template_dirs]
    cache_dir = (options.cache_dir or config.root / CACHE_DIR) if options.use_cache else None
    out = check_output_dir(options.output or config.root / "output", config.root, sources)
    if cache_dir is not None:  # never a folder of the user's, nor the output: a cache's cleaning deletes files
        cache_dir = claim_cache_dir(check_cache_dir(cache_dir, config.root, sources, out))
    # Without a state in memory, the small stamp is enough to tell that nothing changed.
    previous = _for_output(state if state is not None else load_stamp(cache_dir), out)
    tree, problems = scan_sources(config.root, config.content_dir)
    found += problems
    settings = settings_stamp(options, config, theme, tree, out)
    return _Setting(config, theme, out, cache_dir, previous, tree, settings, _input_stamp(settings, tree),
                    options.now or dt.datetime.now(dt.UTC), options.jobs or default_jobs(),
                    OutputMode(options.drafts, options.future))


def _for_output(previous: BuildState, out: Path) -> BuildState:
    """The state, forgetting what it says about output files if it describes another output folder."""
    if previous.output != str(out):
        return replace(previous, output=str(out), pages={}, outputs={}, input_stamp="")
    return previous


def _unchanged(setting: _Setting) -> bool:
    """Nothing changed since the last build, no scheduled explainer fell due, nobody touched the output nor
    put anything at its top (such as .git/, which the full build's cleaning removes)."""
    previous = setting.previous
    return (setting.stamp == previous.input_stamp and (previous.valid_until is None
                                                      or setting.now < previous.valid_until)
            and outputs_intact(setting.out, previous.outputs)
            and not stranger_at_top(setting.out, previous.outputs, (SEARCH_DIR,)))


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
    with _timed("images measured"):
        photos = process_images(setting.tree.assets, previous.images, config.images, setting.cache_dir,
                                setting.jobs, options.progress, untrusted=config.untrusted_html == "sanitize")
    images, sizes = photos.index, photos.pictures
    found += photos.diagnostics
    key = document_settings(config)
    cards, problems = load_cards(setting.tree.cards, config)
    found += problems
    with _timed(f"{len(setting.tree.documents)} explainer files loaded"):
        documents = load_documents(setting.tree.documents, config,
                                   previous.documents if previous.parse_key == key else {}, sizes, store,
                                   setting.jobs,
                                   _ticker(options, "Parsing", len(setting.tree.documents)), cards)
    log.debug("%d of them parsed, the others taken from the cache", documents.parsed)
    records = dict(documents.records)
    found += dict.fromkeys(d for r in records.values() for d in r.diagnostics)  # a card's, once
    used = _stand_ins(records, previous.good, set()) if options.keep_going else records
    glossary, problems = load_glossary(setting.tree.data)
    found += problems
    topic_names, problems = load_topic_names(setting.tree.data)
    found += problems
    with _timed("site assembled and planned"), _collector_paused():
        for attempt in range(2):
            site, problems = assemble_site([(r.meta, r.body) for r in used.values() if r.meta is not None],
                                           config, sizes, drafts=options.drafts, future=options.future,
                                           now=setting.now, glossary=glossary, topic_names=topic_names)
            if not options.keep_going or not has_errors(problems) or attempt:
                break
            used = _stand_ins(used, previous.good, {d.path for d in problems if has_errors([d])})
            found += problems
        found += problems
        plan = with_card_pages(plan_site(site, config), card_pages(cards, card_users(used, site), config))
        entries = plan.entries()
    store.close()  # SQLite connections must not cross the fork of the image workers
    live = {e.source for e in site.explainers}
    use = file_use(used.values(), live, config)
    with _timed("images published"):
        files, problems = publish_images(setting.tree.assets, photos, site, config.images, setting.jobs,
                                         options.progress,
                                         withheld_files(setting.tree.assets, use, config.publish_unused))
    found += problems
    copies = files | dict(setting.theme.static_files)
    found += check_collisions(entries, list(copies), {e.path: e.source for e in site.explainers})
    metas = [r.meta for r in used.values() if r.meta is not None and r.meta.source in live]
    found += check_aliases(entries, metas)
    found += missing_strings(setting.theme, config, metas)
    feeds = tuple(plan_feeds(site, config))
    found += check_reserved(site_reserved(config, feeds), [a.rel for a in setting.tree.assets], metas)
    return _Content(records, used, images, site, plan, entries, copies, documents.parsed, photos, feeds, use)


def build(options: BuildOptions, state: BuildState | None = None,
          changed: frozenset[str] | None = None) -> BuildResult:
    """Build the site; `state` (else the cache on disk) lets unchanged work be skipped.

    With any error nothing is written and the previous output stays as it was; with `keep_going`
    (watch mode) a broken explainer keeps its last good page and everything else is built.
    `changed` (watch mode) names the only files changed since `state`: when they are explainers whose
    bodies alone changed, the quick path re-renders just their pages and feeds.
    A cache found damaged on the way is discarded, with a warning, and the build starts again clean.
    """
    started = time.perf_counter()
    try:
        return _build(options, state, changed, started)
    except CacheDamageError as damage:
        discard_cache(damage.path.parent)
        result = _build(options, None, None, started)
        return replace(result, diagnostics=(damage_warning(damage, options.source), *result.diagnostics),
                       seconds=time.perf_counter() - started)


def _build(options: BuildOptions, state: BuildState | None, changed: frozenset[str] | None,
           started: float) -> BuildResult:
    if changed and state is not None and state.live is not None:
        quick = rebuild_bodies(options, state, changed, started)
        if quick is not None:
            return quick
    found: list[Diagnostic] = []
    with _timed("settings, theme and sources"):
        setting = _prepare(options, state, found)
    if setting is None:
        return BuildResult(tuple(found))
    previous, out = setting.previous, setting.out
    refused = has_errors(found)  # a refused file (a link out of content/) leaves the stamps as they were
    if not options.keep_going and not refused and _unchanged(setting):  # watch mode needs the site in memory
        log.debug("nothing changed since the last build")
        return BuildResult(previous.diagnostics, previous.explainers, previous.page_count or len(previous.pages),
                           unchanged=len(previous.outputs), output=out,
                           state=previous if state is not None else EMPTY_STATE,
                           seconds=time.perf_counter() - started, next_scheduled=previous.valid_until)
    if state is None and not options.keep_going and not refused:  # `nutgraf build`: maybe only bodies changed
        quick = _indexed_rebuild(options, setting, started)
        if quick is not None:
            return quick
    if state is None:  # something changed: now the whole state is worth loading
        with _timed("cache loaded"):
            setting = replace(setting, previous=_for_output(load_state(setting.cache_dir), out))
        previous = setting.previous
    store = BodyStore(setting.cache_dir)
    content = _load_content(setting, options, store, found)
    site, plan, entries, config = content.site, content.plan, content.entries, setting.config
    key = document_settings(config)
    good = _good_records(previous.good, content.records)
    # On failure the parsing work is kept, and the output with what describes it stays as it was.
    kept = BuildState(key, content.records, content.images, str(out), previous.pages, previous.outputs, good=good)
    fatal = [d for d in found if has_errors([d]) and not (options.keep_going and _is_content(d, content))]
    rendered = packer = None
    if not fatal:
        env = make_environment(setting.theme, config, setting.mode.preview)
        blocks = {name for e in site.explainers for name in e.block_templates}  # rendered into bodies
        blocks |= {name for p in plan.pages for name in p.context.get("block_templates", ())}  # and cards
        templates = template_digests(env, plan.templates() | blocks)
        shared = f"{setting.theme.strings!r}|{setting.theme.static_names!r}|{config!r}|{setting.mode!r}"
        nav = nav_topics(site)
        work = SitePages(plan.deferred, plan.deferred_page, plan.pages, digest_shared(shared, site),
                         templates, lambda output, digest: previous.pages.get(output) == digest
                         and output_intact(out, output, previous.outputs))
        fresh = claim_output_dir(out, setting.mode)
        if setting.cache_dir is not None:  # explainer pages are packed for the page index as they are planned
            known, stored = _forget_index(setting.cache_dir)
            packer = PagePacker(CardDigests(), known, stored, setting.cache_dir)
        with _timed(f"{len(work)} pages planned"):
            rendered = render_site(work, nav, lambda: make_environment(setting.theme, config, setting.mode.preview),
                                   store,
                                   out, setting.jobs, _ticker(options, "Rendering", len(work)),
                                   packer.store if packer else None)
        log.debug("%d of them rendered, the others unchanged since the last build", rendered.rendered)
        found += rendered.diagnostics
        fatal += rendered.diagnostics
    if fatal:
        discard_staged(rendered.staged if rendered else {})
        save_state(setting.cache_dir, kept)
        store.close()
        return BuildResult(tuple(found), len(site.explainers), len(entries), parsed=content.parsed, state=kept,
                           seconds=time.perf_counter() - started)
    page_files = [p.output for p in entries]
    feeds = content.feeds
    with _timed("feeds, sitemaps and files"):
        published = publish_files(site, entries, feeds, config, fill_for_feeds(env, site.explainers, store.get),
                                  setting.now,
                                  unchanged=lambda atom, digest: previous.feeds.get(atom) == digest and all(
                                      output_intact(out, p, previous.outputs) for p in feed_paths(atom)),
                                  salt=setting.theme.digest)
        # _headers, _redirects and the minified, fingerprinted theme assets
        hosting = hosting_files(config, entries, plan.redirects(), [*published.files, *published.kept],
                                setting.theme.static_names)
        hosting |= setting.theme.static_data
        stats = write_output(out, published.files | hosting, content.copies,
                             keep=[*page_files, *published.kept, *index_files(out)], fresh=fresh,
                             staged=rendered.staged)  # the pages are committed with the rest: all or none
    pages_changed = bool(rendered.staged) or set(page_files) != set(previous.pages)
    with _timed("search index"):
        search = update_index(out, config.search, pages_changed=pages_changed, outputs=previous.outputs,
                              defer=options.defer_search)
    found += search.diagnostics
    mark_output(out, setting.mode)  # every file is written: the marker may now say what they are
    store.keep_only(r.body.digest for r in (*content.records.values(), *good.values()) if r.body is not None)
    store.close()
    # Feeds and sitemaps change with the clock too: the news sitemap drops explainers older than two days.
    valid_until = min((t for t in (site.next_scheduled, news_expiry(site, setting.now)) if t), default=None)
    new_state = BuildState(key, content.records, content.images, str(out), rendered.digests,
                           file_stats(out, [*page_files, *published.files, *published.kept, *hosting, *content.copies,
                                           *search.recorded]),
                           "" if has_errors(search.diagnostics) else setting.stamp, valid_until,
                           tuple(found), len(site.explainers), good, published.feeds,
                           records=previous.records if _same_records(previous, content, good) else "")
    sizes = content.photos.pictures if content.photos is not None else {}
    if packer is not None:
        with _timed("page index saved"), _collector_paused():
            _save_index(setting, new_state, content, nav, feeds, published.feeds, rendered.cards, sizes)
    if options.keep_going and not has_errors(found):
        new_state = replace(new_state, live=Live(setting, site, plan.explainer_pages, len(entries), env, templates,
                                                   shared, sizes))
    with _timed("cache saved"), _collector_paused():
        save_state(setting.cache_dir, new_state)
    return BuildResult(tuple(found), len(site.explainers), len(entries), stats.written + search.written
                       + len(rendered.staged), stats.unchanged + search.unchanged + len(entries) - len(rendered.staged),
                       stats.removed + search.removed,
                       time.perf_counter() - started, site.next_scheduled, out, content.parsed, rendered.rendered,
                       new_state, search_pending=search.pending)


QUICK_MAX_FILES = 16  # `nutgraf build` with more explainers changed than this: the full build's workers win


@dataclass(frozen=True, slots=True)
class _BodyEdit:
    source: SourceFile
    record: DocumentRecord
    html: str


def _parse_edits(sources: list[SourceFile], config: SiteConfig, pictures: Mapping,
                 shape_before: Callable[[str], str], cards_from: Sequence[SourceFile] = ()) -> list[_BodyEdit] | None:
    """The changed explainer files parsed again, if each is error-free and has the shape it had before (only
    its body text changed); else None."""
    md = Markdowns()
    edits = []
    cards = unchanged_cards(cards_from, config) if cards_from else {}
    if cards is None:
        return None
    for source in sources:
        record, html = parse_file(source, config, md, pictures, cards)  # too big or unreadable: an error record
        before = shape_before(source.rel)
        if has_errors(record.diagnostics) or not before or record.shape != before:
            return None
        edits.append(_BodyEdit(source, record, html))
    return edits


def _good_shape(record: DocumentRecord | None) -> str:
    """The shape of a record without errors; "" (which no parse gives) for one with errors or none."""
    return record.shape if record is not None and not has_errors(record.diagnostics) else ""


def _replace_diagnostics(before: tuple[Diagnostic, ...], old: tuple[Diagnostic, ...],
                         new: tuple[Diagnostic, ...]) -> tuple:
    """The build's findings with one file's parse findings swapped for those of its new version."""
    dropped = set(old)
    return (*(d for d in before if d not in dropped), *new)


@dataclass(frozen=True, slots=True)
class _Rewritten:
    staged: Mapping[str, str]  # pages written
    feeds: Mapping[str, bytes]  # feed files made
    feed_digests: Mapping[str, str]
    stats: object  # output.WriteStats of the feeds
    search: object  # search.SearchUpdate


def _rewrite_bodies(options: BuildOptions, setting: _Setting, env, nav: tuple, edits: list[_BodyEdit],
                    pages: list, feeds: Sequence[FeedPlan], feeds_before: Mapping[str, str],
                    outputs: Mapping[str, tuple[int, int]], now: dt.datetime) -> _Rewritten | None:
    """The quick paths' writing: store the new bodies, render `pages` (those that show them) and the feeds
    whose inputs changed, write what changed and refresh search. None: a template failed, nothing written."""
    out, config = setting.out, setting.config
    store = BodyStore(setting.cache_dir)
    try:
        store.put_many((edit.record.body.digest, edit.html) for edit in edits)
        rendered = render_pages(pages, nav, lambda: env, store, out, 1, None)
        if rendered.diagnostics:
            discard_staged(rendered.staged)
            return None
        commit_staged(out, rendered.staged)  # the pages first: they are what the editor is looking at
        carried = {e.source: e for plan in feeds for e in plan.items}.values()
        files, digests = feed_files(feeds, config, fill_for_feeds(env, carried, store.get), now,
                                    unchanged=lambda atom, digest: feeds_before.get(atom) == digest and all(
                                        output_intact(out, p, outputs) for p in feed_paths(atom)),
                                    salt=setting.theme.digest)
    finally:
        store.close()
    stats = write_files(out, files)
    search = update_index(out, config.search, pages_changed=bool(rendered.staged), outputs=outputs,
                          defer=options.defer_search)
    return _Rewritten(rendered.staged, files, digests, stats, search)


def _outputs_after(out: Path, outputs: Mapping[str, tuple[int, int]], done: _Rewritten) -> dict:
    """The output files' stats after a quick path's writes (the search index's own, when it was remade)."""
    if done.search.recorded:
        outputs = {rel: stat for rel, stat in outputs.items() if not rel.startswith(f"{SEARCH_DIR}/")}
    return {**outputs, **file_stats(out, [*done.staged, *done.feeds, *done.search.recorded])}


def _changed_sources(live: Live, state: BuildState, changed: frozenset[str]) -> list[SourceFile] | None:
    """The explainer files among `changed` whose stat key moved since `state`; None when a changed path is
    anything but a known explainer file."""
    content_dir = live.setting.config.content_dir.resolve()
    sources = []
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
        if (stat.st_size, stat.st_mtime_ns) != (old.size, old.mtime_ns):  # else an echo of a save already built
            sources.append(SourceFile(path, rel, stat.st_size, stat.st_mtime_ns))
    return sources


def rebuild_bodies(options: BuildOptions, state: BuildState, changed: frozenset[str],
                   started: float) -> BuildResult | None:
    """The quick path of watch mode, for saves that changed only the bodies of explainers: parse those
    files, render their pages and the feeds that carry them, and write those files first-hand, from the
    site the last build left in memory. None: the change is more than that."""
    live: Live = state.live
    setting, config, out = live.setting, live.setting.config, live.setting.out
    now = options.now or dt.datetime.now(dt.UTC)
    if setting.cache_dir is None or (state.valid_until is not None and now >= state.valid_until):
        return None
    sources = _changed_sources(live, state, changed)
    if sources is None:
        return None
    if not sources:  # only echoes of saves already built
        return BuildResult(state.diagnostics, len(live.site.explainers), live.pages,
                           unchanged=len(state.outputs), seconds=time.perf_counter() - started, output=out,
                           next_scheduled=live.site.next_scheduled, state=state, quick=True)
    edits = _parse_edits(sources, config, live.sizes, lambda rel: _good_shape(state.documents.get(rel)),
                         setting.tree.cards)
    if edits is None:
        return None
    site = live.site
    touched = []
    for edit in edits:
        meta = edit.record.meta
        unpublished = (meta.draft and not options.drafts) or (meta.date > now and not options.future)
        index = site.order.get(meta.slug)
        explainer = site.explainers[index] if index is not None else None
        if unpublished != (explainer is None) or (explainer and explainer.source != meta.source):
            return None
        if explainer is not None:
            new = replace(explainer, body_digest=edit.record.body.digest)
            site = swap_explainer(site, explainer, new)
            touched.append(live.explainer_pages.page(new))
    digests = page_digests(touched, site, live.shared, live.templates)
    stale = [p for p in touched if state.pages.get(p.output) != digests[p.output]
             or not output_intact(out, p.output, state.outputs)]
    done = _rewrite_bodies(options, setting, live.env, nav_topics(site), edits, stale, plan_feeds(site, config),
                           state.feeds, state.outputs, now)
    if done is None:
        return None
    documents, good, diagnostics = dict(state.documents), dict(state.good), state.diagnostics
    sources = {s.rel: i for i, s in enumerate(setting.tree.documents)}
    tree_documents = list(setting.tree.documents)
    for edit in edits:
        rel = edit.source.rel
        diagnostics = _replace_diagnostics(diagnostics, documents[rel].diagnostics, edit.record.diagnostics)
        documents[rel] = good[rel] = edit.record
        tree_documents[sources[rel]] = edit.source
    tree = replace(setting.tree, documents=tuple(tree_documents))
    stamp = _input_stamp(setting.settings, tree)
    new_state = replace(state, documents=documents, good=good, diagnostics=diagnostics, records="",
                        pages={**state.pages, **{p.output: digests[p.output] for p in stale}},
                        outputs=_outputs_after(out, state.outputs, done), input_stamp=stamp,
                        feeds=done.feed_digests,
                        live=replace(live, setting=replace(setting, tree=tree, stamp=stamp, now=now), site=site))
    return BuildResult(diagnostics, len(site.explainers), live.pages, len(done.staged) + done.stats.written,
                       live.pages - len(done.staged) + done.stats.unchanged, 0, time.perf_counter() - started,
                       site.next_scheduled, out, len(edits), len(stale), new_state,
                       search_pending=done.search.pending, quick=True)


def _forget_index(cache_dir: Path) -> tuple[set[str], dict[str, str]]:
    """Make the page index describe no build until this one's rows are in; return the cards it holds and
    the planned digests of its pages. (Closed again at once: SQLite connections must not cross the fork
    of the render workers.)"""
    index = PageIndex(cache_dir)
    try:
        index.forget()
        return index.card_keys(), index.planned()
    finally:
        index.close()


def _save_index(setting: _Setting, state: BuildState, content: _Content, nav: tuple, feeds: list,
                feed_digests: Mapping[str, str], cards: frozenset, pictures: Mapping) -> None:
    """Say that the page index describes this build, for the quick path of `nutgraf build`: the render
    workers stored the rows of the explainer pages it lacked; rows and `cards` of no page now are dropped."""
    index = PageIndex(setting.cache_dir)
    try:
        records = content.records
        # The entries start with the explainer pages', in site order.
        shown = {e.source: entry.output for e, entry in zip(content.plan.explainers, content.entries, strict=False)}
        indexed = IndexedBuild(
            setting.settings,
            {rel: (r.size, r.mtime_ns, "" if has_errors(r.diagnostics) else r.shape) for rel, r in records.items()},
            {rel: r.diagnostics for rel, r in records.items() if r.diagnostics},
            shown, nav, tuple(feeds), dict(feed_digests), dict(pictures))
        index.save(state.input_stamp, indexed, {}, {}, keep=shown.values(), keep_cards=cards)
    finally:
        index.close()


def _indexed_rebuild(options: BuildOptions, setting: _Setting, started: float) -> BuildResult | None:
    """The quick path of `nutgraf build`, for runs after which only explainer bodies changed: the same work
    as watch mode's, with the pages and feeds the last build planned read from the page index.
    None: more changed than that, or the index does not describe the last build."""
    previous = setting.previous
    if (setting.cache_dir is None or not previous.input_stamp  # no build the index could describe
            or (previous.valid_until is not None and setting.now >= previous.valid_until)):
        return None
    index = PageIndex(setting.cache_dir)
    try:
        return _rebuild_from_index(options, setting, index, started)
    finally:
        index.close()


def _rebuild_from_index(options: BuildOptions, setting: _Setting, index: PageIndex,
                        started: float) -> BuildResult | None:
    previous, config, out = setting.previous, setting.config, setting.out
    indexed = index.load(previous.input_stamp)
    if indexed is None or indexed.settings != setting.settings:
        return None
    sources = [s for s in setting.tree.documents
               if indexed.documents.get(s.rel, (None, None))[:2] != (s.size, s.mtime_ns)]
    if not sources or len(sources) > QUICK_MAX_FILES or not outputs_intact(out, previous.outputs):
        return None
    edits = _parse_edits(sources, config, indexed.pictures, lambda rel: indexed.documents.get(rel, ("",) * 3)[2],
                         setting.tree.cards)
    if edits is None:
        return None
    pages, swapped = [], {}
    for edit in edits:
        output = indexed.pages.get(edit.record.meta.source)
        if output is None:
            continue  # a draft or a scheduled explainer: no page shows it
        page = index.page(output)
        if page is None:
            return None
        old = page.context["explainer"]
        new = swapped[old.source] = replace(old, body_digest=edit.record.body.digest)
        pages.append(replace(page, context=MappingProxyType({**page.context, "explainer": new})))
    feeds = tuple(replace(plan, items=tuple(swapped.get(e.source, e) for e in plan.items))
                  if any(e.source in swapped for e in plan.items) else plan for plan in indexed.feeds)
    env = make_environment(setting.theme, config, setting.mode.preview)
    done = _rewrite_bodies(options, setting, env, indexed.nav, edits, pages, feeds, indexed.feed_digests,
                           previous.outputs, setting.now)
    if done is None:
        return None
    documents, findings, diagnostics = dict(indexed.documents), dict(indexed.findings), previous.diagnostics
    for edit in edits:
        rel, record = edit.source.rel, edit.record
        diagnostics = _replace_diagnostics(diagnostics, findings.pop(rel, ()), record.diagnostics)
        if record.diagnostics:
            findings[rel] = record.diagnostics
        documents[rel] = (record.size, record.mtime_ns, record.shape)
    failed = has_errors(done.search.diagnostics)
    new_state = replace(previous, input_stamp="" if failed else setting.stamp, diagnostics=diagnostics,
                        outputs=_outputs_after(out, previous.outputs, done))
    cards = CardDigests()
    rows, fresh = PagePacker(cards, set(), {}).pack_all((page, planned_digest(page, cards)) for page in pages)
    index.save(new_state.input_stamp, replace(indexed, documents=documents, findings=findings, feeds=feeds,
                                              feed_digests=done.feed_digests), rows, fresh)
    save_stamp(setting.cache_dir, new_state)
    found = (*diagnostics, *done.search.diagnostics)
    return BuildResult(found, previous.explainers, previous.page_count, len(done.staged) + done.stats.written,
                       len(previous.outputs) - len(done.staged) - done.stats.written, 0,
                       time.perf_counter() - started, previous.valid_until, out, len(edits), len(pages),
                       quick=True)


def _same_records(previous: BuildState, content: _Content, good: Mapping) -> bool:
    """Nothing was parsed and no file came or went: the records are the previous state's, unchanged."""
    return (content.parsed == 0 and content.records.keys() == previous.documents.keys()
            and good.keys() == previous.good.keys() and all(r is previous.good[k] for k, r in good.items()))


def _good_records(before: Mapping, records: Mapping) -> dict:
    """The last error-free record of each file that still exists."""
    return {rel: (r if not has_errors(r.diagnostics) else before[rel])
            for rel, r in records.items() if not has_errors(r.diagnostics) or rel in before}


def _is_content(diagnostic: Diagnostic, content: _Content) -> bool:
    """An error in one explainer file, which watch mode builds around."""
    return diagnostic.path.startswith("content/") and diagnostic.path.removeprefix("content/") in content.records
