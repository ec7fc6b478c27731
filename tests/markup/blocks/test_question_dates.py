"""A question's own updated date, under it and in the contents."""

import test_blocks

built, page = test_blocks.built, test_blocks.page  # shared fixtures


def test_a_questions_own_date_shows_under_it_and_in_the_contents(page):
    heading = page.find("h2", id="parties")
    assert "updated" not in heading.attrs and "data-nutgraf-updated" not in heading.attrs
    note = heading.find_next_sibling("p", class_="question__updated")
    assert note.find("time")["datetime"] == "2017-01-24" and note.get_text(" ", strip=True) == "Updated Jan 24, 2017"
    item = page.find("nav", class_="toc").find("a", href="#parties").parent
    assert item.find("span", class_="toc__updated").find("time")["datetime"] == "2017-01-24"
    assert item.find("a").get_text() == "Who is at the table?"
