"""Render: planned pages through the theme's templates into bytes."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import jinja2
from markupsafe import Markup

from .diagnostics import Diagnostic
from .model import Site, Topic
from .routes import Page
from .themes import template_error

NAV_TOPICS = 6


def nav_topics(site: Site) -> tuple[Topic, ...]:
    """The busiest topics, for the header navigation."""
    ranked = sorted(site.topics, key=lambda t: (-len(site.by_topic[t.slug]), t.name.casefold()))
    return tuple(ranked[:NAV_TOPICS])


def render_pages(pages: Iterable[Page], env: jinja2.Environment, site: Site,
                 body_html: Callable[[str], str]) -> tuple[dict[str, bytes], list[Diagnostic]]:
    """Render each page; a template error is reported once per template, not once per page."""
    shared = {"nav_topics": nav_topics(site)}
    files: dict[str, bytes] = {}
    failed: dict[str, Diagnostic] = {}
    for page in pages:
        if page.template in failed:
            continue
        context = {**shared, "page": page.info, **page.context}
        if "explainer" in context:
            context["body"] = Markup(body_html(context["explainer"].body_digest))  # trusted Markdown
        try:
            files[page.output] = env.get_template(page.template).render(context).encode("utf-8")
        except jinja2.TemplateError as exc:
            failed[page.template] = template_error(exc)
    return files, list(failed.values())
