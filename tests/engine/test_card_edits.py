"""Editing and deleting cards: exactly the files whose bytes change are written, and the result equals a clean
build; a card an explainer still shows cannot be deleted."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import assert_equals_clean_build, edit_text, explainer, messages, parse, run_build, snapshot
from test_cards import CARD, USES

from generator.engine.options import BuildResult
from generator.engine.quick import save_warm
from generator.outputs.reserved import MARKER

UNUSED = "---\ntitle: Who pays?\ndate: 2017-01-02\n---\nNobody yet.\n"


@pytest.fixture
def site(make_site):
    files = {f"content/e{i}.md": explainer(f"Explainer {i}", USES if i < 2 else "## What?\n\nPlain.\n",
                                            date=f"2017-01-2{i + 1}", topics="[Syria]") for i in range(4)}
    files["content/cards/astana-process.md"] = CARD
    files["content/cards/unused.md"] = UNUSED
    root = make_site(files)
    assert run_build(root).ok
    return root


def stamps(out: Path) -> dict[str, int]:
    """Each file's mtime, but the marker that says a build wrote the folder (it is written by every build)."""
    return {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in out.rglob("*")
            if p.is_file() and p.name != MARKER}


def rewritten(root: Path, **watch) -> tuple[set[str], BuildResult]:
    """Build again (with `watch`: state, changed and warm, as watch mode does); the files written (all of them
    with new bytes: a file written with its old bytes fails) and the result."""
    out = root / "output"
    before, old = stamps(out), snapshot(out)
    result = run_build(root, keep_going=True, **watch) if watch else run_build(root)
    assert result.ok, messages(result)
    after, new = stamps(out), snapshot(out)
    written = {rel for rel, stamp in after.items() if before.get(rel) != stamp}
    assert written == {rel for rel in new if old.get(rel) != new[rel]} - {MARKER}
    return written, result


def rebuilt(root: Path) -> set[str]:
    """Build again; the files written."""
    return rewritten(root)[0]


def grouped(files: set[str]) -> set[str]:
    """Pagefind's files as one entry: their names are hashes of their contents."""
    return {"pagefind/" if rel.startswith("pagefind/") else rel for rel in files}


PAGES = {"cards/astana-process/index.html", "e0/index.html", "e1/index.html"}  # the card's page, its explainers
FEEDS = {f"{where}{name}" for where in ("", "topics/syria/") for name in ("feed.xml", "rss.xml", "feed.json")}
ANSWER = PAGES | FEEDS | {"cards/astana-process/embed/index.html", "pagefind/"}  # feeds carry whole bodies
QUESTIONS = {"questions/index.html", "questions/syria/index.html"}
# A log entry moves e0 and e1 to the top of the lists, their related links and the sitemap; e2 and e3 list
# them as related, with their new dates; _headers lists the pages in the site's order.
LISTS = {"index.html", "page/2/index.html", "topics/syria/index.html", "topics/syria/page/2/index.html"}
# A new question gives the explainers that show the card a new question id: its share pages, listed in _headers.
RENAMED = {f"e{i}/q/what-are-the-astana-talks/index.html" for i in (0, 1)}
RENAMED |= {"_headers"}
LOG = PAGES | FEEDS | QUESTIONS | LISTS | {"e2/index.html", "e3/index.html", "sitemap.xml", "_headers"}


@pytest.mark.parametrize("old, new, expected", [
    ("They began in Astana", "They began in January 2017 in Astana", ANSWER),
    ("What is the Astana process?", "What are the Astana talks?", ANSWER | QUESTIONS | RENAMED),
    # only its page shows topics, outside what search reads of it
    ("topics: [Syria]\n", "", {"cards/astana-process/index.html"}),
    ("topics: [Syria]\n", 'topics: [Syria]\nupdates: [{date: 2017-02-10, text: "Jordan joined."}]\n', LOG),
], ids=["answer", "question", "topic", "log"])
def test_a_card_edit_writes_exactly_the_files_whose_bytes_change(site, tmp_path, old, new, expected):
    edit_text(site / "content/cards/astana-process.md", old, new)
    assert grouped(rebuilt(site)) == expected
    assert_equals_clean_build(site, tmp_path)


@pytest.mark.parametrize("watch", [False, True], ids=["build", "watch"])
def test_a_card_answer_edit_takes_the_quick_path_and_parses_no_explainer(site, tmp_path, watch):
    first = run_build(site, keep_going=True) if watch else None
    path = site / "content/cards/astana-process.md"
    edits = [("They began in Astana", "They began in January 2017 in Astana"), ("January 2017", "early 2017")]
    for n, (old, new) in enumerate(edits):  # twice: the second finds the first in the page index
        edit_text(path, old, new)
        state = {"state": first.state, "changed": frozenset({str(path)}), "warm": first.warm} if watch else {}
        written, first = rewritten(site, **state)
        assert first.quick and first.parsed == 0, (n, first)
        assert grouped(written) == ANSWER, n
        shown = [p.get_text() for p in parse(site / "output/e1/index.html").select("section.question p")]
        assert shown[1] == f"They began in {('January 2017', 'early 2017')[n]} in Astana, Kazakhstan’s capital.", n
        assert_equals_clean_build(site, tmp_path)
    if watch:
        save_warm(first.state, first.warm)
    assert (written := rebuilt(site)) == set(), written  # the quick builds' state and index describe the output


def test_deleting_a_card_an_explainer_shows_is_an_error_there_and_writes_nothing(site):
    before = stamps(site / "output")
    line = (site / "content/e0.md").read_text().split("\n").index("## {card=astana-process}") + 1
    (site / "content/cards/astana-process.md").unlink()
    result = run_build(site)
    assert not result.ok
    found = [(d.path, d.line, d.message) for d in result.diagnostics]
    assert found == [(f"content/e{i}.md", line, "card 'astana-process' does not exist") for i in (0, 1)], found
    assert stamps(site / "output") == before


def test_deleting_a_card_no_explainer_shows_removes_its_pages(site, tmp_path):
    (site / "content/cards/unused.md").unlink()
    out = site / "output"
    before = set(stamps(out))
    assert grouped(rebuilt(site)) == {"sitemap.xml", "_headers", "pagefind/"}
    assert before - set(stamps(out)) >= {"cards/unused/index.html", "cards/unused/embed/index.html"}
    assert not (out / "cards/unused").exists()
    assert_equals_clean_build(site, tmp_path)
