"""Scenarios: what is done to a site before a measured build (nothing, delete caches, edit a file, add one)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from corpus import make_authors, make_explainer
from pictures import make_pictures
from questioncards import edit_card
from writers import TEMPLATE_OVERRIDE, nutgraf_explainer, nutgraf_template_override

from content import slugify

Undo = Callable[[], None]


@dataclass(frozen=True, slots=True)
class EditContext:
    """What an edit may touch and know: the nutgraf site, the run number and the corpus it was made from."""

    site: Path
    run: int
    seed: int
    slugs: tuple[str, ...]
    kind: str = "standard"  # of the corpus (corpus.KINDS)


@dataclass(frozen=True, slots=True)
class Scenario:
    """One measured build: optionally cold (output and caches deleted) or after an edit, optionally verified."""

    name: str
    summary: str
    cold: bool = False
    edit: Callable[[EditContext], Undo] | None = None
    verify: bool = False  # compare the output with a clean build of the same sources afterwards


def edit_body(ctx: EditContext) -> Undo:
    """Append a sentence to the last paragraph of the middle explainer."""
    path = ctx.site / "content" / f"{ctx.slugs[len(ctx.slugs) // 2]}.md"
    original = path.read_bytes()
    sentence = f" In an update (revision {ctx.run + 1}), officials confirmed the figures on Thursday.\n"
    path.write_bytes(original.rstrip(b"\n") + sentence.encode())
    return lambda: path.write_bytes(original)


def edit_template(ctx: EditContext) -> Undo:
    """Change the comment in the site's explainer.html override, so that every explainer page changes."""
    path = ctx.site / TEMPLATE_OVERRIDE
    original = path.read_bytes()
    path.write_text(nutgraf_template_override(ctx.run + 1), encoding="utf-8")
    return lambda: path.write_bytes(original)


def add_explainer(ctx: EditContext) -> Undo:
    """Add the next explainer of the seed (number `size`), as if an editor had just published it."""
    taken = set(ctx.slugs)

    def slug_of(title: str) -> str:
        base = "-".join(slugify(title).split("-")[:8])
        return next(s for s in (base, *(f"{base}-new-{n}" for n in range(1, 1000))) if s not in taken)

    explainer = make_explainer(ctx.seed, len(ctx.slugs), slug_of, list(ctx.slugs),
                               [a.id for a in make_authors()], make_pictures(ctx.seed), ctx.kind)
    path = ctx.site / "content" / f"{explainer.slug}.md"
    path.write_text(nutgraf_explainer(explainer), encoding="utf-8")
    return lambda: path.unlink(missing_ok=True)


def touch_photos(ctx: EditContext) -> Undo:
    """Give every hero photo a new modification time, bytes unchanged (as a checkout or a sync does): nutgraf
    reads and hashes each again, finds its widths and crops in the cache by content, and decodes nothing."""
    for path in sorted((ctx.site / "content" / "images" / "photos").glob("*.jpg")):
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000 * (ctx.run + 1)))
    return lambda: None


SCENARIOS = (
    Scenario("cold", "output and cache deleted, then a full build", cold=True),
    Scenario("noop", "the same build again, nothing changed", verify=True),
    Scenario("edit-body", "one sentence appended to one explainer's body", edit=edit_body, verify=True),
    Scenario("edit-template", "a comment changed in the site's explainer.html override (every explainer page "
             "changes)", edit=edit_template, verify=True),
    Scenario("add", "one new explainer file added (home, topic and author lists shift)", edit=add_explainer,
             verify=True),
    Scenario("touch-photos", "every hero photo touched, bytes unchanged (--photo-heroes corpora; else a no-op)",
             edit=touch_photos, verify=True),
    Scenario("edit-card", "the card 500 explainers show edited (--cards corpora; else a no-op)", edit=edit_card,
             verify=True),
)


def scenario(name: str) -> Scenario:
    """The scenario called `name`."""
    for s in SCENARIOS:
        if s.name == name:
            return s
    raise KeyError(f"unknown scenario {name!r}; known: {', '.join(s.name for s in SCENARIOS)}")
