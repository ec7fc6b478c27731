"""Word's HTML written as Markdown: text typed in Word stays text."""

from __future__ import annotations

import pytest

from generator.commands.htmlmarkdown import escape


@pytest.mark.parametrize(("text", "markdown"), [
    ("# not a heading", "\\# not a heading"),
    ("- not a list", "\\- not a list"),
    ("1. not a list", "1\\. not a list"),
    (":::keypoints", "&#58;::keypoints"),
    ("a [[glossary]] term", "a [[glossary]] term"),
    ("<b>not bold</b> &amp; AT&T", "&lt;b>not bold&lt;/b> &amp;amp; AT&T"),
])
def test_text_typed_in_word_stays_text(text, markdown):
    assert escape(text) == markdown
