"""Timelines: events in date order with machine and reader dates."""

import test_blocks

built, page = test_blocks.built, test_blocks.page  # shared fixtures


def test_timeline_events_are_in_date_order_with_machine_and_reader_dates(page):
    timeline = page.find("section", class_="timeline")
    assert timeline.find("h3").get_text() == "How we got here"
    times = [(t["datetime"], t.get_text()) for t in timeline.find_all("time")]
    assert times == [("2011", "2011"), ("2016-12", "December 2016"), ("2017-01-23", "Jan 23, 2017")]
    assert timeline.find("ol").find_all("li")[2].find("div").get_text() == "Talks open in Astana."
