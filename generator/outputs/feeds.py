"""Feeds: Atom, RSS 2.0 and JSON Feed 1.1 for the whole site and for each topic, with absolute URLs."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from email.utils import format_datetime
from functools import partial
from html.parser import HTMLParser
from urllib.parse import urljoin

from .. import __version__
from ..site.editions import plan_editions
from ..site.model import Explainer, Site
from ..site.pages import FEED_FORMATS, absolute_url
from ..site.seo import Absolute, author_url, publisher_ld
from ..sources.config import SiteConfig

ATOM = "http://www.w3.org/2005/Atom"
JSON_FEED = "https://jsonfeed.org/version/1.1"
GENERATOR = "nutgraf"
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
# Characters XML 1.0 cannot hold at all, not even escaped: dropped rather than breaking every reader.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_URL_ATTRIBUTES = frozenset({"href", "src", "poster", "cite"})


@dataclass(frozen=True, slots=True)
class FeedPlan:
    """One feed, in every format: where its files go, what it is called and which explainers it carries."""

    base: str  # site path the files sit under: "/" or "/topics/syria/"
    title: str
    description: str
    home: str  # site path of the page the feed follows
    items: tuple[Explainer, ...]  # newest-modified first, at most feeds.items
    lang: str = ""  # the language of the edition it follows; "" for the site's


@dataclass(frozen=True, slots=True)
class Entry:
    """One explainer as every feed format needs it, with absolute URLs."""

    id: str  # the explainer's canonical URL: stable while its slug is
    url: str
    title: str
    summary: str  # the description, as text
    summary_html: str  # description and key points
    content_html: str  # the whole article, or the summary when site.yaml asks for summaries
    published: dt.datetime
    modified: dt.datetime
    authors: tuple[tuple[str, str], ...]  # (name, absolute URL)
    tags: tuple[str, ...]
    image: str  # absolute URL or ""
    lang: str


def plan_feeds(site: Site, config: SiteConfig) -> list[FeedPlan]:
    """Each edition's feed and one per topic in it: the site's language at /, others under /ar/, /tr/..."""
    limit = config.feeds.items
    plans = []
    for edition in plan_editions(site, config):
        listed, home, words = edition.site, edition.prefix + "/", edition.config
        plans.append(FeedPlan(home, edition.feed_title, words.description or words.title, home,
                              listed.explainers[:limit], edition.lang))
        for topic in edition.topics:
            title = f"{topic.name} | {edition.feed_title}"
            # English words only where the site's title is in English too; an edition's own has its description.
            about = (words.description or title) if config.words(edition.lang).title \
                else f"Explainers on {topic.name} from {config.title}"
            plans.append(FeedPlan(topic.path, title, about, topic.path, listed.by_topic[topic.slug][:limit],
                                  edition.lang))
    return plans


def _joined(base: str, url: str) -> str:
    """`url` resolved against `base`; as written when it cannot be read (a bracket opening no IPv6 address)."""
    try:
        return urljoin(base, url)
    except ValueError:
        return url


class _Absolutizer(HTMLParser):
    """Re-emits HTML unchanged but for URL attributes, resolved against the page they appeared on."""

    def __init__(self, base: str):
        super().__init__(convert_charrefs=False)
        self.base = base
        self.out: list[str] = []

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        text = self.get_starttag_text() or ""
        if not any(name in _URL_ATTRIBUTES or name == "srcset" for name, _ in attrs):
            self.out.append(text)
            return
        parts = [tag]
        for name, value in attrs:
            if value is not None and name in _URL_ATTRIBUTES and (tag in ("a", "area") or value[:1] != "#"):
                value = _joined(self.base, value.strip())  # but an SVG's own "#id" references stay
            elif value is not None and name == "srcset":
                value = ", ".join(" ".join([_joined(self.base, c.split()[0]), *c.split()[1:]])
                                  for c in value.split(",") if c.strip())
            parts.append(name if value is None else f'{name}="{html.escape(value, quote=True)}"')
        self.out.append(f"<{' '.join(parts)}{' /' if closed else ''}>")

    def handle_starttag(self, tag, attrs):
        self._tag(tag, attrs, False)

    def handle_startendtag(self, tag, attrs):
        self._tag(tag, attrs, True)

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        self.out.append(data)

    def handle_entityref(self, name):
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        self.out.append(f"&#{name};")

    def handle_comment(self, data):
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data):
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data):
        self.out.append(f"<![{data}]]>" if data.startswith("CDATA[") else f"<![{data}]>")


def absolutize(body: str, page_url: str) -> str:
    """Body HTML with every link and image URL made absolute, as feed readers need: "#x" becomes page#x."""
    parser = _Absolutizer(page_url)
    parser.feed(body)
    parser.close()
    return "".join(parser.out)


def _summary_html(e: Explainer) -> str:
    points = "".join(f"<li>{html.escape(p)}</li>" for p in e.summary)
    return f"<p>{html.escape(e.description)}</p>" + (f"<ul>{points}</ul>" if points else "")


def _hero_html(e: Explainer, absolute: Absolute) -> str:
    if e.hero is None:
        return ""
    hero = e.hero
    caption = " ".join(html.escape(t) for t in (hero.caption, hero.credit) if t)
    return (f'<figure><img src="{html.escape(absolute(hero.src))}" alt="{html.escape(hero.alt)}" '
            f'width="{hero.width}" height="{hero.height}">'
            + (f"<figcaption>{caption}</figcaption>" if caption else "") + "</figure>")


def make_entry(e: Explainer, config: SiteConfig, body_html: Callable[[str], str], absolute: Absolute) -> Entry:
    """An explainer as a feed entry, its body with absolute URLs (or its summary, as site.yaml says)."""
    url = absolute(e.path)
    summary = _summary_html(e)
    content = summary
    if config.feeds.content == "full":
        content = _hero_html(e, absolute) + absolutize(body_html(e.body_digest), url)
    image = e.social_image or e.hero
    return Entry(url, url, e.title, e.description, summary, content, e.date, e.modified,
                 tuple((a.name, author_url(a, absolute)) for a in e.authors), tuple(t.name for t in e.topics),
                 absolute(image.src) if image else "", e.lang)


def xml_text(text: str) -> str:
    """Text without the characters XML 1.0 cannot hold, even escaped."""
    return _NOT_XML.sub("", text)


def _add(parent: etree.Element, tag: str, text: str | None = None, **attrs: str) -> etree.Element:
    """A child element; text and attributes are escaped by ElementTree, characters XML cannot hold dropped."""
    child = etree.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        child.text = xml_text(text)
    return child


def xml_document(root: etree.Element) -> bytes:
    """An element tree as an indented UTF-8 XML file."""
    etree.indent(root)
    return XML_DECLARATION + etree.tostring(root, encoding="unicode").encode("utf-8") + b"\n"


def _rfc3339(value: dt.datetime) -> str:
    return value.isoformat()


def atom_feed(plan: FeedPlan, entries: Sequence[Entry], config: SiteConfig, updated: dt.datetime) -> bytes:
    """RFC 4287 Atom, with a self link and the publisher as the feed's author."""
    absolute = partial(absolute_url, config)
    self_url = absolute(plan.base + FEED_FORMATS[0].name)
    lang = plan.lang or config.language
    feed = etree.Element("feed", {"xmlns": ATOM, "xml:lang": lang})
    _add(feed, "id", self_url)
    _add(feed, "title", plan.title, type="text")
    if plan.description:
        _add(feed, "subtitle", plan.description, type="text")
    _add(feed, "link", rel="self", type=FEED_FORMATS[0].media_type, href=self_url)
    _add(feed, "link", rel="alternate", type="text/html", href=absolute(plan.home))
    _add(feed, "updated", _rfc3339(max((e.modified for e in entries), default=updated)))
    publisher = publisher_ld(config.in_language(lang), absolute)
    author = _add(feed, "author")
    _add(author, "name", publisher["name"])
    _add(author, "uri", publisher["url"])
    _add(feed, "generator", GENERATOR, version=__version__)
    for e in entries:
        entry = _add(feed, "entry", **({"xml:lang": e.lang} if e.lang != lang else {}))
        _add(entry, "id", e.id)
        _add(entry, "title", e.title, type="text")
        _add(entry, "link", rel="alternate", type="text/html", href=e.url)
        _add(entry, "published", _rfc3339(e.published))
        _add(entry, "updated", _rfc3339(e.modified))
        for name, url in e.authors:
            person = _add(entry, "author")
            _add(person, "name", name)
            _add(person, "uri", url)
        for tag in e.tags:
            _add(entry, "category", term=tag)
        _add(entry, "summary", e.summary_html, type="html")
        if config.feeds.content == "full":
            _add(entry, "content", e.content_html, type="html")
    return xml_document(feed)


def rss_feed(plan: FeedPlan, entries: Sequence[Entry], config: SiteConfig, updated: dt.datetime) -> bytes:
    """RSS 2.0 with an atom:link self link; content:encoded carries the full article, dc:creator the authors."""
    absolute = partial(absolute_url, config)
    rss = etree.Element("rss", {"version": "2.0", "xmlns:atom": ATOM,
                                "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
                                "xmlns:dc": "http://purl.org/dc/elements/1.1/"})
    channel = _add(rss, "channel")
    _add(channel, "title", plan.title)
    _add(channel, "link", absolute(plan.home))
    _add(channel, "description", plan.description)
    _add(channel, "language", plan.lang or config.language)
    _add(channel, "atom:link", href=absolute(plan.base + FEED_FORMATS[1].name), rel="self",
         type=FEED_FORMATS[1].media_type)
    _add(channel, "lastBuildDate", format_datetime(max((e.modified for e in entries), default=updated)))
    _add(channel, "generator", f"{GENERATOR} {__version__}")
    for e in entries:
        item = _add(channel, "item")
        _add(item, "title", e.title)
        _add(item, "link", e.url)
        _add(item, "guid", e.id, isPermaLink="true")
        _add(item, "pubDate", format_datetime(e.published))
        _add(item, "description", e.summary_html)
        if config.feeds.content == "full":
            _add(item, "content:encoded", e.content_html)
        for name, _ in e.authors:
            _add(item, "dc:creator", name)
        for tag in e.tags:
            _add(item, "category", tag)
    return xml_document(rss)


def json_feed(plan: FeedPlan, entries: Sequence[Entry], config: SiteConfig) -> bytes:
    """JSON Feed 1.1."""
    absolute = partial(absolute_url, config)
    publisher = publisher_ld(config.in_language(plan.lang or config.language), absolute)
    items = []
    for e in entries:
        item = {"id": e.id, "url": e.url, "title": e.title, "content_html": e.content_html,
                "summary": e.summary,
                "image": e.image, "date_published": _rfc3339(e.published), "date_modified": _rfc3339(e.modified),
                "authors": [{"name": n, "url": u} for n, u in e.authors], "tags": list(e.tags), "language": e.lang}
        items.append({k: v for k, v in item.items() if v not in ("", [])})
    feed = {"version": JSON_FEED, "title": plan.title, "home_page_url": absolute(plan.home),
            "feed_url": absolute(plan.base + FEED_FORMATS[2].name), "description": plan.description,
            "language": plan.lang or config.language, "favicon": publisher["logo"]["url"],
            "authors": [{"name": publisher["name"], "url": publisher["url"]}], "items": items}
    return (json.dumps(feed, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def feed_digest(plan: FeedPlan, config: SiteConfig, now: dt.datetime, salt: str,
                answers: Mapping[str, str] | None = None) -> str:
    """Everything one feed's three files are made from (its explainers with their body digests and the digests
    of the card answers they show, by card id in `answers`, the settings, and `salt` for the templates that
    fill blocks): when it is unchanged, so are they."""
    dated = now.isoformat() if not plan.items else ""  # an empty feed is dated by the build
    shown = sorted({(card_id, (answers or {}).get(card_id, "")) for e in plan.items for card_id in e.cards})
    text = repr((plan, config, dated, salt, shown))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def feed_files(plans: Sequence[FeedPlan], config: SiteConfig, body_html: Callable[[str], str], now: dt.datetime,
               unchanged: Callable[[str, str], bool] = lambda path, digest: False, salt: str = "",
               answers: Mapping[str, str] | None = None) -> tuple[dict[str, bytes], dict[str, str]]:
    """The feed files of `plans` that must be written, by output path, and the digest of every feed by its
    Atom path.

    `unchanged(atom_path, digest)` says a feed's files are on disk as this digest made them: they are
    then neither made nor written again. `answers` gives the digest of each card's answer, by id.
    """
    absolute = partial(absolute_url, config)
    entries: dict[str, Entry] = {}  # an explainer in several feeds is made into an entry once
    files: dict[str, bytes] = {}
    digests: dict[str, str] = {}
    for plan in plans:
        where = plan.base.lstrip("/")
        atom_path = where + FEED_FORMATS[0].name
        digests[atom_path] = digest = feed_digest(plan, config, now, salt, answers)
        if unchanged(atom_path, digest):
            continue
        for e in plan.items:
            if e.slug not in entries:
                entries[e.slug] = make_entry(e, config, body_html, absolute)
        picked = [entries[e.slug] for e in plan.items]
        files[atom_path] = atom_feed(plan, picked, config, now)
        files[where + FEED_FORMATS[1].name] = rss_feed(plan, picked, config, now)
        files[where + FEED_FORMATS[2].name] = json_feed(plan, picked, config)
    return files, digests


def feed_paths(atom_path: str) -> list[str]:
    """The three files of the feed whose Atom file is `atom_path`."""
    where = atom_path[: -len(FEED_FORMATS[0].name)]
    return [where + f.name for f in FEED_FORMATS]
