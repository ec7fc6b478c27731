"""Share cards per second per core: every card of a built site drawn again from cold, in one process.

    python3 bench/corpus.py --size 1000 --tools nutgraf --out /tmp/corpus
    .venv/bin/nutgraf build --source /tmp/corpus/nutgraf        # a warm cache: parsing and images are not timed
    .venv/bin/python bench/cards.py --source /tmp/corpus/nutgraf --repeat 5

CPU seconds are the process's own (time.process_time), so the figure holds on a busy machine too; wall time
is printed beside them. The stage's figure includes writing the files (on a machine busy writing, the kernel's
time for each new file can be a large part of it); render_card's is the drawing and encoding alone. Each of the
--repeat drawings runs in a process forked after the site is loaded, cold as a build's worker is (no card,
illustration or word drawn yet, the loaded site out of the garbage collector's way); the best and the median
are printed, since other processes on the machine slow a run down and never speed it up.
PYTHONPATH=OTHER-CHECKOUT measures another commit's nutgraf with the same script.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import statistics
import time
from pathlib import Path

from generator.engine.cache import BodyStore
from generator.engine.options import BuildOptions
from generator.engine.stages import load_content, prepare
from generator.outputs import sharecards
from generator.outputs.sharecards import STORE_FOLDER


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, required=True, help="a site built once (its cache is used)")
    parser.add_argument("--repeat", type=int, default=5, help="drawings measured (the best and median printed)")
    args = parser.parse_args()
    options = BuildOptions(args.source, jobs=1)
    found: list = []
    setting = prepare(options, None, found)
    assert setting is not None and setting.cache_dir is not None, found
    content = load_content(setting, options, BodyStore(setting.cache_dir), found)
    runs = [_draw_all(content, setting) for _ in range(args.repeat)]
    drawn = runs[0][0]
    for label, at in (("the cards stage (site_cards: specs, drawing, files)", 1), ("drawing alone (render_card)", 2)):
        cpu = sorted(run[at] for run in runs)
        print(f"{label}: {drawn} cards in {cpu[0]:.2f} CPU s at best, {statistics.median(cpu):.2f} median of "
              f"{len(cpu)}: {drawn / cpu[0]:.0f} cards per second per core at best, "
              f"{drawn / statistics.median(cpu):.0f} median")
    print(f"{len(content.site.explainers)} explainers; {statistics.median(run[3] for run in runs):.1f} s wall "
          "(median) for the stage")


def _draw_all(content, setting) -> tuple[int, float, float, float]:
    """Cards drawn, and the CPU seconds of the stage and of render_card alone and the stage's wall seconds, of
    drawing every card from cold in a forked process."""
    read, write = os.pipe()
    child = os.fork()
    if child == 0:
        try:
            os.close(read)
            gc.freeze()  # as the build does while its workers draw: collections skip the site loaded before
            shutil.rmtree(setting.cache_dir / STORE_FOLDER, ignore_errors=True)  # cold: every card drawn again
            drawing = [0.0]
            render = sharecards.render_card

            def timed(*args, **kwargs):
                start = time.process_time()
                try:
                    return render(*args, **kwargs)
                finally:
                    drawing[0] += time.process_time() - start

            sharecards.render_card = timed  # _draw_chunk looks it up at each card
            cpu, wall = time.process_time(), time.perf_counter()
            cards = sharecards.site_cards(content.site, content.plan, setting.config, setting.theme.folders,
                                          content.copies, content.photos.pictures, setting.cache_dir, jobs=1)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            os.write(write, json.dumps([cards.drawn, cpu, drawing[0], wall]).encode())
        finally:
            os._exit(0)  # never back into the parent's code
    os.close(write)
    with os.fdopen(read, "rb") as answer:
        data = answer.read()
    os.waitpid(child, 0)
    return tuple(json.loads(data))

if __name__ == "__main__":
    main()
