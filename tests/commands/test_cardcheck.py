"""`nutgraf check` on question cards: near-duplicate questions, unused cards, unknown ids, card headings."""

from conftest import explainer
from test_check import findings

CARD = "---\ntitle: What is the Astana process?\ndate: 2017-01-20\n---\nTalks on Syria.\n"


def test_a_question_nearly_a_cards_is_a_warning_that_suggests_the_card(make_site):
    body = "Lede.\n\n## What's the Astana process?\n\nOur words.\n\n## What happened?\n\nThings.\n"
    root = make_site({"content/cards/astana-process.md": CARD,
                      "content/a.md": explainer("A", body, topics="[Syria]"),
                      "content/b.md": explainer("B", "## {card=astana-process}\n\nMore.\n", topics="[Syria]")})
    found, result = findings(root)
    assert result.ok
    assert found == {("content/a.md", 8, "warning",
                      "the question 'What's the Astana process?' is nearly the card 'astana-process' "
                      "('What is the Astana process?')")}
    hint = next(d.hint for d in result.diagnostics)
    assert "## {card=astana-process}" in hint


def test_a_card_no_explainer_shows_is_a_warning(make_site):
    root = make_site({"content/cards/astana-process.md": CARD,
                      "content/a.md": explainer("A", "## What happened?\n\nThings.\n", topics="[Syria]"),
                      "content/b.md": explainer("B", "## What happened next?\n\nMore.\n", topics="[Syria]")})
    found, result = findings(root)
    assert result.ok
    assert found == {("content/cards/astana-process.md", 1, "warning",
                      "no explainer shows the card 'astana-process'")}


def test_a_card_shown_by_a_draft_is_used_and_its_heading_is_a_question(make_site):
    root = make_site({"content/cards/astana-process.md": CARD,
                      "content/a.md": explainer("A", "## {card=astana-process}\n", topics="[Syria]", draft="true"),
                      "content/b.md": explainer("B", "## What happened?\n\nThings.\n", topics="[Syria]")})
    found, result = findings(root)
    assert result.ok and not any("card" in message or "question" in message for *_, message in found), found


def test_an_unknown_card_is_an_error_at_its_line(make_site):
    root = make_site({"content/cards/astana-process.md": CARD,
                      "content/a.md": explainer("A", "## {card=astana}\n", topics="[Syria]")})
    found, result = findings(root)
    assert not result.ok
    assert ("content/a.md", 6, "error", "card 'astana' does not exist") in found
