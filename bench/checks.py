"""Checks: what a build produced (pages per kind, feed, sitemap) and whether two outputs are identical."""

from __future__ import annotations

import filecmp
import os
from pathlib import Path

FEED_NAMES = ("feed.xml", "index.xml", "atom.xml", "rss.xml", "feed.atom", "feed.json")


def count_pages(output: Path, manifest: dict) -> dict:
    """Pages a build wrote, by kind, for the corpus described by `manifest`."""
    pages = output / "page"
    return {
        "explainers": sum((output / slug / "index.html").is_file() for slug in manifest["slugs"]),
        "topics": sum((output / "topics" / t / "index.html").is_file() for t in manifest["topics"]),
        "authors": sum((output / "authors" / a / "index.html").is_file() for a in manifest["authors"]),
        "home_pages": 1 + sum(1 for p in pages.glob("*/index.html") if p.parent.name != "1") if pages.is_dir() else 1,
        "feeds": [name for name in FEED_NAMES if (output / name).is_file()],
        "sitemap": (output / "sitemap.xml").is_file(),
        "html_files": sum(1 for _ in output.rglob("*.html")),
    }


def missing_outputs(counts: dict, manifest: dict, authors: bool = True) -> list[str]:
    """What the minimal equivalent site should have and this output lacks (author pages only if `authors`)."""
    wanted = {"explainers": len(manifest["slugs"]), "topics": len(manifest["topics"])}
    if authors:
        wanted["authors"] = len(manifest["authors"])
    found = [f"{counts[k]}/{n} {k} pages" for k, n in wanted.items() if counts[k] != n]
    if counts["home_pages"] < -(-len(manifest["slugs"]) // 10):
        found.append(f"only {counts['home_pages']} home pages")
    if not counts["feeds"]:
        found.append("no feed")
    if not counts["sitemap"]:
        found.append("no sitemap.xml")
    return found


def describe(counts: dict) -> str:
    """One line: 200 explainer pages, 50 topic pages, ..."""
    return (f"{counts['explainers']} explainer pages, {counts['topics']} topic pages, {counts['authors']} author "
            f"pages, {counts['home_pages']} home pages, feeds: {', '.join(counts['feeds']) or 'none'}, sitemap: "
            f"{'yes' if counts['sitemap'] else 'no'}, {counts['html_files']} HTML files in all")


def _files(root: Path) -> set[str]:
    """Every file under `root`, as paths relative to it."""
    return {os.path.relpath(os.path.join(d, f), root) for d, _, names in os.walk(root) for f in names}


def compare_trees(left: Path, right: Path, limit: int = 5) -> list[str]:
    """Differences between two output folders, file for file and byte for byte (at most `limit` listed)."""
    a, b = _files(left), _files(right)
    found = [f"only in incremental: {p}" for p in sorted(a - b)]
    found += [f"only in clean: {p}" for p in sorted(b - a)]
    found += [f"bytes differ: {p}" for p in sorted(a & b)
              if not filecmp.cmp(left / p, right / p, shallow=False)]
    return found[:limit] + ([f"... and {len(found) - limit} more"] if len(found) > limit else [])
