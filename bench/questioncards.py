"""Question cards in the benchmark corpus: 200 cards, each shown by 5 to 500 explainers, and the edit of the most
used one measured through `nutgraf build` and through `nutgraf watch` (issue 26).

    python bench/corpus.py --size 10000 --tools nutgraf --cards --out DIR   # a corpus with cards
    .venv/bin/python bench/questioncards.py --size 10000 --runs 5                    # both measurements

Card k is shown by round(500 * (5/500) ** (k/199)) explainers (card-000 by 500, card-199 by 5), chosen from the
seed; each shows it as a `## {card=card-NNN}` section after its own.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

import words
from measure import run_measured

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
COUNT, MOST, LEAST = 200, 500, 5
MOST_USED = "card-000"


def users_of(card: int, size: int, seed: int) -> list[int]:
    """The explainers (by index) that show card number `card`."""
    wanted = round(MOST * (LEAST / MOST) ** (card / (COUNT - 1)))
    return sorted(random.Random(f"card-users-{seed}-{card}").sample(range(size), min(wanted, size)))


def card_text(card: int, seed: int) -> str:
    """A card file: a background question and a two-paragraph answer."""
    rng = random.Random(f"card-{seed}-{card}")
    question = rng.choice(words.QUESTIONS).format(thing=rng.choice(words.QUESTION_OBJECTS),
                                                  place=rng.choice(words.PLACES))
    answer = [" ".join(f"{rng.choice(words.SUBJECTS).capitalize()} {rng.choice(words.VERBS)} "
                       f"{rng.choice(words.OBJECTS)} {rng.choice(words.CLAUSES)}." for _ in range(3))
              for _ in range(2)]
    return (f'---\ntitle: "{question} (background {card})"\ndate: 2015-01-0{1 + card % 9}\n---\n\n'
            + "\n\n".join(answer) + "\n")


def add_cards(site: Path, slugs: list[str], seed: int) -> None:
    """Write the cards into the nutgraf site and name each in the explainers that show it."""
    folder = site / "content" / "cards"
    folder.mkdir(parents=True, exist_ok=True)
    shown: dict[int, list[str]] = {}
    for card in range(COUNT):
        (folder / f"card-{card:03}.md").write_text(card_text(card, seed), encoding="utf-8")
        for index in users_of(card, len(slugs), seed):
            shown.setdefault(index, []).append(f"## {{card=card-{card:03}}}\n")
    for index, lines in shown.items():
        path = site / "content" / f"{slugs[index]}.md"
        path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + "\n".join(lines),
                        encoding="utf-8")


def edit_card(ctx) -> object:
    """Scenario edit-card: a sentence appended to the answer of the card 500 explainers show (a corpus made
    without --cards has none: then a no-op)."""
    path = ctx.site / "content" / "cards" / f"{MOST_USED}.md"
    if not path.exists():
        return lambda: None
    original = path.read_bytes()
    path.write_bytes(original.rstrip(b"\n") + f" Revised in run {ctx.run + 1}.\n".encode())
    return lambda: path.write_bytes(original)


def _nutgraf(*args: str) -> list[str]:
    return [sys.executable, "-m", "generator", *args]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}  # this checkout's nutgraf, whatever the venv installs


def measure_build(site: Path, out: Path, cache: Path, runs: int, logs: Path) -> list[float]:
    """Seconds of `nutgraf build` after each edit of the most used card (after one unmeasured full build)."""
    argv = _nutgraf("build", "--source", str(site), "--output", str(out), "--cache-dir", str(cache))
    if run_measured(argv, logs / "cards-first.log", env=_env()).exit_code:
        sys.exit(f"bench: the first build failed; see {logs / 'cards-first.log'}")
    card = site / "content" / "cards" / f"{MOST_USED}.md"
    original, seconds = card.read_text(encoding="utf-8"), []
    try:
        for run in range(runs):
            card.write_text(original.rstrip("\n") + f" Build edit {run} {time.time_ns()}.\n", encoding="utf-8")
            sample = run_measured(argv, logs / f"cards-edit-{run}.log", env=_env())
            if sample.exit_code:
                sys.exit(f"bench: the build after edit {run} failed; see {logs / f'cards-edit-{run}.log'}")
            seconds.append(sample.seconds)
    finally:
        card.write_text(original, encoding="utf-8")
    return seconds


def _last_written(pages: list[Path], marker: bytes, started: float, timeout: float = 120.0) -> float:
    """Seconds from `started` until every one of `pages` holds `marker`."""
    waiting = list(pages)
    while waiting and time.perf_counter() - started < timeout:
        waiting = [p for p in waiting if marker not in p.read_bytes()]
        if waiting:
            time.sleep(0.005)
    if waiting:
        sys.exit(f"bench: {len(waiting)} pages never showed the edit, e.g. {waiting[0]}")
    return time.perf_counter() - started


def measure_watch(site: Path, out: Path, cache: Path, pages: list[Path], edits: int) -> list[float]:
    """Seconds from each save of the most used card until the last of the pages showing it holds the edit."""
    process = subprocess.Popen(_nutgraf("watch", "--source", str(site), "--output", str(out), "--cache-dir",
                                        str(cache)), env=_env(), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    card = site / "content" / "cards" / f"{MOST_USED}.md"
    original = card.read_text(encoding="utf-8")
    try:
        for line in process.stdout:
            if line.startswith("Built "):
                break
        time.sleep(1.0)  # the first build's own file events pass
        latencies = []
        for n in range(edits):
            marker = f"Watch marker {n} {time.time_ns()}."
            started = time.perf_counter()
            card.write_text(original.rstrip("\n") + f" {marker}\n", encoding="utf-8")
            latencies.append(_last_written(pages, marker.encode(), started))
            time.sleep(0.5)
        return latencies
    finally:
        card.write_text(original, encoding="utf-8")
        process.terminate()
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5, help="edits measured through build, and through watch")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=BENCH / ".work")
    args = parser.parse_args()
    from corpus import generate, write_corpus  # here: corpus.py imports this module for its --cards option

    corpus = generate(args.seed, args.size)
    base = args.work / f"cards-n{args.size}-s{args.seed}"
    write_corpus(corpus, base / "corpus", ("nutgraf",))
    slugs = [e.slug for e in corpus.explainers]
    site = base / "corpus" / "nutgraf"
    add_cards(site, slugs, args.seed)
    out, cache = base / "out", base / "cache"
    built = measure_build(site, out, cache, args.runs, base / "logs")
    pages = [out / slugs[i] / "index.html" for i in users_of(0, args.size, args.seed)]
    watched = measure_watch(site, out, cache, pages, args.runs)
    print(f"edit {MOST_USED} ({len(pages)} explainers of {args.size:,}): nutgraf build median "
          f"{statistics.median(built):.2f} s ({', '.join(f'{s:.2f}' for s in built)}); watch, last page on disk "
          f"median {statistics.median(watched):.2f} s ({', '.join(f'{s:.2f}' for s in watched)})")


if __name__ == "__main__":
    main()
