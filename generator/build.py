"""Build: the pipeline, stage by stage: config, sources, explainers, site, pages, render, write."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path

import markdown

from .config import SiteConfig, load_config
from .diagnostics import Diagnostic, Position, error, has_errors
from .frontmatter import parse_document
from .images import index_images, resolve_local
from .markup import Body, LocalImage, make_markdown, render_body
from .metadata import ExplainerMeta, read_meta
from .model import assemble_site
from .output import check_output_dir, write_output
from .render import render_pages
from .routes import check_collisions, plan_pages, site_href
from .sources import SourceTree, scan_sources
from .themes import load_theme, make_environment


@dataclass(frozen=True, slots=True)
class BuildOptions:
    source: Path
    output: Path | None = None  # default: output/ in the source
    drafts: bool = False
    future: bool = False
    base_url: str | None = None
    now: dt.datetime | None = None  # what counts as "now" for scheduled explainers; default: the clock


@dataclass(frozen=True, slots=True)
class BuildResult:
    diagnostics: tuple[Diagnostic, ...]
    explainers: int = 0
    pages: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    seconds: float = 0.0
    next_scheduled: dt.datetime | None = None
    output: Path | None = None
    wrote: bool = field(default=False)

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


def _image_resolver(config: SiteConfig, document_rel: str, sizes) -> callable:
    def resolve(src: str) -> LocalImage | None:
        rel = resolve_local(document_rel, src)
        size = sizes.get(rel)
        return LocalImage(site_href(config, "/" + rel), *size) if size else None
    return resolve


def _missing_image_errors(source: str, text: str, first_line: int, missing: tuple[str, ...]) -> list[Diagnostic]:
    found = []
    for src in missing:
        line = first_line + text[: max(text.find(src), 0)].count("\n")
        found.append(error(source, f"image '{src}' does not exist or is not a readable image", Position(line),
                           "image paths are relative to the explainer's file, e.g. images/photo.jpg"))
    return found


def load_explainers(tree: SourceTree, config: SiteConfig, md: markdown.Markdown,
                    sizes) -> tuple[list[tuple[ExplainerMeta, Body]], dict[str, str], list[Diagnostic]]:
    """Read, parse and render every explainer file; broken ones become diagnostics, never exceptions."""
    loaded: list[tuple[ExplainerMeta, Body]] = []
    html_by_digest: dict[str, str] = {}
    found: list[Diagnostic] = []
    for item in tree.documents:
        shown = f"content/{item.rel}"
        try:
            data = item.path.read_bytes()
        except OSError as exc:
            found.append(error(shown, f"cannot read: {exc.strerror}"))
            continue
        raw, problems = parse_document(data, shown)
        found += problems
        if raw is None:
            continue
        meta, problems = read_meta(raw, config)
        found += problems
        body = render_body(md, raw.body, raw.digest, _image_resolver(config, item.rel, sizes))
        found += _missing_image_errors(shown, raw.body, raw.body_line, body.missing_images)
        html_by_digest[body.digest] = body.html
        loaded.append((meta, body))
    return loaded, html_by_digest, found


def build(options: BuildOptions) -> BuildResult:
    """Build the site once; with errors, nothing is written and the previous output stays as it was."""
    started = time.perf_counter()
    config, found = load_config(options.source, options.base_url)
    if config is None or has_errors(found):
        return BuildResult(tuple(found))
    theme, problems = load_theme(config)
    found += problems
    if theme is None:
        return BuildResult(tuple(found))
    out = check_output_dir(options.output or config.root / "output", config.root,
                           [config.content_dir, *theme.folders, *theme.template_dirs])
    tree, problems = scan_sources(config.root, config.content_dir)
    found += problems
    sizes = index_images(tree.assets)
    loaded, html_by_digest, problems = load_explainers(tree, config, make_markdown(), sizes)
    found += problems
    site, problems = assemble_site(loaded, config, sizes, drafts=options.drafts, future=options.future,
                                   now=options.now or dt.datetime.now(dt.UTC))
    found += problems
    pages = plan_pages(site, config)
    copies = {a.rel: a.path for a in tree.assets} | dict(theme.static_files)
    found += check_collisions(pages, list(copies), {e.path: e.source for e in site.explainers})
    files, problems = render_pages(pages, make_environment(theme, config), site, html_by_digest.__getitem__)
    found += problems
    if has_errors(found):
        return BuildResult(tuple(found), len(site.explainers), len(pages), seconds=time.perf_counter() - started)
    stats = write_output(out, files, copies)
    return BuildResult(tuple(found), len(site.explainers), len(pages), stats.written, stats.unchanged,
                       stats.removed, time.perf_counter() - started, site.next_scheduled, out, True)
