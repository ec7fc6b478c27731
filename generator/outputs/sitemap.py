"""Sitemaps: sitemap.xml (an index of several past the size limits), the Google News sitemap and robots.txt."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as etree
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from ..site.cards import EMBED_KIND
from ..site.model import Site
from ..site.pages import PageEntry, absolute_url
from ..site.share import QUESTION_KIND
from ..sources.config import SiteConfig
from .feeds import XML_DECLARATION, xml_document, xml_text

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
MAX_URLS = 50_000  # per sitemap file, as sitemaps.org allows
MAX_BYTES = 50 * 1024 * 1024  # per sitemap file, uncompressed
NEWS_WINDOW = dt.timedelta(days=2)  # Google News takes articles published in the last two days
NEWS_MAX = 1_000
SITEMAP = "sitemap.xml"
NEWS_SITEMAP = "news-sitemap.xml"
ROBOTS_TXT = "robots.txt"
SITEMAP_PART = re.compile(r"sitemap-\d+\.xml")  # the parts of sitemap.xml past the size limits, sitemap-1.xml on
_HEAD = XML_DECLARATION + f'<urlset xmlns="{SITEMAP_NS}">\n'.encode()
_FOOT = b"</urlset>\n"
# XML's five escapes, as xml.sax.saxutils.escape(text, quotes) makes them; written out because importing
# that module imports urllib.request, a tenth of a no-op build's start-up.
_XML_ESCAPES = MappingProxyType({ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;",
                                 ord("'"): "&apos;"})


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    """One page for search engines: its absolute URL and when its content last changed."""

    loc: str
    lastmod: dt.datetime | None


def sitemap_entries(pages: Iterable[PageEntry]) -> list[SitemapEntry]:
    """Every page search engines should list (all but the 404 page, alias redirects, card embeds and question
    share pages), with its lastmod."""
    unlisted = ("404", "alias", EMBED_KIND, QUESTION_KIND)
    return [SitemapEntry(p.canonical, p.modified) for p in pages if p.kind not in unlisted]


def _url_xml(entry: SitemapEntry, tag: str = "url") -> bytes:
    lastmod = f"<lastmod>{entry.lastmod.isoformat()}</lastmod>" if entry.lastmod else ""
    return f"<{tag}><loc>{entry.loc.translate(_XML_ESCAPES)}</loc>{lastmod}</{tag}>\n".encode()


def _chunks(entries: Sequence[SitemapEntry], max_urls: int, max_bytes: int) -> list[list[SitemapEntry]]:
    """Entries split so that no file holds more than max_urls URLs or max_bytes bytes."""
    chunks: list[list[SitemapEntry]] = [[]]
    size = len(_HEAD) + len(_FOOT)
    for entry in entries:
        piece = len(_url_xml(entry))
        if chunks[-1] and (len(chunks[-1]) >= max_urls or size + piece > max_bytes):
            chunks.append([])
            size = len(_HEAD) + len(_FOOT)
        chunks[-1].append(entry)
        size += piece
    return chunks


def _urlset(entries: Sequence[SitemapEntry]) -> bytes:
    return _HEAD + b"".join(_url_xml(e) for e in entries) + _FOOT


def sitemap_files(entries: Sequence[SitemapEntry], config: SiteConfig, max_urls: int = MAX_URLS,
                  max_bytes: int = MAX_BYTES) -> dict[str, bytes]:
    """sitemap.xml; past max_urls or max_bytes, an index of sitemap-1.xml, sitemap-2.xml, ..."""
    chunks = _chunks(entries, max_urls, max_bytes)
    if len(chunks) == 1:
        return {SITEMAP: _urlset(chunks[0])}
    files: dict[str, bytes] = {}
    index = []
    for n, chunk in enumerate(chunks, start=1):
        name = f"sitemap-{n}.xml"
        files[name] = _urlset(chunk)
        newest = max((e.lastmod for e in chunk if e.lastmod), default=None)
        index.append(SitemapEntry(absolute_url(config, "/" + name), newest))
    files[SITEMAP] = (XML_DECLARATION + f'<sitemapindex xmlns="{SITEMAP_NS}">\n'.encode()
                      + b"".join(_url_xml(e, "sitemap") for e in index) + b"</sitemapindex>\n")
    return files


def news_language(lang: str) -> str:
    """The language code Google News wants: ISO 639 ("en", "ar"), but zh-cn and zh-tw for Chinese."""
    lowered = lang.lower()
    if lowered.startswith("zh"):
        return "zh-tw" if lowered in ("zh-tw", "zh-hant", "zh-hk") or lowered.startswith("zh-hant") else "zh-cn"
    return lowered.split("-")[0]


def news_sitemap(site: Site, config: SiteConfig, now: dt.datetime, limit: int = NEWS_MAX) -> bytes | None:
    """Google News sitemap: explainers published in the two days up to `now`, newest first, at most `limit`.

    None when there are none: a <urlset> without <url> is invalid (sitemaps.org), so there is no file then.
    """
    recent = sorted((e for e in site.explainers if now - NEWS_WINDOW <= e.date <= now),
                    key=lambda e: e.date, reverse=True)[:limit]
    if not recent:
        return None
    root = etree.Element("urlset", {"xmlns": SITEMAP_NS, "xmlns:news": NEWS_NS})
    for e in recent:
        words = config.in_language(e.lang)  # Google News names each language's publication as it is known there
        name = words.publisher.name or words.title
        url = etree.SubElement(root, "url")
        etree.SubElement(url, "loc").text = absolute_url(config, e.path)
        news = etree.SubElement(url, "news:news")
        publication = etree.SubElement(news, "news:publication")
        etree.SubElement(publication, "news:name").text = xml_text(name)
        etree.SubElement(publication, "news:language").text = news_language(e.lang)
        etree.SubElement(news, "news:publication_date").text = e.date.isoformat()
        etree.SubElement(news, "news:title").text = xml_text(e.title)
    return xml_document(root)


def news_expiry(site: Site, now: dt.datetime) -> dt.datetime | None:
    """When the news sitemap next changes by the clock alone: its oldest explainer turns two days old."""
    return min((e.date + NEWS_WINDOW for e in site.explainers if now - NEWS_WINDOW <= e.date <= now), default=None)


def robots_txt(config: SiteConfig, with_news: bool = True) -> bytes:
    """robots.txt allowing every crawler and naming the sitemap, and the news sitemap when there is one."""
    sitemaps = (SITEMAP, NEWS_SITEMAP) if with_news else (SITEMAP,)
    lines = ["User-agent: *", "Allow: /", ""] + [f"Sitemap: {absolute_url(config, '/' + s)}" for s in sitemaps]
    return ("\n".join(lines) + "\n").encode("utf-8")


def sitemap_site_files(site: Site, pages: Iterable[PageEntry], config: SiteConfig,
                       now: dt.datetime) -> dict[str, bytes]:
    """sitemap.xml (or its index and parts), news-sitemap.xml when it has an entry, and robots.txt, by output path."""
    files = sitemap_files(sitemap_entries(pages), config)
    news = news_sitemap(site, config, now)
    if news is not None:
        files[NEWS_SITEMAP] = news
    files[ROBOTS_TXT] = robots_txt(config, with_news=news is not None)
    return files
