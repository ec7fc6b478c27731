"""Share links: after each question's heading in an explainer's body, a link to the question's share page."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from markupsafe import Markup, escape

from ..site.model import Explainer
from ..site.share import question_path

# A question's heading as the body's Markdown writes it: `<h2 id="...">...</h2>` (no heading nests in another).
_HEADING = re.compile(r'<h2\b[^>]*?\bid="([^"]*)"[^>]*>.*?</h2>', re.DOTALL)


def question_links(body: str, explainer: Explainer, label: str, href: Callable[[str], str]) -> Markup:
    """The body with a link labelled `label` to the share page of each of the explainer's questions, after its
    heading; `href` makes a site path an href. Left out of search: it is not the explainer's text."""
    questions = {section.id for section in explainer.sections}

    def linked(match: re.Match) -> str:
        question = html.unescape(match.group(1))
        if question not in questions:
            return match.group(0)
        link = href(question_path(explainer, question))
        # described by its heading: a list of the page's links tells the questions' links apart
        return (f'{match.group(0)}\n<div class="question-share" data-pagefind-ignore><a class="question-share__link" '
                f'href="{escape(link)}" aria-describedby="{match.group(1)}">{escape(label)}</a></div>')

    return Markup(_HEADING.sub(linked, str(body)))
