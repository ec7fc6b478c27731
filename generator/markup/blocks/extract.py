"""Block extraction: each parsed block (and glossary term, dated question, credited image) becomes a placeholder."""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown.treeprocessors import Treeprocessor

from ...diagnostics import Position, warning
from .base import Found, inner_html
from .codec import TAG, encode
from .dates import PartialDate
from .figures import IMAGE_ATTRS, credited_image, is_credited_image
from .question_dates import MARK_ATTR, source_line
from .registry import BLOCK_TYPES
from .terms import TERM_ATTR, term_key

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
BLOCK_ATTR = "data-nutgraf-block"


def _is_target(element: etree.Element) -> bool:
    return (element.get(BLOCK_ATTR) is not None or element.get(TERM_ATTR) is not None
            or element.get(MARK_ATTR) is not None or is_credited_image(element))


class BlockExtractTreeprocessor(Treeprocessor):
    """Runs last, when the HTML inside each block is final: the block's values go into a placeholder."""

    def run(self, root: etree.Element) -> None:
        if self.md.nutgraf_plain:
            return
        parents = {child: parent for parent in root.iter() for child in parent}
        self._strip_image_attrs(root, parents)
        targets, level = [], 1
        for element in root.iter():
            if element.tag in HEADINGS:
                level = int(element.tag[1])
            elif _is_target(element):
                targets.append((element, min(level + 1, 6)))
        terms = []
        for number in reversed(range(len(targets))):  # innermost first, so an outer block holds inner placeholders
            element, heading_level = targets[number]
            values = self.values(element)
            if values is None:  # reported; its content stays as ordinary text
                element.attrib.pop(BLOCK_ATTR, None)
                continue
            if values["name"] == "term":
                terms.append(values["term"])
            values |= {"id": f"{getattr(self.md, 'nutgraf_block_ids', '')}nutgraf-block-{number + 1}",
                       "level": heading_level}
            self.md.nutgraf_block_names.add(values["name"])
            placeholder = etree.Element(TAG, {"data-block": encode(values)})
            placeholder.tail = element.tail
            parent = parents[element]
            parent[list(parent).index(element)] = placeholder
        self._record_terms(reversed(terms))

    def values(self, element: etree.Element) -> dict | None:
        """The template values of one target, with its template's name; None if it is broken."""
        md = self.md
        if element.get(TERM_ATTR) is not None:
            return {"name": "term", "term": element.get(TERM_ATTR), "text": inner_html(md, element)}
        if element.get(MARK_ATTR) is not None:
            return {"name": element.get(MARK_ATTR), "date": PartialDate.parse(element.get("data-date", ""))}
        if element.get(BLOCK_ATTR) is None:
            return {"name": "figure", **credited_image(md, element)}
        spec = md.nutgraf_blocks[element.get(BLOCK_ATTR)]
        found = Found(spec.name, element, spec.attrs, spec.line, md, md.nutgraf_block_problems, spec.lines)
        values = BLOCK_TYPES[spec.name].build(found)
        return None if values is None else {"name": spec.name, **values}

    def _record_terms(self, terms) -> None:
        """The glossary terms used, in order, each with the file line where it is written."""
        text = "\n".join(self.md.nutgraf_source_lines)
        position = 0
        for term in terms:
            found = text.find("[[" + term, position)
            line = self.md.nutgraf_first_line + text.count("\n", 0, max(found, 0))
            position = found + 2 if found >= 0 else position
            self.md.nutgraf_terms.append((term_key(term), line))

    def _strip_image_attrs(self, root: etree.Element, parents: dict) -> None:
        """credit= and caption= belong to an image on its own line; elsewhere they are dropped, with a warning."""
        for image in root.iter("img"):
            holder = parents.get(image)
            if holder is not None and holder.tag == "picture":
                holder = parents.get(holder)
            if holder is not None and is_credited_image(holder):
                continue
            for name in IMAGE_ATTRS:
                if image.attrib.pop(name, None) is not None:
                    line = source_line(self.md, f"{name}=", self.md.nutgraf_first_line)
                    self.md.nutgraf_block_problems.append(warning(
                        self.md.nutgraf_source, f"the {name} of image '{image.get('src', '')}' is not shown",
                        Position(line), "an image with a credit or caption must stand alone in its paragraph"))
