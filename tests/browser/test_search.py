"""Search for real: the multilingual fixture site built with its Pagefind index, queried through its search pages."""

from __future__ import annotations

import shutil
from urllib.parse import quote, unquote

import pytest
from tools import REPO, find_node_file

from .conftest import TIMEOUT_MS, serve_built_site
from .test_accessibility import run_axe

SITE = REPO / "tests/sites/multilingual"


@pytest.fixture(scope="module")
def search_url(tmp_path_factory):
    """tests/sites/multilingual, built for the server's own origin and served on 127.0.0.1."""
    source = tmp_path_factory.mktemp("multilingual") / "site"
    shutil.copytree(SITE, source, ignore=shutil.ignore_patterns("output", ".nutgraf-cache"))
    root = tmp_path_factory.mktemp("multilingual-output")
    with serve_built_site(source, root, "search-server") as base:
        yield base


@pytest.fixture
def browse(chromium, search_url):
    """browse(path): the page loaded in a fresh context, and the JavaScript errors it raised."""
    contexts = []

    def open_(path: str, bypass_csp: bool = False):
        # The site's Content-Security-Policy applies (Pagefind must work under it) unless a test injects a script.
        context = chromium.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=bypass_csp)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(search_url + path, wait_until="load")
        return page, errors

    yield open_
    for context in contexts:
        context.close()


def results(page) -> list[dict]:
    """The results shown: each page's link, and the links of the questions under it."""
    page.wait_for_selector(".search-result, .search-page__status:not(:empty)")
    page.wait_for_function("() => !document.querySelector('.search-page__status').textContent.endsWith('…')")
    return page.evaluate("""() => [...document.querySelectorAll('.search-result')].map(item => ({
        href: item.querySelector('.search-result__link').getAttribute('href'),
        title: item.querySelector('.search-result__link').textContent,
        questions: [...item.querySelectorAll('.search-result__question-link')].map(a => a.getAttribute('href')),
    }))""")


def test_a_word_of_an_arabic_body_finds_the_arabic_explainer_only(browse):
    page, errors = browse("ar/search/?q=" + quote("كازاخستان"))
    found = results(page)
    assert [unquote(r["href"]) for r in found] == ["/astana-talks-ar/"], found
    assert found[0]["title"] == "محادثات السلام السورية في أستانا: ماذا بعد؟"
    status = page.text_content(".search-page__status")
    assert status == "نتائج البحث عن «كازاخستان»: 1"  # the page's own words, digits as Babel writes its dates
    assert errors == []


def test_a_question_heading_is_a_sub_result_that_links_to_its_section(browse):
    page, errors = browse("ar/search/?q=" + quote("الطاولة"))
    found = results(page)
    assert len(found) == 1
    assert [unquote(href) for href in found[0]["questions"]] == ["/astana-talks-ar/#من-يجلس-إلى-الطاولة"]
    page.click(".search-result__question-link")
    page.wait_for_url("**/astana-talks-ar/#*")
    assert page.evaluate("decodeURIComponent(location.hash)") == "#من-يجلس-إلى-الطاولة"
    assert errors == []


def test_each_search_page_searches_its_own_language(browse):
    page, _ = browse("search/?q=Kazakhstan")
    assert [r["href"] for r in results(page)] == ["/astana-talks/"]
    page, _ = browse("tr/search/?q=" + quote("Kazakistan"))
    assert [r["href"] for r in results(page)] == ["/astana-talks-tr/"]
    page, _ = browse("search/?q=" + quote("كازاخستان"))
    assert results(page) == [] and page.text_content(".search-page__status").startswith("No results")


def test_typing_in_the_box_searches_and_the_topic_filter_narrows_the_results(browse):
    page, errors = browse("search/")
    page.wait_for_selector(".search-form__filters", state="visible")  # once Pagefind has listed the filters
    topics = page.eval_on_selector_all("#search-topic option", "options => options.map(o => o.value)")
    assert topics == ["", "Diplomacy", "Science", "Syria"]
    page.fill("#search-input", "second")
    assert [r["href"] for r in results(page)] == ["/leap-seconds/"]
    assert "q=second" in page.url
    page.fill("#search-input", "")
    page.select_option("#search-topic", "Diplomacy")
    page.wait_for_function("() => document.querySelectorAll('.search-result').length === 1")
    assert [r["href"] for r in results(page)] == ["/astana-talks/"]
    assert errors == []


def test_the_header_search_box_leads_to_the_search_page_with_the_query(browse):
    page, _ = browse("astana-talks-tr/")
    page.fill(".site-search__input", "Rusya")
    page.press(".site-search__input", "Enter")
    page.wait_for_url("**/tr/search/?q=Rusya")
    assert [r["href"] for r in results(page)] == ["/astana-talks-tr/"]
    assert page.input_value("#search-input") == "Rusya"


def test_results_pass_axe_in_right_to_left(browse):
    page, _ = browse("ar/search/?q=" + quote("روسيا"), bypass_csp=True)
    assert results(page)
    found = run_axe(page, find_node_file("axe-core", "axe.min.js").read_text(encoding="utf-8"))
    assert found["violations"] == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in found["violations"]]
