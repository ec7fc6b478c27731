"""Chart data: CSV rows read with their lines."""

import pytest

from generator.markup.blocks.charting.data import DataError, read_csv, to_number


def test_csv_reading_keeps_each_rows_line():
    table = read_csv(b'\xef\xbb\xbfa,b\n\n"x\ny",1\nz,2\n')
    assert table.columns == ("a", "b") and table.lines == (3, 5)
    with pytest.raises(DataError) as raised:
        to_number("12 apples", 7, "n")
    assert raised.value.line == 7 and raised.value.in_data
    assert to_number("1,234.5", 1, "n") == 1234.5 and to_number("−3%", 1, "n") == -3 and to_number("$12", 1, "n") == 12
