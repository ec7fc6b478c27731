"""Figures: an image with its caption and credit, from a `:::figure` block or a credited image on its own line."""

from __future__ import annotations

import copy
import html
import xml.etree.ElementTree as etree

from markdown.treeprocessors import Treeprocessor

from ..typography import smarten
from .base import BlockType, Found, Html, serialize

IMAGE_ATTRS = ("credit", "caption")  # what `![alt](src){credit="..." caption="..."}` may add to an image


def image_of(element: etree.Element) -> etree.Element | None:
    """The <img> of an image element: itself, or the one inside a <picture>."""
    return element if element.tag == "img" else element.find("img") if element.tag == "picture" else None


def _image_html(md, element: etree.Element) -> Html:
    shown = copy.copy(element)
    shown.tail = None
    return Html(serialize(md, shown))


def build(found: Found) -> dict | None:
    """The block's image (put in place by FigureImagesTreeprocessor), its caption and its credit."""
    image = next((child for child in found.element if image_of(child) is not None), None)
    if image is None:
        return None
    found.element.remove(image)
    return {"image": _image_html(found.md, image), "caption": found.html(), "credit": found.text("credit"),
            "alt": found.attrs.get("alt", "")}


def is_credited_image(element: etree.Element) -> bool:
    """A paragraph holding nothing but an image with a credit or a caption."""
    if element.tag != "p" or len(element) != 1 or (element.text or "").strip() or (element[0].tail or "").strip():
        return False
    image = image_of(element[0])
    return image is not None and any(image.get(name) is not None for name in IMAGE_ATTRS)


def credited_image(md, paragraph: etree.Element) -> dict:
    """A figure's values from a credited image paragraph."""
    image = image_of(paragraph[0])
    credit, caption = (smarten(image.attrib.pop(name, ""), " ") for name in IMAGE_ATTRS)
    return {"image": _image_html(md, paragraph[0]), "caption": Html(html.escape(caption, quote=False)),
            "credit": credit, "alt": image.get("alt", "")}


class FigureImagesTreeprocessor(Treeprocessor):
    """Put each `:::figure`'s image into the tree, before local images are resolved like any other."""

    def run(self, root: etree.Element) -> None:
        blocks = self.md.nutgraf_blocks
        if not blocks:
            return
        for element in [el for el in root.iter("div") if el.get("data-nutgraf-block") in blocks]:
            spec = blocks[element.get("data-nutgraf-block")]
            if spec.name == "figure":
                element.insert(0, etree.Element("img", {"src": spec.attrs["src"], "alt": spec.attrs["alt"]}))


BLOCKS = (BlockType("figure", build, required=("src", "alt"),
                    optional=("credit",)),)
