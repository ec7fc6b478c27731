"""Import: ArchieML text and Word files made into explainers under content/, safe to run again."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from ..diagnostics import Diagnostic, Severity, error, format_report, sort_diagnostics
from ..markup.bodychecks import MAX_BODY_BYTES
from ..sources.config import SiteConfig, load_config
from ..sources.frontmatter import parse_document
from .gdocsimport import read_gdoc
from .importread import Converted, file_digest, read_archieml, record_block, shown_path, without_records
from .wordimport import read_docx

IMPORT_HELP = """\
Turn documents into explainers: content/<slug>.md, with images under content/images/.

Each document starts with an ArchieML header (title:, date:, authors:, [summary] ...; every key is in
docs/writing.md), then a line (a paragraph) `:ignore`, then the body:
  .docx   a Word file; the body keeps headings, emphasis, links, lists, tables, quotes, footnotes, images
  .json   a Google Docs document as the Docs API's documents.get returns it (pictures are not fetched)
  .aml    ArchieML text, the body in Markdown (.txt too, with --archieml)

Nothing is written when any document has an error. Importing again writes nothing when nothing
changed, and refuses to replace a file edited by hand since it was imported (see --force)."""
IMPORT_EXAMPLES = """\
examples:
  nutgraf import content/sources/syria-truce.docx
  nutgraf import drafts/syria-truce.aml --dry-run
  nutgraf import notes.txt --archieml"""
FORCE_HINT = "import with --force to replace it (the edits are lost), or copy them into the document first"


@dataclass(frozen=True, slots=True)
class ImportOptions:
    source: Path  # the site folder
    paths: tuple[Path, ...]
    force: bool = False  # replace a file edited by hand since it was imported
    dry_run: bool = False  # say what would be written, writing nothing
    archieml: bool = False  # read .txt files as ArchieML


@dataclass(frozen=True, slots=True)
class Imported:
    """What became of one document: its explainer file and images, and whether they were created, updated or
    left as they were."""

    document: Path | str  # a file, or a Google Doc's id
    target: Path
    status: str  # "created", "updated" or "unchanged"
    images: tuple[Path, ...] = ()


@dataclass(frozen=True, slots=True)
class ImportResult:
    imported: tuple[Imported, ...]
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)


@dataclass(frozen=True, slots=True)
class _Plan:
    imported: Imported
    text: str
    images: Mapping[Path, bytes]


READERS: dict[str, Callable[[bytes, str, SiteConfig], tuple[Converted | None, list[Diagnostic]]]] = {
    ".aml": read_archieml,
    ".docx": read_docx,
    ".json": read_gdoc,
}


def compose(converted: Converted, signoff: str = "") -> str:
    """The explainer file: front matter, the copy desk's `signoff:` record as it was, the `source:` record last,
    then the body."""
    head = yaml.safe_dump(dict(converted.front), sort_keys=False, allow_unicode=True, width=2**20)
    text = f"---\n{head}---\n\n{converted.body}\n"
    digest = file_digest(text.encode())
    record = {"path": converted.origin, "revision": converted.revision} | (
        {"version": converted.version} if converted.version else {})
    record = {"source": record | {"digest": digest}}
    record_text = yaml.safe_dump(record, sort_keys=False, allow_unicode=True)
    return f"---\n{head}{signoff}{record_text}---\n\n{converted.body}\n"


def _status(target: Path, text: str, shown: str, force: bool, command: str) -> tuple[str, list[Diagnostic]]:
    """Created, updated or unchanged; an error when the file was edited by hand since it was imported."""
    force_hint = FORCE_HINT.replace("import", command, 1)
    try:
        existing = target.read_bytes()
    except FileNotFoundError:
        return "created", []
    if existing == text.encode():
        return "unchanged", []
    if force:
        return "updated", []
    raw, _ = parse_document(existing, shown)
    record = raw.meta.data.get("source") if raw is not None else None
    recorded = record.get("digest") if isinstance(record, dict) else None
    if recorded is None:
        return "", [error(shown, "this file was not made by `nutgraf import`; importing would replace it",
                          hint=force_hint + "; or give the document another slug:")]
    if recorded != file_digest(without_records(existing.decode("utf-8", "replace")).encode()):
        return "", [error(shown, "this file was edited by hand since it was imported; importing would lose "
                                 "the edits", hint=force_hint)]
    return "updated", []


def _plan(path: Path, config: SiteConfig, options: ImportOptions) -> tuple[_Plan | None, list[Diagnostic]]:
    shown = str(path)
    suffix = path.suffix.lower()
    reader = READERS.get(".aml" if suffix == ".txt" and options.archieml else suffix)
    if reader is None:
        kinds = ", ".join(sorted(READERS))
        return None, [error(shown, f"cannot import a {suffix or 'file without an extension'}: nutgraf imports "
                                   f"{kinds}", hint="an ArchieML .txt file is imported with --archieml")]
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [error(shown, f"cannot read: {exc.strerror}")]
    origin = path.resolve()
    origin_shown = origin.relative_to(config.root.resolve()).as_posix() if origin.is_relative_to(
        config.root.resolve()) else shown
    converted, found = reader(data, shown, config)
    if converted is None:
        return None, found
    if converted.origin == shown:  # a file is recorded by its place in the site, wherever it was imported from
        converted = replace(converted, origin=origin_shown)
    return plan_converted(path, converted, found, config, options.force)


def plan_converted(document: Path | str, converted: Converted, found: list[Diagnostic], config: SiteConfig,
                   force: bool, command: str = "import") -> tuple[_Plan | None, list[Diagnostic]]:
    """What one document read would write: its explainer (unless edited by hand since) and its images."""
    shown = str(document)
    size = len(converted.body.encode())
    if size > MAX_BODY_BYTES:
        return None, found + [error(shown, f"the body has {size:,} bytes of Markdown; the limit is {MAX_BODY_BYTES:,}",
                                   hint="split it into several explainers")]
    target = config.content_dir / f"{converted.slug}.md"
    existing = target.read_text(encoding="utf-8", errors="replace") if target.is_file() else ""
    text = compose(converted, record_block(existing, "signoff"))  # a sign-off stays; --since signoff uses it
    status, problems = _status(target, text, shown_path(target, config), force, command)
    images = {config.content_dir / "images" / name: data for name, data in converted.images.items()}
    plan = _Plan(Imported(document, target, status, tuple(images)), text, images) if status else None
    return plan, found + problems


def _replace(path: Path, data: bytes) -> None:
    """Write beside the target under a hidden name (which builds ignore), then rename it over the target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def import_documents(options: ImportOptions) -> ImportResult:
    """Read every document, then write their explainers and images only when none of them has an error."""
    config, found = load_config(options.source)
    if config is None:
        return ImportResult((), tuple(found))
    plans: list[_Plan] = []
    for path in options.paths:
        plan, problems = _plan(path, config, options)
        found += problems
        if plan is not None:
            plans.append(plan)
    return write_plans(plans, found, config, options.dry_run)


def write_plans(plans: list[_Plan], found: list[Diagnostic], config: SiteConfig, dry_run: bool) -> ImportResult:
    """Write every plan's images and explainer, only when there is no error at all (and not on a dry run)."""
    for index, plan in enumerate(plans):
        if any(p.imported.target == plan.imported.target for p in plans[:index]):
            found.append(error(str(plan.imported.document), f"another document given is imported to the same "
                                                            f"file, {shown_path(plan.imported.target, config)}",
                               hint="give one of them another slug: in its header"))
    result = ImportResult(tuple(plan.imported for plan in plans), tuple(found))
    if not result.ok or dry_run:
        return result
    for plan in plans:
        for image, data in plan.images.items():
            if not image.exists() or image.read_bytes() != data:
                _replace(image, data)
        if plan.imported.status != "unchanged":
            _replace(plan.imported.target, plan.text.encode())
    return result


def add_import_parser(commands) -> None:
    """The `import` subcommand's options."""
    cmd = commands.add_parser("import", help="make explainers from Word, Google Docs and ArchieML files",
                              formatter_class=argparse.RawDescriptionHelpFormatter,
                              description=IMPORT_HELP, epilog=IMPORT_EXAMPLES)
    cmd.add_argument("paths", type=Path, nargs="+", metavar="PATH", help="the documents to import")
    cmd.add_argument("--source", type=Path, default=Path("."), metavar="DIR",
                     help="the site folder, holding site.yaml and content/ (default: the current folder)")
    cmd.add_argument("--force", action="store_true", help="replace explainers edited by hand since their import")
    cmd.add_argument("--dry-run", action="store_true", help="say what would be written, writing nothing")
    cmd.add_argument("--archieml", action="store_true", help="read .txt files as ArchieML, like .aml")
    cmd.add_argument("--format", choices=("text", "json"), default="text",
                     help="text, or json: one object with ok, command, counts, diagnostics and the files")


def print_result(result: ImportResult, args: argparse.Namespace, command: str) -> int:
    """One line per document on standard output (or one JSON object with --format json), findings on standard
    error; 1 on errors."""
    if args.format == "json":
        print(json.dumps(result_json(result, command, args.dry_run), ensure_ascii=False, indent=2))
        return 0 if result.ok else 1
    if result.diagnostics:
        print(format_report(result.diagnostics), file=sys.stderr)
    if not result.ok:
        print(f"Nothing {'pulled' if command == 'pull' else 'imported'}: fix the errors above.", file=sys.stderr)
        return 1
    for item in result.imported:
        verb = f"would be {item.status}" if args.dry_run and item.status != "unchanged" else item.status
        print(f"{item.target}: {verb} from {item.document}")
        for image in item.images:
            print(f"  image {image}")
    return 0


def result_json(result: ImportResult, command: str, dry_run: bool) -> dict:
    """What `--format json` prints: ok, counts and diagnostics as `nutgraf check` gives them, and each file."""
    errors = sum(d.severity is Severity.ERROR for d in result.diagnostics)
    statuses = [item.status for item in result.imported]
    return {"ok": result.ok, "command": command, "dry_run": dry_run,
            "counts": {status: statuses.count(status) for status in ("created", "updated", "unchanged")}
            | {"errors": errors, "warnings": len(result.diagnostics) - errors},
            "diagnostics": [d.as_json() for d in sort_diagnostics(result.diagnostics)],
            "files": [{"document": str(item.document), "target": str(item.target), "status": item.status,
                       "images": [str(image) for image in item.images]} for item in result.imported]}


def run_import(args: argparse.Namespace) -> int:
    """`nutgraf import`: what it wrote, as text or JSON."""
    result = import_documents(ImportOptions(args.source, tuple(args.paths), args.force, args.dry_run, args.archieml))
    return print_result(result, args, "import")
