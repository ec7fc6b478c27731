"""Publish: the files that sit beside the pages (feeds, sitemaps, robots.txt), made from the planned site."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from .config import SiteConfig
from .feeds import feed_files
from .model import Site
from .routes import Page
from .sitemap import sitemap_site_files


def publish_files(site: Site, pages: Sequence[Page], config: SiteConfig, body_html: Callable[[str], str],
                  now: dt.datetime) -> dict[str, bytes]:
    """Feeds of the site and each topic, the sitemaps and robots.txt, by output path; `now` dates the news sitemap."""
    return feed_files(site, config, body_html, now) | sitemap_site_files(site, pages, config, now)
