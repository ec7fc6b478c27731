import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from generator.config import SiteConfig
from generator.frontmatter import parse_document
from generator.metadata import read_meta

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
