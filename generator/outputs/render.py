"""Render: pages whose inputs changed, through the theme's templates, staged beside their targets."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

import jinja2
from markupsafe import Markup

from .. import __version__
from ..diagnostics import Diagnostic
from ..site.editions import busiest_topics
from ..site.model import Explainer, Site, Topic
from ..site.pages import Page
from ..workers import map_chunks
from .blockfill import NO_ANSWERS, Answers, BlockPage, fill_blocks, fill_body, shown_answers
from .minify import minify_page
from .themes import template_error
from .writer import discard_temporaries, stage_file

NAV_TOPICS = 6


class BodySource(Protocol):
    """Where rendered bodies are fetched by digest (the build's body store); closed before workers fork."""

    def get(self, digest: str) -> str: ...

    def close(self) -> None: ...


# Worker side: stores the page index rows of a chunk's explainer pages, each with its planned digest
# (pageindex.PagePacker.store).
Pack = Callable[[Sequence[tuple[Page, str]]], None]


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
            card = replace(e, body_digest="", glossary=(), block_templates=(), cards=())
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


def digest_shared(shared: str, site: Site) -> str:
    """What every page's digest covers besides the page: nutgraf's version, `shared` (settings and UI
    strings) and the header's topics."""
    return f"{__version__}|{shared}|{nav_topics(site)!r}"


def page_digest(page: Page, shared: str, templates: Mapping[str, str], cards: CardDigests,
                answers: Answers = NO_ANSWERS) -> tuple[str, str]:
    """The page's planned digest and the digest of everything it is made from: `shared` (digest_shared),
    `templates` gives each template's digest with what it extends and includes, `answers` the question cards
    whose answers an explainer's page fills in."""
    plan = planned_digest(page, cards)
    parts = [shared, plan, templates[page.template]]
    if "explainer" in page.context:
        parts += [templates[name] for name in page.context["explainer"].block_templates]
        for view in shown_answers(page.context["explainer"], answers):
            parts += [view.digest, *(templates[name] for name in view.block_templates)]
    parts += [templates[name] for name in page.context.get("block_templates", ())]  # a card's answer's
    return plan, hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()


def page_digests(pages: Sequence[Page], site: Site, shared: str, templates: Mapping[str, str]) -> dict[str, str]:
    """page_digest of each page, by output file."""
    shared, cards = digest_shared(shared, site), CardDigests()
    return {page.output: page_digest(page, shared, templates, cards)[1] for page in pages}


def render_page(env: jinja2.Environment, page: Page, nav: tuple[Topic, ...], store: BodySource,
                answers: Answers = NO_ANSWERS) -> bytes:
    """One page's HTML, an explainer's with the answers of the cards it shows; raises jinja2.TemplateError on a
    template mistake."""
    # `site` with the title, description and publisher of the page's language (site.yaml's `languages:`)
    context = {"site": env.globals["site_in"](page.info.lang), "nav_topics": nav, "page": page.info, **page.context}
    if "explainer" in context:
        explainer = context["explainer"]
        body = fill_body(env, store.get(explainer.body_digest), BlockPage(page.info.lang, page.info.dir),
                         explainer.glossary, shown_answers(explainer, answers))
        context["body"] = Markup(body)  # trusted Markdown
    elif "card" in context:  # a card's page: its answer
        card = context["card"]
        context["body"] = Markup(fill_blocks(env, card.answer, BlockPage(page.info.lang, page.info.dir), card.glossary))
    html = env.get_template(page.template).render(context)
    return (minify_page(html) if env.globals["site"].minify_html else html).encode("utf-8")


@dataclass(frozen=True, slots=True)
class SitePages:
    """The pages of a full build, for the render workers to plan (explainer and list pages), digest, and
    render when their digest differs from the last build's or their file was touched. Made before the
    workers fork."""

    deferred: int  # pages `plan` makes: plan(0) ... plan(deferred - 1)
    plan: Callable[[int], Page]
    pages: Sequence[Page]  # the other pages, planned
    shared: str  # digest_shared
    templates: Mapping[str, str]  # template digests
    unchanged: Callable[[str, str], bool]  # (output, digest): the last build wrote this, and it is intact
    answers: Answers = field(default_factory=dict)  # the question cards explainers' pages show, by id

    def __len__(self) -> int:
        return self.deferred + len(self.pages)

    def page(self, index: int) -> Page:
        return self.plan(index) if index < self.deferred else self.pages[index - self.deferred]


@dataclass(frozen=True, slots=True)
class _Chunk:
    """What a worker did with a chunk: (output, digest or "", staged file or None, rendered?) per page, the
    template errors, and the card digests its pages used that its earlier chunks did not (the page index
    keeps those cards)."""

    pages: list
    diagnostics: list
    cards: frozenset


def _render_chunk(context, indexes: Sequence[int]) -> list[_Chunk]:
    """Worker side: plan, digest, render and stage pages (and pack explainer pages); a failing template is
    reported once per chunk."""
    env, work, nav, store, out, pack, cards = context
    known = len(cards)
    pages, found, failed, shown = [], [], set(), []
    for index in indexes:
        page = work.page(index)
        planned, digest = (page_digest(page, work.shared, work.templates, cards, work.answers) if work.templates
                           else ("", ""))
        if "explainer" in page.context:
            shown.append((page, planned))
        if digest and work.unchanged(page.output, digest):
            pages.append((page.output, digest, None, False))
            continue
        if page.template in failed:
            continue
        try:
            html = render_page(env, page, nav, store, work.answers)
        except jinja2.TemplateError as exc:
            failed.add(page.template)
            found.append(template_error(exc))
            continue
        pages.append((page.output, digest, stage_file(out, page.output, html), True))
    if pack is not None and shown:
        pack(shown)
    return [_Chunk(pages, found, frozenset(list(cards.values())[known:]))]  # the cards new to this worker


@dataclass(frozen=True, slots=True)
class Rendered:
    staged: Mapping[str, str]  # output file -> path of the temporary file with its new bytes
    diagnostics: tuple[Diagnostic, ...]
    digests: Mapping[str, str] = field(default_factory=dict)  # render_site: every page's digest
    rendered: int = 0  # pages rendered (the others were as the last build made them)
    cards: frozenset = frozenset()  # render_site: the card digests of every explainer a page lists


def _render(work: SitePages, nav: tuple[Topic, ...], make_env: Callable[[], jinja2.Environment], store: BodySource,
            out: Path, jobs: int, progress: Callable[[int], None] | None, pack: Pack | None) -> Rendered:
    store.close()  # SQLite connections must not cross a fork; each worker opens its own

    def setup():  # a worker's card digests serve all its chunks: the same explainers are listed again and again
        return make_env(), work, nav, store, out, pack, CardDigests()

    try:
        chunks = map_chunks(_render_chunk, range(len(work)), jobs=jobs, setup=setup, progress=progress)
    except BaseException:
        discard_temporaries(out)  # what the workers staged before one failed (a full disk) is known by name only
        raise
    staged, digests, rendered, cards = {}, {}, 0, set()
    for chunk in chunks:
        for output, digest, temp, made in chunk.pages:
            digests[output] = digest
            rendered += made
            if temp is not None:
                staged[output] = temp
        cards |= chunk.cards
    found = {d.format(): d for chunk in chunks for d in chunk.diagnostics}  # one per template, not per worker
    return Rendered(staged, tuple(found.values()), digests, rendered, frozenset(cards))


def render_site(work: SitePages, nav: tuple[Topic, ...], make_env: Callable[[], jinja2.Environment],
                store: BodySource, out: Path, jobs: int, progress: Callable[[int], None] | None = None,
                pack: Pack | None = None) -> Rendered:
    """Every page of a full build, across workers: each is planned (explainer and list pages) and digested
    there, and rendered only when changed; each new file waits beside its target until the build commits."""
    return _render(work, nav, make_env, store, out, jobs, progress, pack)


def render_pages(pages: Sequence[Page], nav: tuple[Topic, ...], make_env: Callable[[], jinja2.Environment],
                 store: BodySource, out: Path, jobs: int, progress: Callable[[int], None] | None = None,
                 pack: Pack | None = None, answers: Answers = NO_ANSWERS) -> Rendered:
    """Render exactly `pages` (the quick paths know which changed); new files wait beside their targets."""
    work = SitePages(0, _no_plan, pages, "", {}, _never_unchanged, answers)
    return _render(work, nav, make_env, store, out, jobs, progress, pack)


def _no_plan(index: int) -> Page:
    raise AssertionError("render_pages has no pages to plan")


def _never_unchanged(output: str, digest: str) -> bool:
    return False
