"""The quick paths for saves that change only explainer bodies: watch mode's, from the site the last build left
in memory (rebuild_bodies), and `nutgraf build`'s, from the pages and feeds the page index holds
(rebuild_from_index). Both parse the changed files, check that only their bodies changed, and re-render just
the pages and feeds that show them; anything more is left to the full build."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from types import MappingProxyType

from ..diagnostics import Diagnostic, has_errors
from ..markup.body import Markdowns
from ..markup.glossary import load_glossary
from ..outputs.blockfill import fill_for_feeds
from ..outputs.feeds import FeedPlan, feed_files, feed_paths, plan_feeds
from ..outputs.render import CardDigests, nav_topics, page_digests, planned_digest, render_pages
from ..outputs.search import INDEX_DIR as SEARCH_DIR
from ..outputs.search import update_index
from ..outputs.themes import make_environment
from ..outputs.writer import commit_staged, discard_staged, file_stats, write_files
from ..site.cards import CardInputs, card_pages, card_users
from ..site.model import Site, swap_explainers
from ..site.routes import ExplainerPages
from ..sources.cards import unchanged_cards
from ..sources.config import SiteConfig
from ..sources.tree import SourceFile
from .cache import BodyStore, BuildState, DocumentRecord, output_intact, outputs_intact, save_stamp
from .documents import load_documents, parse_file
from .options import BuildOptions, BuildResult
from .pageindex import PageIndex, PagePacker
from .stages import Setting, input_stamp

QUICK_MAX_FILES = 16  # `nutgraf build` with more explainers changed than this: the full build's workers win


@dataclass(frozen=True, slots=True)
class Live:
    """What an error-free build was made of, kept in memory by watch mode (BuildState.live) so that a save
    that changes only explainer bodies re-renders their pages and feeds without planning the site again."""

    setting: Setting
    site: Site
    explainer_pages: ExplainerPages  # plans an explainer's page as the full build did
    pages: int  # how many the site has
    env: object  # the theme's jinja2 environment
    templates: Mapping[str, str]  # template digests
    shared: str  # what page_digests calls shared
    sizes: Mapping  # images.Picture of every image under content/


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
    cards = unchanged_cards(cards_from, config) if cards_from else {}
    if cards is None:
        return None
    parsed = [(source, *parse_file(source, config, md, pictures, cards)) for source in sources]
    return _same_shapes(parsed, shape_before)


def _same_shapes(parsed: Sequence[tuple[SourceFile, DocumentRecord, str]],
                 shape_before: Callable[[str], str]) -> list[_BodyEdit] | None:
    """The parsed files as edits, if each is error-free and has the shape it had before; else None."""
    edits = []
    for source, record, html in parsed:  # too big or unreadable: an error record
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


def _rewrite_bodies(options: BuildOptions, setting: Setting, env, nav: tuple, edits: list[_BodyEdit],
                    pages: list, feeds: Sequence[FeedPlan], feeds_before: Mapping[str, str],
                    outputs: Mapping[str, tuple[int, int]], now: dt.datetime) -> _Rewritten | None:
    """The quick paths' writing: store the new bodies, render `pages` (those that show them) and the feeds
    whose inputs changed, write what changed and refresh search. None: a template failed, nothing written."""
    out, config = setting.out, setting.config
    store = BodyStore(setting.cache_dir)
    try:
        store.put_many((edit.record.body.digest, edit.html) for edit in edits if edit.html)  # else stored by a worker
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
    """The quick path of watch mode, for saves that changed only the bodies of explainers, or only the answers
    of cards: parse those files (or the explainers that show those cards), render their pages and the feeds
    that carry them, and write those files first-hand, from the site the last build left in memory.
    None: the change is more than that."""
    live: Live = state.live
    setting = live.setting
    now = options.now or dt.datetime.now(dt.UTC)
    if setting.cache_dir is None or (state.valid_until is not None and now >= state.valid_until):
        return None
    cards = _changed_cards(setting, changed)
    if cards is not None:
        return rebuild_card_answers(options, state, cards, now, started)
    sources = _changed_sources(live, state, changed)
    if sources is None:
        return None
    if not sources:  # only echoes of saves already built
        return _nothing_to_do(state, started)
    edits = _parse_edits(sources, setting.config, live.sizes, lambda rel: _good_shape(state.documents.get(rel)),
                         setting.tree.cards)
    if edits is None:
        return None
    return _apply_edits(options, state, edits, setting.tree, now, started)


def _nothing_to_do(state: BuildState, started: float) -> BuildResult:
    live: Live = state.live
    return BuildResult(state.diagnostics, len(live.site.explainers), live.pages, unchanged=len(state.outputs),
                       seconds=time.perf_counter() - started, output=live.setting.out,
                       next_scheduled=live.site.next_scheduled, state=state, quick=True)


def _changed_cards(setting: Setting, changed: frozenset[str]) -> tuple[tuple[SourceFile, ...], list[str]] | None:
    """When every changed path is a card file the last build read: the card files with their stat keys now,
    and the ids of those that moved; else None."""
    content_dir = setting.config.content_dir.resolve()
    known = {item.path.resolve(): item for item in setting.tree.cards}
    files, ids = {item.rel: item for item in setting.tree.cards}, []
    for name in sorted(changed):
        item = known.get(Path(name).resolve())
        if item is None or not Path(name).resolve().is_relative_to(content_dir):
            return None
        try:
            stat = item.path.stat()
        except OSError:
            return None
        if (stat.st_size, stat.st_mtime_ns) != (item.size, item.mtime_ns):  # else an echo of a save already built
            files[item.rel] = SourceFile(item.path, item.rel, stat.st_size, stat.st_mtime_ns)
            ids.append(PurePosixPath(item.rel).stem)
    return tuple(files.values()), ids


def rebuild_card_answers(options: BuildOptions, state: BuildState, found: tuple[tuple[SourceFile, ...], list[str]],
                         now: dt.datetime, started: float) -> BuildResult | None:
    """Watch mode's quick path for saves that changed only what cards answer (not their questions, dates or
    logs, which explainers' metadata and question indexes show): the explainers that show them parsed again by
    the build's workers, their pages, the cards' pages and the feeds rendered. None: more changed."""
    live: Live = state.live
    setting, config = live.setting, live.setting.config
    files, ids = found
    if not ids:
        return _nothing_to_do(state, started)
    cards = unchanged_cards(files, config)
    if cards is None:
        return None
    users = {rel for rel, record in state.documents.items() if any(c in ids for c, _ in record.cards_used)}
    sources = [s for s in setting.tree.documents if s.rel in users]
    store = BodyStore(setting.cache_dir)
    try:
        loaded = load_documents(sources, config, {}, live.sizes, store, setting.jobs, cards=cards)
    finally:
        store.close()
    edits = _same_shapes([(s, loaded.records[s.rel], "") for s in sources],
                         lambda rel: _good_shape(state.documents.get(rel)))
    if edits is None:
        return None
    glossary, _ = load_glossary(setting.tree.data)

    def card_pages_of(site: Site, documents: Mapping[str, DocumentRecord]) -> list | None:
        shown = card_pages({i: cards[i] for i in ids if i in cards}, card_users(documents, site), config,
                           CardInputs(live.sizes, glossary, site.topics))
        # an image a card shows for the first time is published by a full build (withheld.py)
        return None if shown.diagnostics or shown.images else list(shown.pages)

    tree = replace(setting.tree, cards=files)
    return _apply_edits(options, state, edits, tree, now, started, card_pages_of)


def _apply_edits(options: BuildOptions, state: BuildState, edits: list[_BodyEdit], tree, now: dt.datetime,
                 started: float, more_pages: Callable | None = None) -> BuildResult | None:
    """Swap the edited explainers' bodies into the live site, render their pages (and `more_pages`), the feeds
    that carry them, and write; the build state that follows. None: the edit is more than bodies."""
    live: Live = state.live
    setting, config, out = live.setting, live.setting.config, live.setting.out
    site, swaps, touched = live.site, {}, []
    for edit in edits:
        meta = edit.record.meta
        unpublished = (meta.draft and not options.drafts) or (meta.date > now and not options.future)
        index = site.order.get(meta.slug)
        explainer = site.explainers[index] if index is not None else None
        if unpublished != (explainer is None) or (explainer and explainer.source != meta.source):
            return None
        if explainer is not None:
            swaps[explainer.source] = replace(explainer, body_digest=edit.record.body.digest)
    site = swap_explainers(site, swaps)
    touched = [live.explainer_pages.page(new) for new in swaps.values()]
    documents, good, diagnostics = dict(state.documents), dict(state.good), state.diagnostics
    for edit in edits:
        rel = edit.source.rel
        diagnostics = _replace_diagnostics(diagnostics, documents[rel].diagnostics, edit.record.diagnostics)
        documents[rel] = good[rel] = edit.record
    extra = more_pages(site, documents) if more_pages is not None else []
    if extra is None:
        return None
    touched += extra
    digests = page_digests(touched, site, live.shared, live.templates)
    stale = [p for p in touched if state.pages.get(p.output) != digests[p.output]
             or not output_intact(out, p.output, state.outputs)]
    done = _rewrite_bodies(options, setting, live.env, nav_topics(site), edits, stale, plan_feeds(site, config),
                           state.feeds, state.outputs, now)
    if done is None:
        return None
    positions = {s.rel: i for i, s in enumerate(tree.documents)}
    tree_documents = list(tree.documents)
    for edit in edits:
        tree_documents[positions[edit.source.rel]] = edit.source
    tree = replace(tree, documents=tuple(tree_documents))
    stamp = input_stamp(setting.settings, tree)
    new_state = replace(state, documents=documents, good=good, diagnostics=diagnostics, records="",
                        pages={**state.pages, **{p.output: digests[p.output] for p in stale}},
                        outputs=_outputs_after(out, state.outputs, done), input_stamp=stamp,
                        feeds=done.feed_digests,
                        live=replace(live, setting=replace(setting, tree=tree, stamp=stamp, now=now), site=site))
    return BuildResult(diagnostics, len(site.explainers), live.pages, len(done.staged) + done.stats.written,
                       live.pages - len(done.staged) + done.stats.unchanged, 0, time.perf_counter() - started,
                       site.next_scheduled, out, len(edits), len(stale), new_state,
                       search_pending=done.search.pending, quick=True)


def rebuild_from_index(options: BuildOptions, setting: Setting, started: float) -> BuildResult | None:
    """The quick path of `nutgraf build`, for runs after which only explainer bodies changed: the same work
    as watch mode's, with the pages and feeds the last build planned read from the page index.
    None: more changed than that, or the index does not describe the last build."""
    previous = setting.previous
    if (setting.cache_dir is None or not previous.input_stamp  # no build the index could describe
            or (previous.valid_until is not None and setting.now >= previous.valid_until)):
        return None
    index = PageIndex(setting.cache_dir)
    try:
        return _rebuild_with(options, setting, index, started)
    finally:
        index.close()


def _rebuild_with(options: BuildOptions, setting: Setting, index: PageIndex,
                  started: float) -> BuildResult | None:
    """rebuild_from_index with the page index open: the pages and feeds it holds, re-rendered for the edits."""
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
