"""`nutgraf import`: ArchieML and Word documents made into explainers, checked, and safe to import again."""

from __future__ import annotations

import textwrap
from pathlib import Path

import archieml
import pytest

from generator.cli import main
from generator.commands import importer
from generator.commands.check import CheckOptions, check_site
from generator.commands.importer import ImportOptions, import_documents
from generator.sources.archieml import read_header
from tests.conftest import NOW, SITE_YAML, parse, run_build, snapshot

STORY_AML = """\
title: Syria's truce: what holds, and what does not
dek: A ceasefire has mostly held since December 30. Talks in Astana test it.
date: 2017-01-23
updated: 2017-01-24T10:00:00+03:00
authors: ann, Sam Reed
topics: Syria, Diplomacy
{hero}
image: images/table.svg
alt: A round table ringed by empty chairs
credit: Illustration: Test Newsroom
{}
[summary]
* The truce took effect on December 30, 2016.
* Russia and Turkey back it; Iran has joined them.
[]
[corrections]
date: 2017-01-24T09:00:00+03:00
text: An earlier version gave the wrong start date.
[]
:ignore

Both sides have mostly kept to a ceasefire since the last days of 2016.

## What does the truce cover?

Most of the country, but not the groups the UN calls terrorist.
"""

EXPECTED_MD = """\
---
title: 'Syria''s truce: what holds, and what does not'
dek: A ceasefire has mostly held since December 30. Talks in Astana test it.
date: 2017-01-23
updated: 2017-01-24 10:00:00+03:00
authors:
- ann
- Sam Reed
topics:
- Syria
- Diplomacy
hero:
  image: images/table.svg
  alt: A round table ringed by empty chairs
  credit: 'Illustration: Test Newsroom'
summary:
- The truce took effect on December 30, 2016.
- Russia and Turkey back it; Iran has joined them.
corrections:
- date: 2017-01-24 09:00:00+03:00
  text: An earlier version gave the wrong start date.
source:
  path: drafts/truce.aml
  revision: {revision}
  digest: {digest}
---

Both sides have mostly kept to a ceasefire since the last days of 2016.

## What does the truce cover?

Most of the country, but not the groups the UN calls terrorist.
"""
TARGET = "content/syrias-truce-what-holds-and-what-does-not.md"
# Ann's url in the shared site.yaml leads nowhere on a site this small, which `nutgraf check` reports.
CHECKED_SITE_YAML = SITE_YAML.replace("    url: https://example.org/ann/\n", "")
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"><rect width="4" height="3"/></svg>'


@pytest.fixture
def site(make_site):
    return make_site({"content/images/table.svg": SVG, "drafts/truce.aml": STORY_AML}, CHECKED_SITE_YAML)


def run_import(root: Path, *names: str, **options) -> importer.ImportResult:
    return import_documents(ImportOptions(root, tuple(root / name for name in names), **options))


def errors(result) -> list[str]:
    return [f"{d.line}: {d.message}" for d in result.diagnostics if d.severity == "error"]


def test_aml_imports_to_the_expected_markdown_and_the_site_builds_and_checks(site):
    result = run_import(site, "drafts/truce.aml")
    assert result.ok, result.diagnostics
    assert [(i.target.relative_to(site).as_posix(), i.status) for i in result.imported] == [(TARGET, "created")]
    written = (site / TARGET).read_text(encoding="utf-8")
    record = written.split("source:\n")[1]
    revision, digest = (line.split(": ")[1] for line in record.splitlines()[1:3])
    assert written == EXPECTED_MD.format(revision=revision, digest=digest)
    assert run_build(site).ok
    page = parse(site / "output/syrias-truce-what-holds-and-what-does-not/index.html")
    assert page.find("h1").get_text(strip=True) == "Syria's truce: what holds, and what does not"
    assert "What does the truce cover?" in [h.get_text(strip=True) for h in page.select("main h2")]
    assert check_site(CheckOptions(site, now=NOW)).ok


def test_importing_again_writes_nothing_when_nothing_changed(site):
    assert run_import(site, "drafts/truce.aml").ok
    before = (site / TARGET).stat().st_mtime_ns
    again = run_import(site, "drafts/truce.aml")
    assert [i.status for i in again.imported] == ["unchanged"]
    assert (site / TARGET).stat().st_mtime_ns == before


def test_a_changed_document_updates_the_file_it_made(site):
    assert run_import(site, "drafts/truce.aml").ok
    (site / "drafts/truce.aml").write_text(STORY_AML.replace("Most of the country", "All of Syria"), encoding="utf-8")
    result = run_import(site, "drafts/truce.aml")
    assert [i.status for i in result.imported] == ["updated"]
    assert "All of Syria" in (site / TARGET).read_text(encoding="utf-8")


def test_a_hand_edit_is_never_overwritten_without_force(site):
    assert run_import(site, "drafts/truce.aml").ok
    edited = (site / TARGET).read_text(encoding="utf-8").replace("Most of the country", "Nearly all the country")
    (site / TARGET).write_text(edited, encoding="utf-8")
    (site / "drafts/truce.aml").write_text(STORY_AML + "\nOne more line.\n", encoding="utf-8")
    refused = run_import(site, "drafts/truce.aml")
    assert not refused.ok
    [problem] = refused.diagnostics
    assert problem.path == TARGET and "edited by hand" in problem.message and "--force" in problem.hint
    assert (site / TARGET).read_text(encoding="utf-8") == edited
    forced = run_import(site, "drafts/truce.aml", force=True)
    assert [i.status for i in forced.imported] == ["updated"]
    assert "One more line." in (site / TARGET).read_text(encoding="utf-8")


def test_a_file_written_by_hand_with_the_same_slug_is_not_replaced(site):
    (site / TARGET).write_text("---\ntitle: Mine\ndate: 2017-01-01\n---\n\nBody.\n", encoding="utf-8")
    result = run_import(site, "drafts/truce.aml")
    assert errors(result) == ["0: this file was not made by `nutgraf import`; importing would replace it"]


def test_dry_run_says_what_would_be_written_and_writes_nothing(site):
    before = snapshot(site)
    result = run_import(site, "drafts/truce.aml", dry_run=True)
    assert [i.status for i in result.imported] == ["created"]
    assert snapshot(site) == before


@pytest.mark.parametrize(("change", "expected"), [
    (("dek:", "dke:"), "2: unknown key 'dke'"),
    (("date: 2017-01-23", "date: 23 January 2017"), "3: 'date' must be a date such as 2017-01-24"),
    (("date: 2017-01-23", "date: 2017-02-30"), "3: 'date' must be a date such as 2017-01-24"),
    (("* Russia and Turkey back it; Iran has joined them.\n[]", "* Russia"), "12: the list [summary] is not closed"),
    (("{}\n[summary]", "{}\n[summary]\nkey: value"), "14: the list [summary] mixes `* items` and `key: value`"),
    (("alt: A round table ringed by empty chairs\n", ""), "7: the hero image has no alt text"),
    (("image: images/table.svg", "image: images/missing.svg"), "8: hero.image 'images/missing.svg' is not in"),
    (("topics: Syria, Diplomacy", "topics: Syria\ntopics: Oil"), "7: 'topics' is given twice (first at line 6)"),
    ((":ignore\n", ""), "1: no `:ignore` line"),
    (("[corrections]", "[.corrections]"), "16: nested ArchieML ([.corrections]) is not used in a header"),
    (("title: Syria's truce: what holds, and what does not", "title: ???"), "1: the title '???' gives no slug"),
])
def test_mistakes_are_errors_with_the_line_and_nothing_is_written(site, change, expected):
    (site / "drafts/truce.aml").write_text(STORY_AML.replace(*change), encoding="utf-8")
    (site / "drafts/other.aml").write_text("title: Fine\ndate: 2017-01-02\n:ignore\nBody.\n", encoding="utf-8")
    before = snapshot(site / "content")
    result = run_import(site, "drafts/other.aml", "drafts/truce.aml")
    assert any(message.startswith(expected) for message in errors(result)), errors(result)
    assert snapshot(site / "content") == before


def test_an_unknown_key_gets_a_did_you_mean(site):
    (site / "drafts/truce.aml").write_text(STORY_AML.replace("topics:", "topcs:"), encoding="utf-8")
    [problem] = [d for d in run_import(site, "drafts/truce.aml").diagnostics if d.severity == "error"]
    assert "topics" in problem.hint


def test_a_body_over_the_limit_is_refused(site, monkeypatch):
    monkeypatch.setattr(importer, "MAX_BODY_BYTES", 100)
    result = run_import(site, "drafts/truce.aml")
    assert errors(result) == ["0: the body has 167 bytes of Markdown; the limit is 100"]
    assert not (site / TARGET).exists()


def test_the_command_prints_what_it_wrote_and_errors_without_a_traceback(site, capsys):
    assert main(["import", "--source", str(site), str(site / "drafts/truce.aml")]) == 0
    assert f"{site / TARGET}: created from" in capsys.readouterr().out
    (site / "drafts/bad.aml").write_text("title: A\ndate: someday\n:ignore\n", encoding="utf-8")
    assert main(["import", "--source", str(site), str(site / "drafts/bad.aml")]) == 1
    err = capsys.readouterr().err
    assert "bad.aml:2:" in err and "'date' must be a date" in err and "Traceback" not in err


def test_the_header_reads_as_the_archieml_package_reads_it():
    """The values agree with the reference parser's on everything a header uses."""
    text = textwrap.dedent(STORY_AML).split(":ignore")[0] + textwrap.dedent("""\
        hero.caption: A long caption
        that spans two lines
        \\:end is kept as text here
        :end
        :skip
        slug: skipped
        :endskip
        series: Calendars
        """)
    assert read_header(text.splitlines(), "x.aml").data == archieml.loads(text)


def test_format_json_prints_one_object_on_success_and_on_failure(site, capsys):
    import json

    assert main(["import", "--source", str(site), str(site / "drafts/truce.aml"), "--format", "json"]) == 0
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert report["ok"] and report["command"] == "import" and err == ""
    assert report["counts"] == {"created": 1, "updated": 0, "unchanged": 0, "errors": 0, "warnings": 0}
    assert report["files"] == [{"document": str(site / "drafts/truce.aml"), "target": str(site / TARGET),
                                "status": "created", "images": []}]
    (site / "drafts/bad.aml").write_text("title: Bad\ndate: 2017-13-45\n:ignore\n\nText.\n", encoding="utf-8")
    assert main(["import", "--source", str(site), str(site / "drafts/bad.aml"), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert not report["ok"] and report["files"] == [] and report["counts"]["errors"] == 1
    assert report["diagnostics"][0]["line"] == 2 and report["diagnostics"][0]["severity"] == "error"
