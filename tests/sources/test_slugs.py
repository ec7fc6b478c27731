from hypothesis import given
from hypothesis import strategies as st

from generator.sources.slugs import is_safe_slug, slugify, unique_id


def test_latin_heading_becomes_hyphenated_lowercase():
    assert slugify("What is so important about these talks?") == "what-is-so-important-about-these-talks"


def test_apostrophes_vanish_and_turkish_letters_stay_readable():
    assert slugify("Türkiye'nin rolü nedir?") == "türkiyenin-rolü-nedir"
    assert slugify("İstanbul'da ne oldu?") == "istanbulda-ne-oldu"


def test_arabic_heading_keeps_its_words_and_drops_harakat():
    assert slugify("ما هي المحادثاتُ؟") == "ما-هي-المحادثات"


@given(st.text(st.characters(max_codepoint=127)) | st.text("aZ9 '`_-./?!\t"))  # the second: mostly the awkward ones
def test_ascii_headings_get_the_slug_that_the_unicode_rules_give(text):
    # An em dash makes the text non-ASCII, so it takes the general path; a dash at either end is stripped.
    assert slugify(text) == slugify(f"\u2014{text}\u2014")


def test_punctuation_only_gives_empty_slug():
    assert slugify("?!…") == ""


def test_safe_slug_rules():
    assert is_safe_slug("astana-talks")
    assert is_safe_slug("رمضان-2024")
    assert is_safe_slug("snake_case")  # safe in a URL, and common in file names
    for bad in ("a/b", "..", ".hidden", "two words", "Upper", "-edge", "a--b", "_lead", ""):
        assert not is_safe_slug(bad), bad


def test_unique_id_numbers_repeats():
    taken: set[str] = set()
    assert [unique_id("q", taken) for _ in range(3)] == ["q", "q-2", "q-3"]
    assert unique_id("", taken) == "section"
