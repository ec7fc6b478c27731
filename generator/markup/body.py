"""Markdown to HTML: the Python-Markdown instance, question sections with stable ids, local images."""

from __future__ import annotations

import html as htmllib
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import urlsplit

import markdown
from markdown.blockprocessors import (
    BlockProcessor,
    BlockQuoteProcessor,
    HashHeaderProcessor,
    HRProcessor,
    ReferenceProcessor,
    SetextHeaderProcessor,
)
from markdown.extensions import Extension
from markdown.extensions.toc import remove_fnrefs, render_inner_html, strip_tags
from markdown.inlinepatterns import (
    IMAGE_LINK_RE,
    IMAGE_REFERENCE_RE,
    LINK_RE,
    REFERENCE_RE,
    ImageInlineProcessor,
    ImageReferenceInlineProcessor,
    LinkInlineProcessor,
    ReferenceInlineProcessor,
    ShortImageReferenceInlineProcessor,
    ShortReferenceInlineProcessor,
)
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

from ..diagnostics import Diagnostic
from ..frozen import pickles_by_slots
from ..sources.images import LocalImage, apply_picture
from ..sources.slugs import slugify, unique_id
from .blocks import BlocksExtension, body_findings, question_updated
from .blocks.charting.store import NO_CHARTS, ChartContext
from .blocks.dates import PartialDate
from .bodychecks import (
    RESERVED_ID,
    THEME_IDS,
    guard_nesting,
    id_problems,
    nesting_problems,
    questions_problem,
    size_problem,
)
from .cards import CARD_ATTR
from .inline import PlainTextSkippingInlineProcessor, quicken_delimiters
from .sitepaths import site_paths_under
from .typography import TypographyExtension

EXTENSIONS = ("tables", "footnotes", "attr_list", "md_in_html", "fenced_code")


# Resolves a body image's src as written; returns None when the file is missing.
ImageResolver = Callable[[str], "LocalImage | None"]


class Section(NamedTuple):
    """One question of an explainer: its heading text and its stable id (a named tuple: many are cached)."""

    id: str
    title: str
    updated: PartialDate | None = None  # the question's own date, from `## Question? {updated=2017-01-25}`


@pickles_by_slots
@dataclass(frozen=True, slots=True)
class Body:
    """A rendered explainer body: HTML, its questions, and the problems found on the way."""

    digest: str  # the key under which the build stores the html
    html: str
    sections: tuple[Section, ...]
    missing_images: tuple[str, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()  # from the blocks: unknown names, missing attributes, bad dates
    terms: tuple[tuple[str, int], ...] = ()  # glossary terms marked in the text, with the file line of each
    block_templates: tuple[str, ...] = ()  # the theme templates its blocks need, e.g. "blocks/timeline.html"
    embeds: tuple[str, ...] = ()  # the providers its :::embed blocks load (blocks/embeds.py keys), for the CSP
    charts: tuple[str, ...] = ()  # the key of each chart it draws, under which its picture is stored
    maps: tuple[str, ...] = ()  # the key of each locator map it draws, under which its drawing is stored
    cards: tuple[str, ...] = ()  # the ids of the cards whose answers it shows (filled in when a page is rendered)


def _is_local(src: str) -> bool:
    parts = urlsplit(src)
    return not parts.scheme and not parts.netloc and not src.startswith(("/", "#"))


# What only a full rendering of a heading gets right: markup, entities and Markdown's placeholders (STX, ETX).
_HEADING_MARKUP = re.compile("[<>&\x02\x03]")


def plain_text(el: etree.Element, md: markdown.Markdown) -> str:
    """A heading's or a table header's text, as Markdown's own toc extension makes it, without footnote marks."""
    if len(el) == 0 and not _HEADING_MARKUP.search(el.text or ""):  # most: words alone, no need to render
        return " ".join((el.text or "").split())
    return htmllib.unescape(strip_tags(render_inner_html(remove_fnrefs(el), md)))


class SectionsTreeprocessor(Treeprocessor):
    """Give every heading a readable unique id, and wrap each `##` question with its answer in a section."""

    def run(self, root: etree.Element) -> None:
        headings = [el for el in root.iter() if el.tag in ("h2", "h3", "h4")]
        taken = {el.get("id") for el in root.iter() if el.get("id")}
        self.md.nutgraf_problems += id_problems(self.md, root) if taken else []
        taken |= THEME_IDS  # a heading's words never make an id the page around it uses
        sections: list[Section] = []
        for el in headings:
            title = plain_text(el, self.md)
            if not el.get("id"):  # `{#id}` from attr_list locks an id; others come from the words
                slug = slugify(title)
                el.set("id", unique_id(f"q-{slug}" if RESERVED_ID.match(slug) else slug, taken))
            if el.tag == "h2":
                sections.append(Section(el.get("id"), title, question_updated(el)))
        self.md.nutgraf_sections = tuple(sections)
        self.md.nutgraf_problems += questions_problem(self.md, len(sections))
        self._wrap(root)

    @staticmethod
    def _wrap(root: etree.Element) -> None:
        children = list(root)
        for child in children:
            root.remove(child)
        section = None
        for child in children:
            if child.tag == "h2":
                section = etree.SubElement(root, "section", {"class": "question", "aria-labelledby": child.get("id")})
                if (card := child.attrib.pop(CARD_ATTR, None)) is not None:  # the section shows a card
                    section.set(CARD_ATTR, card)
                    section.set("data-pagefind-ignore", "")  # search finds the card once, at its own page
            elif child.tag == "div" and child.get("class") == "footnote":
                section = None  # notes belong to the whole article, after the last question
            (section if section is not None else root).append(child)


class TablesTreeprocessor(Treeprocessor):
    """Wrap tables in a focusable, labelled region, so a wide table scrolls by keyboard too."""

    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag != "table":
                    continue
                headers = [plain_text(th, self.md) for th in child.iter("th")]
                label = ", ".join(h for h in headers if h) or "Table"
                wrapper = etree.Element("div", {"class": "table-wrap", "role": "region", "tabindex": "0",
                                                "aria-label": label})
                parent.remove(child)
                wrapper.append(child)
                parent.insert(index, wrapper)


class ImagesTreeprocessor(Treeprocessor):
    """Point local images at their published widths and formats (a `<picture>` with srcset and sizes),
    with width and height so pages do not shift, loading lazily."""

    def run(self, root: etree.Element) -> None:
        resolve: ImageResolver | None = getattr(self.md, "nutgraf_resolve_image", None)
        missing: list[str] = []
        for parent in list(root.iter()):
            for img in [child for child in parent if child.tag == "img"]:
                src = img.get("src", "")
                if resolve is None or not _is_local(src):
                    continue
                found = resolve(src)
                if found is None:
                    missing.append(src)
                    continue
                index = list(parent).index(img)
                replacement = apply_picture(img, found)
                if replacement is not img:
                    parent.remove(img)
                    parent.insert(index, replacement)
        self.md.nutgraf_missing_images = tuple(missing)


_BRACKET = re.compile(r"[\[\]]")


def bracket_ends(data: str) -> dict[int, int]:
    """For the index just past each `[` of `data` that is closed, the index just past its closing `]`."""
    ends, opened = {}, []
    for match in _BRACKET.finditer(data):
        if match.group() == "[":
            opened.append(match.end())
        elif opened:
            ends[opened.pop()] = match.end()
    return ends


class _IndexedBrackets:
    """Link text found through an index of the brackets alone. Python-Markdown 3.10+ indexes every character
    of a paragraph in a Python loop, a fifth of the time of a body with a few links; the regex visits
    only the brackets, with the same result for the positions links start at."""

    _bracket_data: str | None = None
    _bracket_index: dict[int, int] = {}  # noqa: RUF012 - replaced, never mutated

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:  # noqa: N802 (Python-Markdown's name)
        if self._bracket_data is not data:
            self._bracket_data, self._bracket_index = data, bracket_ends(data)
        end = self._bracket_index.get(index)
        if end is None:
            return data[index:], len(data), False
        return data[index:end - 1], end, True


class _Link(_IndexedBrackets, LinkInlineProcessor):
    pass


class _Image(_IndexedBrackets, ImageInlineProcessor):
    pass


class _Reference(_IndexedBrackets, ReferenceInlineProcessor):
    pass


class _ImageReference(_IndexedBrackets, ImageReferenceInlineProcessor):
    pass


class _ShortReference(_IndexedBrackets, ShortReferenceInlineProcessor):
    pass


class _ShortImageReference(_IndexedBrackets, ShortImageReferenceInlineProcessor):
    pass


# Python-Markdown's own names, patterns and priorities for the processors that find link text.
_LINK_PROCESSORS = (("reference", _Reference, REFERENCE_RE, 170), ("link", _Link, LINK_RE, 160),
                    ("image_link", _Image, IMAGE_LINK_RE, 150),
                    ("image_reference", _ImageReference, IMAGE_REFERENCE_RE, 140),
                    ("short_reference", _ShortReference, REFERENCE_RE, 130),
                    ("short_image_ref", _ShortImageReference, IMAGE_REFERENCE_RE, 125))


def _prefiltered(upstream: type[BlockProcessor], holds: Callable[[str], bool]) -> type[BlockProcessor]:
    """`upstream`, whose test first checks `holds(block)`: a cheap check of a character that its regular
    expression cannot match without, and that most blocks lack. The expression, tried at every position
    of every block, made these tests a tenth of the time of parsing a body."""

    class Prefiltered(upstream):
        def test(self, parent: etree.Element, block: str) -> bool:
            return holds(block) and super().test(parent, block)

    Prefiltered.__name__ = Prefiltered.__qualname__ = f"Prefiltered{upstream.__name__}"
    return Prefiltered


class _PrefilteredReference(ReferenceProcessor):
    """A link reference definition, `[id]: url`, holds "]:"; its processor tests nothing and searches in run."""

    def run(self, parent: etree.Element, blocks: list[str]) -> bool:
        return "]:" in blocks[0] and super().run(parent, blocks)


# (name, upstream class, priority, prefiltered class), as Python-Markdown's build_block_parser registers them.
_PREFILTERED_BLOCKS = (
    ("hashheader", HashHeaderProcessor, 70, _prefiltered(HashHeaderProcessor, lambda block: "#" in block)),
    ("setextheader", SetextHeaderProcessor, 60,
     _prefiltered(SetextHeaderProcessor, lambda block: "\n=" in block or "\n-" in block)),
    ("hr", HRProcessor, 50, _prefiltered(HRProcessor, lambda block: block.count("-") > 2 or block.count("*") > 2
                                         or block.count("_") > 2)),
    ("quote", BlockQuoteProcessor, 20, _prefiltered(BlockQuoteProcessor, lambda block: ">" in block)),
    ("reference", ReferenceProcessor, 15, _PrefilteredReference),
)


class SitePathsPostprocessor(Postprocessor):
    """Put the URLs written from the site's root under the deploy sub-path of base_url, last, when raw HTML is
    back in place. Each block's HTML passes through here once, before it goes into its placeholder."""

    def run(self, text: str) -> str:
        return site_paths_under(text, getattr(self.md, "nutgraf_base_path", "/"))


class ExplainerExtension(Extension):
    """nutgraf's own processors: question sections, local images, tables, and quicker versions of some of
    Python-Markdown's."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.treeprocessors.register(PlainTextSkippingInlineProcessor(md), "inline", 20)
        quicken_delimiters(md.inlinePatterns)
        for name, processor, pattern, priority in _LINK_PROCESSORS:
            md.inlinePatterns.register(processor(pattern, md), name, priority)
        md.treeprocessors.register(SectionsTreeprocessor(md), "nutgraf-sections", 4)
        md.treeprocessors.register(ImagesTreeprocessor(md), "nutgraf-images", 3)
        md.treeprocessors.register(TablesTreeprocessor(md), "nutgraf-tables", 2)
        md.postprocessors.register(SitePathsPostprocessor(md), "nutgraf-site-paths", 5)  # after raw HTML (30)
        guard_nesting(md)
        blocks = md.parser.blockprocessors
        for name, upstream, priority, prefiltered in _PREFILTERED_BLOCKS:
            if name in blocks and type(blocks[name]) is upstream:  # not if an extension put its own there
                blocks.register(prefiltered(md.parser), name, priority)


def make_markdown(extensions: tuple[str, ...] = EXTENSIONS) -> markdown.Markdown:
    """One configured Markdown instance, to be reused (with reset) for every body in a process."""
    return markdown.Markdown(
        extensions=[*extensions, TypographyExtension(), ExplainerExtension(), BlocksExtension()],
        extension_configs={"footnotes": {"BACKLINK_TITLE": "Back to reference %d"}} if "footnotes" in extensions
        else {},
        output_format="html",
    )


# Each of Python-Markdown's extensions costs time on every body, used or not (together a ninth of the
# time of a plain body), and none can act on a text without these marks: it would not change its HTML.
# (Blocks, ":::", and a provider's address alone on a line, an embed, become HTML that md_in_html reads.)
_MARKS = {"tables": ("|",), "footnotes": ("[^",), "attr_list": ("{",), "md_in_html": ("<", ":::", "\nhttp"),
          "fenced_code": ("```", "~~~")}


class Markdowns:
    """Markdown instances for one process, one per set of extensions that bodies need, made when first
    needed: a body gets the extensions whose marks it holds, and with them the HTML all of them give."""

    def __init__(self) -> None:
        self._made: dict[tuple[str, ...], markdown.Markdown] = {}

    def for_text(self, text: str) -> markdown.Markdown:
        text = "\n" + text  # so that a mark at the start of a line is found on the first line too
        needed = tuple(name for name in EXTENSIONS if any(mark in text for mark in _MARKS[name]))
        md = self._made.get(needed)
        if md is None:
            md = self._made[needed] = make_markdown(needed)
        return md


def render_body(md: markdown.Markdown, text: str, digest: str = "",
                resolve_image: ImageResolver | None = None, source: str = "", first_line: int = 1,
                base_path: str = "/", lang: str = "en", direction: str = "ltr", embed_hosts: tuple[str, ...] = (),
                poster: Callable[[str], dict | None] | None = None, charts: ChartContext = NO_CHARTS,
                block_ids: str = "") -> Body:
    """Render one explainer body; `digest` identifies its source, `source` and `first_line` place its findings,
    `base_path` is the path of base_url, under which every site path in it goes (images' too), `lang` and
    `direction` are the page's (maps and charts follow them); `:::embed` may frame any page of `embed_hosts`,
    and shows the poster that `poster` gives for a thumbnail's address; `charts` is what its charts read their
    data through; `block_ids` goes before its blocks' ids (a card's answer, shown inside explainers)."""
    md.reset()
    md.nutgraf_block_ids = block_ids
    md.nutgraf_lang, md.nutgraf_dir = lang, direction
    md.nutgraf_embed_hosts, md.nutgraf_poster = embed_hosts, poster
    md.nutgraf_resolve_image = resolve_image
    md.nutgraf_read_data, md.nutgraf_chart_store = charts.read_data, charts.store
    md.nutgraf_base_path = base_path
    md.nutgraf_sections = ()
    md.nutgraf_missing_images = ()
    md.nutgraf_source, md.nutgraf_first_line = source, first_line
    md.nutgraf_problems, md.nutgraf_too_deep = [], False
    html = md.convert(text)
    findings = body_findings(md)
    problems = (*findings.pop("diagnostics"), *md.nutgraf_problems, *nesting_problems(md),
                *size_problem(source, first_line, html))
    return Body(digest, html, md.nutgraf_sections, md.nutgraf_missing_images, problems, **findings)
