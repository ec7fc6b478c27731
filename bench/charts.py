"""Charts: cold drawing time, gzipped size and PNG time of each kind at 500 points, each kind in a fresh process
(so that imports, Babel's locale data and resvg's fonts are loaded as a build's first chart loads them).

    PYTHONPATH=$PWD python bench/charts.py
"""

from __future__ import annotations

import gzip
import random
import subprocess
import sys
import time

KINDS = ("line", "column", "bar", "stacked-bar", "dot", "number")
POINTS = 500


def measure(kind: str) -> str:
    """One kind, in this process: the figures as one line."""
    started = time.perf_counter()
    from generator.markup.blocks.charting.draw import ChartData, Series, draw  # noqa: PLC0415 (timed)
    from generator.markup.blocks.charting.formats import number_format  # noqa: PLC0415
    from generator.markup.blocks.charting.raster import to_png  # noqa: PLC0415
    imported = time.perf_counter()
    rng = random.Random(27)  # noise: gzip cannot fold it as it folds a pattern
    series = tuple(Series(name, tuple(round(rng.uniform(0, 10_000), 1) for _ in range(POINTS)))
                   for name in ("a", "b")[: 2 if kind == "stacked-bar" else 1])
    write = number_format("number", "en")
    chart = ChartData(kind, "Title", "Description", tuple(f"r{i}" for i in range(POINTS)),
                      tuple(float(i) for i in range(POINTS)) if kind == "line" else None, series, write, write)
    before = time.perf_counter()
    drawn = draw(chart, "c")
    drawn_at = time.perf_counter()
    png = to_png(drawn[0])
    done = time.perf_counter()
    both = "".join(drawn)
    return (f"{kind:12} import {1000 * (imported - started):4.0f} ms | draw (wide + narrow) "
            f"{1000 * (drawn_at - before):4.0f} ms | PNG {1000 * (done - drawn_at):5.0f} ms | SVGs {len(both):7,d} B, "
            f"{len(gzip.compress(both.encode())):6,d} B gzipped | PNG {len(png):7,d} B")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        print(measure(sys.argv[1]))
    else:
        for name in KINDS:
            subprocess.run([sys.executable, __file__, name], check=True)
