"""Check's rules: each reads one explainer (a Document) and what is known of the site (a SiteView), and
returns the editor's findings: placeholders, questions, links, images, lengths, topics, dates and maps."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

from ..diagnostics import Diagnostic, Position, did_you_mean, error, warning
from ..markup.blocks import body_parts
from ..markup.blocks.syntax import fence_after, parse_attrs
from ..site.model import Explainer
from ..sources.config import CONFIG_NAME, SiteConfig, setting_position
from ..sources.metadata import ExplainerMeta
from .embedcheck import raw_embeds

DEK_LIMIT = 200
PLACEHOLDER = re.compile(r"(?<![\w-])(TKTK|TK|XXX)(?![\w-])")
QUESTION_MARKS = ("?", "\u061f", "\uff1f", "\u037e", ";", "\u055e", "\u2e2e")  # Latin, Arabic, full width, Greek…
_INLINE_CODE = re.compile(r"`+[^`]*`+")
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:\s+(.*?))?\s*$")
_FOOTNOTE = re.compile(r"^\[\^[^\]]+\]:")
_BLOCK_FENCE = re.compile(r"^:::\s*([\w-]*)(.*)$")
_MD_IMAGE = re.compile(r"!\[(?P<alt>(?:[^\]\\]|\\.)*)\]\((?P<src>[^)\s]+)(?:\s+\"[^\"]*\")?\)(?P<attrs>\{[^}\n]*\})?")
_HTML_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_HREF = re.compile(r"<a\b[^>]*?\shref=\"([^\"]*)\"", re.IGNORECASE)
_SRC = re.compile(r"<img\b[^>]*?\ssrc=\"([^\"]*)\"", re.IGNORECASE)
_ID = re.compile(r"\sid=\"([^\"]*)\"")
LINK = re.compile(r"\s(?:href|src)=\"([^\"]*)\"", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Document:
    """One explainer as the checks read it: its metadata, its source text and its rendered body."""

    meta: ExplainerMeta
    explainer: Explainer | None  # None when the build could not resolve it
    text: str  # the whole file
    body_line: int  # the file line where the body starts
    body: str  # the rendered body, its blocks still placeholders
    published: bool  # neither a draft nor scheduled

    def body_lines(self) -> Iterator[tuple[int, str]]:
        """(file line, text) of the body's lines outside code blocks, inline code blanked."""
        fence = ""
        for offset, line in enumerate(self.text.split("\n")[self.body_line - 1:]):
            after = fence_after(line, fence)
            if after is not None:
                fence = after
            elif not fence:
                yield self.body_line + offset, _INLINE_CODE.sub(lambda m: " " * len(m[0]), line)

    def line_of(self, needle: str) -> int:
        """The file line of the body where `needle` is first written, else the body's first line."""
        index = self.text.find(needle, len("\n".join(self.text.split("\n")[: self.body_line - 1])))
        return self.text.count("\n", 0, index) + 1 if needle and index >= 0 else self.body_line


@dataclass(frozen=True, slots=True)
class SiteView:
    """What the checks know of the whole site."""

    config: SiteConfig
    now: dt.datetime
    documents: Mapping[str, Document]  # by site path of the explainer
    pages: Mapping[str, str]  # site path -> rendered HTML, for the ids that links may point at
    files: frozenset[str]  # output files that are not pages: images, static files
    topics: Mapping[str, int]  # topic slug -> how many explainers use it



def placeholders(doc: Document, site: SiteView) -> list[Diagnostic]:
    """TK, TKTK and XXX left in the text, front matter included."""
    found = []
    lines = doc.text.split("\n")
    front = [(n, line) for n, line in enumerate(lines[: doc.body_line - 1], start=1)]
    for number, line in [*front, *doc.body_lines()]:
        for match in PLACEHOLDER.finditer(line):
            found.append(error(doc.meta.source, f"placeholder '{match[1]}' left in the text",
                               Position(number, match.start() + 1), "replace it with the missing fact, or remove it"))
    return found


def question_lines(doc: Document) -> list[tuple[int, str, bool]]:
    """Each `##` question of the body: its line, its words and whether an answer follows it."""
    questions: list[list] = []
    for number, line in doc.body_lines():
        heading = _HEADING.match(line)
        if heading and len(heading[1]) <= 2:
            if len(heading[1]) == 2:
                questions.append([number, re.sub(r"\s*\{[^}]*\}\s*$", "", heading[2] or ""), False])
            else:
                questions.append([number, "", True])  # a `#` heading ends the question before it
        elif _FOOTNOTE.match(line):
            break  # notes at the end belong to the whole article
        elif line.strip() and questions:
            questions[-1][2] = True
    return [(n, title, answered) for n, title, answered in questions if title]


def empty_questions(doc: Document, site: SiteView) -> list[Diagnostic]:
    """A question with no answer under it."""
    return [error(doc.meta.source, f"the question '{title}' has no answer", Position(number),
                  "write the answer under the question, or remove the heading")
            for number, title, answered in question_lines(doc) if not answered]


def question_headings(doc: Document, site: SiteView) -> list[Diagnostic]:
    """A `##` heading not phrased as a question (check: {question_headings: false} turns this off)."""
    if not site.config.check.question_headings:
        return []
    return [warning(doc.meta.source, f"the heading '{title}' is not phrased as a question", Position(number),
                    "explainers answer readers' questions: end it with a question mark "
                    "(or set check: {question_headings: false} in site.yaml)")
            for number, title, _ in question_lines(doc)
            if not title.rstrip(" \"'”’»*_").endswith(QUESTION_MARKS)]


def link_target(href: str, page: str, config: SiteConfig) -> tuple[str, str] | None:
    """The site path and fragment an internal link points at; None for a link that leaves the site."""
    parts = urlsplit(html.unescape(href))
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None  # mailto:, tel: and the like
    base = urlsplit(config.base_url)
    if parts.netloc and parts.netloc != base.netloc:
        return None
    here = config.base_path + page.lstrip("/")
    path = urljoin(here, parts.path) if parts.path else here
    if not path.startswith(config.base_path):
        return unquote(path), unquote(parts.fragment)  # outside the deploy sub-path: it cannot resolve
    return "/" + unquote(path[len(config.base_path):]), unquote(parts.fragment)


def links(doc: Document, site: SiteView) -> list[Diagnostic]:
    """Links to explainers, topics and questions that do not resolve, and links from published to unpublished."""
    found = []
    fragments, _ = body_parts(doc.body)
    page = f"/{doc.meta.slug}/"
    drafts_linked = set()
    for shown in dict.fromkeys(h for fragment in fragments for h in _HREF.findall(fragment)):
        target = link_target(shown, page, site.config)
        if target is None:
            continue
        path, fragment = target
        href = as_written(shown, site.config)
        at = Position(doc.line_of(html.unescape(href)))
        resolved = path if path in site.pages else path + "/" if path + "/" in site.pages else None
        if resolved is None:
            if path.lstrip("/") not in site.files:
                found.append(error(doc.meta.source, f"the link {href} leads nowhere: there is no {path}", at,
                                   _nowhere_hint(path, site)))
            continue
        if fragment and not _has_id(site.pages[resolved], fragment):
            found.append(error(doc.meta.source, f"the link {href} points at #{fragment}, which {resolved} lacks",
                               at, "link to a question by its id, shown in the address when you follow its "
                               "link in the contents"))
        target_doc = site.documents.get(resolved)
        if doc.published and target_doc is not None and not target_doc.published and resolved not in drafts_linked:
            drafts_linked.add(resolved)
            what = unpublished(target_doc) if target_doc.meta.draft else "an explainer " + unpublished(target_doc)
            hint = ("publish that explainer first, or remove the link" if target_doc.meta.draft
                    else "publish this one no earlier, or remove the link")
            found.append(warning(doc.meta.source, f"the link {href} leads to {what} ({target_doc.meta.source})",
                                 at, hint))
    for src in dict.fromkeys(s for fragment in fragments for s in _SRC.findall(fragment)):
        target = link_target(src, page, site.config) if src.startswith("/") or urlsplit(src).netloc else None
        if target is not None and target[0].lstrip("/") not in site.files:
            src = as_written(src, site.config)
            found.append(error(doc.meta.source, f"the image {src} does not resolve", Position(doc.line_of(src)),
                               "put the image under content/ and name it relative to the explainer"))
    return found


def as_written(href: str, config: SiteConfig) -> str:
    """A body's href as its author wrote it: bodies put site paths under base_url's path (sitepaths)."""
    base = config.base_path
    return "/" + href[len(base):] if base != "/" and href.startswith(base) else href


def _nowhere_hint(path: str, site: SiteView) -> str:
    """What to write instead of a link to `path`, which the site lacks."""
    base = site.config.base_path
    if path.endswith((".md", ".markdown")):
        return f"link to the page, /{path.rsplit('/', 1)[-1].rsplit('.', 1)[0]}/, not to the Markdown file"
    if base != "/" and path.startswith(base) and path[len(base) - 1:] in site.pages:
        return (f"a link from the site's root is read under {base} already (base_url): "
                f"write {path[len(base) - 1:]}")
    return did_you_mean(path, site.pages) or "link to an explainer by its address, e.g. /astana-talks/"


def author_links(site: SiteView) -> list[Diagnostic]:
    """An author's `url:` in site.yaml on the site itself that leads nowhere: it is the author's link in
    structured data and feeds. Only the authors of an explainer are checked."""
    found = []
    bylined = {a.id for d in site.documents.values() if d.explainer for a in d.explainer.authors}
    for author_id in sorted(bylined & set(site.config.authors)):
        path = _own_path(site.config.authors[author_id].url, site.config)
        if path is None or path in site.pages or path + "/" in site.pages or path.lstrip("/") in site.files:
            continue
        found.append(error(CONFIG_NAME, f"the url of author '{author_id}' leads nowhere: there is no {path}",
                           setting_position(site.config.root, f"authors.{author_id}.url"),
                           f"leave url: out for their page on this site, /authors/{author_id}/, "
                           "or give the address of their own page elsewhere"))
    return found


def _own_path(url: str, config: SiteConfig) -> str | None:
    """The site path a URL from site.yaml names, when it is a site path or under base_url; else None (the
    host's pages outside base_url's path are not the site's)."""
    parts = urlsplit(url)
    if not url or parts.scheme or parts.netloc:
        base = urlsplit(config.base_url)
        if parts.scheme not in ("http", "https") or parts.netloc != base.netloc \
                or not parts.path.startswith(config.base_path):
            return None
        return "/" + unquote(parts.path[len(config.base_path):])
    return "/" + unquote(parts.path).lstrip("/")


def _has_id(page_html: str, fragment: str) -> bool:
    return any(html.unescape(value) == fragment for value in _ID.findall(page_html))


def unpublished(doc: Document) -> str:
    """What keeps an explainer off the site, as a message says it: "a draft" or "scheduled for <date>"."""
    return "a draft" if doc.meta.draft else f"scheduled for {doc.meta.date.isoformat()}, not yet published"


def related_drafts(doc: Document, site: SiteView) -> list[Diagnostic]:
    """`related:` naming a draft or a scheduled explainer, from a published explainer."""
    if not doc.published:
        return []
    found = []
    for index, slug in enumerate(doc.meta.story.related):
        other = site.documents.get(f"/{slug}/")
        if other is not None and not other.published:
            found.append(warning(doc.meta.source, f"related explainer '{slug}' is {unpublished(other)}",
                                 doc.meta.doc.at(f"related.{index}"), "publish it first, or remove it from related:"))
    return found


def images(doc: Document, site: SiteView) -> list[Diagnostic]:
    """Images without alt text or a credit: the hero, :::figure blocks and images in the text."""
    source, found = doc.meta.source, []
    credit_hint = 'add {credit="Photo: Name / Agency"} right after the image, or use :::figure with credit="..."'
    if doc.meta.hero is not None and not doc.meta.hero.credit:
        found.append(warning(source, "the hero image has no credit", doc.meta.doc.at("hero"),
                             'add hero.credit: "Photo: Name / Agency"'))
    block = ""
    for number, line in doc.body_lines():
        fence = _BLOCK_FENCE.match(line)
        if fence:
            block = fence[1]
            attrs, _ = parse_attrs(fence[2])
            if block == "figure" and not attrs.get("credit"):
                found.append(warning(source, f"the figure {attrs.get('src', '')} has no credit", Position(number),
                                     'add credit="Photo: Name / Agency" to the :::figure line'))
            continue
        for match in _MD_IMAGE.finditer(line):
            if not match["alt"].strip():
                found.append(warning(source, f"the image {match['src']} has no alt text", Position(number),
                                     "describe what it shows between the brackets: ![A map of ...](...)"))
            if "credit=" not in (match["attrs"] or "") and block != "people":
                found.append(warning(source, f"the image {match['src']} has no credit", Position(number), credit_hint))
        for tag in _HTML_IMG.findall(line):
            if not re.search(r"\salt=\"[^\"]+\"", tag):
                found.append(warning(source, "an <img> has no alt text", Position(number), 'add alt="what it shows"'))
    return found


def maps(doc: Document, site: SiteView) -> list[Diagnostic]:
    """A :::map without a source (one without a description, its alt text, the build refuses)."""
    found = []
    for number, line in doc.body_lines():
        fence = _BLOCK_FENCE.match(line)
        if fence and fence[1] == "map" and not parse_attrs(fence[2])[0].get("source", "").strip():
            found.append(warning(doc.meta.source, "the map has no source", Position(number),
                                 'credit its data, e.g. source="Natural Earth"'))
    return found


def lengths(doc: Document, site: SiteView) -> list[Diagnostic]:
    """A dek too long to read at a glance (the headline's length is a build warning already)."""
    if len(doc.meta.dek) <= DEK_LIMIT:
        return []
    return [warning(doc.meta.source, f"the dek has {len(doc.meta.dek)} characters; keep it under {DEK_LIMIT}",
                    doc.meta.doc.at("dek"), "say the one thing a reader needs; the body can say the rest")]


def topics(doc: Document, site: SiteView) -> list[Diagnostic]:
    """An explainer with no topic, and a topic no other explainer uses (often a typo)."""
    if not doc.meta.topics:
        return [warning(doc.meta.source, "the explainer has no topic", doc.meta.doc.at("title"),
                        "add topics: [...] so that readers find it on topic pages")]
    if doc.explainer is None:
        return []
    found = []
    names = {t.name for d in site.documents.values() if d.explainer for t in d.explainer.topics}
    for index, topic in enumerate(doc.explainer.topics):
        if site.topics.get(topic.slug, 0) == 1 and len(site.documents) > 1:
            others = [n for n in names if n != topic.name]
            found.append(warning(doc.meta.source, f"the topic '{topic.name}' is used by no other explainer",
                                 doc.meta.doc.at(f"topics.{index}"),
                                 did_you_mean(topic.name, others) or "check its spelling against the other topics"))
    return found


def dates(doc: Document, site: SiteView) -> list[Diagnostic]:
    """Dates in the future, and an `updated` older than the newest correction."""
    meta, found = doc.meta, []

    def future(key: str, value: dt.datetime, what: str) -> None:
        if value > site.now:
            found.append(warning(meta.source, f"{what} is in the future ({value.isoformat()})", meta.doc.at(key),
                                 "a future date schedules the explainer; check the year" if key == "date" else
                                 "check the date"))

    future("date", meta.date, "the publication date")
    if meta.doc.data.get("updated") is not None and meta.updated is not None:
        future("updated", meta.updated, "the updated date")
    for key in ("corrections", "updates"):
        for index, entry in enumerate(getattr(meta.story, key)):
            future(f"{key}.{index}.date", entry.date, f"the date of a {entry.kind}")
    for section in doc.explainer.sections if doc.explainer else ():
        if section.updated is not None and section.updated.first_day() > site.now.date():
            found.append(warning(meta.source, f"the question '{section.title}' is updated in the future",
                                 Position(doc.line_of(f"updated={section.updated.isoformat()}")), "check the date"))
    if meta.story.corrections:
        newest = meta.story.corrections[-1]
        if newest.date > (meta.updated or meta.date):
            index = len(meta.story.corrections) - 1
            day = newest.date.date().isoformat()
            if "updated" in meta.doc.data:
                at, message = meta.doc.at("updated"), f"'updated' is older than the newest correction ({day})"
            else:
                at = meta.doc.at(f"corrections.{index}.date")
                message = f"the newest correction ({day}) is later than the date, and there is no 'updated'"
            found.append(warning(meta.source, message, at, f"set updated: to {day} or later, "
                                 "so that readers see the explainer changed"))
    return found


Rule = Callable[[Document, SiteView], list[Diagnostic]]
RULES: tuple[Rule, ...] = (placeholders, empty_questions, question_headings, links, related_drafts, images, lengths,
                           topics, dates, maps,
                           lambda doc, site: raw_embeds(doc.meta.source, doc.body_lines(), site.config.embed_hosts))
