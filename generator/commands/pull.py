"""`nutgraf pull`: Google Docs fetched through the Docs API and imported; with no document named, every explainer
that came from a Doc, fetching only the documents whose Drive version changed since."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from ..diagnostics import error
from ..sources.config import SiteConfig, load_config
from ..sources.frontmatter import parse_document
from .gdocsimport import read_gdoc
from .importer import Imported, ImportResult, plan_converted, print_result, write_plans
from .importread import shown_path

DOC_URL = re.compile(r"^https?://docs\.google\.com/document/(?:u/\d+/)?d/([A-Za-z0-9_-]+)")
DOC_ID = re.compile(r"^[A-Za-z0-9_-]{20,}$")  # what Google's ids look like; a file's path has a dot or a slash
ENDPOINT_VARIABLE = "NUTGRAF_GOOGLE_API_ROOT"  # ask another root than Google's (an emulator, a test's fake)
PULL_HELP = """\
Fetch Google Docs through the Docs API and import them as explainers (see `nutgraf import --help` for what a
document holds). The credentials are those Google's libraries find: GOOGLE_APPLICATION_CREDENTIALS naming a
service account's JSON key file, with each document shared with that account's email address.

With no DOC, every explainer that came from a Google Doc (its front matter's source:) is pulled again: one
Drive request learns every document's version, and only the documents that changed are fetched."""
PULL_EXAMPLES = """\
examples:
  nutgraf pull https://docs.google.com/document/d/1AbC.../edit
  nutgraf pull                       pull again every explainer that came from a Doc
  nutgraf pull --dry-run --format json"""


class Service(Protocol):
    """What pull asks of Google (googleapi.GoogleService), or of a test's stand-in."""

    def versions(self, ids: list[str]) -> dict: ...
    def document(self, doc_id: str) -> bytes: ...
    def image(self, uri: str) -> bytes: ...


@dataclass(frozen=True, slots=True)
class PullOptions:
    source: Path  # the site folder
    documents: tuple[str, ...] = ()  # ids or links; none: every explainer that came from a Doc
    force: bool = False  # replace explainers edited by hand since they were pulled
    dry_run: bool = False
    endpoint: str | None = None  # the APIs' root instead of Google's


@dataclass(frozen=True, slots=True)
class _Pulled:
    """An explainer that came from a Doc: its file and the Drive version it was pulled at."""

    doc_id: str
    target: Path
    version: str


def document_id(text: str) -> str | None:
    """The id in a Doc's link, or the id itself; None for anything else."""
    found = DOC_URL.match(text.strip())
    if found:
        return found[1]
    return text.strip() if DOC_ID.match(text.strip()) else None


def _pulled(config: SiteConfig) -> Iterator[_Pulled]:
    """Every explainer under content/ whose `source:` is a Google Doc."""
    for path in sorted(config.content_dir.rglob("*.md")):
        data = path.read_bytes()
        if b"\nsource:" not in data or any(part.startswith(".") for part in path.relative_to(config.content_dir).parts):
            continue
        raw, _ = parse_document(data, shown_path(path, config))
        record = raw.meta.data.get("source") if raw is not None else None
        if isinstance(record, dict) and DOC_ID.match(str(record.get("path", ""))):
            yield _Pulled(str(record["path"]), path, str(record.get("version", "")))


def _connect(options: PullOptions) -> Service:
    from .googleapi import connect  # Google's libraries load only when pull runs

    return connect(options.endpoint)


def pull_documents(options: PullOptions, connect: Callable[[PullOptions], Service] = _connect) -> ImportResult:
    """Learn the documents' versions, fetch those asked for or changed, and import them all or none."""
    from .googleapi import ServiceError

    config, found = load_config(options.source)
    if config is None:
        return ImportResult((), tuple(found))
    wanted = [(text, document_id(text)) for text in options.documents]
    found += [error(text, "not a Google Doc's id or link", hint="give the document's link as the browser shows it, "
                    "https://docs.google.com/document/d/ID/edit, or the ID") for text, doc in wanted if not doc]
    known = {item.doc_id: item for item in _pulled(config)}
    ids = [doc for _, doc in wanted if doc] or list(known)
    if found or not ids:
        return ImportResult((), tuple(found))
    try:
        service = connect(options)
        states = service.versions(ids)
    except ServiceError as exc:
        return ImportResult((), (*found, error("nutgraf pull", str(exc), hint=exc.hint)))
    plans, unchanged = [], []
    for doc_id in dict.fromkeys(ids):
        state = states.get(doc_id) or ServiceError("Drive did not answer for this document", hint="pull again")
        if not wanted and not isinstance(state, ServiceError) and state.version == known[doc_id].version:
            unchanged.append(Imported(doc_id, known[doc_id].target, "unchanged"))
            continue  # the document is as it was pulled: not fetched
        plan, problems = _pull_one(doc_id, state, service, config, options, known.get(doc_id))
        found += problems
        plans += [plan] if plan else []
    result = write_plans(plans, found, config, options.dry_run)
    return replace(result, imported=(*unchanged, *result.imported))


def _pull_one(doc_id: str, state, service: Service, config: SiteConfig, options: PullOptions,
              before: _Pulled | None) -> tuple:
    """One document fetched and planned like an import, its Drive version recorded; an explainer pulled before
    keeps its file name when the Doc's title changes (unless the header gives a slug:)."""
    from .googleapi import DOC_TYPE, ServiceError

    if isinstance(state, ServiceError):
        return None, [error(doc_id, str(state), hint=state.hint)]
    if state.mime_type != DOC_TYPE:
        return None, [error(doc_id, f"{state.name!r} is not a Google Docs document ({state.mime_type})",
                            hint="a Word file in Drive is downloaded and imported with `nutgraf import FILE.docx`")]
    try:
        data = service.document(doc_id)
    except ServiceError as exc:
        return None, [error(doc_id, str(exc), hint=exc.hint)]
    converted, found = read_gdoc(data, doc_id, config, fetch=service.image)
    if converted is None:
        return None, found
    converted = replace(converted, version=state.version)
    if before is not None and "slug" not in converted.front and before.target.parent == config.content_dir:
        converted = replace(converted, slug=before.target.stem)
    return plan_converted(doc_id, converted, found, config, options.force, "pull")


def add_pull_parser(commands) -> None:
    """The `pull` subcommand's options."""
    cmd = commands.add_parser("pull", help="fetch Google Docs and import them as explainers",
                              formatter_class=argparse.RawDescriptionHelpFormatter,
                              description=PULL_HELP, epilog=PULL_EXAMPLES)
    cmd.add_argument("documents", nargs="*", metavar="DOC", help="a Google Doc's link or id (default: every "
                     "explainer that came from one)")
    cmd.add_argument("--source", type=Path, default=Path("."), metavar="DIR",
                     help="the site folder, holding site.yaml and content/ (default: the current folder)")
    cmd.add_argument("--force", action="store_true", help="replace explainers edited by hand since their pull")
    cmd.add_argument("--dry-run", action="store_true", help="say what would be written, writing nothing")
    cmd.add_argument("--format", choices=("text", "json"), default="text",
                     help="text, or json: one object with ok, command, counts, diagnostics and the files")


def run_pull(args: argparse.Namespace) -> int:
    """`nutgraf pull`: one line per document on standard output, findings on standard error; 1 on errors."""
    options = PullOptions(args.source, tuple(args.documents), args.force, args.dry_run,
                          os.environ.get(ENDPOINT_VARIABLE) or None)
    result = pull_documents(options)
    if result.ok and not result.imported and not options.documents:
        print("No explainer under content/ came from a Google Doc: pull one with `nutgraf pull LINK`.", file=sys.stderr)
    return print_result(result, args, "pull")

