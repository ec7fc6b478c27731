"""Feeds: Atom, RSS and JSON Feed for the site and each topic; absolute URLs, dates, updates, no leaks, escaping;
made with the sitemaps and hosting files by outputs/publish.py."""

import datetime as dt
import json
import xml.etree.ElementTree as etree

import feedparser
from conftest import SITE_YAML, explainer, messages, run_build

from generator.outputs.feeds import absolutize, xml_text

ATOM = "{http://www.w3.org/2005/Atom}"
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"></svg>'
BODY = ("Lede with a [link](/other/) and a note.[^n]\n\n![A chart](images/chart.svg)\n\n"
        "## What happened?\n\nThings & more.\n\n[^n]: The note.\n")
HOSTILE = '"Quotes" & <script>alert(1)</script> </script> ]]> مرحبا بالعالم'
FEEDS = ("feed.xml", "rss.xml", "feed.json")
XML_FEEDS = ("feed.xml", "rss.xml")  # feedparser 6.0 does not read JSON Feed; the validators check feed.json


def feed_site(make_site, site_yaml: str = SITE_YAML):
    return make_site({
        "content/a.md": explainer("Alpha", BODY, topics="[Syria]", authors="[ann]", date="2017-01-23",
                                  summary='["Point one", "Point two"]', dek='"Alpha dek"'),
        "content/b.md": explainer("Beta", topics="[Syria, Science]", date="2017-02-01T10:00:00+06:00"),
        "content/c.md": explainer("Gamma", date="2017-03-01"),
        "content/images/chart.svg": SVG,
    }, site_yaml)


def read(root, rel: str):
    """A built Atom or RSS feed, read by feedparser, which must not have found it broken."""
    parsed = feedparser.parse((root / "output" / rel).read_bytes())
    assert not parsed.bozo, (rel, parsed.get("bozo_exception"))
    return parsed


def json_feed(root, rel: str) -> dict:
    return json.loads((root / "output" / rel).read_text(encoding="utf-8"))


def test_site_and_topic_feeds_in_three_formats(make_site):
    root = feed_site(make_site)
    result = run_build(root)
    assert result.ok, messages(result)
    for base, titles in (("", ["Gamma", "Beta", "Alpha"]), ("topics/syria/", ["Beta", "Alpha"]),
                         ("topics/science/", ["Beta"])):
        for name in XML_FEEDS:
            parsed = read(root, base + name)
            assert [e.title for e in parsed.entries] == titles, base + name
            links = [link.href for link in parsed.feed.links if link.rel == "self"]
            assert links == [f"https://example.org/{base}{name}"]
        feed = json_feed(root, base + "feed.json")
        assert [i["title"] for i in feed["items"]] == titles
        assert feed["feed_url"] == f"https://example.org/{base}feed.json"
        assert feed["home_page_url"] == f"https://example.org/{base}"
    atom = read(root, "feed.xml")
    assert atom.feed.id == "https://example.org/feed.xml"
    alpha = atom.entries[2]
    assert alpha.id == alpha.link == "https://example.org/a/"
    assert alpha.published == "2017-01-23T00:00:00+03:00"  # midnight in the site's timezone, with its offset
    assert [a.name for a in alpha.authors] == ["Ann Writer"] and alpha.authors[0].href == "https://example.org/ann/"
    assert [t.term for t in alpha.tags] == ["Syria"]
    rss = read(root, "rss.xml")
    assert rss.entries[1].published == "Wed, 01 Feb 2017 10:00:00 +0600"
    assert rss.entries[1].id == "https://example.org/b/"


def test_full_content_has_absolute_urls(make_site):
    root = feed_site(make_site)
    assert run_build(root).ok
    atom = etree.parse(root / "output/feed.xml").getroot()
    content = atom.findall(f"{ATOM}entry")[2].find(f"{ATOM}content").text
    assert 'src="https://example.org/images/chart.svg"' in content
    assert 'href="https://example.org/other/"' in content
    assert 'href="https://example.org/a/#fn:n"' in content
    assert "Things &amp; more." in content
    rss = etree.parse(root / "output/rss.xml").getroot()
    assert rss.findall("channel/item")[2].find("{http://purl.org/rss/1.0/modules/content/}encoded").text == content
    item = json_feed(root, "feed.json")["items"][2]
    assert item["content_html"] == content
    assert item["summary"] == "Alpha dek"


def test_summary_mode_and_item_limit(make_site):
    root = feed_site(make_site, SITE_YAML + "feeds:\n  content: summary\n  items: 2\n")
    assert run_build(root).ok
    atom = read(root, "feed.xml")
    assert [e.title for e in atom.entries] == ["Gamma", "Beta"]
    syria = read(root, "topics/syria/feed.xml")
    assert [e.title for e in syria.entries] == ["Beta", "Alpha"]
    alpha = syria.entries[1]
    assert "content" not in alpha
    assert alpha.summary == "<p>Alpha dek</p><ul><li>Point one</li><li>Point two</li></ul>"
    items = json_feed(root, "topics/syria/feed.json")["items"]
    assert items[1]["content_html"] == alpha.summary
    assert "content:encoded" not in (root / "output/rss.xml").read_text(encoding="utf-8")


def test_an_update_moves_the_explainer_up_with_its_new_time(make_site):
    root = feed_site(make_site)
    assert run_build(root).ok
    before = read(root, "feed.xml")
    assert before.entries[2].updated == "2017-01-23T00:00:00+03:00"
    (root / "content/a.md").write_text(explainer("Alpha", BODY, topics="[Syria]", date="2017-01-23",
                                                 updated="2017-04-02T08:15:00+01:00"), encoding="utf-8")
    assert run_build(root).ok
    atom = read(root, "feed.xml")
    assert atom.entries[0].title == "Alpha"
    assert atom.entries[0].updated == "2017-04-02T08:15:00+01:00"
    assert atom.entries[0].published == "2017-01-23T00:00:00+03:00"
    assert atom.feed.updated == "2017-04-02T08:15:00+01:00"
    assert read(root, "rss.xml").feed.updated == "Sun, 02 Apr 2017 08:15:00 +0100"
    item = json_feed(root, "feed.json")["items"][0]
    assert (item["date_published"], item["date_modified"]) == ("2017-01-23T00:00:00+03:00",
                                                               "2017-04-02T08:15:00+01:00")


def test_drafts_and_scheduled_explainers_never_reach_a_feed(make_site):
    root = make_site({"content/ok.md": explainer("Visible", topics="[Shared]"),
                      "content/draft.md": explainer("Secret draft", draft="true", topics="[Shared, Hidden]"),
                      "content/later.md": explainer("Secret later", date="2027-01-01", topics="[Shared, Hidden]")})
    assert run_build(root).ok
    out = root / "output"
    for name in FEEDS:
        for base in ("", "topics/shared/"):
            text = (out / base / name).read_text(encoding="utf-8")
            assert "Visible" in text and "Secret" not in text and "/draft/" not in text and "/later/" not in text
    assert not (out / "topics/hidden").exists()


def test_hostile_text_stays_intact_and_inert_in_every_feed(make_site):
    root = make_site({"content/evil.md": explainer(HOSTILE.replace('"', '\\"'), dek=json.dumps(HOSTILE),
                                                   topics=json.dumps([HOSTILE]), lang="ar")})
    assert run_build(root).ok, "build"
    slug_dir = next(p for p in (root / "output/topics").iterdir())
    for base in ("", f"topics/{slug_dir.name}/"):
        for name in XML_FEEDS:
            entry = read(root, base + name).entries[0]
            assert entry.title == HOSTILE, base + name
            assert [t.term for t in entry.tags] == [HOSTILE], base + name
        etree.parse(root / "output" / base / "feed.xml")  # well-formed XML
        item = json_feed(root, base + "feed.json")["items"][0]
        assert (item["title"], item["summary"], item["tags"], item["language"]) == (HOSTILE, HOSTILE, [HOSTILE], "ar")
    atom = etree.parse(root / "output/feed.xml").getroot()
    assert atom.find(f"{ATOM}entry/{ATOM}title").text == HOSTILE
    assert atom.find(f"{ATOM}entry").get("{http://www.w3.org/XML/1998/namespace}lang") == "ar"


def test_absolutize_resolves_links_images_and_fragments_and_keeps_the_rest():
    html = ('<p>A &amp; B &#169; <a href="/x/">x</a> <a href="#fn:1">1</a> <a href="https://other.org/">o</a>'
            '<img src="images/a.png" srcset="images/a.png 1x, /b.png 2x" alt="a &quot;b&quot;"><br/></p>'
            '<!-- note --><svg><use href="#icon"/></svg><![CDATA[x]]>')
    out = absolutize(html, "https://example.org/sub/page/")
    assert out == ('<p>A &amp; B &#169; <a href="https://example.org/x/">x</a> '
                   '<a href="https://example.org/sub/page/#fn:1">1</a> <a href="https://other.org/">o</a>'
                   '<img src="https://example.org/sub/page/images/a.png" '
                   'srcset="https://example.org/sub/page/images/a.png 1x, https://example.org/b.png 2x" '
                   'alt="a &quot;b&quot;"><br/></p><!-- note --><svg><use href="#icon" /></svg><![CDATA[x]]>')


def test_characters_xml_cannot_hold_are_dropped():
    assert xml_text("a\x00b\x0bc\td\ne\u202ef") == "abc\td\ne\u202ef"


def test_empty_site_feeds_are_still_valid(make_site):
    root = make_site({})
    assert run_build(root).ok
    atom = read(root, "feed.xml")
    assert atom.entries == [] and atom.feed.updated.startswith(dt.date(2026, 11, 25).isoformat())
    assert read(root, "rss.xml").entries == []
