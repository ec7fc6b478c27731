"""Chart drawing: large data stays small."""

import gzip
import random
import time
from dataclasses import replace

import pytest

from generator.markup.blocks.charting.draw import KINDS, ChartData, Series, draw
from generator.markup.blocks.charting.formats import number_format


def _points(count: int) -> ChartData:
    rng = random.Random(27)  # noise, which gzip cannot fold the way it folds a pattern
    values = tuple(round(rng.uniform(0, 10_000), 1) for _ in range(count))
    return ChartData("line", "T", "D", tuple(str(i) for i in range(count)), tuple(float(i) for i in range(count)),
                     (Series("a", values),), number_format("number", "en"), number_format("number", "en"))


@pytest.mark.parametrize("kind", KINDS)
def test_five_hundred_points_stay_under_25_kb_gzipped(kind):
    line = _points(500)
    series = (*line.series, Series("b", tuple(reversed(line.series[0].values)))) if kind == "stacked-bar" \
        else line.series
    chart = replace(line, kind=kind, positions=line.positions if kind == "line" else None, series=series)
    started = time.perf_counter()
    drawn = "".join(draw(chart, "c"))
    seconds = time.perf_counter() - started
    size = len(gzip.compress(drawn.encode()))
    print(f"{kind}: 500 points, {len(drawn)} bytes, {size} gzipped, {seconds * 1000:.0f} ms")
    assert size < 25_000
