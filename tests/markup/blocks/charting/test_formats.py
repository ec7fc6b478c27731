"""Chart number formats in the page's language."""

from generator.markup.blocks.charting.formats import number_format


def test_numbers_are_written_in_the_pages_language():
    assert number_format("number", "en")(12345.5) == "12,345.5"
    assert number_format("number", "de")(12345.5) == "12.345,5"
    assert number_format("percent", "en")(45) == "45%"
    assert number_format("currency:USD", "en")(1200) == "$1,200.00"
    assert number_format("currency:EUR", "fr", 0)(1200).startswith("1\u202f200")
    assert number_format("compact", "en")(1_200_000) == "1.2M"
