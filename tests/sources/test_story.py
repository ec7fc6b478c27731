"""An explainer's history: corrections and updates, its dated log and modified date; each checked in built pages
(related explainers and series: tests/site/test_navigation.py; question pages: tests/site/test_questions.py)."""

import json
import xml.etree.ElementTree as etree

import pytest
from conftest import explainer, messages, parse, run_build

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


