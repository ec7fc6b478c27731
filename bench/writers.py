"""Writers: one in-memory corpus written as a nutgraf site, a Hugo site and a Pelican site."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType

from pictures import make_photo_bases, unique_photo

from content import BASE_URL, PAGE_SIZE, SITE_DESCRIPTION, SITE_TITLE, TIMEZONE, Corpus, Explainer, body_markdown, iso

PEERS = Path(__file__).resolve().parent / "peers"
PUBLISHER_NAME = "Nutgraf Benchmark Newsroom"
FEED_ITEMS = 20
TEMPLATE_OVERRIDE = "templates/explainer.html"
LATEST_HUGO = (0, 168)


@dataclass(frozen=True, slots=True)
class WriteOptions:
    """Tool versions a site must be written for."""

    hugo_version: tuple[int, int] = LATEST_HUGO  # our layouts need >= 0.146 (the new template system)
    photo_heroes: bool = False  # nutgraf: every explainer's hero is its own 4000x3000 camera JPEG
    seed: int = 1  # of the photos


def q(text: str) -> str:
    """A double-quoted scalar, valid in YAML, TOML and Python alike (JSON string syntax)."""
    return json.dumps(text, ensure_ascii=False)


def q_list(items) -> str:
    """A flow list of quoted scalars: ["a", "b"]."""
    return "[" + ", ".join(q(i) for i in items) + "]"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _write_pictures(corpus: Corpus, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for picture in (*corpus.pictures, corpus.logo):
        (folder / picture.name).write_bytes(picture.data)


def _hero_yaml(explainer: Explainer, image_prefix: str) -> list[str]:
    hero = explainer.hero
    return ["hero:", f"  image: {q(image_prefix + hero.image)}", f"  alt: {q(hero.alt)}",
            f"  credit: {q(hero.credit)}", f"  caption: {q(hero.caption)}"]


# --- nutgraf ---------------------------------------------------------------------------------------------------

def nutgraf_template_override(revision: int) -> str:
    """The site's explainer.html: the built-in one plus a comment that changes with `revision`."""
    return ('{% extends "default:explainer.html" %}\n'
            "{% block content %}{{ super() }}\n"
            f"<!-- bench template revision {revision} -->\n"
            "{% endblock %}\n")


def nutgraf_explainer(explainer: Explainer) -> str:
    """One explainer file with nutgraf's front matter."""
    lines = ["---", f"title: {q(explainer.title)}", f"dek: {q(explainer.dek)}", f"date: {iso(explainer.date)}"]
    if explainer.updated:
        lines.append(f"updated: {iso(explainer.updated)}")
    lines += [f"authors: {q_list(explainer.authors)}", f"topics: {q_list(explainer.topics)}",
              *_hero_yaml(explainer, "images/"), "---", ""]
    return "\n".join(lines) + "\n" + body_markdown(explainer, "images/")


def nutgraf_config(corpus: Corpus, search: bool = True) -> str:
    """site.yaml: the site's defaults (search on), or with `search: false` for the search-off configuration."""
    lines = [f"title: {q(SITE_TITLE)}", f"description: {q(SITE_DESCRIPTION)}", f"base_url: {q(BASE_URL)}",
             'language: "en"', f"timezone: {q(TIMEZONE)}", f"page_size: {PAGE_SIZE}", "publisher:",
             f"  name: {q(PUBLISHER_NAME)}", f"  url: {q(BASE_URL)}", '  logo: "/images/logo.svg"',
             # Search is on by default; the search-off site matches Hugo and Pelican alone, which index nothing.
             *([] if search else ["search: false"]), "authors:"]
    for a in corpus.authors:
        lines += [f"  {a.id}:", f"    name: {q(a.name)}", f"    url: {q(a.url)}", f"    bio: {q(a.bio)}"]
    return "\n".join(lines) + "\n"


def write_nutgraf(corpus: Corpus, site: Path, options: WriteOptions, search: bool = True) -> None:
    """site.yaml, content/<slug>.md, content/images/ and the explainer.html override at revision 0;
    with `photo_heroes`, content/images/photos/<slug>.jpg as each explainer's hero."""
    _write(site / "site.yaml", nutgraf_config(corpus, search))
    _write(site / TEMPLATE_OVERRIDE, nutgraf_template_override(0))
    _write_pictures(corpus, site / "content" / "images")
    bases = make_photo_bases(options.seed) if options.photo_heroes else ()
    if bases:
        (site / "content" / "images" / "photos").mkdir(parents=True, exist_ok=True)
    for i, e in enumerate(corpus.explainers):
        if bases:
            (site / "content" / "images" / "photos" / f"{e.slug}.jpg").write_bytes(unique_photo(bases, i))
            e = replace(e, hero=replace(e.hero, image=f"photos/{e.slug}.jpg"))
        _write(site / "content" / f"{e.slug}.md", nutgraf_explainer(e))


# --- Hugo ------------------------------------------------------------------------------------------------------

def hugo_config(version: tuple[int, int] = LATEST_HUGO, author_terms: bool = True) -> str:
    """hugo.toml: taxonomies topic and (unless not `author_terms`) author, pagination, home HTML+RSS, sitemap,
    pretty URLs like nutgraf's."""
    language = 'locale = "en"' if version >= (0, 158) else 'languageCode = "en"'  # renamed in 0.158
    old_paginate = f"paginate = {PAGE_SIZE}\n" if version < (0, 128) else ""
    pagination = f'[pagination]\npagerSize = {PAGE_SIZE}\npath = "page"\n\n' if version >= (0, 128) else ""
    return f"""baseURL = {q(BASE_URL)}
{language}
title = {q(SITE_TITLE)}
timeZone = {q(TIMEZONE)}
disableKinds = ["section", "taxonomy"]
enableRobotsTXT = false
{old_paginate}
[params]
description = {q(SITE_DESCRIPTION)}
[params.publisher]
name = {q(PUBLISHER_NAME)}
url = {q(BASE_URL)}

{pagination}[taxonomies]
topic = "topics"
{'author = "authors"' if author_terms else ""}

[permalinks.page]
explainers = "/:slug/"

[outputs]
home = ["html", "rss"]
page = ["html"]
term = ["html"]

[services.rss]
limit = {FEED_ITEMS}

[sitemap]
filename = "sitemap.xml"

[markup.goldmark.renderer]
unsafe = true
"""


def hugo_explainer(explainer: Explainer, corpus: Corpus) -> str:
    """One explainer with Hugo front matter (YAML); images live in static/images/. Without author terms
    (a "plain" corpus) the byline is a parameter holding the names."""
    lines = ["---", f"title: {q(explainer.title)}", f"slug: {q(explainer.slug)}", f"description: {q(explainer.dek)}",
             f"dek: {q(explainer.dek)}", f"date: {iso(explainer.date)}"]
    if explainer.updated:
        lines.append(f"lastmod: {iso(explainer.updated)}")
    people = (f"authors: {q_list(explainer.authors)}" if corpus.kind == "standard"
              else f"byline: {q(', '.join(corpus.author_names(explainer.authors)))}")
    lines += [people, f"topics: {q_list(explainer.topics)}", *_hero_yaml(explainer, "/images/"), "---", ""]
    return "\n".join(lines) + "\n" + body_markdown(explainer, "/images/")


def write_hugo(corpus: Corpus, site: Path, options: WriteOptions) -> None:
    """hugo.toml, content/explainers/, author term pages with names (standard corpora), static/images/ and
    the layouts."""
    author_terms = corpus.kind == "standard"
    _write(site / "hugo.toml", hugo_config(options.hugo_version, author_terms))
    shutil.copytree(PEERS / "hugo" / "layouts", site / "layouts")
    _write_pictures(corpus, site / "static" / "images")
    for a in corpus.authors if author_terms else ():
        _write(site / "content" / "authors" / a.id / "_index.md",
               f"---\ntitle: {q(a.name)}\nbio: {q(a.bio)}\n---\n")
    for e in corpus.explainers:
        _write(site / "content" / "explainers" / f"{e.slug}.md", hugo_explainer(e, corpus))


# --- Pelican ---------------------------------------------------------------------------------------------------

def pelican_config(corpus: Corpus) -> str:
    """pelicanconf.py: articles, paginated index, tag and author pages, one Atom feed, a sitemap; nothing else."""
    bios = {a.id: a.bio for a in corpus.authors}
    return f"""# Generated by bench/corpus.py: the Pelican peer of the nutgraf benchmark site.
SITENAME = {q(SITE_TITLE)}
SITE_DESCRIPTION = {q(SITE_DESCRIPTION)}
SITEURL = {q(BASE_URL.rstrip("/"))}
PUBLISHER_NAME = {q(PUBLISHER_NAME)}
PUBLISHER_URL = {q(BASE_URL)}
AUTHOR_BIOS = {json.dumps(bios, ensure_ascii=False, indent=4)}
PATH = "content"
ARTICLE_PATHS = ["explainers"]
PAGE_PATHS = []
STATIC_PATHS = ["images"]
THEME = "theme"
TIMEZONE = {q(TIMEZONE)}
DEFAULT_LANG = "en"
RELATIVE_URLS = False
DEFAULT_CATEGORY = "explainers"
USE_FOLDER_AS_CATEGORY = False
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
DELETE_OUTPUT_DIRECTORY = False

DEFAULT_PAGINATION = {PAGE_SIZE}
PAGINATED_TEMPLATES = {{"index": None, "tag": None, "author": None}}
PAGINATION_PATTERNS = (
    (1, "{{url}}", "{{save_as}}"),
    (2, "{{base_name}}/page/{{number}}/", "{{base_name}}/page/{{number}}/index.html"),
)

ARTICLE_URL = "{{slug}}/"
ARTICLE_SAVE_AS = "{{slug}}/index.html"
TAG_URL = "topics/{{slug}}/"
TAG_SAVE_AS = "topics/{{slug}}/index.html"
AUTHOR_URL = "authors/{{slug}}/"
AUTHOR_SAVE_AS = "authors/{{slug}}/index.html"
CATEGORY_URL = ""
CATEGORY_SAVE_AS = ""
DRAFT_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "sitemap", "404"]
SITEMAP_SAVE_AS = "sitemap.xml"

FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feed.xml"
FEED_MAX_ITEMS = {FEED_ITEMS}
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None

MARKDOWN = {{
    "extension_configs": {{
        "markdown.extensions.extra": {{}},
        "markdown.extensions.toc": {{}},
        "markdown.extensions.smarty": {{}},
    }},
    "output_format": "html5",
}}
JINJA_ENVIRONMENT = {{"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}}
"""


def pelican_explainer(explainer: Explainer, corpus: Corpus) -> str:
    """One explainer with Pelican's Markdown metadata (Tags carry the topics); images via {static}."""
    hero = explainer.hero
    lines = [f"Title: {explainer.title}", f"Slug: {explainer.slug}", f"Date: {iso(explainer.date)}"]
    if explainer.updated:
        lines.append(f"Modified: {iso(explainer.updated)}")
    lines += [f"Authors: {', '.join(corpus.author_names(explainer.authors))}",
              f"Tags: {', '.join(explainer.topics)}", f"Summary: {explainer.dek}", f"Dek: {explainer.dek}",
              f"Hero: images/{hero.image}", f"Hero_alt: {hero.alt}", f"Hero_credit: {hero.credit}",
              f"Hero_caption: {hero.caption}", ""]
    return "\n".join(lines) + "\n" + body_markdown(explainer, "{static}/images/")


def write_pelican(corpus: Corpus, site: Path, options: WriteOptions) -> None:
    """pelicanconf.py, content/explainers/, content/images/ and the theme."""
    _write(site / "pelicanconf.py", pelican_config(corpus))
    shutil.copytree(PEERS / "pelican" / "theme", site / "theme")
    _write_pictures(corpus, site / "content" / "images")
    for e in corpus.explainers:
        _write(site / "content" / "explainers" / f"{e.slug}.md", pelican_explainer(e, corpus))


def write_nutgraf_search_off(corpus: Corpus, site: Path, options: WriteOptions) -> None:
    """The nutgraf site again, with `search: false` (a second configuration, beside the defaults)."""
    write_nutgraf(corpus, site, options, search=False)


WRITERS = MappingProxyType({"nutgraf": write_nutgraf, "baseline": write_nutgraf,
                            "nutgraf-search-off": write_nutgraf_search_off,
                            "hugo": write_hugo, "pelican": write_pelican})
