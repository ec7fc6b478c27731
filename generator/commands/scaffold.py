"""Scaffold: new sites (`nutgraf init`) and new explainer files (`nutgraf new`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..diagnostics import NutgrafError
from ..sources.config import CONFIG_NAME, SiteConfig
from ..sources.slugs import slugify

SITE_YAML = """\
# Settings of this nutgraf site. See README.md of nutgraf for every key.
title: "{title}"
description: "Explainers on the stories we follow."
base_url: http://127.0.0.1:8000/
language: en
timezone: UTC
theme: default
page_size: 10
publisher:
  name: "{title}"
  url: http://127.0.0.1:8000/
authors:
  desk:
    name: "Explainers Desk"
    bio: "The team that writes and updates our explainers."
    type: organization
  # jane-doe:                              # a reporter: all but name is optional
  #   name: "Jane Doe"
  #   role: "Diplomacy correspondent"
  #   bio: "Covers the Middle East from Istanbul."
  #   photo: images/jane-doe.jpg           # under content/, or an https URL
  #   links: {{website: "https://example.org/jane/", email: "jane@example.org"}}
"""

EXPLAINER = """\
---
title: "{title}"
dek: "{dek}"
date: {date}
# updated: {date}          # set when the story moves on; shown as "Updated ..."
# updates:                 # a dated log at the end; the newest update is the "Updated ..." date
#   - {{date: {date}, text: "What changed"}}
# corrections:             # in the same log: what was wrong, and what is right
#   - {{date: {date}, text: "An earlier version said ..."}}
# related: [other-slug]    # explainers shown first under "Related"
# series: "Series name"    # explainers of one series get "Part N of M"
# A question answered once in a card, content/cards/ID.md, is a section of its own line in the body:
#   ## {{card=ID}}
authors: [{author}]        # ids from site.yaml, or full names such as "Jane Doe"
topics: [{topics}]
# hero:                    # the main photo: path relative to this file
#   image: images/{slug}.jpg
#   alt: "What the photo shows, for readers who cannot see it"
#   credit: "Photo: Name / Agency"
#   caption: "What is happening in the photo"
summary:
{summary}
slug: {slug}
draft: {draft}
lang: {lang}
description: ""            # for search results; the dek is used when empty
---
{body}"""

EXAMPLE_BODY = """\
Start with a short lede: the news in two sentences, and why it matters now.

## What happened?

Answer the question a reader asks first, in a few short paragraphs.

## Why does it matter?

Give the context: what came before, and who is affected.

## What happens next?

Say what to watch for, with dates where you have them.
"""

GITIGNORE = "output/\n.nutgraf-cache/\n"


def init_site(target: Path, today: dt.date) -> list[Path]:
    """Create a new site folder with site.yaml, an example explainer and an empty templates/."""
    if (target / CONFIG_NAME).exists():
        raise NutgrafError(f"{target / CONFIG_NAME} already exists: this folder is a site already")
    title = target.resolve().name.replace("-", " ").replace("_", " ").title() or "Explainers"
    made = []
    for folder in (target / "content", target / "templates"):
        folder.mkdir(parents=True, exist_ok=True)
    files = {
        target / CONFIG_NAME: SITE_YAML.format(title=title),
        target / ".gitignore": GITIGNORE,
        target / "content" / "what-is-an-explainer.md": explainer_text(
            "What is an explainer?", today, draft=False, author="desk", topics="Guides",
            dek="A story told through the questions readers ask.", body=EXAMPLE_BODY,
            summary=["An explainer answers one question per section.", "Update it as the story moves."]),
    }
    for path, text in files.items():
        if not path.exists():
            path.write_text(text, encoding="utf-8")
            made.append(path)
    return made


def explainer_text(title: str, today: dt.date, *, draft: bool = True, author: str = "", topics: str = "",
                   dek: str = "", body: str = "", summary: tuple[str, ...] | list[str] = (), lang: str = "en") -> str:
    """The Markdown of a new explainer with every front-matter field present."""
    slug = slugify(title) or "untitled"
    quoted = title.replace("\\", "\\\\").replace('"', '\\"')
    items = "\n".join(f'  - "{s}"' for s in summary) or '  - "First key point"\n  - "Second key point"'
    return EXPLAINER.format(title=quoted, dek=dek, date=today.isoformat(), author=author, topics=topics,
                            slug=slug, summary=items, draft=str(draft).lower(), lang=lang,
                            body=body or EXAMPLE_BODY)


def new_explainer(config: SiteConfig, title: str, now: dt.datetime) -> Path:
    """Write content/<slug>.md for a new draft explainer; never overwrites."""
    slug = slugify(title)
    if not slug:
        raise NutgrafError(f"the headline {title!r} gives no usable slug; use words with letters or digits")
    path = config.content_dir / f"{slug}.md"
    if path.exists():
        raise NutgrafError(f"{path} already exists; choose another headline or edit that file")
    path.parent.mkdir(parents=True, exist_ok=True)
    text = explainer_text(title, now.astimezone(config.tz).date(), lang=config.language)
    with open(path, "x", encoding="utf-8") as handle:
        handle.write(text)
    return path
