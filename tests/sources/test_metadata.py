import datetime as dt
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import REPO, SITE_YAML, explainer, messages, run_build

from generator.sources.config import SiteConfig
from generator.sources.frontmatter import parse_document
from generator.sources.metadata import read_meta

CONFIG = SiteConfig(title="T", root=Path("."), timezone="Europe/Istanbul", language="en")


def meta_of(front: str, config: SiteConfig = CONFIG, path: str = "content/astana-talks.md"):
    raw, found = parse_document(f"---\n{front}\n---\nbody\n".encode(), path)
    assert found == [], found
    return read_meta(raw, config)


def test_a_date_alone_is_midnight_in_the_site_timezone_not_utc():
    meta, found = meta_of('title: "T"\ndate: 2017-01-23')
    assert found == []
    assert meta.date == dt.datetime(2017, 1, 23, tzinfo=ZoneInfo("Europe/Istanbul"))
    assert meta.date.isoformat() == "2017-01-23T00:00:00+03:00"


def test_naive_times_are_site_time_and_explicit_offsets_are_kept():
    meta, _ = meta_of('title: "T"\ndate: 2017-01-23 09:30:00\nupdated: 2017-01-24T14:00:00+06:00')
    assert meta.date.isoformat() == "2017-01-23T09:30:00+03:00"
    assert meta.updated.isoformat() == "2017-01-24T14:00:00+06:00"


def test_updated_before_date_is_an_error_at_its_line():
    meta, found = meta_of('title: "T"\ndate: 2017-01-23\nupdated: 2017-01-20')
    assert found
    assert found[0].line == 4 and "earlier" in found[0].message


def test_impossible_and_unreadable_dates():
    _, found = meta_of('title: "T"\ndate: 2017-02-30')
    assert "not a real date" in found[0].message and found[0].line == 3
    _, found = meta_of('title: "T"\ndate: "24 Jan"')
    assert "must be a date such as 2017-01-24" in found[0].message
    assert "YYYY-MM-DD" in found[0].hint


def test_yaml_traps_in_titles_tell_the_editor_to_quote():
    for value, shown in (("no", "false"), ("2017", "2017"), ("1.5", "1.5")):
        meta, found = meta_of(f"title: {value}\ndate: 2017-01-23")
        assert found
        assert "must be text" in found[0].message and shown in found[0].message
        assert found[0].hint.startswith("put it in quotes") and f'title: "{value}"' in found[0].hint
        assert (found[0].line, found[0].column) == (2, 8)


def test_missing_title_and_date():
    meta, found = meta_of("dek: x")
    assert found
    assert {"'title' is required", "'date' is required"} <= {d.message for d in found}


def test_slug_defaults_to_file_name_and_must_be_safe():
    meta, _ = meta_of('title: "T"\ndate: 2017-01-23')
    assert meta.slug == "astana-talks"
    for bad in ('"../etc"', '"a/b"', '"two words"', '".hidden"'):
        meta, found = meta_of(f'title: "T"\ndate: 2017-01-23\nslug: {bad}')
        assert "not one safe URL segment" in found[0].message, bad
    _, found = meta_of('title: "T"\ndate: 2017-01-23', path="content/Bad Name.md")
    assert "rename the file" in found[0].hint


def test_hero_needs_alt_text():
    _, found = meta_of('title: "T"\ndate: 2017-01-23\nhero:\n  image: a.png')
    assert "no alt text" in found[0].message


def test_extra_keys_are_kept_and_description_defaults_to_dek():
    meta, _ = meta_of('title: "T"\ndek: "The dek"\ndate: 2017-01-23\nkicker: "Analysis"')
    assert meta.extra == {"kicker": "Analysis"}
    assert meta.description == "The dek"


def test_arabic_explainers_are_right_to_left():
    meta, _ = meta_of('title: "T"\ndate: 2017-01-23\nlang: ar')
    assert (meta.lang, meta.dir) == ("ar", "rtl")


def test_search_and_social_overrides_are_read_and_long_headlines_warn():
    meta, found = meta_of('title: "T"\ndate: 2017-01-23\nseo_title: "Search"\nsocial_title: "Share"\n'
                          'social_description: "Preview"\nsocial_image: {image: card.png, alt: "A card"}')
    assert found == []
    share = meta.share
    assert (share.seo_title, share.social_title, share.social_description) == ("Search", "Share", "Preview")
    assert (share.social_image.image, share.social_image.alt) == ("card.png", "A card")
    assert "seo_title" not in meta.extra
    meta, found = meta_of(f'title: "{"x" * 111}"\ndate: 2017-01-23')
    assert [(d.severity, d.line, "111 characters" in d.message) for d in found] == [("warning", 2, True)]
    meta, found = meta_of(f'title: "{"x" * 111}"\ndate: 2017-01-23\nseo_title: "{"y" * 110}"')
    assert found == []
    meta, found = meta_of('title: "T"\ndate: 2017-01-23\nsocial_image: [a]')
    assert "'social_image' must be an image path" in found[0].message


def test_hero_focus_is_a_point_in_the_image():
    meta, found = meta_of('title: "T"\ndate: 2017-01-23\nhero: {image: a.jpg, alt: "A", focus: [0.25, 1]}')
    assert found == [] and meta.hero.focus == (0.25, 1.0)
    meta, found = meta_of('title: "T"\ndate: 2017-01-23\nhero: {image: a.jpg, alt: "A", focus: [50%, 20%]}')
    assert meta.hero.focus is None
    assert [d.line for d in found] == [4] and "'hero.focus' must be [x, y] with each from 0 to 1" in found[0].message
    meta, found = meta_of('title: "T"\ndate: 2017-01-23\nsocial_image: {image: s.jpg, alt: "S", focus: [0, 0]}')
    assert found == [] and meta.share.social_image.focus == (0.0, 0.0)


LONDON = SITE_YAML.replace("Europe/Istanbul", "Europe/London")


@pytest.mark.parametrize("written", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", "0001-01-01",
                                     "1899-12-31", "3000-01-01"])
def test_dates_outside_the_accepted_years_are_errors_at_their_line(make_site, written):
    root = make_site({"content/a.md": explainer(date="2017-01-23", updates=f'[{{date: "{written}", text: "x"}}]')})
    result = run_build(root)
    assert not result.ok and not (root / "output").exists()
    year = int(written[:4])
    assert messages(result) == [f"content/a.md:4:18: error: 'updates.0.date' is in the year {year}; dates must be "
                                "in the years 1900 to 2999\n  hint: is a digit missing or mistyped?"]


def test_the_edges_of_the_accepted_years_are_dates(make_site):
    root = make_site({"content/a.md": explainer(date="1900-01-01T00:00:00+14:00", updated="2999-12-31T23:59:59-12:00")})
    assert run_build(root, future=True).ok


@pytest.mark.parametrize(("fields", "expected"), [
    ({"date": "2026-03-29T01:30:00"},
     "content/a.md:3:7: error: 'date' is 2026-03-29T01:30:00, a time that does not exist in Europe/London: the "
     "clocks skip it when daylight saving time begins\n  hint: write the time with its offset, e.g. "
     "2026-03-29T02:30:00+01:00"),
    ({"updated": '"2026-10-25 01:30"'},
     "content/a.md:3:10: error: 'updated' is 2026-10-25T01:30:00, a time that happens twice in Europe/London: "
     "the clocks go back over it when daylight saving time ends\n  hint: write the time with its offset: "
     "2026-10-25T01:30:00+01:00 for the first, 2026-10-25T01:30:00+00:00 for the second"),
])
def test_a_wall_time_the_clocks_skip_or_show_twice_is_an_error_with_the_offsets(make_site, fields, expected):
    root = make_site({"content/a.md": explainer(**fields)}, LONDON)
    assert messages(run_build(root)) == [expected]


def test_wall_times_beside_the_clock_changes_and_with_offsets_are_kept(make_site):
    meta, found = meta_of('title: "T"\ndate: 2026-03-29T02:30:00\nupdated: 2026-10-25T01:30:00+00:00',
                          replace(CONFIG, timezone="Europe/London"))
    assert found == []
    assert (meta.date.isoformat(), meta.updated.isoformat()) == ("2026-03-29T02:30:00+01:00",
                                                                 "2026-10-25T01:30:00+00:00")


def test_an_edge_date_stops_the_command_line_build_without_a_traceback(make_site):
    root = make_site({"content/a.md": explainer(date="0001-01-01T00:00:00+14:00")})
    run = subprocess.run([sys.executable, "-m", "generator", "build", "--source", root], capture_output=True,
                         text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert "content/a.md:3:7: error: 'date' is in the year 1" in run.stderr + run.stdout
