"""Benchmark corpus: deterministic, realistic explainers from a seed, written for nutgraf, Hugo and Pelican."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
from pathlib import Path

import words
from pictures import Picture, make_logo, make_pictures
from questioncards import add_cards
from writers import WRITERS, WriteOptions

from content import (
    BASE_URL,
    FIRST_DAY,
    LAST_DAY,
    Author,
    Corpus,
    Explainer,
    Hero,
    Section,
    section_words,
    slugify,
    word_count,
)

CORPUS_VERSION = 2  # bump when the generated text or layout changes
TOOLS = ("nutgraf", "nutgraf-search-off", "hugo", "pelican")
# "standard": bodies with a list, a quote and an image; "plain": issue 24's held-out kind of corpus, plain
# Markdown bodies (paragraphs with emphasis and links under 6-10 questions, about 1,100 words), and a Hugo
# site with one taxonomy (topics), so no author term pages.
KINDS = ("standard", "plain")


def make_authors() -> tuple[Author, ...]:
    """The author pool, ids being slugs of the names so every tool gives the same author URLs."""
    return tuple(Author(slugify(name), name, f"{BASE_URL}about/{slugify(name)}/",
                        f"{name.split()[0]} writes explainers for the {words.TOPICS[i % len(words.TOPICS)]} desk.")
                 for i, name in enumerate(words.AUTHORS))


def _sentence(rng: random.Random, link: str = "", emphasis: bool = False) -> str:
    """One news sentence; with `link`, its object becomes an inline link; with `emphasis`, some objects are
    set in *emphasis* or **strong**."""
    if not link and rng.random() < 0.25:
        return rng.choice(words.FILLERS)
    obj = rng.choice(words.OBJECTS)
    if emphasis and rng.random() < 0.3:
        obj = f"*{obj}*" if rng.random() < 0.7 else f"**{obj}**"
    if link:
        obj = f"[{obj}]({link})"
    text = f"{rng.choice(words.SUBJECTS)} {rng.choice(words.VERBS)} {obj} {rng.choice(words.CLAUSES)}."
    return text[0].upper() + text[1:]


def _paragraph(rng: random.Random, budget: int, link: str = "", emphasis: bool = False) -> str:
    """A paragraph of about `budget` words (at least two sentences), stopping at the sentence nearest it."""
    sentences = [_sentence(rng, link, emphasis)]
    count = len(sentences[0].split())
    while True:
        sentence = _sentence(rng, emphasis=emphasis)
        size = len(sentence.split())
        if len(sentences) >= 2 and count + size / 2 > budget:
            return " ".join(sentences)
        sentences.append(sentence)
        count += size


def _question(rng: random.Random, place: str) -> str:
    """A section heading: a question a reader would ask."""
    return rng.choice(words.QUESTIONS).format(thing=rng.choice(words.QUESTION_OBJECTS), place=place)


def _section(rng: random.Random, place: str, budget: int, extra: str, link: str,
             pictures: tuple[Picture, ...], emphasis: bool = False) -> Section:
    """A question section of about `budget` words with the extra block named by `extra`, if any."""
    bullets: tuple[str, ...] = ()
    quote = ""
    image = None
    if extra == "list":
        bullets = tuple(_sentence(rng) for _ in range(rng.randint(3, 5)))
        budget -= sum(len(b.split()) for b in bullets)
    elif extra == "quote":
        quote = f"\u201c{_sentence(rng)}\u201d \u2014 {rng.choice(words.AUTHORS)}, {rng.choice(words.SUBJECTS)}"
        budget -= len(quote.split())
    elif extra == "image":
        picture = rng.choice(pictures)
        image = (picture.name, f"{picture.alt}, illustrating the situation in {place}")
    count = rng.randint(2, 3)
    paragraphs = tuple(_paragraph(rng, max(20, budget // count), link if i == 0 else "", emphasis)
                       for i in range(count))
    return Section(_question(rng, place), paragraphs, bullets, quote, image)


def _date(rng: random.Random) -> dt.datetime:
    """A publication time between 2015 and 2025 with a random UTC offset."""
    minutes = rng.randrange(int((LAST_DAY - FIRST_DAY).total_seconds() // 60))
    offset_text = rng.choice(words.OFFSETS)
    hours, _, mins = offset_text[1:].partition(":")
    sign = -1 if offset_text.startswith("-") else 1
    offset = dt.timezone(sign * dt.timedelta(hours=int(hours), minutes=int(mins)))
    return (FIRST_DAY + dt.timedelta(minutes=minutes)).replace(tzinfo=offset)


def _links(rng: random.Random, earlier: list[str]) -> list[str]:
    """2-4 link targets: mostly outside sources, sometimes an earlier explainer of the corpus."""
    links = [rng.choice(words.LINK_SITES) + f"?ref={rng.randrange(10_000)}" for _ in range(rng.randint(2, 4))]
    if earlier and rng.random() < 0.5:
        links[0] = f"/{earlier[rng.randrange(len(earlier))]}/"
    return links


def make_explainer(seed: int, index: int, slug_of, earlier: list[str], author_ids: list[str],
                   pictures: tuple[Picture, ...], kind: str = "standard") -> Explainer:
    """Explainer number `index`, the same for a seed and kind whatever the corpus size; `slug_of` makes slugs
    unique. A "plain" one has no list, quote or image in its body, some emphasis, and about 1,100 words."""
    plain = kind == "plain"
    rng = random.Random(f"explainer-{seed}-{index}" + ("-plain" if plain else ""))
    place, thing = rng.choice(words.PLACES), rng.choice(words.THINGS)
    title = rng.choice(words.HEADLINE_PATTERNS).format(place=place, thing=thing)
    title = title[0].upper() + title[1:]
    date = _date(rng)
    updated = date + dt.timedelta(hours=rng.randint(1, 24 * 60)) if rng.random() < 0.3 else None
    authors = tuple(rng.sample(author_ids, rng.choices((1, 2, 3), weights=(6, 3, 1))[0]))
    topics = tuple(rng.sample(words.TOPICS, rng.randint(2, 4)))
    picture = rng.choice(pictures)
    hero = Hero(picture.name, f"{picture.alt}, for an explainer about {place}", rng.choice(words.CREDITS),
                f"The {thing} in {place} has drawn attention far beyond the city.")
    intro = _paragraph(rng, 40)
    count = rng.randint(6, 10)
    extras = {} if plain else dict(zip(rng.sample(range(count), 3), ("list", "quote", "image"), strict=True))
    links = dict(zip(rng.sample(range(count), 4), _links(rng, earlier), strict=False))
    remaining = rng.randint(1000, 1200) if plain else rng.randint(920, 1180)
    remaining -= len(intro.split())
    sections: list[Section] = []
    for i in range(count):  # each section takes its share of what is left, so the total lands near the target
        section = _section(rng, place, remaining // (count - i), extras.get(i, ""), links.get(i, ""), pictures,
                           plain)
        remaining -= section_words(section)
        sections.append(section)
    return Explainer(slug_of(title), title, _paragraph(rng, 25), date, updated, authors, topics, hero,
                     intro, tuple(sections))


def generate(seed: int, size: int, kind: str = "standard") -> Corpus:
    """A corpus of `size` explainers; explainer i is the same in every corpus of the same seed and kind."""
    pictures = make_pictures(seed)
    authors = make_authors()
    author_ids = [a.id for a in authors]
    taken: dict[str, int] = {}

    def slug_of(title: str) -> str:
        base = "-".join(slugify(title).split("-")[:8])
        taken[base] = taken.get(base, 0) + 1
        return base if taken[base] == 1 else f"{base}-{taken[base]}"

    explainers: list[Explainer] = []
    slugs: list[str] = []
    for i in range(size):
        explainer = make_explainer(seed, i, slug_of, slugs, author_ids, pictures, kind)
        explainers.append(explainer)
        slugs.append(explainer.slug)
    return Corpus(seed, authors, tuple(explainers), pictures, make_logo(), kind)


def topic_slugs(corpus: Corpus) -> list[str]:
    """Slugs of every topic some explainer uses."""
    return sorted({slugify(t) for e in corpus.explainers for t in e.topics})


def manifest(corpus: Corpus, tools: tuple[str, ...]) -> dict:
    """What a checker needs to know about a written corpus."""
    return {"corpus_version": CORPUS_VERSION, "seed": corpus.seed, "kind": corpus.kind,
            "size": len(corpus.explainers), "tools": list(tools), "slugs": [e.slug for e in corpus.explainers],
            "topics": topic_slugs(corpus), "authors": sorted({a for e in corpus.explainers for a in e.authors})}


def write_corpus(corpus: Corpus, root: Path, tools: tuple[str, ...] = TOOLS,
                 options: WriteOptions | None = None) -> Path:
    """Write the corpus for each of `tools` into root/<tool>/ plus root/manifest.json; returns root."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    for tool in tools:
        WRITERS[tool](corpus, root / tool, options or WriteOptions())
    (root / "manifest.json").write_text(json.dumps(manifest(corpus, tools)), encoding="utf-8")
    return root


def main() -> None:
    """Command line: python bench/corpus.py --seed 1 --size 200 --out DIR [--tools nutgraf,hugo]."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--size", type=int, default=200, help="number of explainers")
    parser.add_argument("--kind", choices=KINDS, default="standard", help="standard, or plain (issue 24's kind)")
    parser.add_argument("--out", type=Path, required=True, help="folder to (re)create")
    parser.add_argument("--tools", default=",".join(TOOLS), help="comma-separated subset of " + ",".join(TOOLS))
    parser.add_argument("--cards", action="store_true",
                        help="nutgraf only: 200 question cards (bench/questioncards.py)")
    args = parser.parse_args()
    tools = tuple(t for t in args.tools.split(",") if t)
    corpus = generate(args.seed, args.size, args.kind)
    write_corpus(corpus, args.out, tools)
    if args.cards and "nutgraf" in tools:
        add_cards(args.out / "nutgraf", [e.slug for e in corpus.explainers], args.seed)
    counts = [word_count(e) for e in corpus.explainers]
    print(f"wrote {len(counts)} explainers for {', '.join(tools)} to {args.out} "
          f"({min(counts)}-{max(counts)} words, {len(topic_slugs(corpus))} topics)")


if __name__ == "__main__":
    main()
