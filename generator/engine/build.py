"""Build: the pipeline, stage by stage: config, sources, documents, site, pages, render, write."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from ..diagnostics import Diagnostic, has_errors
from ..outputs.blockfill import answer_digests, fill_for_feeds
from ..outputs.feeds import feed_paths
from ..outputs.hosting import hosting_files, used_frame_hosts
from ..outputs.publish import Published, publish_files
from ..outputs.render import CardDigests, Rendered, SitePages, digest_shared, nav_topics, planned_digest, render_site
from ..outputs.search import SearchUpdate, index_files, update_index
from ..outputs.sitemap import news_expiry
from ..outputs.themes import make_environment, template_digests
from ..outputs.writer import (
    WriteStats,
    claim_output_dir,
    discard_staged,
    file_stats,
    mark_output,
    write_output,
)
from .answers import indexed_cards, showing
from .cache import (
    EMPTY_STATE,
    BodyStore,
    BuildState,
    CacheDamageError,
    damage_warning,
    load_state,
    reusable,
    save_state,
)
from .options import BuildOptions, BuildResult
from .pageindex import IndexedBuild, PageIndex, PagePacker
from .quick import Warm, rebuild_from_index, rebuild_warm
from .stages import (
    Content,
    Setting,
    document_settings,
    for_output,
    forget_charts,
    load_content,
    nothing_changed,
    prepare,
)
from .store import discard_cache
from .timing import collector_paused, ticker, timed

log = logging.getLogger(__name__)


def build(options: BuildOptions, state: BuildState | None = None,
          changed: frozenset[str] | None = None, warm: Warm | None = None) -> BuildResult:
    """Build the site; `state` (else the cache on disk) lets unchanged work be skipped.

    With any error nothing is written and the previous output stays as it was; with `keep_going`
    (watch mode) a broken explainer keeps its last good page and everything else is built.
    `changed` and `warm` (watch mode) name the only files changed since `state` and what the last build
    left warm (its result's `warm`): when they are explainers whose bodies alone changed, the quick path
    (the one `nutgraf build` takes from the page index) re-renders just their pages and feeds, without
    reading the settings, the theme or the source tree again.
    A cache found damaged on the way is discarded, with a warning, and the build starts again clean.
    """
    started = time.perf_counter()
    try:
        return _build(options, state, changed, warm, started)
    except CacheDamageError as damage:
        discard_cache(damage.path.parent)
        result = _build(options, None, None, None, started)
        return replace(result, diagnostics=(damage_warning(damage, options.source), *result.diagnostics),
                       seconds=time.perf_counter() - started)


def _build(options: BuildOptions, state: BuildState | None, changed: frozenset[str] | None,
           warm: Warm | None, started: float) -> BuildResult:
    """The stages in order, each left out when the quick path or an error makes it needless."""
    if changed and state is not None and warm is not None:
        quick = rebuild_warm(options, warm, state, changed, started)
        if quick is not None:
            return quick
    found: list[Diagnostic] = []
    with timed("settings, theme and sources"):
        setting = prepare(options, state, found)
    if setting is None:
        return BuildResult(tuple(found))
    refused = has_errors(found)  # a refused file (a link out of content/) leaves the stamps as they were
    if not options.keep_going and not refused and nothing_changed(setting):  # watch mode needs the site in memory
        return _nothing_to_do(setting, state, started)
    if state is None and not options.keep_going and not refused:  # `nutgraf build`: maybe only bodies changed
        quick = rebuild_from_index(options, setting, started)
        if quick is not None:
            return quick
    if state is None:  # something changed: now the whole state is worth loading
        with timed("cache loaded"):
            setting = replace(setting, previous=for_output(load_state(setting.cache_dir), setting.out))
    store = BodyStore(setting.cache_dir)
    content = load_content(setting, options, store, found)
    good = _good_records(setting.previous.good, content.records)
    fatal = [d for d in found if has_errors([d]) and not (options.keep_going and _is_content(d, content))]
    pages = None if fatal else _render(setting, options, content, store)
    if pages is not None:
        found += pages.rendered.diagnostics
        fatal += pages.rendered.diagnostics
    if fatal:
        return _failed(setting, content, good, pages, store, tuple(found), started)
    written = _write(setting, options, content, pages, store)
    found += written.search.diagnostics
    mark_output(setting.out, setting.mode)  # every file is written: the marker may now say what they are
    store.keep_only(r.body.digest for r in (*content.records.values(), *good.values()) if r.body is not None)
    forget_charts(setting.cache_dir, (*content.records.values(), *good.values()))
    store.close()
    new_state, warm = _save(setting, options, content, good, pages, written, tuple(found))
    stats, search, staged, entries = written.stats, written.search, pages.rendered.staged, content.entries
    return BuildResult(tuple(found), len(content.site.explainers), len(entries),
                       stats.written + search.written + len(staged),
                       stats.unchanged + search.unchanged + len(entries) - len(staged), stats.removed + search.removed,
                       time.perf_counter() - started, content.site.next_scheduled, setting.out, content.parsed,
                       pages.rendered.rendered, new_state, search_pending=search.pending, warm=warm)


def _nothing_to_do(setting: Setting, state: BuildState | None, started: float) -> BuildResult:
    """The result of a build that found nothing changed: the last build's, read from its state."""
    log.debug("nothing changed since the last build")
    previous = setting.previous
    return BuildResult(previous.diagnostics, previous.explainers, previous.page_count or len(previous.pages),
                       unchanged=len(previous.outputs), output=setting.out,
                       state=previous if state is not None else EMPTY_STATE,
                       seconds=time.perf_counter() - started, next_scheduled=previous.valid_until)


@dataclass(frozen=True, slots=True)
class _Pages:
    """The pages rendered and staged beside their targets, and what they were rendered with."""

    rendered: Rendered
    env: object  # the theme's jinja2 environment
    templates: Mapping[str, str]  # template digests
    shared: str  # what page digests call shared (digest_shared)
    nav: tuple
    fresh: bool  # the output folder was new or empty
    packer: PagePacker | None  # packs explainer pages for the page index (None without a cache)


def _render(setting: Setting, options: BuildOptions, content: Content, store: BodyStore) -> _Pages:
    """Render the pages whose inputs changed since the last build, staged and not yet committed."""
    config, previous, out, site, plan = setting.config, setting.previous, setting.out, content.site, content.plan
    env = make_environment(setting.theme, config, setting.mode.preview)
    blocks = {name for e in site.explainers for name in e.block_templates}  # rendered into bodies
    blocks |= {name for p in plan.pages for name in p.context.get("block_templates", ())}  # and cards
    templates = template_digests(env, plan.templates() | blocks)
    shared = f"{setting.theme.strings!r}|{setting.theme.static_names!r}|{config!r}|{setting.mode!r}"
    nav = nav_topics(site)
    work = SitePages(plan.deferred, plan.deferred_page, plan.pages, digest_shared(shared, site), templates,
                     lambda output, digest: reusable(out, digest, previous.pages.get(output), (output,),
                                                     previous.outputs), content.answers)
    fresh = claim_output_dir(out, setting.mode)
    packer = None
    if setting.cache_dir is not None:  # explainer pages are packed for the page index as they are planned
        known, stored = _forget_index(setting.cache_dir)
        packer = PagePacker(CardDigests(), known, stored, setting.cache_dir)
    with timed(f"{len(work)} pages planned"):
        rendered = render_site(work, nav, lambda: make_environment(setting.theme, config, setting.mode.preview),
                               store,
                               out, setting.jobs, ticker(options, "Rendering", len(work)),
                               packer.store if packer else None)
    log.debug("%d of them rendered, the others unchanged since the last build", rendered.rendered)
    return _Pages(rendered, env, templates, work.shared, nav, fresh, packer)


def _failed(setting: Setting, content: Content, good: Mapping, pages: _Pages | None, store: BodyStore,
            found: tuple[Diagnostic, ...], started: float) -> BuildResult:
    """Nothing written: the parsing work is kept, and the output with what describes it stays as it was."""
    previous = setting.previous
    kept = BuildState(document_settings(setting.config), content.records, content.images, str(setting.out),
                      previous.pages, previous.outputs, good=good)
    discard_staged(pages.rendered.staged if pages else {})
    save_state(setting.cache_dir, kept)
    store.close()
    return BuildResult(found, len(content.site.explainers), len(content.entries), parsed=content.parsed, state=kept,
                       seconds=time.perf_counter() - started)


@dataclass(frozen=True, slots=True)
class _Written:
    published: Published  # feeds, sitemaps, robots.txt
    hosting: dict  # _headers, _redirects and the theme's assets
    stats: WriteStats
    search: SearchUpdate


def _write(setting: Setting, options: BuildOptions, content: Content, pages: _Pages, store: BodyStore) -> _Written:
    """Make the files beside the pages and write them with the staged pages, all or none; then the search index."""
    config, previous, out, site, entries = setting.config, setting.previous, setting.out, content.site, content.entries
    page_files = [p.output for p in entries]
    with timed("feeds, sitemaps and files"):
        published = publish_files(site, entries, content.feeds, config,
                                  fill_for_feeds(pages.env, site.explainers, store.get, content.answers), setting.now,
                                  unchanged=lambda atom, digest: reusable(
                                      out, digest, previous.feeds.get(atom), feed_paths(atom), previous.outputs),
                                  salt=setting.theme.digest, answers=answer_digests(content.answers))
        # _headers, _redirects and the minified, fingerprinted theme assets
        hosting = hosting_files(config, entries, content.plan.redirects(), [*published.files, *published.kept],
                                setting.theme.static_names, used_frame_hosts(site.explainers, content.plan.pages))
        hosting |= setting.theme.static_data
        stats = write_output(out, published.files | hosting, content.copies,
                             keep=[*page_files, *published.kept, *index_files(out)], fresh=pages.fresh,
                             staged=pages.rendered.staged)  # the pages are committed with the rest: all or none
    pages_changed = bool(pages.rendered.staged) or set(page_files) != set(previous.pages)
    with timed("search index"):
        search = update_index(out, config.search, pages_changed=pages_changed, outputs=previous.outputs,
                              defer=options.defer_search, cache=setting.cache_dir, pages=page_files)
    return _Written(published, hosting, stats, search)


def _save(setting: Setting, options: BuildOptions, content: Content, good: Mapping, pages: _Pages,
          written: _Written, found: tuple[Diagnostic, ...]) -> tuple[BuildState, Warm | None]:
    """The state of this build, saved with the page index; in watch mode, with what keeps the engine warm."""
    previous, out, site, published = setting.previous, setting.out, content.site, written.published
    # Feeds and sitemaps change with the clock too: the news sitemap drops explainers older than two days.
    valid_until = min((t for t in (site.next_scheduled, news_expiry(site, setting.now)) if t), default=None)
    new_state = BuildState(document_settings(setting.config), content.records, content.images, str(out),
                           pages.rendered.digests,
                           file_stats(out, [*(p.output for p in content.entries), *published.files, *published.kept,
                                            *written.hosting, *content.copies, *written.search.recorded]),
                           "" if has_errors(written.search.diagnostics) else setting.stamp, valid_until,
                           found, len(site.explainers), good, published.feeds,
                           records=previous.records if _same_records(previous, content, good) else "")
    sizes = content.photos.pictures if content.photos is not None else {}
    warm = None
    if pages.packer is not None:
        with timed("page index saved"), collector_paused():
            indexed = _save_index(setting, new_state, content, pages, published.feeds, sizes, found)
        if options.keep_going and not has_errors(found):  # watch mode: a body edit next takes the quick path
            warm = Warm(replace(setting, previous=EMPTY_STATE), pages.env, new_state.input_stamp, indexed)
    with timed("cache saved"), collector_paused():
        save_state(setting.cache_dir, new_state)
    return new_state, warm


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


def _save_index(setting: Setting, state: BuildState, content: Content, pages: _Pages,
                feed_digests: Mapping[str, str], pictures: Mapping, found: tuple[Diagnostic, ...]) -> IndexedBuild:
    """Say that the page index describes this build, for the quick path: the render workers stored the rows
    of the explainer pages it lacked, the question cards' pages are stored here; rows and cards of no page now
    are dropped."""
    index = PageIndex(setting.cache_dir)
    try:
        records = content.records
        # The entries start with the explainer pages', in site order.
        shown = {e.source: entry.output for e, entry in zip(content.plan.explainers, content.entries, strict=False)}
        indexed = IndexedBuild(
            setting.settings,
            {rel: (r.size, r.mtime_ns, "" if has_errors(r.diagnostics) else r.shape) for rel, r in records.items()},
            {rel: r.diagnostics for rel, r in records.items() if r.diagnostics},
            shown, pages.nav, tuple(content.feeds), dict(feed_digests), dict(pictures), pages.shared,
            dict(pages.templates), indexed_cards(setting.tree.cards, content.cards, content.answers, found),
            dict(content.answers),
            showing(content.site.explainers, shown))
        card_pages = [page for page in content.plan.pages if "card" in page.context]
        rows, fresh = pages.packer.pack_all((page, planned_digest(page, pages.packer.cards)) for page in card_pages)
        index.save(state.input_stamp, indexed, rows, fresh, keep=[*shown.values(), *(
                   p.output for p in card_pages)], keep_cards={*pages.rendered.cards, *fresh})
        return indexed
    finally:
        index.close()


def _same_records(previous: BuildState, content: Content, good: Mapping) -> bool:
    """Nothing was parsed and no file came or went: the records are the previous state's, unchanged."""
    return (content.parsed == 0 and content.records.keys() == previous.documents.keys()
            and good.keys() == previous.good.keys() and all(r is previous.good[k] for k, r in good.items()))


def _good_records(before: Mapping, records: Mapping) -> dict:
    """The last error-free record of each file that still exists."""
    return {rel: (r if not has_errors(r.diagnostics) else before[rel])
            for rel, r in records.items() if not has_errors(r.diagnostics) or rel in before}


def _is_content(diagnostic: Diagnostic, content: Content) -> bool:
    """An error in one explainer file, which watch mode builds around."""
    return diagnostic.path.startswith("content/") and diagnostic.path.removeprefix("content/") in content.records
