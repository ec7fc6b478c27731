"""Dates in bodies: partial dates, written in the page's language."""

from conftest import explainer, parse, run_build

from generator.markup.blocks.dates import PartialDate


def test_dates_follow_the_page_language(make_site):
    body = ":::timeline\n- 2016-12: Ateşkes.\n- 2016-12-30: Ateşkes yürürlükte.\n:::\n"
    root = make_site({"content/ateskes.md": explainer("Türkçe", body, lang="tr")})
    assert run_build(root).ok
    times = [t.get_text() for t in parse(root / "output/ateskes/index.html").find_all("time", class_="timeline__date")]
    assert times == ["Aralık 2016", "30 Ara 2016"]


def test_partial_dates():
    assert PartialDate.parse("2016-12") == PartialDate(2016, 12) and PartialDate(2016, 12).isoformat() == "2016-12"
    assert PartialDate.parse("2016-02-30") is None and PartialDate.parse("16-02") is None
    assert PartialDate(2016, 2).last_day().day == 29 and PartialDate(2011).precision == "year"
    assert sorted([PartialDate(2016, 12, 30), PartialDate(2011), PartialDate(2016, 12)])[0] == PartialDate(2011)
