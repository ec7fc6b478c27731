"""Imaging: the images stage. Every image under content/ examined in the workers (its derivatives made, see
derivatives.py) unless unchanged, what is wrong with each reported, and what each content file is published as."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostic, error, warning
from ..site.model import Site
from ..sources.images import IMAGE_SUFFIXES, Derivative, ImageFacts, Picture, is_unsafe_svg, picture, stored_files
from ..sources.settings import ImageSettings
from ..sources.tree import SourceFile
from ..workers import Progress, map_chunks, stage_counter
from .derivatives import ImageStore, examine, make_derivatives, too_large

ImageIndex = dict[str, tuple[int, int, ImageFacts]]  # rel -> (file size, mtime_ns, facts)


@dataclass(frozen=True, slots=True)
class ImageWork:
    """The images stage: facts of every image, the pictures pages show, and the store holding the files."""

    index: ImageIndex  # what the next build starts from
    pictures: Mapping[str, Picture]  # rel under content/ -> how pages show it
    diagnostics: tuple[Diagnostic, ...]
    store: ImageStore
    processed: int  # images decoded this time
    untrusted: bool = False  # untrusted_html: sanitize, which publishes SVGs cleaned and no script files


def _examine_chunk(context, chunk: Sequence[SourceFile]) -> list:
    settings, folder, known, untrusted = context
    return [examine(item, settings, folder, known, untrusted) for item in chunk]


def _diagnostics(index: ImageIndex, settings: ImageSettings) -> list[Diagnostic]:
    """On each image file: why it is not published, or that it has more megapixels than a page needs."""
    found = []
    for rel, (_, _, facts) in index.items():
        pixels = facts.width * facts.height
        if is_unsafe_svg(facts):
            found.append(error(f"content/{rel}", f"the SVG is not published: {facts.problem}",
                               hint="untrusted_html: sanitize publishes SVGs without scripts, event handlers, "
                                    "foreign content and references to other sites; remove them, or export a PNG"))
        elif facts.problem and not facts.pass_through:
            found.append(warning(f"content/{rel}", f"not published: {facts.problem}",
                                 hint="re-export it from the original as JPEG, PNG or WebP"))
        elif pixels > settings.warn_megapixels * 1_000_000:
            found.append(warning(f"content/{rel}", f"the original has {pixels / 1e6:.0f} megapixels "
                                 f"({facts.width}x{facts.height}), more than images.warn_megapixels "
                                 f"({settings.warn_megapixels})", hint="a page needs at most 1600 pixels across; "
                                 "export a smaller original, and keep the full one out of content/"))
    return found


def process_images(assets: Sequence[SourceFile], previous: Mapping[str, tuple], settings: ImageSettings,
                   cache_dir: Path | None, jobs: int, progress: Progress | None = None,
                   untrusted: bool = False) -> ImageWork:
    """Examine the images among `assets` and make their widths and formats, reusing whatever is unchanged;
    `untrusted` (sanitize mode) cleans SVGs, and refuses those that cannot be cleaned.

    An image whose stat key is unchanged and whose files are all in the store costs a few stat calls;
    a changed setting remakes only the files whose recipe it changes.
    """
    store = ImageStore(cache_dir)
    index: ImageIndex = {}
    todo = []
    known = {entry[2].digest: entry[2] for entry in previous.values()
             if isinstance(entry[2], ImageFacts) and entry[2].digest and not entry[2].problem}
    for asset in assets:
        if asset.path.suffix.lower() not in IMAGE_SUFFIXES:
            continue
        entry = previous.get(asset.rel)  # an image with a problem is looked at again: the problem may have passed
        if (entry and entry[:2] == (asset.size, asset.mtime_ns) and isinstance(entry[2], ImageFacts)
                and not entry[2].problem and not too_large(entry[2], settings)
                and all(store.path(d).is_file() for d in stored_files(asset.rel, entry[2], settings, untrusted))):
            index[asset.rel] = entry
        else:
            todo.append(asset)
    by_rel = {a.rel: a for a in todo}
    results = map_chunks(_examine_chunk, todo, jobs=jobs, setup=lambda: (settings, store.folder, known, untrusted),
                         min_items=2, progress=stage_counter(progress, "Images", len(todo)))
    for rel, facts, _ in results:
        index[rel] = (by_rel[rel].size, by_rel[rel].mtime_ns, facts)
    index = {a.rel: index[a.rel] for a in assets if a.rel in index}  # in source order
    pictures = {rel: picture(rel, facts, settings) for rel, (_, _, facts) in index.items()}
    decoded = sum(1 for *_, made in results if made)
    return ImageWork(index, pictures, tuple(_diagnostics(index, settings)), store, decoded, untrusted)


# Files a browser runs, or opens as a document of the site that can run scripts: sanitize mode leaves them out.
SCRIPT_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".xht", ".shtml", ".js", ".mjs", ".cjs", ".xml", ".xsl",
                             ".xslt", ".svgz"})


def _asset_files(assets: Sequence[SourceFile], work: ImageWork, settings: ImageSettings,
                 withheld: frozenset[str]) -> tuple[dict[str, Path], list[Path], list[Diagnostic]]:
    """What each content file is published as: itself, its cleaned forms, or nothing (with why, if not clear);
    and the stored forms of the files in `withheld`, kept in the store for when they are published."""
    files: dict[str, Path] = {}
    kept: list[Path] = []
    found: list[Diagnostic] = []
    for asset in assets:
        pic = work.pictures.get(asset.rel)
        if asset.rel in withheld:
            if pic is not None and not pic.problem:
                kept += (work.store.path(d) for d in stored_files(asset.rel, pic.facts, settings, work.untrusted))
        elif work.untrusted and os.path.splitext(asset.rel)[1].lower() in SCRIPT_SUFFIXES:
            found.append(warning(f"content/{asset.rel}", "not published: sanitize mode publishes no HTML, "
                                 "JavaScript or XML files", hint="untrusted_html: sanitize keeps contributors "
                                 "from running scripts on the site; embed such pages from a host in embed_hosts"))
        elif pic is None or pic.facts.pass_through and not (work.untrusted and pic.facts.format == "SVG"):
            files[asset.rel] = asset.path
        elif not pic.problem or pic.facts.pass_through:  # a cleaned SVG without a size is published all the same
            files.update((d.rel, work.store.path(d)) for d in stored_files(asset.rel, pic.facts, settings,
                                                                            work.untrusted))
    return files, kept, found


def _crop_chunk(context, chunk: Sequence[tuple[SourceFile, tuple[Derivative, ...]]]) -> list:
    settings, folder, pictures = context
    results = []
    for item, wanted in chunk:
        facts = pictures[item.rel].facts
        try:
            problem = make_derivatives(item.path.read_bytes(), facts, wanted, settings, folder)
        except OSError as exc:
            problem = f"cannot read the file: {exc.strerror}"
        results.append((item.rel, problem))
    return results


def site_crops(site: Site) -> list[Derivative]:
    """The crops of every published hero and social image."""
    return [crop for e in site.explainers for image in (e.hero, e.social_image) if image for crop in image.crops]


def publish_images(assets: Sequence[SourceFile], work: ImageWork, site: Site, settings: ImageSettings,
                   jobs: int, progress: Progress | None = None,
                   withheld: frozenset[str] = frozenset()) -> tuple[dict[str, Path], list[Diagnostic]]:
    """Every content file to copy into the output: other files as they are, SVG and GIF untouched (SVG
    cleaned in sanitize mode), photos as their cleaned widths and formats, plus the site's hero crops (made
    now if missing). An image that could not be cleaned is never published, nor is a file in `withheld`
    (withheld.py)."""
    files, kept, found = _asset_files(assets, work, settings, withheld)
    by_rel = {a.rel: a for a in assets}
    wanted: dict[str, dict[str, Derivative]] = {}
    for crop in site_crops(site):
        files[crop.rel] = work.store.path(crop)
        if not files[crop.rel].is_file() and crop.source in by_rel:
            wanted.setdefault(crop.source, {})[crop.key] = crop
    tasks = [(by_rel[rel], tuple(d.values())) for rel, d in wanted.items()]
    results = map_chunks(_crop_chunk, tasks, jobs=jobs, min_items=2,
                         progress=stage_counter(progress, "Crops", len(tasks)),
                         setup=lambda: (settings, work.store.folder, work.pictures))
    found += [error(f"content/{rel}", f"cannot crop the image: {problem}") for rel, problem in results if problem]
    work.store.keep_only([*kept, *(p for p in files.values() if p.parent == work.store.folder)])
    return files, found
