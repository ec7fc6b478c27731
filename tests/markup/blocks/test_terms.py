"""Glossary terms in the text: definitions that open without JavaScript, rebuilt when the glossary changes."""

import test_blocks
from conftest import assert_equals_clean_build, parse, run_build, touch_later
from test_blocks import GLOSSARY

blocks_site, built, page = test_blocks.blocks_site, test_blocks.built, test_blocks.page  # shared fixtures


def test_glossary_terms_open_their_definition_without_javascript(page):
    first, second = page.find_all("span", class_="term")
    button, definition = first.find("button"), first.find("span", class_="term__definition")
    assert button["type"] == "button" and button.get_text() == "Astana"
    assert button["popovertarget"] == definition["id"] and definition.has_attr("popover")
    assert definition.get_text(" ", strip=True) == "Astana The capital of Kazakhstan."
    assert second.find("button").get_text() == "Coordinated Universal Time"
    assert "lang" not in second.find("span", class_="term__definition").attrs  # same language as the page
    ids = [tag["id"] for tag in page.find_all(id=True)]
    assert len(ids) == len(set(ids))


def test_changing_the_glossary_renders_the_pages_that_mark_its_terms(blocks_site, tmp_path):
    callout = parse(blocks_site / "output/e1/index.html").find("div", class_="callout")
    assert callout.find("button", class_="term__button").get_text() == "UTC"  # a block inside a block
    glossary = blocks_site / "content/glossary.yaml"
    glossary.write_text(GLOSSARY.replace("The capital of Kazakhstan.", "Kazakhstan's capital since 1997."))
    touch_later(glossary)
    result = run_build(blocks_site)
    assert result.ok and result.parsed == 0
    assert result.rendered == 1  # e0's page: its card on lists does not show the glossary
    assert "since 1997" in (blocks_site / "output/e0/index.html").read_text(encoding="utf-8")
    assert_equals_clean_build(blocks_site, tmp_path)
    glossary.write_text("Astana: The capital.\n")  # UTC is gone: e1 marks a term the glossary lacks
    touch_later(glossary)
    result = run_build(blocks_site)
    assert [(d.path, d.line, d.message) for d in result.diagnostics] == [
        ("content/e1.md", 8, "'utc' is not in the glossary")]
