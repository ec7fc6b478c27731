"""The chart canvas: tick values a reader can read."""

from generator.markup.blocks.charting.canvas import nice_ticks


def test_nice_ticks():
    assert nice_ticks(0, 9, 5) == [0, 2, 4, 6, 8, 10]
    assert nice_ticks(0.0, 0.3, 3) == [0, 0.1, 0.2, 0.3]
