"""Build: the pipeline, stage by stage: config, sources, documents, site, pages, render, write."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from ..diagnostics import Diagnostic, has_errors
from ..outputs.blockfill import fill_for_feeds
from ..outputs.feeds import feed_paths
from ..outputs.hosting import hosting_files
from ..outputs.publish import publish_files
from ..outputs.render import CardDigests, SitePages, digest_shared, nav_topics, render_site
from ..outputs.search import index_files, update_index
from ..outputs.sitemap import news_expiry
from ..outputs.themes import make_environment, template_digests
from ..outputs.writer import claim_output_dir, discard_staged, file_stats, mark_output, write_output
from .cache import (
    EMPTY_STATE,
    BodyStore,
    BuildState,
    CacheDamageError,
    damage_warning,
    discard_cache,
    load_state,
    output_intact,
    save_state,
)
from .options import BuildOptions, BuildResult
from .pageindex import IndexedBuild, PageIndex, PagePacker
from .quick import Live, rebuild_bodies, rebuild_from_index
from .stages import Content, Setting, document_settings, for_output, load_content, nothing_changed, prepare
from .timing import collector_paused, ticker, timed

log = logging.getLogger(__name__)


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
    with timed("settings, theme and sources"):
        setting = prepare(options, state, found)
    if setting is None:
        return BuildResult(tuple(found))
    previous, out = setting.previous, setting.out
    refused = has_errors(found)  # a refused file (a link out of content/) leaves the stamps as they were
    if not options.keep_going and not refused and nothing_changed(setting):  # watch mode needs the site in memory
        log.debug("nothing changed since the last build")
        return BuildResult(previous.diagnostics, previous.explainers, previous.page_count or len(previous.pages),
                           unchanged=len(previous.outputs), output=out,
                           state=previous if state is not None else EMPTY_STATE,
                           seconds=time.perf_counter() - started, next_scheduled=previous.valid_until)
    if state is None and not options.keep_going and not refused:  # `nutgraf build`: maybe only bodies changed
        quick = rebuild_from_index(options, setting, started)
        if quick is not None:
            return quick
    if state is None:  # something changed: now the whole state is worth loading
        with timed("cache loaded"):
            setting = replace(setting, previous=for_output(load_state(setting.cache_dir), out))
        previous = setting.previous
    store = BodyStore(setting.cache_dir)
    content = load_content(setting, options, store, found)
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
        with timed(f"{len(work)} pages planned"):
            rendered = render_site(work, nav, lambda: make_environment(setting.theme, config, setting.mode.preview),
                                   store,
                                   out, setting.jobs, ticker(options, "Rendering", len(work)),
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
    with timed("feeds, sitemaps and files"):
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
    with timed("search index"):
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
        with timed("page index saved"), collector_paused():
            _save_index(setting, new_state, content, nav, feeds, published.feeds, rendered.cards, sizes)
    if options.keep_going and not has_errors(found):
        new_state = replace(new_state, live=Live(setting, site, plan.explainer_pages, len(entries), env, templates,
                                                   shared, sizes))
    with timed("cache saved"), collector_paused():
        save_state(setting.cache_dir, new_state)
    return BuildResult(tuple(found), len(site.explainers), len(entries), stats.written + search.written
                       + len(rendered.staged), stats.unchanged + search.unchanged + len(entries) - len(rendered.staged),
                       stats.removed + search.removed,
                       time.perf_counter() - started, site.next_scheduled, out, content.parsed, rendered.rendered,
                       new_state, search_pending=search.pending)

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


def _save_index(setting: Setting, state: BuildState, content: Content, nav: tuple, feeds: list,
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
