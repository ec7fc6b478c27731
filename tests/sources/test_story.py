"""An explainer's history and its place among others: corrections and updates, related explainers, series, and
the page of every question; each checked in built pages."""

import json
import xml.etree.ElementTree as etree

import pytest
from conftest import explainer, messages, parse, run_build

from generator.site.navigation import series_key

SITEMAPS = "http://www.sitemaps.org/schemas/sitemap/0.9"
ATOM = "http://www.w3.org/2005/Atom"
BODY = "Lede.\n\n## What happened?\n\nThings.\n\n## What next? {updated=2017-02-01}\n\nMore.\n"


def json_ld(page, kind):
    return next(d for d in (json.loads(s.string) for s in page.find_all("script", type="application/ld+json"))
                if d["@type"] == kind)


def test_corrections_and_updates_make_a_dated_log_and_the_newest_update_is_the_modified_date(make_site):
    root = make_site({"content/a.md": explainer(
        "A", BODY, updated="2017-01-24T09:00:00+03:00",
        corrections='[{date: 2017-01-25, text: "An earlier version misspelt a name."}]',
        updates='[{date: "2017-01-26T10:00:00+03:00", text: "Added the second day."}, '
                '{date: 2017-01-24, text: "Added reactions."}]')})
    result = run_build(root)
    assert result.ok, messages(result)
    page = parse(root / "output/a/index.html")
    log = page.find("section", class_="revisions")
    assert log.find("h2").get_text() == "Corrections and updates"
    entries = [(li["class"][1], li.find("time")["datetime"], li.find(class_="revision__text").get_text())
               for li in log.find_all("li")]
    assert entries == [("revision--update", "2017-01-24T00:00:00+03:00", "Added reactions."),
                       ("revision--correction", "2017-01-25T00:00:00+03:00", "An earlier version misspelt a name."),
                       ("revision--update", "2017-01-26T10:00:00+03:00", "Added the second day.")]
    assert log.find_parent("article") is not None and log.find_previous("div", class_="article-body") is not None
    updated = page.find("span", class_="dateline__item--updated").find("time")
    assert updated["datetime"] == "2017-01-26T10:00:00+03:00"
    assert json_ld(page, "BackgroundNewsArticle")["dateModified"] == "2017-01-26T10:00:00+03:00"
    feed = json.loads((root / "output/feed.json").read_text(encoding="utf-8"))
    assert feed["items"][0]["date_modified"] == "2017-01-26T10:00:00+03:00"


def test_only_corrections_are_titled_corrections_and_an_explainer_without_either_has_no_log(make_site):
    root = make_site({"content/a.md": explainer("A", BODY, corrections='[{date: 2017-01-25, text: "Fixed."}]'),
                      "content/b.md": explainer("B", BODY)})
    assert run_build(root).ok
    assert parse(root / "output/a/index.html").find("h2", class_="revisions__title").get_text() == "Corrections"
    assert parse(root / "output/b/index.html").find("section", class_="revisions") is None


def _dates_everywhere(root, slug="a"):
    """The modified date of an explainer as its page, its card, the sitemap and every feed give it."""
    page = parse(root / f"output/{slug}/index.html")
    stamp = page.find("span", class_="dateline__item--updated")
    card = next(a for a in parse(root / "output/index.html").find_all("article", class_="card")
                if a.find("a", class_="card__link")["href"] == f"/{slug}/").find(class_="card__date")
    sitemap = etree.parse(root / "output/sitemap.xml").getroot()
    lastmod = next(u.findtext(f"{{{SITEMAPS}}}lastmod") for u in sitemap
                   if u.findtext(f"{{{SITEMAPS}}}loc") == f"https://example.org/{slug}/")
    atom = etree.parse(root / "output/feed.xml").getroot()
    entry = next(e for e in atom.findall(f"{{{ATOM}}}entry") if e.findtext(f"{{{ATOM}}}id").endswith(f"/{slug}/"))
    item = next(i for i in json.loads((root / "output/feed.json").read_text(encoding="utf-8"))["items"]
                if i["id"].endswith(f"/{slug}/"))
    return {"stamp": (stamp.contents[0].strip(), stamp.find("time")["datetime"]),
            "card": (card.contents[0].strip(), card.find("time")["datetime"]),
            "ld": json_ld(page, "BackgroundNewsArticle")["dateModified"], "lastmod": lastmod,
            "atom": entry.findtext(f"{{{ATOM}}}updated"), "json": item["date_modified"]}


def test_a_correction_moves_the_modified_date_everywhere_and_is_shown_as_corrected(make_site):
    corrected = "2017-01-25T00:00:00+03:00"
    root = make_site({"content/a.md": explainer("A", BODY, corrections='[{date: 2017-01-25, text: "Fixed."}]')})
    assert run_build(root).ok
    assert _dates_everywhere(root) == {"stamp": ("Corrected", corrected), "card": ("Corrected", corrected),
                                       "ld": corrected, "lastmod": corrected, "atom": corrected, "json": corrected}
    # An update after the correction is the newest change; `updated:` on the correction's day keeps it Corrected.
    root = make_site({"content/a.md": explainer("A", BODY, corrections='[{date: 2017-01-25, text: "Fixed."}]',
                                                updates='[{date: 2017-01-26, text: "Added."}]'),
                      "content/b.md": explainer("B", BODY, updated="2017-01-25",
                                                corrections='[{date: 2017-01-25, text: "Fixed."}]')})
    assert run_build(root).ok
    assert _dates_everywhere(root)["stamp"] == ("Updated", "2017-01-26T00:00:00+03:00")
    assert _dates_everywhere(root, "b")["stamp"] == ("Corrected", corrected)


@pytest.mark.parametrize(("fields", "line", "message"), [
    ({"updates": '[{date: 2017-01-01, text: "Too early."}]'}, 3, "an update is dated before the explainer's 'date'"),
    ({"corrections": '"Fixed."'}, 3, "'corrections' must be a list of dated entries"),
    ({"corrections": '[{text: "No date."}]'}, 3, "each entry of 'corrections' needs a date and a text"),
    ({"updates": '[{date: 2017-02-30, text: "x"}]'}, 3, "'updates.0.date' is not a real date"),
    ({"related": "[nowhere]"}, 3, "related explainer 'nowhere' does not exist"),
    ({"related": "[a]"}, 3, "related: 'a' is this explainer itself"),
    ({"related": '["Not a slug"]'}, 3, "related: 'Not a slug' is not an explainer's slug"),
])
def test_story_mistakes_are_errors_with_file_and_line(make_site, fields, line, message):
    root = make_site({"content/a.md": explainer("A", BODY, **fields), "content/b.md": explainer("B", BODY)})
    result = run_build(root)
    assert any((d.path, d.line) == ("content/a.md", line) and d.message.startswith(message)
               for d in result.diagnostics), messages(result)
    assert not result.ok


def test_related_explainers_named_first_then_topped_up_by_shared_topics(make_site):
    files = {f"content/t{i}.md": explainer(f"Topic {i}", BODY, topics="[Syria]", date=f"2017-01-0{i + 1}")
             for i in range(3)}
    files["content/a.md"] = explainer("A", BODY, topics="[Syria]", related="[other, t0]", date="2017-01-20")
    files["content/other.md"] = explainer("Other", BODY, topics="[Science]")
    files["content/draft.md"] = explainer("Draft", BODY, draft="true")
    files["content/b.md"] = explainer("B", BODY, related="[draft]")  # names a draft: it exists, but is not shown
    root = make_site(files)
    result = run_build(root)
    assert result.ok, messages(result)
    related = parse(root / "output/a/index.html").find("section", class_="related")
    assert related.find("h2").get_text() == "Related explainers"
    titles = [a.get_text() for a in related.find_all("a", class_="card__link")]
    assert titles == ["Other", "Topic 0", "Topic 2", "Topic 1"]
    assert parse(root / "output/b/index.html").find("section", class_="related") is None


def test_a_series_shows_part_n_of_m_with_previous_and_next(make_site):
    root = make_site({"content/one.md": explainer("One", BODY, series='"Keeping time"', date="2017-01-01"),
                      "content/two.md": explainer("Two", BODY, series='"keeping  time"', date="2017-02-01"),
                      "content/three.md": explainer("Three", BODY, series='"Keeping time"', date="2017-03-01"),
                      "content/alone.md": explainer("Alone", BODY, series="Solo")})
    assert run_build(root).ok
    nav = parse(root / "output/two/index.html").find("nav", class_="series")
    assert nav["aria-label"] == "Series"
    assert nav.find(class_="series__label").get_text(" ", strip=True) == "Part 2 of 3 Keeping time"
    assert [(a.get_text(), a.get("aria-current")) for a in nav.find_all("a", class_="series__link")] == [
        ("One", None), ("Two", "page"), ("Three", None)]
    assert nav.find("a", rel="prev")["href"] == "/one/" and nav.find("a", rel="next")["href"] == "/three/"
    first = parse(root / "output/one/index.html").find("nav", class_="series")
    assert first.find("a", rel="prev") is None and first.find("a", rel="next")["href"] == "/two/"
    assert parse(root / "output/alone/index.html").find("nav", class_="series") is None
    assert series_key("Keeping  Time") == series_key("keeping time")


def test_every_question_page_groups_questions_by_topic(make_site):
    root = make_site({"content/a.md": explainer("A", BODY, topics="[Syria, Diplomacy]"),
                      "content/b.md": explainer("B", "Lede.\n\n## Why? {#why}\n\nBecause.\n", topics="[Syria]",
                                                date="2017-01-30"),
                      "content/c.md": explainer("C", "## Loose?\n\nYes.\n"),
                      "content/d.md": explainer("D", "No questions at all.\n", topics="[Syria]"),
                      "content/e.md": explainer("E", BODY, topics="[Syria]", draft="true")})
    assert run_build(root).ok
    page = parse(root / "output/questions/index.html")
    assert page.find("h1").get_text() == "Every question"
    groups = page.find_all("section", class_="question-group")
    assert [g.find("h2").get_text() for g in groups] == ["Diplomacy", "Syria", "Other questions"]
    assert groups[1].find("h2").find("a")["href"] == "/topics/syria/"
    assert [h3.get_text() for h3 in groups[1].find_all("h3")] == ["B", "A"]  # newest first; D asks nothing
    questions = [(a["href"], a.get_text()) for a in groups[1].find_all("ul")[1].find_all("a")]
    assert questions == [("/a/#what-happened", "What happened?"), ("/a/#what-next", "What next?")]
    updated = groups[1].find_all("ul")[1].find_all("li")[1].find("time")
    assert (updated["datetime"], updated.get_text()) == ("2017-02-01", "Feb 1, 2017")
    assert [a["href"] for a in groups[2].find_all("a")] == ["/c/", "/c/#loose"]
    assert parse(root / "output/a/index.html").find("p", class_="toc__more").find("a")["href"] == "/questions/"


def test_a_topic_with_many_explainers_gets_its_own_paginated_pages_of_questions(make_site, monkeypatch):
    import generator.site.lists
    monkeypatch.setattr(generator.site.lists, "PAGE_SIZE", 2)
    files = {f"content/s{n}.md": explainer(f"S{n}", BODY, topics="[Syria]", date=f"2017-01-1{n}") for n in range(5)}
    files |= {f"content/l{n}.md": explainer(f"L{n}", BODY, date=f"2017-01-2{n}") for n in range(4)}
    files["content/d.md"] = explainer("D", BODY, topics="[Diplomacy]")
    root = make_site(files)
    result = run_build(root)
    assert result.ok, messages(result)
    hub = parse(root / "output/questions/index.html")
    groups = {g.find("h2").get_text(): g for g in hub.find_all("section", class_="question-group")}
    assert list(groups) == ["Diplomacy", "Syria", "Other questions"]
    assert [h3.get_text() for h3 in groups["Syria"].find_all("h3")] == ["S4", "S3", "S2"]  # the newest three
    more = groups["Syria"].find("p", class_="question-group__more").find("a")
    assert (more["href"], more.get_text()) == ("/questions/syria/", "All questions on Syria")
    assert groups["Diplomacy"].find("p", class_="question-group__more") is None  # one explainer: shown whole
    loose_more = groups["Other questions"].find("p", class_="question-group__more").find("a")
    assert loose_more["href"] == "/questions/no-topic/"
    listed = [item["url"] for item in json_ld(hub, "CollectionPage")["mainEntity"]["itemListElement"]]
    assert len(listed) == 7  # the explainers the hub shows, each once

    pages = [parse(root / f"output/questions/syria/{rel}index.html") for rel in ("", "page/2/", "page/3/")]
    assert [[h2.get_text() for h2 in p.find_all("h2")] for p in pages] == [["S4", "S3"], ["S2", "S1"], ["S0"]]
    assert [p.find("h1").get_text() for p in pages] == ["Questions on Syria"] * 3
    assert [p.find("title").get_text() for p in pages] == [
        "Questions on Syria | Test Site", "Questions on Syria (page 2) | Test Site",
        "Questions on Syria (page 3) | Test Site"]
    assert pages[0].find("link", rel="next")["href"] == "/questions/syria/page/2/"
    assert pages[1].find("link", rel="prev")["href"] == "/questions/syria/"
    assert pages[0].find("a", href="/s4/#what-next") is not None
    assert pages[0].find(class_="list-page__label").find("a")["href"] == "/questions/"
    loose = parse(root / "output/questions/no-topic/page/2/index.html")
    assert loose.find("h1").get_text() == "Other questions"
    assert loose.find("title").get_text() == "Other questions (page 2) | Test Site"
    assert not (root / "output/questions/diplomacy").exists()
