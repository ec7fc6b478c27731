"""`nutgraf copyedit SLUG`: the copy desk's Word file, read back with python-docx and lxml; changes since a git
revision, a date or the last sign-off as Word's tracked changes (w:ins, w:del); the sign-off record."""

from __future__ import annotations

import datetime as dt
import os
import subprocess

import docx
import pytest
from docx.oxml.ns import qn
from test_importer import run_import

from generator.cli import main
from generator.commands.copyedit import CopyeditOptions, copyedit

NOW = dt.datetime(2026, 12, 8, 9, 30, tzinfo=dt.UTC)
STORY = """\
---
title: "Who keeps the truce?"
dek: "Russia and Turkey sponsor it."
date: 2017-01-23
hero:
  image: images/map.svg
  alt: A map
  caption: "The front lines in January."
  credit: "Map: Test Newsroom"
---

The truce has **mostly** held since [December 30](https://example.org/).

## Who are the guarantors?

Russia and Turkey, with Iran.

:::figure src="images/map.svg" alt="A map" credit="Photo: Ann Writer"
Talks in Astana.
:::

It is fragile.

:::sources
- [UN figures](https://news.un.org/en/)
:::
"""
PATH = "content/who-keeps-the-truce.md"


def git(root, *args: str, date: str = "2024-05-01T12:00:00+00:00") -> None:
    env = os.environ | {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", "-C", str(root), "-c", "user.name=Desk", "-c", "user.email=desk@example.org", *args],
                   check=True, capture_output=True, env=env)


@pytest.fixture
def site(make_site):
    root = make_site({PATH: STORY})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "first")
    return root


def packet(root, **options):
    target = root.parent / "packet.docx"
    done, found = copyedit(CopyeditOptions(root, "who-keeps-the-truce", output=target, now=NOW, **options))
    assert not found, found
    return docx.Document(str(target)), done


def paragraphs(document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs]


def tracked(document, tag: str) -> list[str]:
    """The text inside every w:ins or w:del, in order."""
    texts = []
    for change in document.element.body.iter(qn(f"w:{tag}")):
        texts.append("".join(t.text or "" for t in change.iter(qn("w:t"), qn("w:delText"))))
    return [t for t in texts if t]


def test_the_packet_holds_every_piece_of_copy_in_its_style(site):
    document, done = packet(site)
    assert paragraphs(document) == [
        ("Title", "Who keeps the truce?"), ("Subtitle", "Russia and Turkey sponsor it."),
        ("Caption", "The front lines in January."), ("Caption", "Map: Test Newsroom"),
        ("Normal", "The truce has mostly held since December 30."),
        ("Heading 2", "Who are the guarantors?"), ("Normal", "Russia and Turkey, with Iran."),
        ("Caption", "Talks in Astana."), ("Caption", "Photo: Ann Writer"),
        ("Normal", "It is fragile."), ("Heading 4", "Sources"), ("List Bullet", "UN figures"),
    ]
    assert tracked(document, "ins") == tracked(document, "del") == []
    assert "who-keeps-the-truce: copy edit" in document.sections[0].header.paragraphs[0].text
    assert done.endswith("12 paragraphs")


def edit(root) -> None:
    text = (root / PATH).read_text(encoding="utf-8")
    text = text.replace("with Iran.", "now with Iran.").replace("It is fragile.\n\n", "")
    text = text.replace(":::sources", "Talks resume in February.\n\n:::sources")
    (root / PATH).write_text(text, encoding="utf-8")


def test_since_a_revision_marks_changes_as_word_tracked_changes(site):
    edit(site)
    document, done = packet(site, since="HEAD")
    assert tracked(document, "ins") == ["now ", "Talks resume in February."]
    assert tracked(document, "del") == ["It is fragile."]
    deleted = next(p for p in document.paragraphs if p._p.find(f".//{qn('w:delText')}") is not None
                   and p.text == "")
    assert deleted._p.find(f"{qn('w:pPr')}/{qn('w:rPr')}/{qn('w:del')}") is not None  # its paragraph mark too
    change = next(document.element.body.iter(qn("w:ins")))
    assert change.get(qn("w:author")) == "nutgraf copyedit" and change.get(qn("w:date")) == "2026-12-08T09:30:00Z"
    assert done.endswith("3 changed since HEAD")


def test_since_a_date_takes_the_version_committed_before_it(site):
    (site / PATH).write_text(STORY.replace("It is fragile.", "It is very fragile."), encoding="utf-8")
    git(site, "commit", "-qam", "second", date="2024-06-01T12:00:00+00:00")
    edit(site)
    document, _ = packet(site, since="2024-05-15")
    assert tracked(document, "ins") == ["now ", "very ", "Talks resume in February."]  # against May's, not June's


def test_signing_off_changes_nothing_else_and_since_signoff_shows_later_edits(site):
    before = (site / PATH).read_text(encoding="utf-8")
    assert main(["copyedit", "who-keeps-the-truce", "--source", str(site), "--signed-off", "--by", "Kim Lee"]) == 0
    after = (site / PATH).read_text(encoding="utf-8")
    record = after[after.index("signoff:"):after.index("---\n\nThe truce")]
    assert after.replace(record, "") == before
    assert record.startswith("signoff:\n  by: Kim Lee\n  at: '") and "\n  digest: " in record
    git(site, "commit", "-qam", "signed off")
    assert tracked(packet(site, since="signoff")[0], "ins") == []  # nothing changed since
    edit(site)
    assert tracked(packet(site, since="signoff")[0], "ins") == ["now ", "Talks resume in February."]


def test_an_imported_explainer_signed_off_is_still_its_import(make_site):
    root = make_site({"drafts/truce.aml": "title: A truce\ndate: 2017-01-23\n:ignore\n\nIt holds.\n"})
    assert run_import(root, "drafts/truce.aml").ok
    assert copyedit(CopyeditOptions(root, "a-truce", signed_off=True, by="Kim", now=NOW))[1] == []
    signed = (root / "content/a-truce.md").read_text(encoding="utf-8")
    assert [i.status for i in run_import(root, "drafts/truce.aml").imported] == ["unchanged"]
    (root / "drafts/truce.aml").write_text("title: A truce\ndate: 2017-01-23\n:ignore\n\nIt holds still.\n")
    assert [i.status for i in run_import(root, "drafts/truce.aml").imported] == ["updated"]
    updated = (root / "content/a-truce.md").read_text(encoding="utf-8")
    assert "It holds still." in updated and "signoff:\n  by: Kim\n" in updated and "signoff:" in signed


@pytest.mark.parametrize(("slug", "since", "expected"), [
    ("no-such-thing", None, "no explainer has this slug"),
    ("who-keeps-the-truce", "signoff", "this explainer has no sign-off yet"),
    ("who-keeps-the-truce", "not-a-revision", "git has no version of the file at 'not-a-revision'"),
    ("who-keeps-the-truce", "1999-01-01", "git holds no version of the file from before 1999-01-01"),
])
def test_mistakes_are_errors_with_hints(site, slug, since, expected):
    done, found = copyedit(CopyeditOptions(site, slug, since=since, output=site.parent / "x.docx", now=NOW))
    assert [d.message for d in found] == [expected] and found[0].hint and done == ""
    assert not (site.parent / "x.docx").exists()
