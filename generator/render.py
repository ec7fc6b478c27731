"""Render: pages whose inputs changed, through the theme's templates, staged beside their targets."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import __version__
from .blocks import BlockPage, fill_blocks
from .cache import BodyStore
from .diagnostics import Diagnostic
from .editions import busiest_topics
from .minify import minify_page
from .model import Explainer, Site, Topic
from .output import stage_file
from .routes import Page
from .themes import template_error
from .workers import map_chunks

NAV_TOPICS = 6


# Worker side: stores the page index rows of a chunk's rendered explainer pages (pageindex.PagePacker.store).
Pack = Callable[[Sequence[Page]], None]


@dataclass(frozen=True, slots=True)
class Rendered:
    staged: Mapping[str, Path]  # output file -> temporary file with its new bytes
    diagnostics: tuple[Diagnostic, ...]


def nav_topics(site: Site) -> tuple[Topic, ...]:
    """The busiest topics, for the header navigation."""
    return busiest_topics(site, NAV_TOPICS)  # pages that carry their edition's own get that instead


class CardDigests(dict):
    """Digests of explainers as lists show them: everything but the body (and what its text marks and uses:
    glossary entries, block templates), which only its own page has. Made on first use, by slug, so that
    digesting a few pages never pays for the whole site."""

    def of(self, e: Explainer) -> str:
        digest = self.get(e.slug)
        if digest is None:
            card = replace(e, body_digest="", glossary=(), block_templates=())
            digest = self[e.slug] = hashlib.blake2b(repr(card).encode(), digest_size=16).hexdigest()
        return digest


def _value_key(value, cards: CardDigests) -> str:
    if isinstance(value, Explainer):
        return cards.of(value)
    if isinstance(value, tuple):
        return "(" + ",".join(_value_key(v, cards) for v in value) + ")"
    return repr(value)


def planned_digest(page: Page, cards: CardDigests) -> str:
    """A digest of the page as planned: its template's name, its info and its values. Equal digests mean
    the same Page, whatever the templates and settings it is rendered with."""
    parts = [page.template, repr(page.info)]
    parts += [f"{k}={_value_key(v, cards)}" for k, v in page.context.items()]
    if "explainer" in page.context:  # the one page that shows the body, its glossary and its blocks
        explainer = page.context["explainer"]
        parts += [explainer.body_digest, repr(explainer.glossary), *explainer.block_templates]
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()


def page_digests(pages: Sequence[Page], site: Site, shared: str, templates: Mapping[str, str],
                 cards: CardDigests | None = None, planned: dict[str, str] | None = None) -> dict[str, str]:
    """A digest of everything each page is made from: `shared` covers settings and UI strings,
    `templates` gives each template's digest with what it extends and includes; `cards` keeps the card
    digests made on the way, and `planned` each page's planned_digest."""
    cards = CardDigests() if cards is None else cards
    shared = f"{__version__}|{shared}|{nav_topics(site)!r}"
    digests = {}
    for page in pages:
        plan = planned_digest(page, cards)
        if planned is not None:
            planned[page.output] = plan
        parts = [shared, plan, templates[page.template]]
        if "explainer" in page.context:
            parts += [templates[name] for name in page.context["explainer"].block_templates]
        digests[page.output] = hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()
    return digests


def render_page(env: jinja2.Environment, page: Page, nav: tuple[Topic, ...], store: BodyStore) -> bytes:
    """One page's HTML; raises jinja2.TemplateError on a template mistake."""
    context = {"nav_topics": nav, "page": page.info, **page.context}
    if "explainer" in context:
        explainer = context["explainer"]
        body = fill_blocks(env, store.get(explainer.body_digest), BlockPage(page.info.lang, page.info.dir),
                           explainer.glossary)
        context["body"] = Markup(body)  # trusted Markdown
    html = env.get_template(page.template).render(context)
    return (minify_page(html) if env.globals["site"].minify_html else html).encode("utf-8")


def _render_chunk(context, indexes: Sequence[int]) -> list:
    """Worker side: render and stage pages (and pack explainer pages); a failing template is reported once
    per chunk."""
    env, pages, nav, store, out, pack = context
    results, failed, shown = [], set(), []
    for index in indexes:
        page = pages[index]
        if page.template in failed:
            continue
        try:
            html = render_page(env, page, nav, store)
        except jinja2.TemplateError as exc:
            failed.add(page.template)
            results.append((page.output, None, template_error(exc)))
            continue
        if "explainer" in page.context:
            shown.append(page)
        results.append((page.output, stage_file(out, page.output, html), None))
    if pack is not None and shown:
        pack(shown)
    return results


def render_pages(pages: Sequence[Page], nav: tuple[Topic, ...], make_env: Callable[[], jinja2.Environment],
                 store: BodyStore, out: Path, jobs: int,
                 progress: Callable[[int], None] | None = None, pack: Pack | None = None) -> Rendered:
    """Render `pages` across workers; each new file waits beside its target until the build commits."""
    store.close()  # SQLite connections must not cross a fork; each worker opens its own

    def setup():
        return make_env(), pages, nav, store, out, pack

    results = map_chunks(_render_chunk, range(len(pages)), jobs=jobs, setup=setup, progress=progress)
    staged = {rel: temp for rel, temp, _ in results if temp is not None}
    found = {d.format(): d for _, _, d in results if d is not None}  # one per template, not per worker
    return Rendered(staged, tuple(found.values()))
