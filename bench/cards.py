"""Share cards per second per core: every card of a built site drawn again from cold, in one process.

    python3 bench/corpus.py --size 1000 --tools nutgraf --out /tmp/corpus
    .venv/bin/nutgraf build --source /tmp/corpus/nutgraf        # a warm cache: parsing and images are not timed
    .venv/bin/python bench/cards.py --source /tmp/corpus/nutgraf

CPU seconds are the process's own (time.process_time), so the figure holds on a busy machine too; wall time
is printed beside them.
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

from generator.engine.cache import BodyStore
from generator.engine.options import BuildOptions
from generator.engine.stages import load_content, prepare
from generator.outputs.sharecards import STORE_FOLDER, site_cards


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, required=True, help="a site built once (its cache is used)")
    args = parser.parse_args()
    options = BuildOptions(args.source, jobs=1)
    found: list = []
    setting = prepare(options, None, found)
    assert setting is not None and setting.cache_dir is not None, found
    content = load_content(setting, options, BodyStore(setting.cache_dir), found)
    shutil.rmtree(setting.cache_dir / STORE_FOLDER)  # cold: every card drawn again
    cpu, wall = time.process_time(), time.perf_counter()
    cards = site_cards(content.site, content.plan, setting.config, setting.theme.folders, content.copies,
                       content.photos.pictures, setting.cache_dir, jobs=1)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(f"{len(content.site.explainers)} explainers: {cards.drawn} cards drawn in {cpu:.1f} CPU s "
          f"({wall:.1f} s wall): {cards.drawn / cpu:.1f} cards per second per core")


if __name__ == "__main__":
    main()
