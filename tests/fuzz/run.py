"""Mutation fuzzing of the build: seed explainers from tests/fuzz/corpus/ are mutated and built, for a while.

    .venv/bin/python tests/fuzz/run.py --seconds 180

A build must return diagnostics or pages, never raise; a crashing input is saved under tests/fuzz/crashes/.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from generator.engine.build import BuildOptions, build  # noqa: E402

TOKENS = [b"---\n", b":::", b"::: timeline\n", b":::\n", b"## ", b"{#", b"}", b"[[", b"]]", b"[^1]", b"![a](",
          b"<div>", b"</div>", b"&", b"\"", b"'", b"\n", b"- ", b"> ", b"|", b"```", b"title: ", b"date: ",
          b"2017-02-30", b"*a", b"&a", b"!!python/object", b"\x00", b"\xff", b"\xe2\x80\xae", b"\t", b"{updated=x}"]
SITE_YAML = "title: Fuzz\nbase_url: https://example.org/\nsearch: false\n"


def mutate(data: bytes, rng: random.Random) -> bytes:
    """A few random edits: insert a token, delete or duplicate a slice, flip a byte, truncate."""
    data = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        where = rng.randint(0, len(data))
        action = rng.random()
        if action < 0.4:
            data[where:where] = rng.choice(TOKENS)
        elif action < 0.6 and data:
            end = min(len(data), where + rng.randint(1, 40))
            del data[where:end]
        elif action < 0.75 and data:
            end = min(len(data), where + rng.randint(1, 80))
            data[where:where] = data[where:end]
        elif action < 0.9 and data:
            data[min(where, len(data) - 1)] = rng.randint(0, 255)
        else:
            del data[where:]
    return bytes(data)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=180)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    seeds = [p.read_bytes() for p in sorted((HERE / "corpus").glob("*.md"))]
    glossary = "ceasefire: A halt to fighting.\n"
    started, tried, crashes = time.monotonic(), 0, 0
    with tempfile.TemporaryDirectory(prefix="nutgraf-fuzz-") as temp:
        root = Path(temp)
        while time.monotonic() - started < args.seconds:
            shutil.rmtree(root / "content", ignore_errors=True)
            (root / "content").mkdir()
            (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
            (root / "content/glossary.yaml").write_text(glossary, encoding="utf-8")
            inputs = [mutate(rng.choice(seeds), rng) for _ in range(rng.randint(1, 3))]
            for i, data in enumerate(inputs):
                (root / f"content/f{i}.md").write_bytes(data)
            tried += len(inputs)
            try:
                build(BuildOptions(root, jobs=1, use_cache=False))
            except Exception:  # noqa: BLE001 - every exception is a finding
                crashes += 1
                saved = HERE / "crashes" / f"crash-{args.seed}-{tried}"
                saved.mkdir(parents=True, exist_ok=True)
                for i, data in enumerate(inputs):
                    (saved / f"f{i}.md").write_bytes(data)
                (saved / "traceback.txt").write_text(traceback.format_exc(), encoding="utf-8")
                print(f"crash saved in {saved}", file=sys.stderr)
    print(f"fuzz: {tried} inputs in {time.monotonic() - started:.0f} s, {crashes} crashing builds")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
