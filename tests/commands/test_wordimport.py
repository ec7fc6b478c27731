"""`nutgraf import FILE.docx`: a Word file (written here with python-docx) made into an explainer with its images."""

from __future__ import annotations

import io
import shutil

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Inches, RGBColor
from PIL import Image
from test_importer import CHECKED_SITE_YAML, errors, run_import

from generator.commands.check import CheckOptions, check_site
from tests.conftest import NOW, REPO, parse, run_build, snapshot

HEADER = ["title: The truce in Syria, in brief", "date: 2017-01-23", "authors: ann", "topics: Syria",
          "[summary]", "* A ceasefire has mostly held since December 30.", "[]", ":ignore"]
FOOTNOTES = ('<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
             '<w:footnote w:id="1"><w:p><w:r><w:t>Figures of the UN, January 2017.</w:t></w:r></w:p></w:footnote>'
             '</w:footnotes>')
TARGET = "content/the-truce-in-syria-in-brief.md"
EXPECTED_BODY = """\
Both sides have **mostly** kept to the *truce*, says the [UN](<https://news.un.org/en/>).[^1]

## What does the truce cover?

Most of the country, but not:

- the Islamic State group
- a former al-Qaeda affiliate

### Who signed it?

1. Russia
2. Turkey

> A truce is only as strong as the guns that keep silent.

| Side | Backer |
|---|---|
| Government | Russia |
| Rebels | Turkey |

![A map of Syria with the truce zones shaded](images/the-truce-in-syria-in-brief-1.png)

:::keypoints title="At a glance"

- It began on December 30.

:::

Prices rose 3\\* in 2016 &lt;a> \\[sic\\].

[^1]: Figures of the UN, January 2017.
"""


def add_link(paragraph, url: str, text: str) -> None:
    """python-docx has no call for a hyperlink: the run goes inside a w:hyperlink naming the relationship."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True))
    run, words = OxmlElement("w:r"), OxmlElement("w:t")
    words.text = text
    run.append(words)
    link.append(run)
    paragraph._p.append(link)


def add_footnote_reference(document, paragraph) -> None:
    """A footnotes part (which python-docx does not make) and a reference to its footnote 1."""
    part = Part(PackURI("/word/footnotes.xml"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                FOOTNOTES.encode(), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)
    paragraph._p.append(parse_xml('<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                                  '<w:footnoteReference w:id="1"/></w:r>'))


def png() -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", (8, 6), "red").save(data, "PNG")
    data.seek(0)
    return data


def word_story(alt: str = "A map of Syria with the truce zones shaded", header=HEADER, comment: bool = True,
               colour: bool = True) -> bytes:
    """A Word document with every element import keeps, a comment and coloured text (which it drops)."""
    document = docx.Document()
    for line in header:
        document.add_paragraph(line)
    lede = document.add_paragraph("Both sides have ")
    lede.add_run("mostly").bold = True
    lede.add_run(" kept to the ")
    lede.add_run("truce").italic = True
    lede.add_run(", says the ")
    add_link(lede, "https://news.un.org/en/", "UN")
    lede.add_run(".")
    add_footnote_reference(document, lede)
    document.add_heading("What does the truce cover?", 2)
    covered = document.add_paragraph("Most of the country, but not:")
    if colour:
        covered.runs[0].font.color.rgb = RGBColor(0xC0, 0, 0)
    document.add_paragraph("the Islamic State group", style="List Bullet")
    document.add_paragraph("a former al-Qaeda affiliate", style="List Bullet")
    document.add_heading("Who signed it?", 3)
    document.add_paragraph("Russia", style="List Number")
    document.add_paragraph("Turkey", style="List Number")
    quote = document.add_paragraph("A truce is only as strong as the guns that keep silent.", style="Quote")
    if comment:
        document.add_comment(quote.runs[0], text="Who said this?", author="Desk")
    table = document.add_table(rows=3, cols=2)
    for row, cells in enumerate((("Side", "Backer"), ("Government", "Russia"), ("Rebels", "Turkey"))):
        for column, text in enumerate(cells):
            table.cell(row, column).text = text
    document.add_picture(png(), width=Inches(1))
    document.inline_shapes[-1]._inline.docPr.set("descr", alt)
    for text in ("{keypoints title=\u201cAt a glance\u201d}", "It began on December 30.", "{}"):
        document.add_paragraph(text, style="List Bullet" if text.startswith("It") else None)
    document.add_paragraph("Prices rose 3* in 2016 <a> [sic].")
    data = io.BytesIO()
    document.save(data)
    return data.getvalue()


@pytest.fixture
def site(make_site):
    return make_site({"content/sources/truce.docx": word_story()}, CHECKED_SITE_YAML)


def test_a_word_file_imports_to_the_expected_markdown_with_its_image(site):
    result = run_import(site, "content/sources/truce.docx")
    assert result.ok, result.diagnostics
    written = (site / TARGET).read_text(encoding="utf-8")
    front, body = written.split("\n---\n\n", 1)
    assert body == EXPECTED_BODY
    assert "source:\n  path: content/sources/truce.docx\n" in front
    image = site / "content/images/the-truce-in-syria-in-brief-1.png"
    assert Image.open(image).size == (8, 6)
    assert [i.images for i in result.imported] == [(image,)]


def test_the_imported_word_story_builds_and_checks(site):
    assert run_import(site, "content/sources/truce.docx").ok
    result = run_build(site)
    assert result.ok, result.diagnostics
    page = parse(site / "output/the-truce-in-syria-in-brief/index.html")
    assert page.select_one("main table td").get_text() == "Government"
    assert page.select_one("main img[alt='A map of Syria with the truce zones shaded']") is not None
    assert page.select_one("main a[href='https://news.un.org/en/']").get_text() == "UN"
    assert page.select_one("main blockquote") is not None
    assert page.select_one(".footnote, [id^='fn:1'], [id^='fn']") is not None
    assert not (site / "output/sources").exists()  # the Word file itself is never published
    assert check_site(CheckOptions(site, now=NOW)).ok


def test_what_cannot_be_kept_is_dropped_with_a_warning_naming_the_paragraph(site):
    warnings = [d.message for d in run_import(site, "content/sources/truce.docx").diagnostics]
    assert "text colour cannot be imported and is dropped (paragraph 11)" in warnings
    assert "a comment cannot be imported and is dropped (paragraph 17)" in warnings


def test_an_image_without_alt_text_is_an_error_naming_its_paragraph(site):
    (site / "content/sources/truce.docx").write_bytes(word_story(alt=""))
    before = snapshot(site / "content")
    result = run_import(site, "content/sources/truce.docx")
    assert errors(result) == ["24: an image has no alt text (paragraph 24)"]
    assert snapshot(site / "content") == before


def test_header_mistakes_in_word_name_the_paragraph(site):
    header = [line.replace("date: 2017-01-23", "date: Monday") for line in HEADER]
    (site / "content/sources/truce.docx").write_bytes(word_story(header=header))
    assert errors(run_import(site, "content/sources/truce.docx")) == [
        "2: 'date' must be a date such as 2017-01-24, not 'Monday' (paragraph 2)"]


def test_importing_the_word_file_again_writes_nothing(site):
    assert run_import(site, "content/sources/truce.docx").ok
    written = snapshot(site / "content")
    stamps = {p: p.stat().st_mtime_ns for p in (site / "content").rglob("*")}
    again = run_import(site, "content/sources/truce.docx")
    assert [i.status for i in again.imported] == ["unchanged"]
    assert snapshot(site / "content") == written
    assert {p: p.stat().st_mtime_ns for p in (site / "content").rglob("*")} == stamps


def test_a_file_that_is_not_a_word_document_is_an_error(site):
    (site / "content/sources/broken.docx").write_bytes(b"not a zip")
    assert errors(run_import(site, "content/sources/broken.docx")) == ["0: not a Word (.docx) file"]


def test_the_sample_sites_word_explainer_is_what_importing_its_document_makes(tmp_path):
    """content/sources/syria-truce.docx and the explainer made from it are committed together: importing the
    document again into a copy of the sample site changes nothing."""
    root = tmp_path / "sample"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy2(REPO / "site.yaml", root / "site.yaml")
    result = run_import(root, "content/sources/syria-truce.docx")
    assert result.ok, result.diagnostics
    assert [(i.target.name, i.status) for i in result.imported] == [
        ("the-truce-that-brought-syrias-enemies-to-astana.md", "unchanged")]
