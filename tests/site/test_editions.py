"""Editions: a site in several languages, translations linked by translation_key, per-language pages and feeds."""

import json
import shutil
import xml.etree.ElementTree as etree
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import (
    NOW,
    SITE_YAML,
    SITES,
    assert_equals_clean_build,
    explainer,
    messages,
    parse,
    run_build,
    touch_later,
)

from generator.site.editions import language_name, language_prefix
from generator.sources.config import SiteConfig

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
BASE = "https://example.org/"
VERSIONS = {"en": "astana-talks", "ar": "astana-talks-ar", "tr": "astana-talks-tr"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """tests/sites/multilingual built once, search off (tests/test_search.py builds it with search on)."""
    root = tmp_path_factory.mktemp("multilingual") / "site"
    shutil.copytree(SITES / "multilingual", root, ignore=shutil.ignore_patterns("output", ".nutgraf-cache"))
    (root / "site.yaml").write_text((root / "site.yaml").read_text(encoding="utf-8") + "search: false\n",
                                    encoding="utf-8")
    result = run_build(root, now=NOW)
    assert result.ok, messages(result)
    return root / "output"


def page(out, path):
    return parse(out / unquote(path).lstrip("/") / "index.html")


def hreflangs(soup) -> dict[str, str]:
    return {link["hreflang"]: link["href"] for link in soup.find_all("link", rel="alternate", hreflang=True)}


@pytest.mark.parametrize("lang, direction", [("en", "ltr"), ("ar", "rtl"), ("tr", "ltr")])
def test_each_translation_has_its_lang_and_dir_and_links_every_other_both_ways(built, lang, direction):
    soup = page(built, VERSIONS[lang])
    assert (soup.html["lang"], soup.html["dir"]) == (lang, direction)
    assert hreflangs(soup) == {"en": BASE + "astana-talks/", "ar": BASE + "astana-talks-ar/",
                               "tr": BASE + "astana-talks-tr/", "x-default": BASE + "astana-talks/"}


@pytest.mark.parametrize("lang", ["en", "ar", "tr"])
def test_the_language_switcher_names_each_language_in_itself_and_marks_the_current_one(built, lang):
    soup = page(built, VERSIONS[lang])
    switcher = soup.find("header").find("nav", class_="languages")
    assert switcher is not None and switcher["aria-label"] == {"en": "Languages", "ar": "اللغات",
                                                               "tr": "Diller"}[lang]
    links = switcher.find_all("a")
    assert [(a["hreflang"], a["lang"], a.get_text()) for a in links] == [
        ("en", "en", "English"), ("ar", "ar", "العربية"), ("tr", "tr", "Türkçe")]
    assert [a["dir"] for a in links] == ["ltr", "rtl", "ltr"]
    assert [a["href"] for a in links if a.get("aria-current") == "page"] == [f"/{VERSIONS[lang]}/"]


def test_an_explainer_without_translations_has_no_switcher_or_hreflang(built):
    soup = page(built, "leap-seconds")
    assert soup.find("nav", class_="languages") is None and hreflangs(soup) == {}


def card_links(soup) -> list[str]:
    return [unquote(a["href"]) for a in soup.select(".card-list .card__link")]


def test_each_language_has_its_home_listing_only_its_own_explainers(built):
    home, ar, tr = page(built, ""), page(built, "ar"), page(built, "tr")
    assert card_links(home) == ["/leap-seconds/", "/astana-talks/"]  # the English one stands for its translations
    assert card_links(ar) == ["/astana-talks-ar/"] and card_links(tr) == ["/astana-talks-tr/"]
    assert (ar.html["lang"], ar.html["dir"], tr.html["lang"]) == ("ar", "rtl", "tr")
    for soup in (home, ar, tr):
        assert hreflangs(soup) == {"en": BASE, "ar": BASE + "ar/", "tr": BASE + "tr/", "x-default": BASE}
    # The site's title leads to the home of the page's language, marked as the current page there.
    assert ar.find("a", class_="site-title")["href"] == "/ar/"
    assert ar.find("a", class_="site-title")["aria-current"] == "page"
    assert ar.find("a", class_="site-title")["lang"] == "en"


def test_topic_pages_and_links_stay_in_the_explainers_language(built):
    ar_topic = page(built, "ar/topics/سوريا")
    assert ar_topic.html["lang"] == "ar" and card_links(ar_topic) == ["/astana-talks-ar/"]
    assert not (built / "topics/سوريا").exists()  # the English edition has no such topic
    kicker = [unquote(a["href"]) for a in page(built, VERSIONS["ar"]).select("article .kicker__link")]
    assert kicker == ["/ar/topics/سوريا/", "/ar/topics/دبلوماسية/"]
    nav = [unquote(a["href"]) for a in page(built, VERSIONS["tr"]).select(".site-nav__link")]
    assert set(nav) == {"/tr/topics/suriye/", "/tr/topics/diplomasi/"}
    assert card_links(page(built, "topics/syria")) == ["/astana-talks/"]


def test_feeds_are_per_language_with_the_language_marked(built):
    main = etree.parse(built / "feed.xml").getroot()
    assert main.get(XML_LANG) == "en"
    assert [e.findtext(f"{ATOM}id") for e in main.iter(f"{ATOM}entry")] == [
        BASE + "leap-seconds/", BASE + "astana-talks/"]
    arabic = etree.parse(built / "ar/feed.xml").getroot()
    assert arabic.get(XML_LANG) == "ar"
    assert [e.findtext(f"{ATOM}id") for e in arabic.iter(f"{ATOM}entry")] == [BASE + "astana-talks-ar/"]
    assert arabic.find(f"{ATOM}entry").get(XML_LANG) is None  # the feed's own language
    rss = etree.parse(built / "tr/rss.xml").getroot()
    assert rss.findtext("channel/language") == "tr"
    assert (built / "ar/topics/سوريا/feed.json").is_file()
    links = [link["href"] for link in page(built, VERSIONS["ar"]).find_all("link", type="application/atom+xml")]
    assert links == [BASE + "ar/feed.xml"]


def test_theme_words_and_dates_are_in_the_pages_language_and_the_sites_timezone(built):
    ar, tr, en = page(built, VERSIONS["ar"]), page(built, VERSIONS["tr"]), page(built, VERSIONS["en"])
    assert ar.find("nav", class_="toc")["aria-label"] == "في هذا الشرح"
    assert tr.find("nav", class_="toc")["aria-label"] == "Bu yazıda"
    assert ar.find(class_="skip-link").get_text() == "انتقل إلى المحتوى"
    # Updated 2017-01-24T01:30+06:00 is still January 23 in Istanbul, the site's timezone.
    updated = {lang: soup.find(class_="dateline__item--updated") for lang, soup in
               (("en", en), ("ar", ar), ("tr", tr))}
    assert updated["en"].get_text(" ", strip=True) == "Updated Jan 23, 2017"
    assert updated["tr"].get_text(" ", strip=True) == "Güncelleme: 23 Oca 2017"
    assert "يناير" in updated["ar"].get_text() and updated["ar"].get_text().startswith("حُدّث")
    assert updated["tr"].time["datetime"] == "2017-01-24T01:30:00+06:00"  # the machine-readable time as written


def test_non_latin_question_ids_are_readable_unique_and_match_the_table_of_contents(built):
    soup = page(built, VERSIONS["ar"])
    ids = [h2["id"] for h2 in soup.select(".article-body section.question > h2")]
    assert ids == ["من-يجلس-إلى-الطاولة", "ماذا-تريد-روسيا", "ماذا-تريد-روسيا-2"]
    assert [a["href"] for a in soup.select(".toc__link")] == ["#" + i for i in ids]
    assert [s["aria-labelledby"] for s in soup.select(".article-body section.question")] == ids


def test_a_single_language_site_has_no_editions_or_switchers(make_site):
    root = make_site({"content/a.md": explainer("A", topics="[Syria]")})
    assert run_build(root).ok
    out = root / "output"
    assert not [p.name for p in out.iterdir() if p.name in ("en", "ar", "tr")]  # no edition folders
    assert (out / "search/index.html").is_file() and parse(out / "search/index.html").html["lang"] == "en"
    soup = parse(out / "a/index.html")
    assert soup.find("nav", class_="languages") is None and hreflangs(soup) == {}


def test_untranslated_explainers_in_other_languages_stay_on_the_main_home_and_get_their_own(make_site):
    root = make_site({"content/a.md": explainer("A"), "content/r.md": explainer("رمضان", lang="ar")})
    assert run_build(root).ok
    out = root / "output"
    assert card_links(parse(out / "index.html")) == ["/a/", "/r/"]
    assert card_links(parse(out / "ar/index.html")) == ["/r/"]
    assert parse(out / "r/index.html").find(class_="site-title")["href"] == "/ar/"


def test_two_translations_in_one_language_are_an_error_with_file_and_line(make_site):
    root = make_site({"content/a.md": explainer("A", translation_key="talks", lang="ar"),
                      "content/b.md": explainer("B", translation_key="talks", lang="ar")})
    result = run_build(root)
    assert not result.ok
    assert any(m.startswith("content/b.md:3:") and "translation_key 'talks' is also used by content/a.md" in m
               for m in messages(result)), messages(result)


def test_translation_key_must_be_text(make_site):
    root = make_site({"content/a.md": explainer("A", translation_key="2017")})
    result = run_build(root)
    assert not result.ok and "'translation_key' must be text" in "\n".join(messages(result))


def test_language_prefixes_and_names():
    config = SiteConfig(title="T", root=Path("."), language="en")
    assert [language_prefix(config, lang) for lang in ("en", "EN", "ar", "pt-BR")] == ["", "", "/ar", "/pt-br"]
    assert [language_name(lang) for lang in ("en", "ar", "tr", "fr", "xx")] == [
        "English", "العربية", "Türkçe", "Français", "xx"]


def test_translation_edits_rebuild_incrementally_equal_to_a_clean_build(tmp_path):
    """Each edit re-renders only what shows it; output, search index included, equals a clean build."""
    from conftest import snapshot, touch_later

    root = tmp_path / "site"
    shutil.copytree(SITES / "multilingual", root, ignore=shutil.ignore_patterns("output", ".nutgraf-cache"))
    first = run_build(root)
    assert first.ok and first.rendered == first.pages

    def edit(rel: str, old: str, new: str) -> None:
        path = root / rel
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        touch_later(path)

    def same_as_clean() -> bool:
        clean = tmp_path / "clean"
        shutil.rmtree(clean, ignore_errors=True)
        assert run_build(root, output=clean, use_cache=False).ok
        return snapshot(root / "output") == snapshot(clean)

    edit("content/astana-talks-ar.md", "ماذا بعد؟", "ما التالي؟")  # the Arabic headline
    result = run_build(root)
    assert result.ok and 1 <= result.rendered < result.pages // 2  # its page and the Arabic lists, not the rest
    assert "ما التالي؟" in fragments_text(root / "output")
    assert same_as_clean()
    edit("content/astana-talks-tr.md", "translation_key: astana-talks", "translation_key: other")
    assert run_build(root).ok
    assert set(hreflangs(page(root / "output", "astana-talks"))) == {"en", "ar", "x-default"}
    assert page(root / "output", "astana-talks-tr").find("nav", class_="languages") is None
    assert same_as_clean()
    (root / "content/astana-talks-fr.md").write_text(explainer(
        "Les pourparlers d'Astana", lang="fr", translation_key="astana-talks", topics="[Syrie]"), encoding="utf-8")
    assert run_build(root).ok
    assert hreflangs(page(root / "output", "astana-talks-ar"))["fr"] == BASE + "astana-talks-fr/"
    assert page(root / "output", "fr").html["lang"] == "fr" and (root / "output/fr/topics/syrie").is_dir()
    assert same_as_clean()


def fragments_text(out: Path) -> str:
    """Everything Pagefind's fragments hold, as text."""
    import gzip
    return "".join(gzip.decompress(p.read_bytes()).decode("utf-8", "replace")
                   for p in (out / "pagefind").glob("*/fragment/*.pf_fragment"))  # each search shard's


# Each edition in its own language: site.yaml's `languages:` and content/topics.yaml.

AR_WORDS = """\
languages:
  ar:
    title: الشارح
    description: الأخبار، مشروحة بالأسئلة.
    publisher:
      name: غرفة الأخبار
"""
TOPIC_NAMES = "Syria: {ar: سوريا}\nReligion: {ar: الدين}\n"
QUESTION = "## من يشارك؟\n\nنص.\n"


def two_editions(make_site, extra_arabic: int = 0):
    """An English site with an Arabic edition: a translated explainer, an Arabic one without translation
    (listed in both editions), and `extra_arabic` more Arabic ones on Syria."""
    files = {
        "content/talks.md": explainer("Talks in Astana", topics="[Syria]", translation_key="astana"),
        "content/talks-ar.md": explainer("محادثات أستانا", QUESTION, topics="[Syria, Diplomacy]", lang="ar",
                                         translation_key="astana", date="2017-01-24"),
        "content/ramadan.md": explainer("رمضان", QUESTION, topics="[Religion]", lang="ar", date="2017-01-22"),
        "content/topics.yaml": TOPIC_NAMES,
    }
    for n in range(extra_arabic):
        files[f"content/more-{n}.md"] = explainer(f"سؤال {n}", QUESTION, topics="[Syria]", lang="ar",
                                                  date=f"2016-12-0{n + 1}")
    root = make_site(files, SITE_YAML + AR_WORDS + "search: false\n")
    result = run_build(root)
    assert result.ok, messages(result)
    return root


def json_ld(soup) -> dict[str, dict]:
    return {d["@type"]: d for d in (json.loads(s.string) for s in soup.find_all("script", type="application/ld+json"))}


def words(soup) -> tuple:
    """The site's name, description and publisher as a page shows them."""
    footer = soup.find("footer")
    return (soup.find("a", class_="site-title").get_text(), soup.find("meta", attrs={"name": "description"})["content"],
            soup.find("meta", property="og:site_name")["content"],
            footer.find(class_="site-footer__title").get_text(), footer.find(class_="site-footer__publisher")
            .get_text(" ", strip=True))


def test_each_edition_shows_the_sites_title_description_and_publisher_in_its_language(make_site):
    out = two_editions(make_site) / "output"
    ar, en = page(out, "ar"), page(out, "")
    assert (ar.title.get_text(), ar.h1.get_text()) == ("الشارح", "الشارح")
    assert words(ar) == ("الشارح", "الأخبار، مشروحة بالأسئلة.", "الشارح", "الشارح", "الناشر: غرفة الأخبار")
    assert ar.find("a", class_="site-title").get("lang") is None  # in the page's own language now
    assert ar.find(class_="site-footer__title").a["href"] == "/ar/"
    assert ar.find(class_="list-page__intro").get_text() == "الأخبار، مشروحة بالأسئلة."
    site, collection = json_ld(ar)["WebSite"], json_ld(ar)["CollectionPage"]
    assert (site["name"], site["description"], site["inLanguage"], site["url"], site["publisher"]["name"]) == (
        "الشارح", "الأخبار، مشروحة بالأسئلة.", "ar", BASE + "ar/", "غرفة الأخبار")
    assert collection["isPartOf"] == {"@type": "WebSite", "name": "الشارح", "url": BASE + "ar/"}
    # The English edition keeps the English words.
    assert (en.title.get_text(), en.h1.get_text()) == ("Test Site", "Test Site")
    assert words(en) == ("Test Site", "A site for tests.", "Test Site", "Test Site", "Published by Test Newsroom")
    assert (json_ld(en)["WebSite"]["name"], json_ld(en)["WebSite"]["publisher"]["name"]) == ("Test Site",
                                                                                            "Test Newsroom")
    # An Arabic explainer is in its edition: its title, site name, publisher and breadcrumbs are Arabic.
    article = page(out, "talks-ar")
    assert article.title.get_text() == "محادثات أستانا | الشارح"
    assert words(article)[2:] == ("الشارح", "الشارح", "الناشر: غرفة الأخبار")
    data = json_ld(article)
    assert data["BackgroundNewsArticle"]["publisher"]["name"] == "غرفة الأخبار"
    assert data["BackgroundNewsArticle"]["keywords"] == ["سوريا", "Diplomacy"]
    assert [(i["name"], i["item"]) for i in data["BreadcrumbList"]["itemListElement"]][:2] == [
        ("الشارح", BASE + "ar/"), ("سوريا", BASE + "ar/topics/syria/")]
    assert [tag["content"] for tag in article.find_all("meta", property="article:tag")] == ["سوريا", "Diplomacy"]
    # And so are its feeds.
    feed = etree.parse(out / "ar/feed.xml").getroot()
    assert (feed.findtext(f"{ATOM}title"), feed.findtext(f"{ATOM}subtitle"),
            feed.findtext(f"{ATOM}author/{ATOM}name")) == ("الشارح", "الأخبار، مشروحة بالأسئلة.", "غرفة الأخبار")
    assert etree.parse(out / "ar/topics/syria/feed.xml").getroot().findtext(f"{ATOM}title") == "سوريا | الشارح"
    assert json.loads((out / "ar/feed.json").read_text(encoding="utf-8"))["authors"][0]["name"] == "غرفة الأخبار"
    assert etree.parse(out / "feed.xml").getroot().findtext(f"{ATOM}author/{ATOM}name") == "Test Newsroom"


def test_without_words_of_its_own_an_edition_marks_the_sites_as_another_language(make_site):
    root = two_editions(make_site)
    (root / "site.yaml").write_text(SITE_YAML + "languages:\n  ar: {publisher: {name: غرفة الأخبار}}\n",
                                    encoding="utf-8")
    assert run_build(root).ok
    ar = page(root / "output", "ar")
    assert ar.find("a", class_="site-title")["lang"] == "en" and ar.title.get_text() == "Test Site"
    footer = ar.find("footer")
    assert footer.find(class_="site-footer__title").a["lang"] == "en"
    assert footer.find(class_="site-footer__description").span["lang"] == "en"
    assert footer.find(class_="site-footer__publisher").span.get("lang") is None  # given in Arabic


def kicker(soup, card_title: str) -> list[tuple]:
    card = next(c for c in soup.select("article.card") if c.find(class_="card__link").get_text() == card_title)
    return [(a.get_text(), unquote(a["href"]), a.get("lang")) for a in card.select(".kicker__link")]


def test_topics_are_named_in_each_editions_language(make_site):
    out = two_editions(make_site) / "output"
    topic = page(out, "ar/topics/syria")
    assert (topic.h1.get_text(), topic.title.get_text()) == ("سوريا", "سوريا | الشارح")
    assert json_ld(topic)["BreadcrumbList"]["itemListElement"][1]["name"] == "سوريا"
    ar = page(out, "ar")
    assert sorted(a.get_text() for a in ar.select(".site-nav__link")) == sorted(["سوريا", "الدين", "Diplomacy"])
    assert kicker(ar, "محادثات أستانا") == [("سوريا", "/ar/topics/syria/", None),
                                            ("Diplomacy", "/ar/topics/diplomacy/", None)]  # no Arabic name given
    # The English edition keeps the names front matter writes; an Arabic explainer it lists (one without an
    # English version) names its topics as their Arabic pages do, marked as Arabic.
    en = page(out, "")
    assert page(out, "topics/syria").h1.get_text() == "Syria"
    assert sorted(a.get_text() for a in en.select(".site-nav__link")) == ["Religion", "Syria"]
    assert kicker(en, "Talks in Astana") == [("Syria", "/topics/syria/", None)]
    assert kicker(en, "رمضان") == [("الدين", "/ar/topics/religion/", "ar")]
    assert page(out, "ramadan").select(".article-header .kicker__link, .kicker__link")[0].get_text() == "الدين"


def test_each_edition_has_its_own_question_index_in_its_language(make_site):
    out = two_editions(make_site, extra_arabic=3) / "output"
    ar = page(out, "ar/questions")
    assert (ar.html["lang"], ar.html["dir"]) == ("ar", "rtl")
    assert ar.title.get_text() == "كل الأسئلة | الشارح"
    assert ar.find("meta", property="og:title")["content"] == "كل الأسئلة"  # the link preview's too
    groups = [(h.get_text(), unquote(h.a["href"]) if h.a else None) for h in ar.select(".question-group__title")]
    assert groups == [("Diplomacy", "/ar/topics/diplomacy/"), ("الدين", "/ar/topics/religion/"),
                      ("سوريا", "/ar/topics/syria/")]  # in the order of the names it shows
    listed = {unquote(a["href"]).split("#")[0] for a in ar.select(".question-group a") if "#" in a["href"]}
    assert listed == {"/talks-ar/", "/ramadan/", "/more-1/", "/more-2/"}  # Arabic ones; Syria's newest three
    more = ar.select(".question-group__more a")
    assert [unquote(a["href"]) for a in more] == ["/ar/questions/syria/"]
    syria = page(out, "ar/questions/syria")
    assert syria.html["lang"] == "ar" and syria.h1.get_text(" ", strip=True) == "أسئلة حول سوريا"
    assert syria.find("meta", property="og:title")["content"] == "أسئلة حول سوريا"
    assert {unquote(a["href"]).split("#")[0] for a in syria.select(".questions-page a") if "#" in a["href"]} == {
        "/talks-ar/", "/more-0/", "/more-1/", "/more-2/"}
    assert hreflangs(ar) == {"en": BASE + "questions/", "ar": BASE + "ar/questions/", "x-default": BASE + "questions/"}
    # Arabic pages link it; English ones link the English one, which lists the English edition: every explainer
    # once, in English where it has an English version.
    assert unquote(page(out, "talks-ar").find(class_="toc__more").a["href"]) == "/ar/questions/"
    assert page(out, "talks").find(class_="toc__more").a["href"] == "/questions/"
    en = page(out, "questions")
    assert en.html["lang"] == "en"
    assert {a["href"].split("#")[0] for a in en.select(".question-group a") if "#" in a["href"]} >= {"/talks/",
                                                                                                      "/ramadan/"}
    assert "/talks-ar/" not in {a["href"].split("#")[0] for a in en.select(".question-group a")}


def test_editing_topic_names_or_an_editions_words_rebuilds_exactly_what_shows_them(make_site, tmp_path):
    root = two_editions(make_site)
    out, names, settings = root / "output", root / "content/topics.yaml", root / "site.yaml"
    names.write_text("Syria: {ar: الشام}\nReligion: {ar: الدين}\n", encoding="utf-8")
    touch_later(names)
    result = run_build(root)
    assert result.ok and result.rendered > 0
    assert page(out, "ar/topics/syria").h1.get_text() == "الشام"
    assert kicker(page(out, "ar"), "محادثات أستانا")[0][0] == "الشام"
    assert_equals_clean_build(root, tmp_path)
    settings.write_text(SITE_YAML + AR_WORDS.replace("الشارح", "المفسّر") + "search: false\n", encoding="utf-8")
    touch_later(settings)
    assert run_build(root).ok
    assert page(out, "ar").h1.get_text() == "المفسّر" and page(out, "").h1.get_text() == "Test Site"
    assert etree.parse(out / "ar/feed.xml").getroot().findtext(f"{ATOM}title") == "المفسّر"
    assert_equals_clean_build(root, tmp_path)
    names.unlink()  # the names go: the topics are named as front matter writes them again
    assert run_build(root).ok
    assert page(out, "ar/topics/syria").h1.get_text() == "Syria"
    assert_equals_clean_build(root, tmp_path)


def test_watch_mode_rebuilds_after_a_save_of_topics_yaml(make_site, tmp_path):
    root = two_editions(make_site)
    names = root / "content/topics.yaml"
    first = run_build(root, keep_going=True)
    names.write_text("Syria: {ar: الشام}\n", encoding="utf-8")
    touch_later(names)
    result = run_build(root, keep_going=True, state=first.state, changed=frozenset({str(names)}), warm=first.warm)
    assert result.ok and not result.quick
    assert page(root / "output", "ar/topics/syria").h1.get_text() == "الشام"
    assert kicker(page(root / "output", ""), "رمضان") == [("Religion", "/ar/topics/religion/", None)]
    assert_equals_clean_build(root, tmp_path)
