"""Withheld: the content files kept out of output/, those only unpublished explainers use and unused images."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..diagnostics import Diagnostic, warning
from ..sources.config import SiteConfig
from ..sources.images import IMAGE_SUFFIXES, resolve_local
from ..sources.metadata import ExplainerMeta
from ..sources.tree import SourceFile
from .cache import DocumentRecord


@dataclass(frozen=True, slots=True)
class FileUse:
    """Which content files (paths under content/) the explainers use, by whether they are published."""

    published: frozenset[str]  # used by a published explainer, or named by site.yaml
    unpublished: frozenset[str]  # used by drafts and scheduled explainers only


def explainer_files(meta: ExplainerMeta, images_used: Iterable[str]) -> set[str]:
    """The content files an explainer shows: its hero, its social image and the images of its body."""
    document = meta.source.removeprefix("content/")
    named = [spec.image for spec in (meta.hero, meta.share.social_image) if spec is not None]
    return {*(resolve_local(document, src) for src in named), *images_used}


def _site_files(config: SiteConfig) -> set[str]:
    """Content files site.yaml names: the publisher's logo, when it is a path on the site, authors' photos and
    the share image."""
    named = ({spec.photo_file for spec in config.authors.values()} | {config.share_image.lstrip("/")}) - {""}
    logo = config.publisher.logo  # a URL, or a site path as seo.publisher_ld reads it
    if not logo or urlsplit(logo).scheme or urlsplit(logo).netloc:
        return named
    return named | {posixpath.normpath(logo.lstrip("/"))}


def file_use(records: Iterable[DocumentRecord], published: set[str], config: SiteConfig,
             card_files: Iterable[str] = ()) -> FileUse:
    """Sort the files each explainer uses by whether its source is among `published` (those the site shows);
    `card_files`, those the cards' answers show, are published as the card pages are."""
    live, unpublished = _site_files(config) | set(card_files), set()
    for record in records:
        if record.meta is None:
            continue
        used = explainer_files(record.meta, (rel for rel, _ in (*record.images_used, *record.data_used)))
        (live if record.meta.source in published else unpublished).update(used)
    return FileUse(frozenset(live), frozenset(unpublished - live))


def is_image(rel: str) -> bool:
    return posixpath.splitext(rel)[1].lower() in IMAGE_SUFFIXES


def unused_images(assets: Sequence[SourceFile], use: FileUse) -> list[str]:
    """Images under content/ that no explainer, published or not, uses."""
    return [a.rel for a in assets if is_image(a.rel) and a.rel not in use.published and a.rel not in use.unpublished]


def withheld_files(assets: Sequence[SourceFile], use: FileUse, publish_unused: bool) -> frozenset[str]:
    """What a build leaves out of output/: the files only unpublished explainers use, and images nothing uses
    (unless site.yaml says `publish_unused: true`). Other unused files (a PDF, a data file) are published."""
    unused = () if publish_unused else unused_images(assets, use)
    return frozenset(use.unpublished) | frozenset(unused)


def unused_findings(assets: Sequence[SourceFile], use: FileUse, referenced: set[str],
                    publish_unused: bool) -> list[Diagnostic]:
    """`nutgraf check`: a warning on each file under content/ that no explainer uses and no page links to."""
    found = []
    for asset in assets:
        if asset.rel in use.published or asset.rel in use.unpublished or asset.rel in referenced:
            continue
        if is_image(asset.rel) and not publish_unused:
            found.append(warning(f"content/{asset.rel}", "no explainer uses this image, so it is not published",
                                 hint="use it in an explainer, delete it, or set publish_unused: true in site.yaml"))
        else:
            found.append(warning(f"content/{asset.rel}", "no explainer uses or links to this file; it is "
                                 "published all the same", hint="link to it from an explainer, or delete it"))
    return found
