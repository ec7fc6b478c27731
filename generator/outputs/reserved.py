"""Reserved: the files nutgraf makes beside the pages, which no content file and no alias may take."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..diagnostics import Diagnostic, error
from ..site.editions import language_prefix
from ..site.pages import FEED_FORMATS, output_file
from ..sources.config import SiteConfig
from .feeds import FeedPlan
from .hosting import HEADERS_FILE, REDIRECTS_FILE
from .sitemap import NEWS_SITEMAP, ROBOTS_TXT, SITEMAP, SITEMAP_PART
from .writer import MARKER

# Made at the top of the site; reserved in each edition's folder too, so that /ar/ holds what / would.
MADE_FILES = (HEADERS_FILE, REDIRECTS_FILE, ROBOTS_TXT, SITEMAP, NEWS_SITEMAP, MARKER, *(f.name for f in FEED_FORMATS))
WHAT = {HEADERS_FILE: "the hosting headers, with the Content-Security-Policy", REDIRECTS_FILE: "the aliases' redirects",
        ROBOTS_TXT: "the crawlers' rules", SITEMAP: "a sitemap", NEWS_SITEMAP: "a sitemap", MARKER: "its output marker",
        **{f.name: "a feed" for f in FEED_FORMATS}}
MADE_HINT = ("nutgraf writes _headers, _redirects, robots.txt, the sitemaps and the feeds (feed.xml, rss.xml, "
             "feed.json) at the top of the site, in each language's folder (such as ar/) and each topic's")


@dataclass(frozen=True, slots=True)
class Reserved:
    """The output paths of the files nutgraf makes beside the pages, and the folders they sit in."""

    files: frozenset[str]
    folders: frozenset[str]

    def clash(self, rel: str) -> str | None:
        """The made file that writing output path `rel` would replace: `rel` itself, a file where one of the
        folders on its way belongs, or one inside it, if `rel` is a folder of made files."""
        parts = rel.split("/")
        for end in range(1, len(parts) + 1):
            head = "/".join(parts[:end])
            if head in self.files or (end == 1 and SITEMAP_PART.fullmatch(head)):
                return head
        if rel in self.folders:
            return min(f for f in self.files if f.startswith(rel + "/"))
        return None


def reserved_outputs(prefixes: Iterable[str], feed_bases: Iterable[str]) -> Reserved:
    """The made files of a site whose editions live under `prefixes` ("", "/ar") and whose feeds sit under
    `feed_bases` ("/", "/topics/syria/")."""
    files = {f"{prefix.strip('/')}/{name}".lstrip("/") for prefix in prefixes for name in MADE_FILES}
    files |= {base.lstrip("/") + f.name for base in feed_bases for f in FEED_FORMATS}
    folders = {rel.rsplit("/", n)[0] for rel in files for n in range(1, rel.count("/") + 1)}
    return Reserved(frozenset(files), frozenset(folders))


def site_reserved(config: SiteConfig, feeds: Sequence[FeedPlan]) -> Reserved:
    """The made files of a site whose feeds are `feeds` (each edition has one, in its language)."""
    return reserved_outputs({language_prefix(config, plan.lang) for plan in feeds if plan.lang} | {""},
                            [plan.base for plan in feeds])


def _what(made: str) -> str:
    name = made.rsplit("/", 1)[-1]
    return WHAT.get(name, "a sitemap")


def check_reserved(reserved: Reserved, assets: Iterable[str], metas: Sequence) -> list[Diagnostic]:
    """Content files (paths under content/) and aliases (of the explainers' front matter `metas`) that would
    replace a made file, or that are hidden: errors naming the file, or the alias's line."""
    found = []
    for rel in assets:
        made = reserved.clash(rel)
        if made is not None:
            found.append(error(f"content/{rel}", f"would replace {made}, which nutgraf makes ({_what(made)})",
                               hint=f"rename or move this file; {MADE_HINT}"))
    for meta in metas:
        for i, alias in enumerate(meta.aliases):
            rel, where = output_file(alias), meta.doc.at(f"aliases.{i}")
            made = reserved.clash(rel)
            if any(part.startswith(".") for part in rel.split("/")):
                found.append(error(meta.source, f"alias {alias} is a hidden path, which nutgraf never publishes",
                                   where, "remove the alias: hosts and deploys skip files and folders whose "
                                          "names start with a dot"))
            elif made is not None:
                found.append(error(meta.source, f"alias {alias} would replace {made}, which nutgraf makes "
                                                f"({_what(made)})", where, f"remove the alias; {MADE_HINT}"))
    return found
