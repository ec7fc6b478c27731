"""Question cards: read from content/cards/, written into the explainers that name them, and rebuilt with them."""

from __future__ import annotations

import json

import feedparser
import pytest
from conftest import assert_equals_clean_build, edit_text, explainer, messages, parse, run_build
from lxml import etree

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
CARD = """\
---
title: What is the Astana process?
date: 2017-01-20
topics: [Syria]
---
Talks between Russia, Turkey and Iran about a ceasefire in Syria.

They began in Astana, Kazakhstan's capital.
"""
USES = "Lede.\n\n## {card=astana-process}\n\nOur own paragraph.\n\n## What next?\n\nMore.\n"


def card(**changes: str) -> str:
    text = CARD
    for old, new in changes.items():
        text = text.replace(old.replace("_", " "), new)
    return text



@pytest.fixture
def site(make_site):
    files = {f"content/e{i}.md": explainer(f"Explainer {i}", USES if i < 2 else "## What?\n\nPlain.\n",
                                            date=f"2017-01-2{i + 1}", topics="[Syria]") for i in range(4)}
    files["content/cards/astana-process.md"] = CARD
    root = make_site(files)
    first = run_build(root)
    assert first.ok, messages(first)
    return root


def questions(page) -> list[tuple[str, str]]:
    return [(s["aria-labelledby"], s.h2.get_text(" ", strip=True)) for s in page.select("section.question")]


def test_a_card_is_not_an_explainer_and_shows_in_the_explainers_that_name_it(site):
    assert not (site / "output/astana-process").exists()
    page = parse(site / "output/e0/index.html")
    assert questions(page)[0] == ("what-is-the-astana-process", "What is the Astana process?")
    section = page.select_one("section.question")
    assert section["data-card"] == "astana-process"
    texts = [p.get_text() for p in section.find_all("p")]
    assert texts[0].startswith("Talks between Russia") and texts[-1] == "Our own paragraph."
    contents = [a["href"] for a in page.select("a[href^='#']")]
    assert "#what-is-the-astana-process" in contents  # the table of contents lists it like any question


def test_own_paragraphs_go_before_the_answer_where_the_section_says_card(make_site, tmp_path):
    body = ("## {card=astana-process}\n\nOur *intro*.\n\n{card}\n\nOur close.\n\n## Next?\n\n{card}\n\n"
            ":::nosuch\nx\n:::\n")
    root = make_site({"content/cards/astana-process.md": CARD, "content/e.md": explainer(body=body)})
    result = run_build(root)
    # the findings after the card are at their own lines; a {card} outside a card's section is left as it is
    assert [m.split(" error")[0] for m in messages(result)] == ["content/e.md:17:"], messages(result)
    edit_text(root / "content/e.md", ":::nosuch\nx\n:::\n", "")
    assert run_build(root).ok
    section = parse(root / "output/e/index.html").select_one("section.question")
    texts = [p.get_text() for p in section.find_all("p")]
    assert texts[0] == "Our intro." and texts[1].startswith("Talks between") and texts[-1] == "Our close."
    assert_equals_clean_build(root, tmp_path)


def test_the_section_id_can_be_locked(make_site):
    root = make_site({"content/cards/astana-process.md": CARD,
                      "content/e.md": explainer(body="## {card=astana-process #astana}\n")})
    assert run_build(root).ok
    assert questions(parse(root / "output/e/index.html")) == [("astana", "What is the Astana process?")]


def test_an_unknown_card_is_an_error_at_its_line(make_site):
    root = make_site({"content/cards/astana-process.md": CARD,
                      "content/e.md": explainer(body="Lede.\n\n## {card=astana-proces}\n")})
    result = run_build(root)
    assert not result.ok
    assert any(m.startswith("content/e.md:7:") and "card 'astana-proces' does not exist" in m
               for m in messages(result)), messages(result)
    assert "astana-process" in result.diagnostics[0].hint
    assert not (root / "output").exists()


def test_a_card_line_in_fenced_code_is_left_alone(make_site):
    root = make_site({"content/e.md": explainer(body="## How?\n\n```\n## {card=nothing}\n```\n")})
    result = run_build(root)
    assert result.ok, messages(result)
    assert "{card=nothing}" in parse(root / "output/e/index.html").select_one("pre").get_text()


@pytest.mark.parametrize("text, expected", [
    ("---\ntitle: Q?\n---\nA.\n", "content/cards/q.md:2:1: error: 'date' is required"),
    ("---\ntitle: Q?\ndate: 2017-01-20\ncolour: red\n---\nA.\n", "content/cards/q.md:4:9: error: unknown card field"),
    ("---\ndate: 2017-01-20\n---\nA.\n", "content/cards/q.md:2:1: error: 'title' is required"),
    ("---\ntitle: Q?\ndate: 2017-01-20\n---\n", "content/cards/q.md:5: error: the card has no answer"),
    ("---\ntitle: Q?\ndate: 2017-01-20\n---\nA.\n\n![Map](../../map.png)\n",
     "content/cards/q.md:7: error: image '../../map.png' is outside content/"),
])
def test_a_card_is_checked_with_file_and_line(make_site, text, expected):
    root = make_site({"content/cards/q.md": text, "content/e.md": explainer()})
    result = run_build(root)
    assert not result.ok
    assert any(m.startswith(expected) for m in messages(result)), messages(result)


def test_a_finding_in_a_cards_text_is_reported_at_the_card(make_site):
    bad = CARD.replace("They began", ":::nosuchblock\nx\n:::\n\nThey began")
    root = make_site({"content/cards/astana-process.md": bad,
                      "content/e.md": explainer(body="## {card=astana-process}\n\n## Next?\n\n:::nosuch2\ny\n:::\n"),
                      "content/f.md": explainer(body="## {card=astana-process}\n")})
    found = messages(run_build(root))
    card_findings = [m for m in found if "nosuchblock" in m]
    assert len(card_findings) == 1 and card_findings[0].startswith("content/cards/astana-process.md:8:"), found
    assert any(m.startswith("content/e.md:9:") and "nosuch2" in m for m in found), found



@pytest.mark.parametrize("bad, expected", [
    ("[More](javascript:alert(1))", "warning: a javascript: URL in a link or image"),
    ("<div>Open", "error: raw HTML"),
    ("![Map](../images/nowhere.png)", "error: image '../images/nowhere.png' does not exist"),
])
def test_a_cards_answer_is_checked_once_at_its_own_lines(make_site, bad, expected):
    text = CARD.replace("They began", f"{bad}\n\nThey began")
    root = make_site({"content/cards/astana-process.md": text,
                      "content/e.md": explainer(body="## {card=astana-process}\n"),
                      "content/f.md": explainer(body="Lede.\n\n## {card=astana-process}\n")})
    found = [m for m in messages(run_build(root)) if expected in m]
    assert len(found) == 1 and found[0].startswith("content/cards/astana-process.md:8:"), messages(run_build(root))

def test_the_explainer_dates_move_with_the_card(site, tmp_path):
    edit_text(site / "content/cards/astana-process.md", "topics: [Syria]\n",
         'topics: [Syria]\nupdates: [{date: 2017-02-10, text: "Jordan joined as an observer."}]\n')
    result = run_build(site)
    assert result.ok, messages(result)
    page = parse(site / "output/e0/index.html")
    data = json.loads(page.select_one("script[type='application/ld+json']").string)
    article = next(item for item in (data.get("@graph") or [data]) if "dateModified" in item)
    assert article["dateModified"].startswith("2017-02-10")
    assert "Jordan joined as an observer." in page.get_text()
    assert page.select_one("section.question [data-date], section.question time")  # the question's own date
    plain = parse(site / "output/e3/index.html")
    assert "Jordan joined" not in plain.get_text()
    sitemap = etree.parse(str(site / "output/sitemap.xml"))
    lastmod = {u.findtext(f"{SM}loc"): u.findtext(f"{SM}lastmod") for u in sitemap.iter(f"{SM}url")}
    assert lastmod["https://example.org/e0/"].startswith("2017-02-10")
    assert lastmod["https://example.org/e3/"].startswith("2017-01-24")
    feed = {e.link: e.updated for e in feedparser.parse((site / "output/feed.xml").read_bytes()).entries}
    assert feed["https://example.org/e0/"].startswith("2017-02-10")
    assert_equals_clean_build(site, tmp_path)


@pytest.mark.parametrize("old, new", [  # an edit of the answer alone parses none: test_card_edits.py
    ("What is the Astana process?", "What are the Astana talks?"),  # the question
    ("topics: [Syria]\n", 'topics: [Syria]\ncorrections: [{date: 2017-03-01, text: "Iran, not Iraq."}]\n'),
])
def test_a_card_edit_rebuilds_the_explainers_that_show_it(site, tmp_path, old, new):
    edit_text(site / "content/cards/astana-process.md", old, new)
    result = run_build(site)
    assert result.ok, messages(result)
    assert result.parsed == 2  # e0 and e1 show it; e2 and e3 do not
    assert 2 <= result.rendered < result.pages
    rendered_e2 = (site / "output/e2/index.html").stat().st_mtime_ns
    assert new.split(":")[-1].strip(' "\n]}') in (site / "output/e0/index.html").read_text()
    assert_equals_clean_build(site, tmp_path)
    assert (site / "output/e2/index.html").stat().st_mtime_ns == rendered_e2


def test_a_card_answer_edit_in_watch_mode_then_a_body_edit_beside_it(site, tmp_path):
    first = run_build(site, keep_going=True)
    path = site / "content/cards/astana-process.md"
    edit_text(path, "They began in Astana", "They began in Astana, in January")
    result = run_build(site, keep_going=True, state=first.state, changed=frozenset({str(path)}), warm=first.warm)
    assert result.ok and result.quick and result.parsed == 0  # the answer is filled in: no explainer parsed
    assert "in January" in (site / "output/e1/index.html").read_text()
    assert "in January" in (site / "output/cards/astana-process/embed/index.html").read_text()
    assert_equals_clean_build(site, tmp_path)
    body = site / "content/e0.md"  # the body of an explainer that shows a card: the card stays in
    edit_text(body, "Our own paragraph.", "Our changed paragraph.")
    result = run_build(site, keep_going=True, state=result.state, changed=frozenset({str(body)}), warm=result.warm)
    assert result.ok and result.quick and (result.parsed, result.rendered) == (1, 1)
    assert "Talks between Russia" in (site / "output/e0/index.html").read_text()
    assert_equals_clean_build(site, tmp_path)
    edit_text(path, "They began in Astana, in January", "They began in Astana in January")  # not yet reported
    edit_text(body, "Our changed paragraph.", "Our paragraph again.")
    result = run_build(site, keep_going=True, state=result.state, changed=frozenset({str(body)}), warm=result.warm)
    assert result.ok and not result.quick  # the card on disk is not the one the last build read
    assert_equals_clean_build(site, tmp_path)


def test_an_explainer_body_edit_next_to_a_card_keeps_the_card(site, tmp_path):
    edit_text(site / "content/e0.md", "Our own paragraph.", "Our changed paragraph.")
    result = run_build(site)
    assert result.ok and result.quick and (result.parsed, result.rendered) == (1, 1), messages(result)
    text = (site / "output/e0/index.html").read_text()
    assert "Our changed paragraph." in text and "Talks between Russia" in text
    assert_equals_clean_build(site, tmp_path)


@pytest.mark.parametrize("watch", [True, False])
def test_showing_another_card_with_the_same_question_is_not_a_body_edit(make_site, tmp_path, watch):
    twin = CARD.replace("Talks between Russia", "Negotiations between Russia")
    root = make_site({"content/cards/astana-process.md": CARD, "content/cards/astana-twin.md": twin,
                      "content/e.md": explainer(body="## {card=astana-process}\n")})
    first = run_build(root, keep_going=watch)
    edit_text(root / "content/e.md", "card=astana-process", "card=astana-twin")
    changed = frozenset({str(root / "content/e.md")})
    result = (run_build(root, keep_going=True, state=first.state, changed=changed, warm=first.warm) if watch
              else run_build(root))
    assert result.ok and not result.quick  # the cards' pages say where each appears
    assert parse(root / "output/cards/astana-twin/index.html").select(".appears-in a")
    assert not parse(root / "output/cards/astana-process/index.html").select(".appears-in a")
    assert_equals_clean_build(root, tmp_path)


def test_adding_the_missing_card_fixes_the_explainer(make_site, tmp_path):
    root = make_site({"content/e.md": explainer(body="## {card=astana-process}\n")})
    assert not run_build(root).ok
    (root / "content/cards").mkdir()
    (root / "content/cards/astana-process.md").write_text(CARD, encoding="utf-8")
    result = run_build(root)
    assert result.ok, messages(result)
    assert "Talks between Russia" in (root / "output/e/index.html").read_text()
    assert_equals_clean_build(root, tmp_path)


@pytest.mark.parametrize("old, new", [
    ("What is the Astana process?", "What are the Astana talks?"),  # the question indexes list it
    ("topics: [Syria]\n", 'topics: [Syria]\nupdates: [{date: 2017-02-10, text: "Jordan joined."}]\n'),  # dates
])
def test_a_card_edit_beyond_its_answer_in_watch_mode_is_a_full_build(site, tmp_path, old, new):
    state = run_build(site, keep_going=True).state
    path = site / "content/cards/astana-process.md"
    edit_text(path, old, new)
    result = run_build(site, keep_going=True, state=state, changed=frozenset({str(path)}))
    assert result.ok and not result.quick and result.parsed == 2
    assert_equals_clean_build(site, tmp_path)


def test_ids_in_a_cards_answer_never_repeat_the_explainers_own_and_its_links_still_land(make_site):
    """The answer is rendered once, away from the explainer: its headings' ids and footnotes must still be
    unique on the explainer's page, and the answer's own links to them must reach them."""
    note_card = CARD.replace("Kazakhstan's capital.", "Kazakhstan's capital.[^1]\n\n### Background\n\nSee "
                             "[below](#background).\n\n:::callout title=\"Names\"\nAstana, then Nur-Sultan.\n:::\n\n"
                             "[^1]: Its name was Astana until 2019.")
    own = ("Lede.[^1]\n\n:::callout title=\"Ours\"\nOur box.\n:::\n\n## {card=astana-process}\n\n## What next?\n\n"
           "### Background\n\nMore.\n\n[^1]: Our own note.\n")
    root = make_site({"content/e0.md": explainer("Explainer", own, date="2017-01-21"),
                      "content/cards/astana-process.md": note_card})
    result = run_build(root)
    assert result.ok, messages(result)
    for page_path in ("e0/index.html", "cards/astana-process/index.html"):
        page = parse(root / "output" / page_path)
        ids = [el["id"] for el in page.find_all(id=True)]
        assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
        for link in page.select("main a[href^='#']"):
            assert page.find(id=link["href"][1:]) is not None, (page_path, link["href"])
    section = parse(root / "output/e0/index.html").select_one("section[data-card]")
    (note_link,) = section.select("sup a[href^='#']")
    assert "Its name was Astana" in parse(root / "output/e0/index.html").find(id=note_link["href"][1:]).get_text()
