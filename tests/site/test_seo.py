"""Page metadata and JSON-LD: titles, Open Graph, feed links, structured data, headline warnings, escaping."""

import json
import shutil

from conftest import SITE_YAML, SITES, explainer, messages, parse, run_build
from samples import photo

from generator.site.seo import json_ld, og_locale

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}"></svg>'
HERO = '\n  image: images/hero.svg\n  alt: "A round table"'
HOSTILE = '"Quotes" & <script>alert(1)</script> </script><!-- مرحبا بالعالم'


def structured(page) -> dict[str, dict]:
    """The page's JSON-LD objects by @type."""
    found = {}
    for script in page.find_all("script", type="application/ld+json"):
        data = json.loads(script.string)
        found[data["@type"]] = data
    return found


def meta(page, key: str) -> list[str]:
    """Contents of every <meta property=key> or <meta name=key>."""
    tags = page.find_all("meta", property=key) or page.find_all("meta", attrs={"name": key})
    return [t["content"] for t in tags]


def social_site(make_site):
    front = {
        "dek": '"The dek"', "date": "2017-01-23T09:30:00+03:00", "updated": "2017-01-24T11:00:00+06:00",
        "authors": '[ann, "Sam Reed", desk]', "topics": "[Syria, Diplomacy]", "hero": HERO,
        "seo_title": '"Astana talks: what comes next"', "social_title": '"Peace talks, explained"',
        "social_description": '"Five questions about Astana"',
        "social_image": '\n  image: images/card.svg\n  alt: "A map of Kazakhstan"',
    }
    yaml = SITE_YAML + "  desk:\n    name: The Desk\n    type: organization\n"
    return make_site({"content/talks.md": explainer("Syrian rebels and the regime have started peace talks", **front),
                      "content/images/hero.svg": SVG.format(w=1600, h=900),
                      "content/images/card.svg": SVG.format(w=1200, h=630)}, yaml)


def test_json_ld_cannot_end_its_script_element_and_round_trips():
    data = {"headline": HOSTILE + " & \u2028", "n": 1, "list": ["<b>"]}
    text = str(json_ld(data))
    for unsafe in ("<", ">", "&", "\u2028"):
        assert unsafe not in text
    assert json.loads(text) == data


def test_front_matter_overrides_reach_title_open_graph_and_twitter(make_site):
    root = social_site(make_site)
    result = run_build(root)
    assert result.ok, messages(result)
    page = parse(root / "output/talks/index.html")
    assert page.find("title").get_text() == "Astana talks: what comes next | Test Site"
    assert meta(page, "description") == ["The dek"]
    assert page.find("link", rel="canonical")["href"] == "https://example.org/talks/"
    assert meta(page, "og:type") == ["article"]
    assert meta(page, "og:title") == ["Peace talks, explained"]
    assert meta(page, "og:description") == ["Five questions about Astana"]
    assert meta(page, "og:url") == ["https://example.org/talks/"]
    assert meta(page, "og:site_name") == ["Test Site"]
    # an SVG social image is drawn into the share card, whose words are the social title
    assert meta(page, "og:image") == ["https://example.org/talks/share.jpg"]
    assert (meta(page, "og:image:width"), meta(page, "og:image:height")) == (["1200"], ["630"])
    assert meta(page, "og:image:alt") == ["Peace talks, explained"]
    assert meta(page, "twitter:card") == ["summary_large_image"]
    assert meta(page, "article:published_time") == ["2017-01-23T09:30:00+03:00"]
    assert meta(page, "article:modified_time") == ["2017-01-24T11:00:00+06:00"]
    assert meta(page, "article:section") == ["Syria"]
    assert meta(page, "article:tag") == ["Syria", "Diplomacy"]
    assert meta(page, "article:author") == ["https://example.org/ann/", "https://example.org/authors/sam-reed/",
                                            "https://example.org/authors/desk/"]
    assert meta(page, "robots") == ["max-image-preview:large"]
    assert page.find("h1").get_text() == "Syrian rebels and the regime have started peace talks"


def test_explainer_json_ld_has_every_property_and_matches_visible_dates(make_site):
    root = social_site(make_site)
    assert run_build(root).ok
    page = parse(root / "output/talks/index.html")
    data = structured(page)
    assert set(data) == {"BackgroundNewsArticle", "BreadcrumbList"}
    article = data["BackgroundNewsArticle"]
    assert article["@context"] == "https://schema.org"
    assert article["headline"] == "Astana talks: what comes next"
    assert article["description"] == "The dek"
    assert article["image"] == ["https://example.org/images/card.svg", "https://example.org/images/hero.svg"]
    assert article["author"] == [
        {"@type": "Person", "name": "Ann Writer", "url": "https://example.org/ann/"},
        {"@type": "Person", "name": "Sam Reed", "url": "https://example.org/authors/sam-reed/"},
        {"@type": "Organization", "name": "The Desk", "url": "https://example.org/authors/desk/"}]
    assert article["publisher"]["@type"] == "Organization" and article["publisher"]["name"] == "Test Newsroom"
    assert article["publisher"]["logo"]["url"] == "https://example.org/static/favicon.svg"
    assert article["mainEntityOfPage"] == {"@type": "WebPage", "@id": "https://example.org/talks/"}
    assert (article["inLanguage"], article["articleSection"], article["keywords"]) == ("en", "Syria",
                                                                                      ["Syria", "Diplomacy"])
    times = [t["datetime"] for t in page.select("article time")]
    assert times == [article["datePublished"], article["dateModified"]]
    assert times == ["2017-01-23T09:30:00+03:00", "2017-01-24T11:00:00+06:00"]
    crumbs = data["BreadcrumbList"]["itemListElement"]
    assert [(c["position"], c["name"], c["item"]) for c in crumbs] == [
        (1, "Test Site", "https://example.org/"), (2, "Syria", "https://example.org/topics/syria/"),
        (3, "Astana talks: what comes next", "https://example.org/talks/")]


def test_list_pages_have_collection_website_and_breadcrumbs_and_never_faq(make_site):
    root = make_site({"content/a.md": explainer("A", topics="[Syria]", authors="[ann]"),
                      "content/b.md": explainer("B", topics="[Syria]", date="2017-02-01"),
                      "content/c.md": explainer("C", topics="[Syria]", date="2017-03-01")})
    assert run_build(root).ok
    out = root / "output"
    home = structured(parse(out / "index.html"))
    assert set(home) == {"WebSite", "CollectionPage"}
    assert home["WebSite"]["url"] == "https://example.org/" and home["WebSite"]["name"] == "Test Site"
    listed = home["CollectionPage"]["mainEntity"]["itemListElement"]
    assert [i["url"] for i in listed] == ["https://example.org/c/", "https://example.org/b/"]  # page_size 2
    assert set(structured(parse(out / "page/2/index.html"))) == {"CollectionPage"}
    topic = structured(parse(out / "topics/syria/index.html"))
    assert set(topic) == {"BreadcrumbList", "CollectionPage"}
    assert [c["item"] for c in topic["BreadcrumbList"]["itemListElement"]] == [
        "https://example.org/", "https://example.org/topics/syria/"]
    second = structured(parse(out / "topics/syria/page/2/index.html"))["BreadcrumbList"]["itemListElement"]
    assert second[-1]["item"] == "https://example.org/topics/syria/page/2/"
    assert set(structured(parse(out / "authors/ann/index.html"))) == {"ProfilePage"}  # test_author_pages_*
    assert structured(parse(out / "404.html")) == {}
    for html in out.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert "FAQPage" not in text and "QAPage" not in text


def test_every_page_links_its_feeds_and_topic_pages_their_own(make_site):
    root = make_site({"content/a.md": explainer("A", topics="[Syria]", authors="[ann]")})
    assert run_build(root).ok
    out = root / "output"
    site_feeds = [("application/atom+xml", "https://example.org/feed.xml"),
                  ("application/rss+xml", "https://example.org/rss.xml"),
                  ("application/feed+json", "https://example.org/feed.json")]
    for rel in ("index.html", "a/index.html", "authors/ann/index.html", "404.html", "topics/syria/index.html"):
        page = parse(out / rel)
        links = [(link["type"], link["href"]) for link in page.find_all("link", rel="alternate")]
        assert links[:3] == site_feeds, rel
        assert page.find("link", rel="icon")["href"] == "/static/favicon.svg"
        assert (out / page.find("link", rel="icon")["href"].lstrip("/")).is_file()
    topic = [link["href"] for link in parse(out / "topics/syria/index.html").find_all("link", rel="alternate")]
    assert topic[3:] == ["https://example.org/topics/syria/feed.xml", "https://example.org/topics/syria/rss.xml",
                         "https://example.org/topics/syria/feed.json"]


def test_right_to_left_explainer_sets_lang_and_dir_everywhere(make_site):
    root = make_site({"content/r.md": explainer("لماذا يتغير موعد شهر رمضان؟", lang="ar")})
    assert run_build(root).ok
    page = parse(root / "output/r/index.html")
    assert (page.html["lang"], page.html["dir"]) == ("ar", "rtl")
    assert structured(page)["BackgroundNewsArticle"]["inLanguage"] == "ar"


def test_long_headline_warns_with_file_and_line_unless_seo_title_is_short(make_site):
    long = "Why " + "very " * 25 + "long headlines get cut off"
    root = make_site({"content/long.md": explainer(long)})
    result = run_build(root)
    assert result.ok
    warning = [d for d in result.diagnostics if "headline" in d.message]
    assert len(warning) == 1
    assert (warning[0].severity, warning[0].path, warning[0].line) == ("warning", "content/long.md", 2)
    assert "seo_title" in warning[0].hint
    (root / "content/long.md").write_text(explainer(long, seo_title='"Why long headlines get cut off"'))
    result = run_build(root)
    assert result.ok and not [d for d in result.diagnostics if "headline" in d.message]


def test_social_image_is_checked_like_the_hero(make_site):
    root = make_site({"content/a.md": explainer("A", hero=HERO, social_image="images/none.png"),
                      "content/images/hero.svg": SVG.format(w=10, h=10)})
    result = run_build(root)
    assert not result.ok
    assert any("social image 'images/none.png' does not exist" in m and "content/a.md:" in m
               for m in messages(result))
    # the same file as the hero borrows its alt text; another image without alt text is a warning
    (root / "content/a.md").write_text(explainer("A", hero=HERO, social_image="images/hero.svg"))
    result = run_build(root)
    assert result.ok and not result.diagnostics
    # (the share card drawn with an SVG says the headline: its alt text is the headline)
    assert meta(parse(root / "output/a/index.html"), "og:image:alt") == ["A"]
    (root / "content/images/card.svg").write_text(SVG.format(w=10, h=10))
    (root / "content/a.md").write_text(explainer("A", hero=HERO, social_image="images/card.svg"))
    result = run_build(root)
    assert result.ok and any("social image has no alt text" in m for m in messages(result))


def test_sub_path_urls_in_structured_data(make_site):
    root = make_site({"content/a.md": explainer("A", hero=HERO, topics="[Syria]"),
                      "content/images/hero.svg": SVG.format(w=10, h=10)})
    assert run_build(root, base_url="https://example.org/explainers/").ok
    article = structured(parse(root / "output/a/index.html"))["BackgroundNewsArticle"]
    assert article["url"] == "https://example.org/explainers/a/"
    assert article["image"] == ["https://example.org/explainers/images/hero.svg"]
    assert article["publisher"]["logo"]["url"] == "https://example.org/explainers/static/favicon.svg"


def test_hostile_headline_stays_intact_and_inert_in_meta_and_json_ld(make_site):
    root = make_site({"content/evil.md": explainer(HOSTILE.replace('"', '\\"'), dek=json.dumps(HOSTILE),
                                                   topics=json.dumps([HOSTILE]))})
    result = run_build(root)
    assert result.ok, messages(result)
    html = (root / "output/evil/index.html").read_text(encoding="utf-8")
    page = parse(root / "output/evil/index.html")
    assert [s.get("type") for s in page.find_all("script")] == ["application/ld+json"] * 2
    article = structured(page)["BackgroundNewsArticle"]
    assert (article["headline"], article["description"], article["keywords"]) == (HOSTILE, HOSTILE, [HOSTILE])
    assert meta(page, "og:title") == [HOSTILE] and meta(page, "article:tag") == [HOSTILE]
    assert page.find("title").get_text() == f"{HOSTILE} | Test Site"
    assert html.count("</script>") == 2 and "<script>alert" not in html


def test_og_locale_from_language_tags():
    assert [og_locale(tag) for tag in ("en", "ar", "tr", "pt-BR", "zh-Hant", "en-GB", "x-klingon")] == [
        "en_US", "ar_EG", "tr_TR", "pt_BR", "zh_TW", "en_GB", "x_klingon"]


def test_og_locale_on_every_page_and_alternates_for_translations(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(SITES / "multilingual", root, ignore=shutil.ignore_patterns("output", ".nutgraf-cache"))
    result = run_build(root, use_cache=False)
    assert result.ok, messages(result)
    pages = [p for p in sorted((root / "output").rglob("*.html")) if "http-equiv" not in p.read_text()[:2000]]
    assert len(pages) > 5
    for path in pages:
        assert len(meta(parse(path), "og:locale")) == 1, path
    english = parse(root / "output/astana-talks/index.html")
    assert meta(english, "og:locale") == ["en_US"]
    assert sorted(meta(english, "og:locale:alternate")) == ["ar_EG", "tr_TR"]
    arabic = parse(root / "output/astana-talks-ar/index.html")
    assert meta(arabic, "og:locale") == ["ar_EG"]
    assert sorted(meta(arabic, "og:locale:alternate")) == ["en_US", "tr_TR"]
    assert meta(parse(root / "output/leap-seconds/index.html"), "og:locale:alternate") == []


PROFILE_YAML = SITE_YAML.replace("    bio: Writes things.\n", """\
    bio: Writes things.
    role: "Diplomacy correspondent & <b>editor</b>"
    photo: images/ann.jpg
    links:
      email: ann.writer@example.org
      mastodon: "https://social.example/@ann?a=1&b=<2>"
      website: https://ann.example/
""") + "  bo:\n    name: Bo Reed\n    photo: https://cdn.example/bo.jpg\n    type: organization\n    role: Desk\n"


def test_author_pages_show_photo_role_and_links_and_are_profile_pages(make_site):
    root = make_site({"content/a.md": explainer("A", authors="[ann, bo]"),
                      "content/images/ann.jpg": photo(900, 900)}, PROFILE_YAML)
    result = run_build(root)
    assert result.ok, messages(result)
    page = parse(root / "output/authors/ann/index.html")
    img = page.select_one(".list-page__header img.author-profile__photo")
    assert img["alt"] == "Ann Writer" and (img["width"], img["height"]) == ("900", "900")
    assert img.find_parent("picture") is not None and "480w" in img["srcset"]  # processed like other photos
    assert (root / "output" / img["src"].lstrip("/")).is_file()
    assert page.select_one(".author-profile__role").get_text() == "Diplomacy correspondent & <b>editor</b>"
    links = [(a["href"], a.get("rel"), a.get_text()) for a in page.select(".author-profile__links a")]
    assert links == [("https://ann.example/", ["me"], "Website"), ("mailto:ann.writer@example.org", None,
                     "ann.writer@example.org"), ("https://social.example/@ann?a=1&b=<2>", ["me"], "Mastodon")]
    profile = structured(page)["ProfilePage"]
    assert profile["url"] == "https://example.org/authors/ann/" and profile["inLanguage"] == "en"
    assert profile["mainEntity"] == {
        "@type": "Person", "name": "Ann Writer", "url": "https://example.org/ann/",
        "jobTitle": "Diplomacy correspondent & <b>editor</b>", "description": "Writes things.",
        "image": "https://example.org" + img["src"], "email": "ann.writer@example.org",
        "sameAs": ["https://ann.example/", "https://social.example/@ann?a=1&b=<2>"]}
    bo = parse(root / "output/authors/bo/index.html")
    assert bo.select_one("img.author-profile__photo")["src"] == "https://cdn.example/bo.jpg"
    entity = structured(bo)["ProfilePage"]["mainEntity"]
    assert entity == {"@type": "Organization", "name": "Bo Reed", "url": "https://example.org/authors/bo/",
                      "image": "https://cdn.example/bo.jpg"}  # an organization has no jobTitle


def test_author_page_without_profile_fields_stays_plain(make_site):
    root = make_site({"content/a.md": explainer("A", authors='["Sam Reed"]')})
    assert run_build(root).ok
    page = parse(root / "output/authors/sam-reed/index.html")
    assert page.select(".author-profile__photo, .author-profile__role, .author-profile__links") == []
    assert structured(page)["ProfilePage"]["mainEntity"] == {
        "@type": "Person", "name": "Sam Reed", "url": "https://example.org/authors/sam-reed/"}
