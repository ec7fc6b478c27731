"""Check: what an editor needs fixed before publication, found by the build's own stages, writing nothing."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import jinja2

from ..diagnostics import Diagnostic, has_errors
from ..engine.cache import EMPTY_STATE, BodyStore
from ..engine.options import BuildOptions
from ..engine.stages import load_content, prepare  # the build's stages, up to rendering
from ..engine.withheld import FileUse, unused_findings
from ..outputs.render import nav_topics, render_page
from ..outputs.themes import make_environment, template_error
from ..sources.config import SiteConfig
from ..sources.frontmatter import decode_source, parse_document
from .cardcheck import similar_questions, unused_cards
from .checkrules import LINK, RULES, Document, SiteView, author_links, link_target, question_lines


@dataclass(frozen=True, slots=True)
class CheckOptions:
    source: Path
    base_url: str | None = None
    now: dt.datetime | None = None  # what counts as "now" for future dates; default: the clock
    jobs: int = 0  # worker processes; 0: one per core


@dataclass(frozen=True, slots=True)
class CheckResult:
    diagnostics: tuple[Diagnostic, ...]
    explainers: int = 0  # how many were checked, drafts and scheduled ones included

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)




def check_site(options: CheckOptions) -> CheckResult:
    """Every build error and the editor's findings, for every explainer, drafts and scheduled ones included."""
    now = options.now or dt.datetime.now(dt.UTC)
    build = BuildOptions(options.source, drafts=True, future=True, base_url=options.base_url, now=now,
                         use_cache=False, jobs=options.jobs)
    found: list[Diagnostic] = []
    setting = prepare(build, EMPTY_STATE, found)
    if setting is None:
        return CheckResult(tuple(found))
    store = BodyStore(None)
    content = load_content(setting, build, store, found)
    pages = _render(setting.theme, setting.config, content, store, found)
    site = _site(setting, content, store, pages, now)
    for document in site.documents.values():
        for rule in RULES:
            found += rule(document, site)
    found += author_links(site)
    found += similar_questions(content.cards, ((d.meta.source, line, title) for d in site.documents.values()
                                               for line, title, _ in question_lines(d)))
    found += unused_cards(content.cards, content.records.values())
    found += _unused_files(setting, content.use, pages)
    return CheckResult(tuple(found), len(site.documents))


def _unused_files(setting, use: FileUse, pages: Mapping[str, str]) -> list[Diagnostic]:
    """Files under content/ that no explainer uses and no page links to (withheld.py says which are published)."""
    config, assets = setting.config, setting.tree.assets
    candidates = {a.rel for a in assets if a.rel not in use.published and a.rel not in use.unpublished}
    referenced = set()
    for path, page in pages.items() if candidates else ():
        for link in LINK.findall(page):
            target = link_target(link, path, config)
            if target is not None and target[0].lstrip("/") in candidates:
                referenced.add(target[0].lstrip("/"))
    return unused_findings(assets, use, referenced, config.publish_unused)


def _render(theme, config: SiteConfig, content, store: BodyStore, found: list) -> dict[str, str]:
    """Every page rendered in memory, as the build would; template mistakes are reported once each."""
    env = make_environment(theme, config)
    nav = nav_topics(content.site)
    rendered, failed = {}, set()
    for page in content.plan.all_pages():
        if page.template in failed:
            continue
        try:
            rendered[page.path] = render_page(env, page, nav, store).decode("utf-8")
        except jinja2.TemplateError as exc:
            failed.add(page.template)
            found.append(template_error(exc))
    return rendered


def _site(setting, content, store: BodyStore, pages: dict[str, str], now: dt.datetime) -> SiteView:
    by_source = {e.source: e for e in content.site.explainers}
    sources = {item.rel: item for item in setting.tree.documents}
    documents = {}
    for rel, record in content.records.items():
        if record.meta is None or record.body is None:
            continue
        data = sources[rel].path.read_bytes()
        (raw, _), (text, _) = parse_document(data, record.meta.source), decode_source(data, record.meta.source)
        if raw is None or text is None:
            continue
        meta = replace(record.meta, doc=raw.meta)  # with its data, which some checks read
        documents[f"/{meta.slug}/"] = Document(meta, by_source.get(meta.source), text, raw.body_line,
                                               store.get(record.body.digest), not meta.draft and meta.date <= now)
    topics = Counter(slug for d in documents.values() if d.explainer for slug in {t.slug for t in d.explainer.topics})
    files = frozenset(content.copies)
    return SiteView(setting.config, now, documents, pages, files, topics)


# ---------- Rules: each takes one explainer and the site, and returns its findings ----------
