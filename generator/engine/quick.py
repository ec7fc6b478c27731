"""The quick path, for builds after which only explainer bodies or card answers changed: parse those files
(render those answers), render their pages (and those that show the answers) and the feeds that carry them
from the page index (the pages and feeds the last full build planned), and write those files first-hand.
`nutgraf build` takes it after comparing the source tree with the index; watch mode, with the paths a burst
of saves touched and what the last build left warm. Anything more is left to the full build."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType

from ..diagnostics import Diagnostic, has_errors
from ..markup.blocks.charting.store import ChartStore
from ..markup.body import Markdowns
from ..outputs.blockfill import Answers, answer_digests, fill_for_feeds
from ..outputs.feeds import FeedPlan, feed_files, feed_paths
from ..outputs.render import CardDigests, page_digest, render_pages
from ..outputs.search import INDEX_DIR as SEARCH_DIR
from ..outputs.search import update_index
from ..outputs.themes import make_environment
from ..outputs.writer import commit_staged, discard_staged, file_stats, write_files
from ..sources.cards import unchanged_cards
from ..sources.config import SiteConfig
from ..sources.posters import Posters, site_posters
from ..sources.tree import SourceFile
from .answers import CardEdit, card_edit_pages, cards_after, read_card_edits
from .cache import BodyStore, BuildState, DocumentRecord, load_state, outputs_intact, reusable, save_state
from .documents import NO_DATA, DataFiles, data_files, parse_file
from .options import BuildOptions, BuildResult
from .pageindex import IndexedBuild, PageIndex, PagePacker
from .stages import Setting, input_stamp
from .store import CHARTS_DIR

QUICK_MAX_FILES = 16  # more explainers changed than this: the full build's workers win


@dataclass(frozen=True, slots=True)
class Warm:
    """What watch mode keeps between builds (BuildResult.warm, passed back to build()) so that a body edit
    reads neither the settings, the theme, the source tree nor the page index's description of the build
    again: frozen, and holding no open file, so that the full build's workers may fork beside it."""

    setting: Setting  # settings, theme, folders, the source tree and the settings digest; `previous` empty
    env: object  # the theme's jinja2 environment, its templates compiled
    stamp: str  # the input stamp of the build `indexed` describes
    indexed: IndexedBuild


@dataclass(frozen=True, slots=True)
class _BodyEdit:
    source: SourceFile
    record: DocumentRecord
    html: str


def _parse_edits(sources: list[SourceFile], config: SiteConfig, pictures: Mapping,
                 shape_before: Callable[[str], str], cards_from: Sequence[SourceFile] = (),
                 posters: Posters | None = None, files: DataFiles = NO_DATA) -> list[_BodyEdit] | None:
    """The changed explainer files parsed again, if each is error-free and has the shape it had before (only
    its body text changed); else None."""
    if not sources:
        return []
    md = Markdowns()
    edits = []
    cards = unchanged_cards(cards_from, config) if cards_from else {}
    if cards is None:
        return None
    for source in sources:
        record, html = parse_file(source, config, md, pictures, cards, posters, files)  # too big, unreadable: an error
        before = shape_before(source.rel)
        if has_errors(record.diagnostics) or not before or record.shape != before:
            return None
        edits.append(_BodyEdit(source, record, html))
    return edits


def _chart_files(setting: Setting) -> DataFiles:
    """The data files charts read, as `setting` found them (a save of one is not a body edit: it takes the
    full path), and the chart store."""
    return data_files(setting.tree.assets, ChartStore(setting.cache_dir / CHARTS_DIR))


def _replace_diagnostics(before: tuple[Diagnostic, ...], old: tuple[Diagnostic, ...],
                         new: tuple[Diagnostic, ...]) -> tuple:
    """The build's findings with one file's parse findings swapped for those of its new version."""
    dropped = set(old)
    return (*(d for d in before if d not in dropped), *new)


@dataclass(frozen=True, slots=True)
class _Rewritten:
    staged: Mapping[str, str]  # pages written
    page_stats: Mapping[str, tuple[int, int]]  # their stats, taken once for search and the state
    feeds: Mapping[str, bytes]  # feed files made
    feed_digests: Mapping[str, str]
    stats: object  # output.WriteStats of the feeds
    search: object  # search.SearchUpdate


def _rewrite_bodies(options: BuildOptions, setting: Setting, env, nav: tuple, edits: list[_BodyEdit],
                    pages: list, feeds: Sequence[FeedPlan], feeds_before: Mapping[str, str],
                    outputs: Mapping[str, tuple[int, int]], now: dt.datetime, answers: Answers) -> _Rewritten | None:
    """The quick paths' writing: store the new bodies, render `pages` (those that show them) and the feeds
    whose inputs changed, write what changed and refresh search. None: a template failed, nothing written."""
    out, config = setting.out, setting.config
    store = BodyStore(setting.cache_dir)
    try:
        store.put_many((edit.record.body.digest, edit.html) for edit in edits)
        rendered = render_pages(pages, nav, lambda: env, store, out, 1, None, answers=answers)
        if rendered.diagnostics:
            discard_staged(rendered.staged)
            return None
        commit_staged(out, rendered.staged)  # the pages first: they are what the editor is looking at
        carried = {e.source: e for plan in feeds for e in plan.items}.values()
        files, digests = feed_files(feeds, config, fill_for_feeds(env, carried, store.get, answers), now,
                                    unchanged=lambda atom, digest: reusable(out, digest, feeds_before.get(atom),
                                                                            feed_paths(atom), outputs),
                                    salt=setting.theme.digest, answers=answer_digests(answers))
    finally:
        store.close()
    stats = write_files(out, files)
    page_stats = file_stats(out, list(rendered.staged))
    search = update_index(out, config.search, pages_changed=bool(rendered.staged), outputs=outputs,
                          defer=options.defer_search, cache=setting.cache_dir,
                          pages={**outputs, **page_stats})  # no stat of every page kept as it was
    return _Rewritten(rendered.staged, page_stats, files, digests, stats, search)


def _outputs_after(out: Path, outputs: Mapping[str, tuple[int, int]], done: _Rewritten) -> dict:
    """The output files' stats after a quick path's writes (the search index's own, when it was remade)."""
    if done.search.recorded:
        outputs = {rel: stat for rel, stat in outputs.items() if not rel.startswith(f"{SEARCH_DIR}/")}
    return {**outputs, **done.page_stats, **file_stats(out, [*done.feeds, *done.search.recorded])}




def _may_be_quick(previous: BuildState, setting: Setting) -> bool:
    """The last build is one the page index could describe, and no scheduled explainer fell due since."""
    return (setting.cache_dir is not None and bool(previous.input_stamp)
            and (previous.valid_until is None or setting.now < previous.valid_until))


def rebuild_from_index(options: BuildOptions, setting: Setting, started: float) -> BuildResult | None:
    """The quick path of `nutgraf build`: the edits are the explainer and card files whose stat key differs
    from the page index's, and the state is read from the cache without its records. None: more changed than
    bodies and answers, or the index does not describe the last build."""
    previous, out = setting.previous, setting.out
    if not _may_be_quick(previous, setting):
        return None
    index = PageIndex(setting.cache_dir)
    try:
        indexed = index.load(previous.input_stamp)
        if indexed is None or indexed.settings != setting.settings:
            return None
        sources, cards = _moved(setting.tree.documents, indexed.documents), _moved(setting.tree.cards, indexed.cards)
        if (not sources and not cards or len(sources) + len(cards) > QUICK_MAX_FILES
                or not outputs_intact(out, previous.outputs)):
            return None
        state = load_state(setting.cache_dir, with_records=False)  # the page digests the decision needs
        if state.input_stamp != previous.input_stamp or state.output != str(out) or not state.records:
            return None
        env = make_environment(setting.theme, setting.config, setting.mode.preview)
        return _rebuild(options, replace(setting, previous=state), env, index, indexed, (sources, cards), started)
    finally:
        index.close()


def rebuild_warm(options: BuildOptions, warm: Warm, state: BuildState, changed: frozenset[str],
                 started: float) -> BuildResult | None:
    """The quick path of watch mode: the edits are the explainer files among `changed` whose stat key moved,
    and the card files, and only those are looked at; the state is the one in memory. None: more changed than
    bodies and answers."""
    now = options.now or dt.datetime.now(dt.UTC)
    setting = replace(warm.setting, previous=state, now=now)
    if not warm.stamp or state.input_stamp != warm.stamp or not _may_be_quick(state, setting):
        return None
    found = _changed_sources(setting, warm.indexed, changed)
    if found is None or len(found[0]) + len(found[1]) > QUICK_MAX_FILES:
        return None
    if not found[0] and not found[1]:  # only echoes of saves already built
        return BuildResult(state.diagnostics, state.explainers, state.page_count or len(state.pages),
                           unchanged=len(state.outputs), seconds=time.perf_counter() - started, output=setting.out,
                           next_scheduled=state.valid_until, state=state, quick=True, warm=warm)
    tree = replace(setting.tree, documents=_swapped(setting.tree.documents, found[0]),
                   cards=_swapped(setting.tree.cards, found[1]))
    setting = replace(setting, tree=tree, stamp=input_stamp(setting.settings, tree))
    index = PageIndex(setting.cache_dir)
    try:
        return _rebuild(options, setting, warm.env, index, warm.indexed, found, started)
    finally:
        index.close()


def _moved(files: Sequence[SourceFile], known: Mapping[str, tuple]) -> list[SourceFile]:
    """The files whose stat key differs from the one `known` records for them (a new file's too)."""
    return [s for s in files if known.get(s.rel, (None, None))[:2] != (s.size, s.mtime_ns)]


def _swapped(files: tuple[SourceFile, ...], changed: list[SourceFile]) -> tuple[SourceFile, ...]:
    """`files` with the changed ones' new stat keys."""
    new = {source.rel: source for source in changed}
    return tuple(new.get(source.rel, source) for source in files)


def _changed_sources(setting: Setting, indexed: IndexedBuild,
                     changed: frozenset[str]) -> tuple[list[SourceFile], list[SourceFile]] | None:
    """The explainer files and the card files among `changed` whose stat key moved since the indexed build;
    None when a changed path is anything but an explainer or card file that build read."""
    content_dir = setting.config.content_dir.resolve()
    sources: list[SourceFile] = []
    cards: list[SourceFile] = []
    for name in sorted(changed):
        path = Path(name)
        if not path.is_relative_to(content_dir):
            return None
        rel = path.relative_to(content_dir).as_posix()
        known, into = indexed.documents.get(rel), sources
        if known is None:
            known, into = indexed.cards.get(rel), cards
        try:
            stat = path.stat()
        except OSError:
            return None
        if known is None:
            return None
        if (stat.st_size, stat.st_mtime_ns) != known[:2]:  # else an echo of a save already built
            into.append(SourceFile(path, rel, stat.st_size, stat.st_mtime_ns))
    return sources, cards


def _pages_showing(index: PageIndex, indexed: IndexedBuild, edits: list[_BodyEdit],
                   answered: Sequence[CardEdit] = ()) -> tuple[list, dict] | None:
    """The planned pages of the edited explainers with their new bodies and those that show the edited cards'
    answers, and the explainers as swapped in, by source; None when the index lacks a page."""
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
    showing = card_edit_pages(index, indexed, answered, {page.output for page in pages}) if answered else []
    return None if showing is None else ([*pages, *showing], swapped)


def _rebuild(options: BuildOptions, setting: Setting, env, index: PageIndex, indexed: IndexedBuild,
             sources: tuple[list[SourceFile], list[SourceFile]], started: float) -> BuildResult | None:
    """The quick path with the page index open: parse the edited explainers (render the edited cards' answers),
    re-render each page that shows one when `reusable` says so (as the full build decides), the feeds
    likewise; then record it all."""
    previous, out = setting.previous, setting.out
    edits = _parse_edits(sources[0], setting.config, indexed.pictures,
                         lambda rel: indexed.documents.get(rel, ("",) * 3)[2], setting.tree.cards,
                         site_posters(setting.cache_dir, setting.config.embed_posters), _chart_files(setting))
    answered = read_card_edits(sources[1], setting.config, indexed, setting.tree.data) if sources[1] else []
    showing = _pages_showing(index, indexed, edits, answered) if edits is not None and answered is not None else None
    if showing is None:
        return None
    pages, swapped = showing
    cards, indexed = CardDigests(), cards_after(indexed, answered)
    digests = {page.output: page_digest(page, indexed.shared, indexed.templates, cards, indexed.answers)
               for page in pages}
    stale = [page for page in pages
             if not reusable(out, digests[page.output][1], previous.pages.get(page.output), (page.output,),
                             previous.outputs)]
    feeds = tuple(replace(plan, items=tuple(swapped.get(e.source, e) for e in plan.items))
                  if any(e.source in swapped for e in plan.items) else plan for plan in indexed.feeds)
    done = _rewrite_bodies(options, setting, env, indexed.nav, edits, stale, feeds, indexed.feed_digests,
                           previous.outputs, setting.now, indexed.answers)
    if done is None:
        return None
    new_state, indexed = _recorded(setting, indexed, edits, {p.output: digests[p.output][1] for p in stale},
                                   feeds, done)
    rows, fresh = PagePacker(cards, set(), {}).pack_all((page, digests[page.output][0]) for page in pages)
    warm = None
    if options.keep_going:  # watch mode keeps the description of the build and the state warm: save_warm
        index.put(rows, fresh, forget=True)  # until then the index describes no build: a killed watcher's is stale
        warm = Warm(replace(setting, previous=BuildState()), env, new_state.input_stamp, indexed)
    else:
        index.save(new_state.input_stamp, indexed, rows, fresh)
        save_state(setting.cache_dir, new_state)
    written = len(done.staged) + done.stats.written + done.search.written  # the search index's files too
    return BuildResult((*new_state.diagnostics, *done.search.diagnostics), previous.explainers,
                       previous.page_count or len(previous.pages), written,
                       len(new_state.outputs) - written,
                       done.stats.removed + done.search.removed,
                       time.perf_counter() - started, previous.valid_until, out, len(edits), len(stale), new_state,
                       search_pending=done.search.pending, quick=True, warm=warm)


def save_warm(state: BuildState, warm: Warm) -> None:
    """Save what watch mode's quick builds kept in memory: the page index's description of the last build,
    then the state, in the order the full build saves them."""
    index = PageIndex(warm.setting.cache_dir)
    try:
        index.save(state.input_stamp, warm.indexed, {}, {})
    finally:
        index.close()
    save_state(warm.setting.cache_dir, state)


def _recorded(setting: Setting, indexed: IndexedBuild, edits: list[_BodyEdit], rendered: Mapping[str, str],
              feeds: tuple[FeedPlan, ...], done: _Rewritten) -> tuple[BuildState, IndexedBuild]:
    """The state and the indexed build after the quick path: the edits' records and findings, the digests of
    the pages it rendered, the stats of the files it wrote. A state read without its records (`nutgraf
    build`) keeps them on disk; the full build parses the edited files again."""
    previous = setting.previous
    documents, findings, diagnostics = dict(indexed.documents), dict(indexed.findings), previous.diagnostics
    records, good = dict(previous.documents), dict(previous.good)
    for edit in edits:
        rel, record = edit.source.rel, edit.record
        diagnostics = _replace_diagnostics(diagnostics, findings.pop(rel, ()), record.diagnostics)
        if record.diagnostics:
            findings[rel] = record.diagnostics
        documents[rel] = (record.size, record.mtime_ns, record.shape)
        if rel in records:
            records[rel] = good[rel] = record
    new_state = replace(previous, input_stamp="" if has_errors(done.search.diagnostics) else setting.stamp,
                        diagnostics=diagnostics, outputs=_outputs_after(setting.out, previous.outputs, done),
                        pages={**previous.pages, **rendered}, feeds=done.feed_digests, documents=records, good=good,
                        records="" if previous.documents else previous.records)
    return new_state, replace(indexed, documents=documents, findings=findings, feeds=feeds,
                              feed_digests=done.feed_digests)
