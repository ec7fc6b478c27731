"""Block rendering: placeholders in a body replaced by the theme's blocks/NAME.html, in the page's language."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import jinja2
from markupsafe import Markup

from ..markup.blocks.codec import PLACEHOLDER, decode, placeholder_json
from ..markup.blocks.registry import BLOCK_FOLDER
from ..markup.blocks.terms import term_key

if TYPE_CHECKING:
    from ..markup.glossary import GlossaryEntry
    from ..site.model import Explainer

@dataclass(frozen=True, slots=True)
class BlockPage:
    """What a block template may know of the page it is on: its language and direction, and whether it is a
    feed's entry (where a block can run no script, and charts are pictures: feed readers drop inline SVG)."""

    lang: str
    dir: str
    feed: bool = False


def fill_blocks(env: jinja2.Environment, body: str, page: BlockPage,
                glossary: Iterable[GlossaryEntry] = ()) -> str:
    """The body with every block rendered by its template, inner blocks first.

    A glossary term's template gets its entry (or none) as `block.entry`. Template errors propagate.
    """
    entries: Mapping[str, GlossaryEntry] = {entry.key: entry for entry in glossary}

    def render(match) -> str:
        block = decode(placeholder_json(match), lambda html: Markup(fill(html)))
        if block.name == "term":
            block.entry = entries.get(term_key(block.term))
        return env.get_template(f"{BLOCK_FOLDER}{block.name}.html").render(block=block, page=page)

    def fill(html: str) -> str:
        return PLACEHOLDER.sub(render, html) if "<nutgraf-block" in html else html

    return fill(body)


def fill_for_feeds(env: jinja2.Environment, carried: Iterable[Explainer],
                   body_html: Callable[[str], str]) -> Callable[[str], str]:
    """`body_html` for feeds: each explainer's body by digest, its blocks rendered as on its own page but for
    glossary terms, plain words there: feed readers cannot open a definition."""
    explainers = {e.body_digest: e for e in carried}

    def body(digest: str) -> str:
        explainer = explainers[digest]
        return fill_blocks(env, body_html(digest), BlockPage(explainer.lang, explainer.dir, feed=True))

    return body
