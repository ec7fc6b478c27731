"""`nutgraf import FILE.json`: a Google Docs document, as the Docs API's documents.get returns it, made into an
explainer. The JSON is written here by hand from Google's published schema of a Document."""

from __future__ import annotations

import json

import pytest
from test_importer import CHECKED_SITE_YAML, errors, run_import

from generator.commands.check import CheckOptions, check_site
from tests.conftest import NOW, parse, run_build, snapshot

TARGET = "content/who-keeps-the-truce.md"
BULLETS = {"listProperties": {"nestingLevels": [{"glyphSymbol": "\u25cf"}, {"glyphSymbol": "\u25cb"}]}}
NUMBERS = {"listProperties": {"nestingLevels": [{"glyphType": "DECIMAL"}]}}


def run(text: str, **style) -> dict:
    return {"startIndex": 1, "endIndex": 2, "textRun": {"content": text, "textStyle": style}}


def para(*elements, style: str = "NORMAL_TEXT", bullet: dict | None = None) -> dict:
    """One structural element holding a paragraph; a plain string is one unstyled run ending the paragraph."""
    items = [run(e) if isinstance(e, str) else e for e in elements]
    paragraph = {"elements": items, "paragraphStyle": {"namedStyleType": style}}
    if bullet is not None:
        paragraph["bullet"] = bullet
    return {"startIndex": 1, "endIndex": 2, "paragraph": paragraph}


def cell(text: str) -> dict:
    return {"content": [para(text + "\n")]}


def document(header: list[str] | None = None, picture: str | None = None) -> bytes:
    """A Docs API Document: the ArchieML header, then a body with every element import keeps."""
    lines = header or ["title: Who keeps the truce?", "date: 2017-01-23", "authors: ann", "topics: Syria", ":ignore"]
    content = [{"endIndex": 1, "sectionBreak": {"sectionStyle": {}}}] + [para(line + "\n") for line in lines] + [
        para("Russia and Turkey ", run("sponsor", bold=True), " the ", run("truce", italic=True), ", with ",
             run("the UN", link={"url": "https://news.un.org/en/"}), " watching.",
             {"footnoteReference": {"footnoteId": "kix.fn1", "footnoteNumber": "1"}}, "\n"),
        para("Who are the guarantors?\n", style="HEADING_2"),
        para("Russia\n", bullet={"listId": "kix.b", "nestingLevel": 0}),
        para("its air force\n", bullet={"listId": "kix.b", "nestingLevel": 1}),
        para("Turkey\n", bullet={"listId": "kix.b", "nestingLevel": 0}),
        para("In what order?\n", style="HEADING_3"),
        para("Truce\n", bullet={"listId": "kix.n", "nestingLevel": 0}),
        para("Talks\n", bullet={"listId": "kix.n", "nestingLevel": 0}),
        {"table": {"rows": 2, "columns": 2, "tableRows": [
            {"tableCells": [cell("Side"), cell("Backer")]}, {"tableCells": [cell("Rebels"), cell("Turkey")]}]}},
        para(run("Coloured", foregroundColor={"color": {"rgbColor": {"red": 1}}}), " words.\n"),
    ]
    if picture is not None:
        content.append(para({"inlineObjectElement": {"inlineObjectId": "kix.img"}}, "\n"))
    doc = {
        "documentId": "1AbCdEfGhIjKlMnOpQrStUvWxYz", "title": "Truce explainer", "revisionId": "ALm37BVrev42",
        "body": {"content": content},
        "lists": {"kix.b": BULLETS, "kix.n": NUMBERS},
        "footnotes": {"kix.fn1": {"footnoteId": "kix.fn1", "content": [para("UN figures.\n")]}},
        "inlineObjects": {"kix.img": {"objectId": "kix.img", "inlineObjectProperties": {"embeddedObject": {
            "description": picture or "", "imageProperties": {"contentUri": "https://lh3.example/x"}}}}},
    }
    return json.dumps(doc).encode()


EXPECTED_BODY = """\
Russia and Turkey **sponsor** the *truce*, with [the UN](<https://news.un.org/en/>) watching.[^1]

## Who are the guarantors?

- Russia
    - its air force
- Turkey

### In what order?

1. Truce
2. Talks

| Side | Backer |
|---|---|
| Rebels | Turkey |

Coloured words.

[^1]: UN figures.
"""


@pytest.fixture
def site(make_site):
    return make_site({"content/sources/truce.json": document()}, CHECKED_SITE_YAML)


def test_a_google_doc_imports_to_the_expected_markdown_and_builds(site):
    result = run_import(site, "content/sources/truce.json")
    assert result.ok, result.diagnostics
    front, body = (site / TARGET).read_text(encoding="utf-8").split("\n---\n\n", 1)
    assert body == EXPECTED_BODY
    assert "source:\n  path: 1AbCdEfGhIjKlMnOpQrStUvWxYz\n  revision: ALm37BVrev42\n" in front
    assert [d.message for d in result.diagnostics] == ["text colour cannot be imported and is dropped (paragraph 18)"]
    assert run_build(site).ok
    page = parse(site / "output/who-keeps-the-truce/index.html")
    assert page.select_one("main ul ul li").get_text() == "its air force"
    assert check_site(CheckOptions(site, now=NOW)).ok


def test_a_google_doc_imported_again_is_unchanged(site):
    assert run_import(site, "content/sources/truce.json").ok
    assert [i.status for i in run_import(site, "content/sources/truce.json").imported] == ["unchanged"]


@pytest.mark.parametrize(("picture", "expected"), [
    ("", "19: an image has no alt text (paragraph 19)"),
    ("A map", "19: an image is not in the file (paragraph 19)"),
])
def test_pictures_are_refused_naming_their_paragraph(site, picture, expected):
    (site / "content/sources/truce.json").write_bytes(document(picture=picture))
    before = snapshot(site / "content")
    assert errors(run_import(site, "content/sources/truce.json")) == [expected]
    assert snapshot(site / "content") == before


def test_header_mistakes_name_the_paragraph(site):
    header = ["title: Who keeps the truce?", "date: 2017-01-23", "tpoics: Syria", ":ignore"]
    (site / "content/sources/truce.json").write_bytes(document(header=header))
    assert errors(run_import(site, "content/sources/truce.json")) == ["3: unknown key 'tpoics' (paragraph 3)"]


@pytest.mark.parametrize(("data", "expected"), [
    (b"{not json", "0: not valid JSON"),
    (b'{"title": "x"}', "0: not a Google Docs document"),
])
def test_json_that_is_not_a_google_doc_is_an_error(site, data, expected):
    (site / "content/sources/truce.json").write_bytes(data)
    assert errors(run_import(site, "content/sources/truce.json"))[0].startswith(expected)
