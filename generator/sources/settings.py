"""site.yaml's sub-settings: feeds, check, images and deploy, each a frozen dataclass with its parser."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..diagnostics import Diagnostic, did_you_mean, error, warning
from .frontmatter import YamlDocument

FEED_FIELDS = ("content", "items")
CHECK_FIELDS = ("question_headings",)
FEED_CONTENT = ("full", "summary")
IMAGE_FIELDS = ("widths", "sizes", "quality", "keep_metadata", "warn_megapixels", "max_megapixels")
# Metadata a site may choose to keep in published images; everything else (GPS, camera serial, owner) goes.
KEEPABLE_METADATA = ("copyright", "artist", "description", "color_profile")
MAX_IMAGE_WIDTH = 8192
MAX_DECODED_MEGAPIXELS = 89  # past this a file is refused unread as a decompression bomb, whatever the setting


@dataclass(frozen=True, slots=True)
class CheckSettings:
    """What `nutgraf check` looks for beyond errors."""

    question_headings: bool = True  # warn about a `##` heading not phrased as a question


@dataclass(frozen=True, slots=True)
class FeedSettings:
    """What the Atom, RSS and JSON feeds carry."""

    content: str = "full"  # "full": the whole article; "summary": the description and key points
    items: int = 20  # newest explainers per feed


@dataclass(frozen=True, slots=True)
class ImageSettings:
    """How photos are published: the widths made, the body images' `sizes`, quality and metadata kept."""

    widths: tuple[int, ...] = (480, 800, 1200, 1600)  # never upscaled: an image narrower gets its own width
    sizes: str = "(min-width: 42rem) 38rem, 100vw"  # the `sizes` of images in explainer bodies
    quality: int = 80  # of WebP and JPEG files
    keep_metadata: tuple[str, ...] = ()  # of KEEPABLE_METADATA; all other metadata is stripped
    warn_megapixels: int = 40  # originals larger than this get a warning
    # Originals larger than this are refused unread: decoding one costs about 12 bytes a pixel in a worker (an
    # 88-megapixel PNG of 257 KB took 1 GB); 50 takes a 48- or 50-megapixel phone photo.
    max_megapixels: int = 50


@dataclass(frozen=True, slots=True)
class DeploySettings:
    """Where `nutgraf deploy` publishes output/: a git remote's branch or an rsync destination."""

    git: str = ""  # a remote URL or path; its `branch` gets output/ committed
    branch: str = "gh-pages"
    cname: str = ""  # a custom domain for GitHub Pages, written to CNAME
    rsync: str = ""  # an rsync destination such as user@host:/var/www/site/



def parse_feeds(doc: YamlDocument, raw: Any, path: str, out: list[Diagnostic]) -> FeedSettings:
    """`feeds: {content: full|summary, items: N}`."""
    if not isinstance(raw, dict):
        out.append(error(path, "'feeds' must be a mapping with content and items", doc.at("feeds"),
                         "feeds: {content: full, items: 20}"))
        return FeedSettings()
    fields: dict[str, Any] = {}
    for key, value in raw.items():
        at = doc.at(f"feeds.{key}")
        if key == "content":
            if value in FEED_CONTENT:
                fields[key] = value
            else:
                out.append(error(path, f"'feeds.content' must be full or summary, not {value!r}", at,
                                 "full: the whole article in feed readers; summary: its description and key points"))
        elif key == "items":
            if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                fields[key] = value
            else:
                out.append(error(path, f"'feeds.items' must be a positive whole number, not {value!r}", at))
        else:
            out.append(warning(path, f"unknown feeds setting '{key}'", at, did_you_mean(str(key), FEED_FIELDS)))
    return FeedSettings(**fields)


def parse_check(doc: YamlDocument, raw: Any, path: str, out: list[Diagnostic]) -> CheckSettings:
    """`check: {question_headings: false}`."""
    if not isinstance(raw, dict):
        out.append(error(path, "'check' must be a mapping of check settings", doc.at("check"),
                         "check: {question_headings: false}"))
        return CheckSettings()
    fields: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in CHECK_FIELDS:
            out.append(warning(path, f"unknown check setting '{key}'", doc.at(f"check.{key}"),
                               did_you_mean(str(key), CHECK_FIELDS)))
        elif isinstance(value, bool):
            fields[key] = value
        else:
            out.append(error(path, f"'check.{key}' must be true or false, not {value!r}", doc.at(f"check.{key}")))
    return CheckSettings(**fields)


def _whole(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def parse_images(doc: YamlDocument, raw: Any, path: str, out: list[Diagnostic]) -> ImageSettings:
    """`images: {widths: [480, 800], sizes: "...", quality: 80, keep_metadata: [copyright], warn_megapixels: 40}`."""
    if not isinstance(raw, dict):
        out.append(error(path, "'images' must be a mapping of image settings", doc.at("images"),
                         "images: {widths: [480, 800, 1200, 1600], quality: 80}"))
        return ImageSettings()
    fields: dict[str, Any] = {}
    for key, value in raw.items():
        at = doc.at(f"images.{key}")
        if key == "widths":
            if isinstance(value, list) and value and all(_whole(w, 16, MAX_IMAGE_WIDTH) for w in value):
                fields[key] = tuple(sorted(set(value)))
            else:
                out.append(error(path, f"'images.widths' must be a list of widths in pixels, not {value!r}", at,
                                 f"widths: [480, 800, 1200, 1600] (each 16 to {MAX_IMAGE_WIDTH})"))
        elif key == "sizes":
            if isinstance(value, str) and value.strip():
                fields[key] = value.strip()
            else:
                out.append(error(path, "'images.sizes' must be a sizes attribute", at,
                                 'sizes: "(min-width: 42rem) 38rem, 100vw"'))
        elif key == "quality":
            if _whole(value, 1, 100):
                fields[key] = value
            else:
                out.append(error(path, f"'images.quality' must be a whole number from 1 to 100, not {value!r}", at))
        elif key == "keep_metadata":
            names = value if isinstance(value, list) else [value]
            unknown = [n for n in names if n not in KEEPABLE_METADATA]
            if unknown:
                out.append(error(path, f"'images.keep_metadata' cannot keep {unknown[0]!r}", at,
                                 did_you_mean(str(unknown[0]), KEEPABLE_METADATA)
                                 or f"the fields that can be kept: {', '.join(KEEPABLE_METADATA)}"))
            else:
                fields[key] = tuple(sorted(set(names)))
        elif key in ("warn_megapixels", "max_megapixels"):
            top = MAX_DECODED_MEGAPIXELS if key == "max_megapixels" else 10_000
            if _whole(value, 1, top):
                fields[key] = value
            else:
                out.append(error(path, f"'images.{key}' must be a whole number from 1 to {top}, not {value!r}", at))
        else:
            out.append(warning(path, f"unknown images setting '{key}'", at, did_you_mean(str(key), IMAGE_FIELDS)))
    return ImageSettings(**fields)


def parse_deploy(doc: YamlDocument, raw: Any, path: str, out: list[Diagnostic]) -> DeploySettings:
    """`deploy: {git: git@github.com:org/site.git, branch: gh-pages, cname: news.example.org}` or `{rsync: ...}`."""
    fields = DeploySettings.__slots__
    if not isinstance(raw, dict):
        out.append(error(path, "'deploy' must be a mapping", doc.at("deploy"), "deploy: {rsync: host:/var/www/site/}"))
        return DeploySettings()
    values = {}
    for key, value in raw.items():
        if key not in fields:
            out.append(error(path, f"unknown deploy setting '{key}'", doc.at(f"deploy.{key}"),
                             did_you_mean(str(key), fields) or "deploy takes " + ", ".join(fields)))
        elif not isinstance(value, str) or not value.strip():
            out.append(error(path, f"'deploy.{key}' must be text, not {value!r}", doc.at(f"deploy.{key}")))
        else:
            values[key] = value.strip()
    if values.get("git") and values.get("rsync"):
        out.append(error(path, "deploy names both a git remote and an rsync destination", doc.at("deploy"),
                         "keep one; the other can be given on the command line"))
    return DeploySettings(**values)
