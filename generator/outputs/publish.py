"""Publish: the files that sit beside the pages (feeds, sitemaps, robots.txt), made from the planned site."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from ..site.model import Site
from ..site.pages import PageEntry
from ..sources.config import SiteConfig
from .feeds import FeedPlan, feed_files, feed_paths
from .sitemap import sitemap_site_files


@dataclass(frozen=True, slots=True)
class Published:
    files: dict[str, bytes]  # to write
    kept: list[str]  # feed files left as they are: their inputs did not change
    feeds: dict[str, str]  # digest of each feed's inputs, by its Atom path, for the next build


def publish_files(site: Site, pages: Sequence[PageEntry], feeds: Sequence[FeedPlan], config: SiteConfig,
                  body_html: Callable[[str], str], now: dt.datetime,
                  unchanged: Callable[[str, str], bool] = lambda path, digest: False,
                  salt: str = "", answers: Mapping[str, str] | None = None) -> Published:
    """Feeds of the site and each topic, the sitemaps and robots.txt; `now` dates the news sitemap.

    A feed whose inputs did not change (`unchanged(atom_path, digest)`) is not made again; `answers` gives the
    digest of each card's answer, by id.
    """
    files, digests = feed_files(feeds, config, body_html, now, unchanged, salt, answers)
    kept = [path for atom, digest in digests.items() if atom not in files for path in feed_paths(atom)]
    return Published(files | sitemap_site_files(site, pages, config, now), kept, digests)
