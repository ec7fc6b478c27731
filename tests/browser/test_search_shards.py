"""Search in shards, queried for real in Chromium: filters count only the explainer itself, results are ranked
across shards, and after each kind of edit an incremental build answers exactly as a clean build does."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from urllib.parse import urlencode

import pytest
from conftest import NOW, SITE_YAML, edit_text, explainer

from generator.engine.build import BuildOptions, build

from .conftest import TIMEOUT_MS, SiteHandler, serving
from .test_search import results

SITE_YAML_TWO = SITE_YAML + "  bob:\n    name: Bob Reporter\n    url: https://example.org/bob/\n    bio: Reports.\n"
BODY = "## What is {word}?\n\nA word of {year}: {word}.\n\n## Who cares?\n\nEveryone in {year}.\n"


def write_site(root: Path) -> None:
    """Four explainers in three years (three shards), Ann's and Bob's, all on one topic so that each page
    shows the others among its related cards."""
    (root / "content").mkdir(parents=True)
    (root / "site.yaml").write_text(SITE_YAML_TWO, encoding="utf-8")
    posts = {"a2015": ("Pangolins explained", "Pangolin", 2015, "ann", "Pangolin Pangolin Pangolin"),
             "b2016": ("Bob on Kumquats and budgets", "Budget", 2016, "bob", "Budget"),
             "c2017": ("Ann on asylum", "Asylum", 2017, "ann", "Asylum, and once a pangolin"),
             "d2017": ("Bob on borders", "Border", 2017, "bob", "Border")}
    for slug, (title, word, year, author, lede) in posts.items():
        body = f"{lede}.\n\n" + BODY.format(word=word, year=year)
        (root / f"content/{slug}.md").write_text(
            explainer(title, body, date=f"{year}-05-0{len(slug) % 9 + 1}", topics="[Syria]", authors=f"[{author}]"),
            encoding="utf-8")


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """`folder` served on 127.0.0.1 as a static host would; yields the base URL."""
    folder.mkdir(parents=True, exist_ok=True)
    with serving(partial(SiteHandler, directory=str(folder)), f"shards-{folder.name}") as base:
        yield base


def make(source: Path, out: Path, base: str, **options) -> None:
    result = build(BuildOptions(source, output=out, base_url=base, now=NOW, **options))
    assert result.ok, [d.format() for d in result.diagnostics]


@pytest.fixture
def sites(tmp_path) -> Iterator[tuple[Path, str, str]]:
    """The site's source, the base URL of its incremental build and that of a clean build made on demand."""
    source = tmp_path / "site"
    write_site(source)
    with served(tmp_path / "incremental") as incremental, served(tmp_path / "clean") as clean:
        make(source, tmp_path / "incremental", incremental)
        yield source, incremental, clean


@pytest.fixture
def ask(chromium):
    """ask(base, query, **filters): the results the search page at `base` shows (the filters as in its address)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []

    def ask_(base: str, query: str = "", **filters: str) -> list[dict]:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(base + "search/?" + urlencode({"q": query, **filters}), wait_until="load")
        found = results(page)
        page.close()
        return found

    yield ask_
    context.close()
    assert errors == []


def test_an_author_filter_finds_only_that_authors_explainers_though_others_show_theirs_as_related(sites, ask):
    source, base, _ = sites
    assert sorted(r["href"] for r in ask(base, author="Bob Reporter")) == ["/b2016/", "/d2017/"]
    assert sorted(r["href"] for r in ask(base, "Pangolin", author="Ann Writer")) == ["/a2015/", "/c2017/"]
    assert ask(base, "Budget", author="Ann Writer") == []  # Bob's budget explainer is on Ann's pages as a card


def test_results_are_ranked_across_shards_and_questions_link_to_their_sections(sites, ask):
    _, base, _ = sites
    found = ask(base, "pangolin")
    assert [r["href"] for r in found] == ["/a2015/", "/c2017/"]  # five times in 2015's, once in 2017's
    assert "/a2015/#what-is-pangolin" in found[0]["questions"]


CHANGES = {
    "body": lambda s: edit_text(s / "content/b2016.md", "A word of 2016", "A word of 2016, Quokka,"),
    "headline": lambda s: edit_text(s / "content/b2016.md", "Bob on Kumquats", "Bob on Wombats"),
    "topic": lambda s: edit_text(s / "content/b2016.md", "topics: [Syria]", "topics: [Syria, Iraq]"),
    "new in an old year": lambda s: (s / "content/e2015.md").write_text(
        explainer("Old news", "## Why Numbat?\n\nNumbat.\n", date="2015-09-09", topics="[Syria]"), encoding="utf-8"),
    "delete": lambda s: (s / "content/d2017.md").unlink(),
}
WORDS = ("Quokka", "Wombats", "Kumquats", "Numbat", "Border", "Pangolin")


def test_after_each_kind_of_edit_the_incremental_index_answers_as_a_clean_builds(sites, ask, tmp_path):
    source, incremental, clean = sites
    before = {word: ask(incremental, word) for word in ("Kumquats", "Border")}
    assert before["Kumquats"] and before["Border"]
    for kind, change in CHANGES.items():
        change(source)
        make(source, tmp_path / "incremental", incremental)
        shutil.rmtree(tmp_path / "clean", ignore_errors=True)
        make(source, tmp_path / "clean", clean, use_cache=False)
        for word in WORDS:
            assert ask(incremental, word) == ask(clean, word), (kind, word)
    assert [r["href"] for r in ask(incremental, "Quokka")] == ["/b2016/"]
    assert [r["href"] for r in ask(incremental, "Wombats")] == ["/b2016/"]
    assert ask(incremental, "Kumquats") == []  # the old headline's word is gone
    assert [r["href"] for r in ask(incremental, "Numbat")] == ["/e2015/"]
    assert ask(incremental, "Border") == []  # deleted
    assert sorted(r["href"] for r in ask(incremental, topic="Iraq")) == ["/b2016/"]
