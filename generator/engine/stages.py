"""The stages up to rendering: settings, theme and sources (prepare), then the parsed documents, images, site
and page plan (load_content); and the stamps that tell whether anything changed since the last build."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..diagnostics import has_errors
from ..markup.blocks.charting.store import ChartStore
from ..markup.blocks.charts import CHARTS_FOLDER
from ..markup.blocks.embeds import poster_names
from ..markup.glossary import load_glossary
from ..outputs.blockfill import Answers
from ..outputs.feeds import FeedPlan, plan_feeds
from ..outputs.imaging import ImageWork, process_images, publish_images
from ..outputs.reserved import check_reserved, site_reserved
from ..outputs.search import INDEX_DIR as SEARCH_DIR
from ..outputs.sharecards import Cards, site_cards
from ..outputs.themes import Theme, load_theme, missing_strings
from ..outputs.writer import OutputMode, check_output_dir, stranger_at_top
from ..site.assemble import assemble_site
from ..site.cards import CardInputs, CardPages, card_pages, card_users, with_card_pages
from ..site.model import Site
from ..site.pages import PageEntry
from ..site.routes import SitePlan, check_collisions, plan_site
from ..site.share import question_pages, with_question_pages
from ..sources.aliases import check_aliases
from ..sources.cards import Card, load_cards
from ..sources.config import SiteConfig, load_config
from ..sources.posters import poster_copies, site_posters
from ..sources.topics import load_topic_names
from ..sources.tree import SourceTree, scan_sources
from ..workers import default_jobs
from .cache import BodyStore, BuildState, cache_version, load_stamp, outputs_intact, parse_key
from .documents import data_files, load_documents
from .options import CACHE_DIR, BuildOptions
from .store import CHARTS_DIR, check_cache_dir, claim_cache_dir, open_cache
from .timing import collector_paused, ticker, timed
from .withheld import FileUse, file_use, withheld_files

log = logging.getLogger(__name__)


def settings_stamp(options: BuildOptions, config: SiteConfig, theme: Theme, tree: SourceTree, out: Path) -> str:
    """A digest of every setting and every input's stat key but those of explainer and card files (their names
    are in): equal stamps mean builds that can differ only by what explainer and card files say."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr((options.drafts, options.future, str(out), config, theme.digest)).encode())
    for source in (*tree.documents, *tree.cards):
        digest.update(f"{source.rel}\n".encode())
    for source in (*tree.assets, *tree.data):
        digest.update(f"{source.rel}|{source.size}|{source.mtime_ns}\n".encode())
    for rel, path in sorted(theme.static_files.items()):
        stat = path.stat()
        digest.update(f"{rel}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def input_stamp(settings: str, tree: SourceTree) -> str:
    """A digest of every input's stat key and every setting: equal stamps mean an identical build."""
    digest = hashlib.blake2b(settings.encode(), digest_size=16)
    for source in (*tree.documents, *tree.cards):
        digest.update(f"{source.rel}|{source.size}|{source.mtime_ns}\n".encode())
    return digest.hexdigest()


def document_settings(config: SiteConfig) -> str:
    """The cache key of parsed documents: the settings that parsing and body rendering read."""
    return parse_key(config.timezone, config.language, config.base_url, config.untrusted_html, config.embed_hosts,
                     config.embed_posters)


@dataclass(frozen=True, slots=True)
class Setting:
    """What every stage after the first needs: settings, theme, folders and the previous state."""

    config: SiteConfig
    theme: Theme
    out: Path
    cache_dir: Path | None
    previous: BuildState
    tree: SourceTree
    settings: str  # settings_stamp
    stamp: str  # input_stamp
    now: dt.datetime
    jobs: int  # worker processes for parsing, images and rendering
    mode: OutputMode = OutputMode()  # a preview (--drafts, --future): every page says so, and is not indexed


@dataclass(frozen=True, slots=True)
class Content:
    """What the site is made of: the parsed records, the images, the assembled site and its planned pages."""

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
    cards: Mapping[str, Card] = field(default_factory=dict)  # question cards by id, as read for this build
    share: Cards | None = None  # share cards (holds their temporary folder, without a cache, until written)
    answers: Answers = field(default_factory=dict)  # question cards by id, their answers rendered


def prepare(options: BuildOptions, state: BuildState | None, found: list) -> Setting | None:
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
        open_cache(cache_dir, cache_version())  # a cache of another version is discarded, with a warning
    # Without a state in memory, the small stamp is enough to tell that nothing changed.
    previous = for_output(state if state is not None else load_stamp(cache_dir), out)
    tree, problems = scan_sources(config.root, config.content_dir)
    found += problems
    settings = settings_stamp(options, config, theme, tree, out)
    return Setting(config, theme, out, cache_dir, previous, tree, settings, input_stamp(settings, tree),
                    options.now or dt.datetime.now(dt.UTC), options.jobs or default_jobs(),
                    OutputMode(options.drafts, options.future))


def for_output(previous: BuildState, out: Path) -> BuildState:
    """The state, forgetting what it says about output files if it describes another output folder."""
    if previous.output != str(out):
        return replace(previous, output=str(out), pages={}, outputs={}, input_stamp="")
    return previous


def nothing_changed(setting: Setting) -> bool:
    """Nothing changed since the last build, no scheduled explainer fell due, nobody touched the output nor
    put anything at its top (such as .git/, which the full build's cleaning removes)."""
    previous = setting.previous
    return (setting.stamp == previous.input_stamp and (previous.valid_until is None
                                                      or setting.now < previous.valid_until)
            and outputs_intact(setting.out, previous.outputs)
            and not stranger_at_top(setting.out, previous.outputs, (SEARCH_DIR,)))


def chart_pictures(records, live: set[str], charts: ChartStore) -> dict[str, Path]:
    """The picture of each chart of a published explainer (feeds show it), by its path in output/."""
    return {f"{CHARTS_FOLDER}/{key}.png": charts.png(key) for record in records
            if record.body is not None and record.meta is not None and record.meta.source in live
            for key in record.body.charts}


def forget_charts(cache_dir: Path | None, records) -> None:
    """Drop from the cache the charts and maps that none of these records draws."""
    if cache_dir is not None:
        drawn = (key for record in records if record.body is not None for key in (*record.body.charts,
                                                                                   *record.body.maps))
        ChartStore(cache_dir / CHARTS_DIR).keep_only(drawn)


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


def _site_and_plan(setting: Setting, options: BuildOptions, used: dict, cards: Mapping, sizes: Mapping,
                   found: list) -> tuple[Site, dict, CardPages, SitePlan, list[PageEntry]]:
    """The site assembled from the records `used` (with --keep-going, broken ones replaced by their last good
    version, again if assembling finds them broken), and every page planned, cards' pages included."""
    config, previous = setting.config, setting.previous
    glossary, problems = load_glossary(setting.tree.data)
    found += problems
    topic_names, problems = load_topic_names(setting.tree.data)
    found += problems
    with timed("site assembled and planned"), collector_paused():
        for attempt in range(2):
            site, problems = assemble_site([(r.meta, r.body) for r in used.values() if r.meta is not None],
                                           config, sizes, drafts=options.drafts, future=options.future,
                                           now=setting.now, glossary=glossary, topic_names=topic_names)
            if not options.keep_going or not has_errors(problems) or attempt:
                break
            used = _stand_ins(used, previous.good, {d.path for d in problems if has_errors([d])})
            found += problems
        found += problems
        shown = card_pages(cards, card_users(used, site), config, CardInputs(sizes, glossary, site.topics))
        found += shown.diagnostics
        plan = with_card_pages(plan_site(site, config), shown.pages)
        plan = with_question_pages(plan, question_pages(site, config))
        entries = plan.entries()
    return site, used, shown, plan, entries


def load_content(setting: Setting, options: BuildOptions, store: BodyStore, found: list) -> Content:
    """Parse what changed, assemble the site and plan its pages."""
    config, previous = setting.config, setting.previous
    with timed("images measured"):
        photos = process_images(setting.tree.assets, previous.images, config.images, setting.cache_dir,
                                setting.jobs, options.progress, untrusted=config.untrusted_html == "sanitize")
    images, sizes = photos.index, photos.pictures
    found += photos.diagnostics
    key = document_settings(config)
    # Without a cache, beside the images' files in the temporary folder that lives as long as the build.
    charts = ChartStore(setting.cache_dir / CHARTS_DIR if setting.cache_dir else photos.store.folder / CHARTS_DIR)
    cards, problems = load_cards(setting.tree.cards, config)
    found += problems
    posters = site_posters(setting.cache_dir, config.embed_posters)
    with timed(f"{len(setting.tree.documents)} explainer files loaded"):
        documents = load_documents(setting.tree.documents, config,
                                   previous.documents if previous.parse_key == key else {}, sizes, store,
                                   setting.jobs,
                                   ticker(options, "Parsing", len(setting.tree.documents)), cards, posters,
                                   data_files(setting.tree.assets, charts))
    log.debug("%d of them parsed, the others taken from the cache", documents.parsed)
    records = dict(documents.records)
    found += dict.fromkeys(d for r in records.values() for d in r.diagnostics)  # a card's, once
    used = _stand_ins(records, previous.good, set()) if options.keep_going else records
    site, used, shown, plan, entries = _site_and_plan(setting, options, used, cards, sizes, found)
    store.close()  # SQLite connections must not cross the fork of the image workers
    live = {e.source for e in site.explainers}
    use = file_use(used.values(), live, config, shown.images)
    with timed("images published"):
        files, problems = publish_images(setting.tree.assets, photos, site, config.images, setting.jobs,
                                         options.progress,
                                         withheld_files(setting.tree.assets, use, config.publish_unused))
    found += problems
    with timed("share cards"):
        share = site_cards(site, plan, config, setting.theme.folders, files, sizes, setting.cache_dir, setting.jobs,
                           options.progress)
    found += share.diagnostics
    copies = files | dict(setting.theme.static_files) | share.files | chart_pictures(used.values(), live, charts)
    copies |= poster_copies(posters, poster_names(key for e in site.explainers for key in e.embeds))
    found += check_collisions(entries, list(copies), {e.path: e.source for e in site.explainers})
    metas = [r.meta for r in used.values() if r.meta is not None and r.meta.source in live]
    found += check_aliases(entries, metas)
    found += missing_strings(setting.theme, config, metas)
    feeds = tuple(plan_feeds(site, config))
    found += check_reserved(site_reserved(config, feeds), [a.rel for a in setting.tree.assets], metas)
    return Content(records, used, images, site, plan, entries, copies, documents.parsed, photos, feeds, use, cards,
                   share, shown.views)

