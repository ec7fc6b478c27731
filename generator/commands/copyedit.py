"""`nutgraf copyedit SLUG`: a Word file of an explainer's copy for the copy desk, with what changed since a date, a
git revision or the last sign-off as Word's own tracked changes; `--signed-off` records the desk's sign-off."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..diagnostics import Diagnostic, error, format_report
from ..sources.config import SiteConfig, load_config
from ..sources.frontmatter import FENCE, parse_document
from .copytext import Change, changes, copy_of
from .importread import file_digest, record_block, shown_path, without_records

STYLES = {"title": "Title", "dek": "Subtitle", "heading": "Heading 2", "subheading": "Heading 3", "text": "Normal",
          "item": "List Bullet", "caption": "Caption", "credit": "Caption", "label": "Heading 4"}
SINCE_SIGNOFF = ("signoff", "last-signoff")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ][\d:]+([+-]\d\d:?\d\d|Z)?)?$")
COPYEDIT_HELP = """\
Write a Word file of one explainer's copy for the copy desk: headline, dek, summary, captions and credits,
every question and answer, notes and sources. With --since, what changed since then is marked as Word's
tracked changes (Review > Track Changes), to accept or reject one by one.

REF is a date (2024-05-01: the file as committed then), a git revision (HEAD~3, a commit, a tag), or
`signoff`: the version the desk last signed off with --signed-off, found in the file's git history."""
COPYEDIT_EXAMPLES = """\
examples:
  nutgraf copyedit syria-truce                     the whole copy, to syria-truce-copyedit.docx
  nutgraf copyedit syria-truce --since signoff     what changed since the desk's last sign-off
  nutgraf copyedit syria-truce --since 2024-05-01 -o desk/truce.docx
  nutgraf copyedit syria-truce --signed-off --by "Kim Lee"   record the sign-off"""


@dataclass(frozen=True, slots=True)
class CopyeditOptions:
    source: Path
    slug: str
    since: str | None = None
    output: Path | None = None  # default: <slug>-copyedit.docx in the current folder
    signed_off: bool = False
    by: str | None = None
    now: dt.datetime | None = None


def find_explainer(config: SiteConfig, slug: str) -> Path | None:
    """The explainer file of a slug: content/<slug>.md, or the file whose front matter gives that slug."""
    direct = config.content_dir / f"{slug}.md"
    if direct.is_file():
        return direct
    for path in sorted(config.content_dir.rglob("*.md")):
        if f"slug: {slug}".encode() in path.read_bytes():
            raw, _ = parse_document(path.read_bytes(), str(path))
            if raw is not None and raw.meta.data.get("slug") == slug:
                return path
    return None


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)


def _old_text(path: Path, text: str, since: str, shown: str) -> tuple[str | None, list[Diagnostic]]:
    """The file as it was at `since`, from git."""
    top = _git(path.parent, "rev-parse", "--show-toplevel")
    if top.returncode:
        return None, [error(shown, "--since needs the site in a git repository, to find the older version",
                            hint="commit the site to git (git init; git add; git commit)")]
    root = Path(top.stdout.strip()).resolve()
    rel = path.resolve().relative_to(root).as_posix()
    if since in SINCE_SIGNOFF:
        return _signed_off_text(root, text, rel, shown)
    revision = since
    if DATE.match(since):
        revision = _git(root, "log", "-1", "--format=%H", f"--before={since}", "--", rel).stdout.strip()
        if not revision:
            return None, [error(shown, f"git holds no version of the file from before {since}",
                                hint="give a later date, or a git revision")]
    shown_old = _git(root, "show", f"{revision}:{rel}")
    if shown_old.returncode:
        return None, [error(shown, f"git has no version of the file at {since!r}",
                            hint=f"({shown_old.stderr.strip().removeprefix('fatal: ')}) give a date (YYYY-MM-DD), "
                                 "a git revision (HEAD~2, a commit) or `signoff`")]
    return shown_old.stdout, []


def _signed_off_text(root: Path, text: str, rel: str, shown: str) -> tuple[str | None, list[Diagnostic]]:
    """The version whose digest the sign-off recorded: the file itself, or the newest commit that holds it."""
    record = (yaml.safe_load(record_block(text, "signoff")) or {}).get("signoff") or {}
    digest = record.get("digest") if isinstance(record, dict) else None
    if not digest:
        return None, [error(shown, "this explainer has no sign-off yet",
                            hint="sign it off with `nutgraf copyedit SLUG --signed-off`, or give --since a date")]
    if file_digest(without_records(text).encode()) == digest:
        return text, []
    for commit in _git(root, "log", "--format=%H", "--", rel).stdout.split():
        old = _git(root, "show", f"{commit}:{rel}").stdout
        if file_digest(without_records(old).encode()) == digest:
            return old, []
    return None, [error(shown, f"the signed-off version ({record.get('at')}) is not in the file's git history",
                        hint="commit the file after each sign-off; or give --since a date or a revision")]


def write_packet(items: list[Change], target: Path, author: str, when: dt.datetime, note: str) -> None:
    """The .docx: one paragraph per item in its style, insertions and deletions as w:ins and w:del."""
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = Document()
    document.core_properties.title, document.core_properties.comments = note.split(":")[0], note
    document.sections[0].header.paragraphs[0].text = note
    stamp = {qn("w:author"): author, qn("w:date"): when.strftime("%Y-%m-%dT%H:%M:%SZ")}
    ids = iter(range(1, 10**9))

    def tracked(tag: str) -> OxmlElement:
        return OxmlElement(tag, {qn("w:id"): str(next(ids)), **stamp})

    for item in items:
        paragraph = document.add_paragraph(style=STYLES[item.kind])
        if item.op in ("insert", "delete"):  # the paragraph mark itself is inserted or deleted
            paragraph._p.get_or_add_pPr().append(run_props := OxmlElement("w:rPr"))
            run_props.append(tracked("w:ins" if item.op == "insert" else "w:del"))
        for op, text in item.pieces:
            run = paragraph.add_run(text)
            if op == "equal":
                continue
            wrapper = tracked("w:ins" if op == "insert" else "w:del")
            run._r.addprevious(wrapper)
            wrapper.append(run._r)
            if op == "delete":
                run._r.remove(text_element := run._r.find(qn("w:t")))
                deleted = OxmlElement("w:delText", {qn("xml:space"): "preserve"})
                deleted.text = text_element.text
                run._r.append(deleted)
    target.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(target))


def sign_off(text: str, who: str, when: dt.datetime) -> str:
    """The file with its `signoff:` record (who, when, and a digest of the copy signed off) and nothing else
    changed: the record replaces the last one, before the `source:` record or the closing fence."""
    digest = file_digest(without_records(text).encode())
    block = yaml.safe_dump({"signoff": {"by": who, "at": when.isoformat(timespec="seconds"), "digest": digest}},
                           sort_keys=False, allow_unicode=True)
    old = record_block(text, "signoff")
    if old:
        return text.replace(old, block, 1)
    source = record_block(text, "source")
    at = text.index(source) if source else FENCE.search(text, 4).start()
    return text[:at] + block + text[at:]


def copyedit(options: CopyeditOptions) -> tuple[str, list[Diagnostic]]:
    """Write the packet (or record the sign-off); what was done, and findings (nothing written on errors)."""
    config, found = load_config(options.source)
    if config is None:
        return "", found
    path = find_explainer(config, options.slug)
    if path is None:
        return "", [error(options.slug, "no explainer has this slug",
                          hint=f"the file is {shown_path(config.content_dir, config)}/<slug>.md; "
                               "the slug is its file name without .md")]
    shown = shown_path(path, config)
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---") or FENCE.search(text, 4) is None:
        return "", [error(shown, "this file has no front matter", hint="run `nutgraf check` to see what is wrong")]
    when = (options.now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    if options.signed_off:
        who = options.by or _git(path.parent, "config", "user.name").stdout.strip() or getpass.getuser()
        path.write_text(sign_off(text, who, when), encoding="utf-8")
        return f"{shown}: signed off by {who} at {when.isoformat()}", []
    new = copy_of(text, shown)
    old, problems = (_old_text(path, text, options.since, shown) if options.since else (None, []))
    if problems:
        return "", problems
    items = changes(copy_of(old, shown), new) if old is not None else changes(new, new)
    target = options.output or Path(f"{path.stem}-copyedit.docx")
    since = f"; changes since {options.since} are tracked" if options.since else ""
    write_packet(items, target, "nutgraf copyedit", when, f"{options.slug}: copy edit, {when:%Y-%m-%d %H:%M} UTC"
                 f"{since}")
    edits = sum(item.op != "equal" for item in items)
    return f"{target}: {len(items)} paragraphs" + (f", {edits} changed since {options.since}" if since else ""), []


def add_copyedit_parser(commands) -> None:
    """The `copyedit` subcommand's options."""
    cmd = commands.add_parser("copyedit", help="write a Word file of an explainer for the copy desk",
                              formatter_class=argparse.RawDescriptionHelpFormatter,
                              description=COPYEDIT_HELP, epilog=COPYEDIT_EXAMPLES)
    cmd.add_argument("slug", metavar="SLUG", help="the explainer (its file name without .md)")
    cmd.add_argument("--source", type=Path, default=Path("."), metavar="DIR",
                     help="the site folder, holding site.yaml and content/ (default: the current folder)")
    cmd.add_argument("--since", metavar="REF", help="mark what changed since REF: a date, a git revision or signoff")
    cmd.add_argument("--output", "-o", type=Path, metavar="FILE", help="the .docx to write "
                     "(default: SLUG-copyedit.docx in the current folder)")
    cmd.add_argument("--signed-off", action="store_true", help="record the desk's sign-off in the front matter")
    cmd.add_argument("--by", metavar="NAME", help="who signs off (default: git's user.name)")


def run_copyedit(args: argparse.Namespace) -> int:
    """`nutgraf copyedit`: what was written on standard output, errors on standard error; 1 on errors."""
    done, found = copyedit(CopyeditOptions(args.source, args.slug, args.since, args.output, args.signed_off, args.by))
    if found:
        print(format_report(found), file=sys.stderr)
        return 1
    print(done)
    return 0

