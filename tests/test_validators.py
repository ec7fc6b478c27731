"""Validators nobody on the team wrote, over the sample site and a hostile one: Nu Html Checker, feedparser,
the JSON Feed 1.1 schema, the sitemaps.org XSD, extruct; plus rules for what those leave unchecked."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

import extruct
import feedparser
import jsonschema
import pytest
from bs4 import BeautifulSoup
from conftest import REPO, messages, run_build
from lxml import etree
from tools import find_executable, find_node_file

BASE = "https://example.org/"
NOW = dt.datetime(2024, 3, 9, 12, 0, tzinfo=dt.UTC)  # a day after the sample's newest explainer: it is news
HOSTILE = '"Quotes" & <script>alert(1)</script> </script><!-- ]]> מה קורה? ما الخبر؟'
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
RFC822 = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
                    r"\d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$")
NEWS_LANGUAGE = re.compile(r"^([a-z]{2,3}|zh-cn|zh-tw)$")
ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
URL_KEYS = frozenset({"url", "@id", "item", "image", "logo"})


def hostile_site(root: Path) -> Path:
    """The sample site's settings with one explainer whose every text is hostile."""
    shutil.copy2(REPO / "site.yaml", root / "site.yaml")
    (root / "content/images").mkdir(parents=True)
    shutil.copy2(REPO / "content/images/astana-talks.svg", root / "content/images/hero.svg")
    shutil.copy2(REPO / "content/images/lena-moreau.svg", root / "content/images/lena-moreau.svg")  # site.yaml's
    text = json.dumps(HOSTILE)
    (root / "content/evil.md").write_text(
        f"---\ntitle: {text}\ndek: {text}\ndate: 2024-03-09T08:00:00+02:00\nauthors: [desk, {text}]\n"
        f"topics: [{text}]\nsummary: [{text}]\nhero:\n  image: images/hero.svg\n  alt: {text}\n"
        f"  caption: {text}\n---\n\nA lede; the body is trusted Markdown, front matter is not.\n\n"
        "## What is this?\n\nThis.\n",
        encoding="utf-8")
    for day in (1, 2, 3):  # older, and enough for the hostile topic to get its own pages of questions
        (root / f"content/plain-{day}.md").write_text(
            f"---\ntitle: Plain {day}\ndek: Plain.\ndate: 2024-03-0{day}T08:00:00+02:00\nauthors: [desk]\n"
            f"topics: [{text}]\nhero:\n  image: images/hero.svg\n  alt: A plain picture\n---\n\n"
            "A lede.\n\n## Why plain?\n\nBecause.\n", encoding="utf-8")
    return root


def build_for_now(root: Path) -> Path:
    result = run_build(root, now=NOW, use_cache=False)
    assert result.ok, messages(result)
    return root / "output"


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    """The output folder of the repository's sample site, built for NOW."""
    root = tmp_path_factory.mktemp("sample")
    shutil.copy2(REPO / "site.yaml", root / "site.yaml")
    shutil.copytree(REPO / "content", root / "content")
    return build_for_now(root)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    """The output folder of the hostile site, built for NOW."""
    return build_for_now(hostile_site(tmp_path_factory.mktemp("hostile")))


@pytest.fixture(scope="module")
def minified(tmp_path_factory) -> Path:
    """The output folder of the sample site built with minify_html: true."""
    root = tmp_path_factory.mktemp("minified")
    settings = (REPO / "site.yaml").read_text(encoding="utf-8")
    (root / "site.yaml").write_text(settings + "\nminify_html: true\n", encoding="utf-8")
    shutil.copytree(REPO / "content", root / "content")
    return build_for_now(root)


@pytest.fixture(scope="module")
def minified_without_description(tmp_path_factory) -> Path:
    """The sample site without a site description, built with minify_html: true."""
    root = tmp_path_factory.mktemp("minified-plain")
    settings = (REPO / "site.yaml").read_text(encoding="utf-8")
    plain = "".join(line for line in settings.splitlines(keepends=True) if not line.startswith("description:"))
    assert plain != settings, "the sample's site.yaml has no description to leave out"
    (root / "site.yaml").write_text(plain + "\nminify_html: true\n", encoding="utf-8")
    shutil.copytree(REPO / "content", root / "content")
    return build_for_now(root)


@pytest.fixture(params=["sample", "hostile"])
def site(request) -> Path:
    """Each of the two sites' output folders."""
    return request.getfixturevalue(request.param)


def url_of(out: Path, file: Path) -> str:
    """The absolute URL a built file is served at, percent-encoded as nutgraf writes URLs."""
    return BASE + quote(file.relative_to(out).as_posix().removesuffix("index.html"))


def site_pages(out: Path) -> list[Path]:
    """Every HTML page of a built site except the redirect pages left at old paths (aliases)."""
    return [path for path in sorted(out.rglob("*.html"))
            if 'http-equiv="refresh"' not in path.read_text(encoding="utf-8")[:2000]]


EXTERNAL_HOSTS = {"example.net", "bsky.app", "mastodon.example", "www.linkedin.com"}  # the sample authors' pages


def assert_absolute(url: str) -> None:
    parts = urlsplit(url)
    assert parts.scheme == "https" and (parts.netloc == "example.org" or parts.netloc in EXTERNAL_HOSTS), url


def assert_rfc3339(value: str) -> None:
    assert RFC3339.match(value), value
    assert dt.datetime.fromisoformat(value).tzinfo is not None


def assert_html_urls_absolute(html: str) -> None:
    for el in BeautifulSoup(html, "html.parser").find_all(True):
        for attr in ("href", "src"):
            if el.get(attr) and urlsplit(el[attr]).netloc not in ("", "example.org"):  # a source elsewhere
                assert urlsplit(el[attr]).scheme in ("http", "https"), el[attr]
            elif el.get(attr):
                assert_absolute(el[attr])


# The Nu Html Checker

@pytest.mark.parametrize("name", ["sample", "hostile", "minified", "minified_without_description"])
def test_nu_html_checker_reports_no_errors(request, name):
    """Every page, the alias redirect pages and minified HTML included."""
    site = request.getfixturevalue(name)
    java = find_executable("Java", ("java",), "JAVA", "install a Java runtime: apt-get install default-jre-headless")
    jar = find_node_file("vnu-jar", "build/dist/vnu.jar")
    pages = sorted(str(p) for p in site.rglob("*.html"))
    assert len(pages) >= 5
    if name != "hostile":
        assert (site / "2017/01/syria-astana-talks/index.html").is_file(), "the sample's alias page is missing"
    if name.startswith("minified"):
        assert "\n  " not in (site / "index.html").read_text(encoding="utf-8"), "the HTML was not minified"
    run = subprocess.run([str(java), "-jar", str(jar), "--errors-only", "--format", "json", *pages],
                         capture_output=True, text=True, timeout=600, check=False)
    report = json.loads(run.stderr or run.stdout)
    errors = [f"{m.get('url', '')}:{m.get('lastLine', '')}: {m['message']}" for m in report["messages"]]
    assert errors == []
    assert run.returncode == 0


# Feeds

def xml_feeds(out: Path, name: str) -> list[Path]:
    feeds = sorted(out.rglob(name))
    assert out / name in feeds and len(feeds) >= 2  # the site's and at least one topic's
    return feeds


def test_atom_feeds_parse_and_have_required_elements(site):
    for path in xml_feeds(site, "feed.xml"):
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.version == "atom10"
        feed = etree.parse(str(path)).getroot()
        assert feed.tag == f"{ATOM}feed"
        assert feed.findtext(f"{ATOM}id") == url_of(site, path) and feed.findtext(f"{ATOM}title")
        assert_rfc3339(feed.findtext(f"{ATOM}updated"))
        assert [link.get("href") for link in feed.findall(f"{ATOM}link[@rel='self']")] == [url_of(site, path)]
        assert feed.find(f"{ATOM}author/{ATOM}name").text
        entries = feed.findall(f"{ATOM}entry")
        ids = [e.findtext(f"{ATOM}id") for e in entries]
        assert entries and len(set(ids)) == len(ids)
        for entry in entries:
            assert_absolute(entry.findtext(f"{ATOM}id"))
            assert_absolute(entry.find(f"{ATOM}link[@rel='alternate']").get("href"))
            assert entry.findtext(f"{ATOM}title")
            for tag in ("published", "updated"):
                assert_rfc3339(entry.findtext(f"{ATOM}{tag}"))
            assert entry.find(f"{ATOM}author/{ATOM}uri") is not None
            assert_html_urls_absolute(entry.findtext(f"{ATOM}content"))


def test_rss_feeds_parse_and_have_required_elements(site):
    for path in xml_feeds(site, "rss.xml"):
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.version == "rss20"
        channel = etree.parse(str(path)).getroot().find("channel")
        assert channel.findtext("title") and channel.findtext("description")
        assert_absolute(channel.findtext("link"))
        assert [a.get("href") for a in channel.findall(f"{ATOM}link[@rel='self']")] == [url_of(site, path)]
        assert RFC822.match(channel.findtext("lastBuildDate"))
        items = channel.findall("item")
        guids = [i.findtext("guid") for i in items]
        assert items and len(set(guids)) == len(guids)
        for item in items:
            assert item.findtext("title")
            assert_absolute(item.findtext("link"))
            assert item.find("guid").get("isPermaLink") == "true"
            assert_absolute(item.findtext("guid"))
            assert RFC822.match(item.findtext("pubDate")), item.findtext("pubDate")
            assert parsedate_to_datetime(item.findtext("pubDate")).tzinfo is not None
            assert_html_urls_absolute(item.findtext("{http://purl.org/rss/1.0/modules/content/}encoded"))


def test_json_feeds_match_the_json_feed_1_1_schema(site):
    schema = json.loads(find_node_file("jsonfeed-schema", "schema-v1.1.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    for path in xml_feeds(site, "feed.json"):
        feed = json.loads(path.read_text(encoding="utf-8"))
        problems = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(feed)]
        assert problems == [], path
        assert feed["version"] == "https://jsonfeed.org/version/1.1"
        assert feed["feed_url"] == url_of(site, path)
        ids = [item["id"] for item in feed["items"]]
        assert ids and len(set(ids)) == len(ids)
        for item in feed["items"]:
            assert_absolute(item["url"])
            assert_absolute(item["image"])
            assert_rfc3339(item["date_published"])
            assert_rfc3339(item["date_modified"])
            assert_html_urls_absolute(item["content_html"])


# Sitemaps and robots.txt

def test_sitemap_validates_against_the_sitemaps_org_schema(site):
    schema = etree.XMLSchema(etree.parse(str(find_node_file("sitemap", "schema/sitemap.xsd"))))
    document = etree.parse(str(site / "sitemap.xml"))
    assert schema.validate(document), schema.error_log
    # Not the 404 page, nor the card embeds, which are for other sites' iframes.
    pages = {url_of(site, p) for p in site_pages(site) if p.name != "404.html" and p.parent.name != "embed"}
    urls = document.getroot().findall(f"{SM}url")
    assert {u.findtext(f"{SM}loc") for u in urls} == pages
    for url in urls:
        assert_rfc3339(url.findtext(f"{SM}lastmod"))


def test_news_sitemap_follows_google_news_rules(site):
    root = etree.parse(str(site / "news-sitemap.xml")).getroot()
    assert root.tag == f"{SM}urlset"
    urls = root.findall(f"{SM}url")
    assert 1 <= len(urls) <= 1000
    for url in urls:
        assert_absolute(url.findtext(f"{SM}loc"))
        (news,) = url.findall(f"{NEWS}news")
        language = news.findtext(f"{NEWS}publication/{NEWS}language")
        assert NEWS_LANGUAGE.match(language)
        # Each language's publication is named as site.yaml's languages: name it there.
        assert news.findtext(f"{NEWS}publication/{NEWS}name") == {"ar": "غرفة أخبار نتغراف النموذجية"}.get(
            language, "Nutgraf Sample Newsroom")
        published = news.findtext(f"{NEWS}publication_date")
        assert_rfc3339(published)
        assert NOW - dt.timedelta(days=2) <= dt.datetime.fromisoformat(published) <= NOW
        assert news.findtext(f"{NEWS}title")


def test_robots_txt_names_the_sitemaps(site):
    lines = (site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in lines
    assert [x.split(": ", 1)[1] for x in lines if x.startswith("Sitemap: ")] == [
        BASE + "sitemap.xml", BASE + "news-sitemap.xml"]


# Structured data and meta tags

def json_ld_urls(value, key: str = "") -> list[str]:
    """Every URL-valued property in a JSON-LD tree."""
    if isinstance(value, dict):
        return [u for k, v in value.items() for u in json_ld_urls(v, k)]
    if isinstance(value, list):
        return [u for v in value for u in json_ld_urls(v, key)]
    return [value] if key in URL_KEYS and isinstance(value, str) else []


def structured(path: Path, url: str) -> dict[str, dict]:
    data = extruct.extract(path.read_text(encoding="utf-8"), base_url=url, syntaxes=["json-ld"], uniform=False)
    found = {item["@type"]: item for item in data["json-ld"]}
    assert len(found) == len(data["json-ld"])
    for item in found.values():
        assert item["@context"] == "https://schema.org"
        for link in json_ld_urls(item):
            assert_absolute(link)
    return found


def check_article(article: dict, page: BeautifulSoup, url: str) -> None:
    for key in ("headline", "description", "image", "datePublished", "dateModified", "author", "publisher",
                "mainEntityOfPage", "inLanguage", "articleSection", "keywords"):
        assert article.get(key), (url, key)
    assert len(article["headline"]) <= 110
    assert_rfc3339(article["datePublished"])
    assert_rfc3339(article["dateModified"])
    for author in article["author"]:
        assert author["@type"] in ("Person", "Organization") and author["name"] and author["url"]
    publisher = article["publisher"]
    assert publisher["@type"] == "Organization" and publisher["name"] and publisher["logo"]["url"]
    assert article["mainEntityOfPage"]["@id"] == url == page.find("link", rel="canonical")["href"]
    assert article["inLanguage"] == page.html["lang"]
    times = [t["datetime"] for t in page.select(".explainer__header time")]
    assert times[0] == article["datePublished"] and times[-1] == article["dateModified"]


def check_profile(data: dict, page: BeautifulSoup, url: str) -> None:
    """An author's page: a ProfilePage (Google's profile-page structured data) whose mainEntity is the author."""
    if "/page/" in url:
        assert set(data) == {"CollectionPage"}
        return
    assert set(data) == {"ProfilePage"}
    profile = data["ProfilePage"]
    assert profile["url"] == url and profile["inLanguage"] == page.html["lang"]
    entity = profile["mainEntity"]
    assert entity["@type"] in ("Person", "Organization") and entity["name"] == page.h1.get_text()
    assert_absolute(entity["url"])
    if "jobTitle" in entity:
        assert entity["@type"] == "Person" and entity["jobTitle"] == page.select_one(".author-profile__role").text
    if "image" in entity:
        assert entity["image"].endswith(page.select_one(".author-profile__photo")["src"])
    shown = [a["href"] for a in page.select(".author-profile__links a")]
    mail = [f"mailto:{entity['email']}"] if "email" in entity else []
    assert sorted(shown) == sorted(mail + entity.get("sameAs", []))
    for link in entity.get("sameAs", []):
        assert_absolute(link)


def test_json_ld_of_every_page_type_has_every_property(site):
    kinds = set()
    for path in site_pages(site):
        url = url_of(site, path)
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        data = structured(path, url)
        assert not {"FAQPage", "QAPage"} & set(data)
        kind = page.body["class"][0].removeprefix("page-")
        kinds.add(kind)
        if kind == "explainer":
            assert set(data) == {"BackgroundNewsArticle", "BreadcrumbList"}
            check_article(data["BackgroundNewsArticle"], page, url)
        elif kind == "home":
            assert {"WebSite", "CollectionPage"} <= set(data)
        elif kind == "topic":
            assert set(data) == {"BreadcrumbList", "CollectionPage"}
            crumbs = data["BreadcrumbList"]["itemListElement"]
            assert [c["position"] for c in crumbs] == list(range(1, len(crumbs) + 1)) and crumbs[-1]["item"] == url
        elif kind == "author":
            check_profile(data, page, url)
        if "CollectionPage" in data:
            assert data["CollectionPage"]["url"] == url and data["CollectionPage"]["mainEntity"]["itemListElement"]
    assert {"explainer", "home", "topic", "author", "404"} <= kinds


def test_every_page_has_search_and_preview_meta(site):
    for path in site_pages(site):
        if path.parent.name == "embed":  # a card for other sites' iframes: noindex, its canonical the card's page
            continue
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        assert page.title.string and page.find("meta", attrs={"name": "description"})["content"]
        assert page.html["lang"] and page.html["dir"] in ("ltr", "rtl")
        assert_absolute(page.find("link", rel="canonical")["href"])
        feeds = {link["type"]: link["href"] for link in page.find_all("link", rel="alternate", hreflang=False)}
        assert set(feeds) == {"application/atom+xml", "application/rss+xml", "application/feed+json"}, path
        assert page.find("link", rel="icon") is not None
        og = {m["property"]: m["content"] for m in page.find_all("meta", property=True)}
        assert {"og:type", "og:title", "og:description", "og:url", "og:site_name"} <= set(og)
        if og["og:type"] == "article":
            assert {"og:image", "og:image:width", "og:image:height", "og:image:alt", "article:published_time",
                    "article:modified_time", "article:section", "article:tag", "article:author"} <= set(og)
            assert page.find("meta", attrs={"name": "twitter:card"})["content"] == "summary_large_image"
        if path.name != "404.html":
            assert page.find("meta", attrs={"name": "robots"})["content"] == "max-image-preview:large"


def test_hostile_text_is_intact_everywhere(hostile):
    site = hostile
    page = BeautifulSoup((site / "evil/index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.h1.get_text() == HOSTILE
    assert [s["type"] for s in page.find_all("script")] == ["application/ld+json"] * 2
    article = structured(site / "evil/index.html", BASE + "evil/")["BackgroundNewsArticle"]
    assert (article["headline"], article["description"], article["keywords"]) == (HOSTILE, HOSTILE, [HOSTILE])
    assert article["author"][1]["name"] == HOSTILE
    for name in ("feed.xml", "rss.xml"):
        entry = feedparser.parse((site / name).read_bytes()).entries[0]
        assert entry.title == HOSTILE
    assert json.loads((site / "feed.json").read_text(encoding="utf-8"))["items"][0]["title"] == HOSTILE
    news = etree.parse(str(site / "news-sitemap.xml")).getroot()
    assert news.findtext(f"{SM}url/{NEWS}news/{NEWS}title") == HOSTILE
    [questions] = (site / "questions").glob("*/index.html")  # the hostile topic's own page of questions
    page = BeautifulSoup(questions.read_text(encoding="utf-8"), "html.parser")
    assert page.h1.get_text() == f"Questions on {HOSTILE}"
    assert page.title.get_text() == f"Questions on {HOSTILE} | The Nutgraf Explainer"
