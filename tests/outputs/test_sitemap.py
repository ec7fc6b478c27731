"""Sitemaps and robots.txt: every page with lastmod, the split into an index, the Google News window, no leaks."""

import datetime as dt
import json
import xml.etree.ElementTree as etree
from pathlib import Path

from conftest import NOW, SITE_YAML, explainer, messages, run_build
from lxml import etree as lxml_etree
from tools import find_node_file

from generator.outputs.sitemap import SitemapEntry, news_expiry, news_language, news_sitemap, sitemap_files
from generator.site.model import Explainer, Site
from generator.sources.config import Publisher, SiteConfig

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
CONFIG = SiteConfig(title="T", root=Path("."), base_url="https://example.org/sub/", publisher=Publisher("The Daily"))
HOSTILE = '"Quotes" & <script>alert(1)</script> </script> مرحبا'


def locs(data: bytes, tag: str = "url") -> list[tuple[str, str | None]]:
    root = etree.fromstring(data)
    return [(u.findtext(f"{SM}loc"), u.findtext(f"{SM}lastmod")) for u in root.findall(f"{SM}{tag}")]


def make_explainer(slug: str, date: dt.datetime, lang: str = "en") -> Explainer:
    return Explainer(source=f"content/{slug}.md", slug=slug, path=f"/{slug}/", title=slug.title(), dek="",
                     description="", date=date, updated=None, authors=(), topics=(), hero=None, summary=(),
                     sections=(), body_digest="", lang=lang, dir="ltr")


def test_every_page_but_the_404_is_listed_with_its_lastmod(make_site):
    root = make_site({"content/a.md": explainer("A", topics="[Syria]", authors="[ann]", date="2017-01-23",
                                                updated="2017-02-01T10:00:00+06:00"),
                      "content/b.md": explainer("B", topics="[Syria]", date="2017-01-25"),
                      "content/c.md": explainer("C", date="2017-01-24")})
    assert run_build(root).ok
    out = root / "output"
    listed = dict(locs((out / "sitemap.xml").read_bytes()))
    pages = {"https://example.org/" + p.relative_to(out).as_posix().removesuffix("index.html")
             for p in out.rglob("*.html") if p.name != "404.html"}
    shares = {url for url in pages if "/q/" in url}  # question share pages: redirects, canonical at the question
    assert shares == {f"https://example.org/{slug}/q/what-happened/" for slug in "abc"}
    assert set(listed) == pages - shares
    assert listed["https://example.org/a/"] == "2017-02-01T10:00:00+06:00"
    assert listed["https://example.org/b/"] == "2017-01-25T00:00:00+03:00"
    assert listed["https://example.org/"] == "2017-02-01T10:00:00+06:00"  # the newest explainer it lists
    assert listed["https://example.org/page/2/"] == "2017-01-24T00:00:00+03:00"
    assert listed["https://example.org/authors/ann/"] == "2017-02-01T10:00:00+06:00"
    assert all(lastmod for lastmod in listed.values())


def test_past_the_limits_the_sitemap_becomes_an_index():
    entries = [SitemapEntry(f"https://example.org/sub/e{n}/", dt.datetime(2017, 1, n + 1, tzinfo=dt.UTC))
               for n in range(5)]
    assert list(sitemap_files(entries, CONFIG)) == ["sitemap.xml"]
    files = sitemap_files(entries, CONFIG, max_urls=2)
    assert sorted(files) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap.xml"]
    assert etree.fromstring(files["sitemap.xml"]).tag == f"{SM}sitemapindex"
    assert locs(files["sitemap.xml"], "sitemap") == [
        ("https://example.org/sub/sitemap-1.xml", "2017-01-02T00:00:00+00:00"),
        ("https://example.org/sub/sitemap-2.xml", "2017-01-04T00:00:00+00:00"),
        ("https://example.org/sub/sitemap-3.xml", "2017-01-05T00:00:00+00:00")]
    parts = [locs(files[f"sitemap-{n}.xml"]) for n in (1, 2, 3)]
    assert [loc for part in parts for loc, _ in part] == [e.loc for e in entries]
    one = len(sitemap_files(entries[:1], CONFIG)["sitemap.xml"])
    by_size = sitemap_files(entries, CONFIG, max_bytes=one + 10)
    assert len(by_size) == 6  # one URL each, and the index
    assert all(len(data) <= one + 10 for name, data in by_size.items() if name != "sitemap.xml")


def test_news_sitemap_holds_the_last_two_days_newest_first_up_to_the_limit():
    now = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
    site = Site(explainers=(
        make_explainer("future", now + dt.timedelta(hours=1)),  # only there with --future
        make_explainer("fresh", now - dt.timedelta(hours=3), "zh-Hant"),
        make_explainer("edge", now - dt.timedelta(days=2)),
        make_explainer("stale", now - dt.timedelta(days=2, seconds=1)),
        make_explainer("older", now - dt.timedelta(days=1)),
    ), topics=(), authors=(), by_topic={}, by_author={})
    root = etree.fromstring(news_sitemap(site, CONFIG, now))
    urls = root.findall(f"{SM}url")
    assert [u.findtext(f"{SM}loc") for u in urls] == ["https://example.org/sub/fresh/", "https://example.org/sub/older/",
                                                    "https://example.org/sub/edge/"]
    news = urls[0].find(f"{NEWS}news")
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "The Daily"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "zh-tw"
    assert news.findtext(f"{NEWS}publication_date") == "2026-11-25T09:00:00+00:00"
    assert news.findtext(f"{NEWS}title") == "Fresh"
    assert len(etree.fromstring(news_sitemap(site, CONFIG, now, limit=2)).findall(f"{SM}url")) == 2
    # a cached rebuild must not outlive the window: the "edge" explainer drops out right now
    assert news_expiry(site, now) == now
    assert news_expiry(site, now - dt.timedelta(days=3)) is None
    assert news_expiry(site, now + dt.timedelta(hours=2)) == now + dt.timedelta(days=1)


def test_news_language_codes():
    assert [news_language(x) for x in ("en", "pt-BR", "AR", "zh-CN", "zh-Hans", "zh-TW")] == [
        "en", "pt", "ar", "zh-cn", "zh-cn", "zh-tw"]


def test_robots_txt_names_both_sitemaps_under_the_sub_path(make_site):
    root = make_site({"content/a.md": explainer("A", date=(NOW - dt.timedelta(hours=5)).isoformat())})
    assert run_build(root, base_url="https://example.org/explainers/").ok
    lines = (root / "output/robots.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "User-agent: *"
    assert [x for x in lines if x.startswith("Sitemap:")] == [
        "Sitemap: https://example.org/explainers/sitemap.xml",
        "Sitemap: https://example.org/explainers/news-sitemap.xml"]


def test_drafts_and_scheduled_explainers_never_reach_a_sitemap(make_site):
    recent = (NOW - dt.timedelta(hours=5)).isoformat()
    root = make_site({"content/ok.md": explainer("Visible", date=recent),
                      "content/draft.md": explainer("Secret draft", draft="true", date=recent),
                      "content/later.md": explainer("Secret later", date=(NOW + dt.timedelta(hours=1)).isoformat())})
    result = run_build(root)
    assert result.ok, messages(result)
    for name in ("sitemap.xml", "news-sitemap.xml"):
        text = (root / "output" / name).read_text(encoding="utf-8")
        assert "/ok/" in text and "/draft/" not in text and "/later/" not in text and "Secret" not in text
    # a preview build with --future lists the scheduled page in sitemap.xml, but it is not news before its time
    assert run_build(root, future=True).ok
    assert "/later/" not in (root / "output/news-sitemap.xml").read_text(encoding="utf-8")


def test_hostile_title_stays_intact_in_the_news_sitemap(make_site):
    root = make_site({"content/evil.md": explainer(HOSTILE.replace('"', '\\"'), dek=json.dumps(HOSTILE),
                                                   date=(NOW - dt.timedelta(hours=1)).isoformat(), lang="ar")},
                     SITE_YAML.replace("name: Test Newsroom", 'name: "Test & <Newsroom>"'))
    assert run_build(root).ok
    root_el = etree.parse(root / "output/news-sitemap.xml").getroot()
    news = root_el.find(f"{SM}url/{NEWS}news")
    assert news.findtext(f"{NEWS}title") == HOSTILE
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "Test & <Newsroom>"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "ar"


def test_urls_are_escaped_as_xml_and_read_back_whole():
    """Site paths keep & and ' unquoted (they are legal in URLs); the sitemap escapes them, and < > " too."""
    loc = """https://example.org/sub/q&a/it's/<b>"x"/"""
    data = sitemap_files([SitemapEntry(loc, None)], CONFIG)["sitemap.xml"]
    assert b"q&amp;a/it&apos;s/&lt;b&gt;&quot;x&quot;/" in data
    assert locs(data) == [(loc, None)]


def test_no_news_sitemap_without_news_and_every_sitemap_written_is_valid(make_site):
    schema = lxml_etree.XMLSchema(lxml_etree.parse(str(find_node_file("sitemap", "schema/sitemap.xsd"))))
    root = make_site({"content/old.md": explainer("Old", date="2017-01-23")})
    assert run_build(root).ok
    written = sorted((root / "output").glob("*sitemap*.xml"))
    for path in written:  # an empty <urlset> fails here: <url> is required
        assert schema.validate(lxml_etree.parse(str(path))), (path.name, schema.error_log)
    assert [p.name for p in written] == ["sitemap.xml"]
    robots = (root / "output/robots.txt").read_text(encoding="utf-8")
    assert "news-sitemap.xml" not in robots and "Sitemap: https://example.org/sitemap.xml" in robots


def test_the_news_sitemap_is_removed_when_its_last_entry_turns_two_days_old(make_site):
    root = make_site({"content/a.md": explainer("A", date=(NOW - dt.timedelta(hours=5)).isoformat())})
    assert run_build(root).ok
    assert (root / "output/news-sitemap.xml").is_file()
    assert run_build(root, now=NOW + dt.timedelta(days=2)).ok
    assert not (root / "output/news-sitemap.xml").exists()
    assert "news-sitemap.xml" not in (root / "output/robots.txt").read_text(encoding="utf-8")
    assert news_sitemap(Site((), (), (), {}, {}), CONFIG, NOW) is None
