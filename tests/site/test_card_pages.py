"""Card pages: /cards/<id>/ with the card's answer, log and "Appears in"; /cards/<id>/embed/ for iframes."""

from __future__ import annotations

import pytest
from conftest import SITE_YAML, assert_equals_clean_build, edit_text, explainer, messages, parse, run_build
from lxml import etree
from samples import photo

CARD = """\
---
title: What is the Astana process?
date: 2017-01-20
updates: [{date: 2017-02-10, text: "Jordan joined as an observer."}]
---
Talks between Russia, Turkey and Iran about a **ceasefire** in Syria.

:::callout
Not to be confused with the Geneva talks.
:::
"""
USES = "Lede.\n\n## {card=astana-process}\n\n## What next?\n\nMore.\n"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"



@pytest.fixture
def site(make_site):
    root = make_site({"content/cards/astana-process.md": CARD,
                      "content/cards/unused.md": "---\ntitle: Who pays?\ndate: 2017-01-02\n---\nNobody yet.\n",
                      "content/talks.md": explainer("Astana talks", USES, date="2017-01-23"),
                      "content/later.md": explainer("Later talks", USES, date="2017-03-01"),
                      "content/other.md": explainer("Other", "## What?\n\nPlain.\n", date="2017-01-24")})
    result = run_build(root)
    assert result.ok, messages(result)
    return root


def test_a_card_page_shows_the_question_answer_log_and_where_it_appears(site):
    page = parse(site / "output/cards/astana-process/index.html")
    assert page.h1.get_text() == "What is the Astana process?"
    body = page.select_one(".article-body")
    assert body.strong.get_text() == "ceasefire" and "Geneva talks" in body.select_one(".callout").get_text()
    assert "Jordan joined as an observer." in page.select_one(".revisions").get_text()
    assert page.select_one(".dateline__item--updated time")["datetime"].startswith("2017-02-10")
    links = [(a.get_text(), a["href"]) for a in page.select(".appears-in a")]
    assert links == [("Later talks", "/later/"), ("Astana talks", "/talks/")]
    assert page.select_one("article[data-pagefind-body]") is not None
    unused = parse(site / "output/cards/unused/index.html")
    assert unused.h1.get_text() == "Who pays?" and unused.select_one(".appears-in") is None


def test_search_finds_a_card_once_at_its_own_page(site):
    page = parse(site / "output/talks/index.html")
    section = page.select_one("section[data-card='astana-process']")
    assert section.has_attr("data-pagefind-ignore")
    assert [s.has_attr("data-pagefind-ignore") for s in page.select("section.question")] == [True, False]


def test_search_finds_a_card_once_where_bodies_are_sanitized_too(make_site):
    root = make_site({"content/cards/astana-process.md": CARD, "content/talks.md": explainer("Talks", USES)},
                     SITE_YAML + "untrusted_html: sanitize\n")
    assert run_build(root).ok
    section = parse(root / "output/talks/index.html").select_one("section.question")
    assert section["data-card"] == "astana-process" and section.has_attr("data-pagefind-ignore")
    card = parse(root / "output/cards/astana-process/index.html")
    assert card.select_one(".article-body strong").get_text() == "ceasefire"


def test_card_pages_are_in_the_sitemap_and_embeds_are_not(site):
    tree = etree.parse(str(site / "output/sitemap.xml"))
    entries = {u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod") for u in tree.iter(f"{SITEMAP}url")}
    assert entries["https://example.org/cards/astana-process/"].startswith("2017-02-10")
    assert "https://example.org/cards/unused/" in entries
    assert not any("/embed/" in loc for loc in entries)


def test_the_embed_is_the_card_alone_without_scripts_and_may_be_framed(site):
    page = parse(site / "output/cards/astana-process/embed/index.html")
    assert page.h1.get_text() == "What is the Astana process?"
    assert page.find("script") is None and page.find("header") is None and page.find("nav") is None
    assert page.select_one("meta[name=robots]")["content"] == "noindex"
    back = page.select_one(".card-embed__source a")
    assert back["href"] == "https://example.org/cards/astana-process/" == page.select_one("link[rel=canonical]")["href"]
    # Netlify and Cloudflare Pages send the headers of every rule that matches a path: every page gets
    # X-Frame-Options from `/*`; an embed alone also gets a policy whose frame-ancestors (which browsers obey
    # over X-Frame-Options) lets any site frame it, and no policy that refuses
    headers = (site / "output/_headers").read_text()
    embed = matching_headers(headers, "/cards/astana-process/embed/")
    assert embed["Content-Security-Policy"][1:] == ["frame-ancestors *"]
    assert "frame-ancestors" not in embed["Content-Security-Policy"][0]
    assert "script-src 'self' 'wasm-unsafe-eval'" in embed["Content-Security-Policy"][0]  # the rest of the policy
    for path in ("/cards/astana-process/", "/talks/", "/"):
        sent = matching_headers(headers, path)
        assert sent["X-Frame-Options"] == ["SAMEORIGIN"], path
        assert not any("frame-ancestors" in value for value in sent["Content-Security-Policy"]), path
    assert not any(line.lstrip().startswith("!") for line in headers.splitlines())  # Netlify rejects `! name`


def matching_headers(text: str, path: str) -> dict[str, list[str]]:
    """Each header that `_headers` sends for `path`, with the values of every rule that matches it."""
    found: dict[str, list[str]] = {}
    pattern = ""
    for line in text.splitlines():
        if line.startswith("/"):
            pattern = line.strip()
        elif line.strip() and (path.startswith(pattern[:-1]) if pattern.endswith("*") else path == pattern):
            name, _, value = line.strip().partition(":")
            found.setdefault(name.strip(), []).append(value.strip())
    return found


def test_a_card_edit_renders_its_pages_and_its_explainers_only(site, tmp_path):
    before = {p: (site / "output" / p).stat().st_mtime_ns for p in ("other/index.html", "cards/unused/index.html")}
    edit_text(site / "content/cards/astana-process.md", "a **ceasefire**", "a lasting **ceasefire**")
    result = run_build(site)
    assert result.ok and result.quick and result.parsed == 0  # the answer is filled in when pages are rendered
    # the card's page and embed, the two explainers; lists show no bodies
    assert result.rendered == 4, result.rendered
    assert "lasting" in (site / "output/cards/astana-process/embed/index.html").read_text()
    assert {p: (site / "output" / p).stat().st_mtime_ns for p in before} == before
    assert_equals_clean_build(site, tmp_path)


def test_an_explainer_title_edit_renders_the_card_page_that_lists_it(site, tmp_path):
    edit_text(site / "content/later.md", "Later talks", "Talks in March")
    assert run_build(site).ok
    links = [a.get_text() for a in parse(site / "output/cards/astana-process/index.html").select(".appears-in a")]
    assert links == ["Talks in March", "Astana talks"]
    assert_equals_clean_build(site, tmp_path)


def test_an_explainer_that_stops_using_a_card_leaves_its_appears_in(site, tmp_path):
    edit_text(site / "content/talks.md", "## {card=astana-process}", "## What is it?\n\nOur words.")
    assert run_build(site).ok
    links = [a.get_text() for a in parse(site / "output/cards/astana-process/index.html").select(".appears-in a")]
    assert links == ["Later talks"]
    assert_equals_clean_build(site, tmp_path)


def test_removing_a_card_removes_its_pages(site, tmp_path):
    (site / "content/cards/unused.md").unlink()
    assert run_build(site).ok
    assert not (site / "output/cards/unused").exists()
    assert_equals_clean_build(site, tmp_path)


MAP_CARD = """\
---
title: Where is Astana?
date: 2017-01-20
topics: [Syria, Geography]
---
![A map of Kazakhstan](../images/map.png)

[[Astana]] is the capital of Kazakhstan.
"""


def test_a_card_shows_its_images_glossary_terms_and_topics_and_publishes_its_images(make_site, tmp_path):
    root = make_site({"content/cards/where.md": MAP_CARD, "content/images/map.png": photo(800, 400, "PNG"),
                      "content/images/unused.png": photo(80, 40, "PNG"),
                      "content/glossary.yaml": 'Astana: "The capital of Kazakhstan."\n',
                      "content/a.md": explainer("A", "## Why?\n\nBecause.\n", topics=["Syria"])})
    result = run_build(root)
    assert result.ok, messages(result)
    page = parse(root / "output/cards/where/index.html")
    img = page.select_one(".article-body picture img")
    assert img["alt"] == "A map of Kazakhstan" and (img["width"], img["height"]) == ("800", "400")
    assert all((root / "output" / s.split()[0].lstrip("/")).is_file()
               for s in page.select_one(".article-body picture source")["srcset"].split(", "))
    assert (root / "output" / img["src"].lstrip("/")).is_file()  # published: no explainer shows the card
    assert not (root / "output/images/unused.png").exists()  # withheld as before
    definition = page.select_one(".article-body .term__definition")
    assert definition.get_text(" ", strip=True).endswith("The capital of Kazakhstan.")
    assert [(a.get_text(), a["href"]) for a in page.select(".kicker a")] == [("Syria", "/topics/syria/")]
    embed = parse(root / "output/cards/where/embed/index.html")
    assert embed.select_one("picture img")["src"] == img["src"]
    # shown by explainers in other folders, the image resolves there as on the card's page
    edit_text(root / "content/a.md", "## Why?", "## {card=where}\n\n## Why?")
    (root / "content/world/deep").mkdir(parents=True)
    (root / "content/world/deep/b.md").write_text(explainer("B", "## {card=where}\n"))
    assert run_build(root).ok
    for page in ("a", "b"):
        shown = parse(root / f"output/{page}/index.html").select_one("section[data-card] picture img")
        assert shown["src"] == img["src"], page
    assert_equals_clean_build(root, tmp_path)


def test_a_card_no_explainer_shows_is_checked_on_its_own(make_site):
    root = make_site({"content/cards/where.md": MAP_CARD, "content/glossary.yaml": 'Kazakhstan: "A country."\n',
                      "content/a.md": explainer("A")})
    result = run_build(root)
    assert not result.ok
    found = {(d.path, d.line, d.message) for d in result.diagnostics}
    missing = "image '../images/map.png' does not exist or is not a readable image"
    assert found == {("content/cards/where.md", 6, missing),
                     ("content/cards/where.md", 8, "'astana' is not in the glossary")}, found
    assert not (root / "output/cards").exists()
