"""Command line: parse options, run a command, print diagnostics and the summary, set the exit status."""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import json
import logging
import os
import signal
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .commands.check import CheckOptions, check_site
from .commands.copyedit import add_copyedit_parser, run_copyedit
from .commands.deploy import add_deploy_parser, run_deploy
from .commands.importer import add_import_parser, run_import
from .commands.pull import add_pull_parser, run_pull
from .commands.scaffold import init_site, new_explainer
from .diagnostics import Diagnostic, NutgrafError, Severity, error, format_report, sort_diagnostics
from .engine.build import BuildOptions, BuildResult, build
from .outputs.writer import OutputMode
from .sources.config import load_config

if TYPE_CHECKING:  # watch and serve import watchdog, http.server and webbrowser when those commands run
    from .commands.serve import LiveChannel
    from .commands.watch import ChangeSet

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3

DESCRIPTION = """\
nutgraf builds news explainers (Markdown with YAML front matter in content/)
into a static site in output/, through a Jinja2 theme."""

EPILOG = """\
examples:
  nutgraf init my-site             start a new site in my-site/
  nutgraf new "Who are the parties?" --source my-site
  nutgraf build --source my-site   build my-site/ into my-site/output/
  nutgraf build --drafts --future  preview drafts and scheduled explainers
  nutgraf serve --drafts           preview at http://127.0.0.1:8000/, reloading on every save
  nutgraf check --source my-site   what to fix before publishing: errors, broken links, TK, ...
  nutgraf import story.aml         make content/<slug>.md from an ArchieML file
  nutgraf pull                     fetch again the Google Docs that explainers came from
  nutgraf copyedit SLUG --since signoff   a Word file for the copy desk, changes tracked

exit status: 0 built, 1 content errors (listed with file and line) or a disk that
refused a write, 2 usage errors."""


def _add_build_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--source", type=Path, default=Path("."), metavar="DIR",
                        help="the site folder, holding site.yaml and content/ (default: the current folder)")
    parser.add_argument("--output", type=Path, metavar="DIR",
                        help="where the site is written (default: output/ in the site folder)")
    parser.add_argument("--drafts", action="store_true", help="include explainers marked draft: true")
    parser.add_argument("--future", action="store_true", help="include explainers dated in the future")
    parser.add_argument("--base-url", metavar="URL",
                        help="override base_url from site.yaml, e.g. https://example.org/explainers/")
    parser.add_argument("--jobs", "-j", type=int, default=0, metavar="N",
                        help="worker processes for parsing and rendering (default: one per core)")
    parser.add_argument("--cache-dir", type=Path, metavar="DIR",
                        help="where the build cache lives (default: .nutgraf-cache/ in the site folder)")
    parser.add_argument("--no-cache", action="store_true",
                        help="neither read nor write the build cache: a clean build")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="text, or json: one JSON object on standard output (one line per build for watch "
                        "and serve) with ok, command, counts, diagnostics, next_scheduled and output")
    parser.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="say what each stage of the build did and how long it took")


def make_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(prog="nutgraf", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"nutgraf {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    init = commands.add_parser("init", help="create a new site folder", description="Create a new site: "
                               "site.yaml, content/ with an example explainer, and an empty templates/ for overrides.")
    init.add_argument("directory", type=Path, metavar="DIR", help="the folder to create (may exist, if empty)")

    new = commands.add_parser("new", help="create a new explainer file",
                              description="Write content/<slug>.md with every front-matter field stubbed, "
                              "as a draft dated today. The slug comes from the headline.")
    new.add_argument("title", metavar="HEADLINE", help='the headline, e.g. "Who are the parties?"')
    new.add_argument("--source", type=Path, default=Path("."), metavar="DIR",
                     help="the site folder (default: the current folder)")

    build_cmd = commands.add_parser("build", help="build the site into output/",
                                    description="Build the site. With any content error nothing is written "
                                    "and the previous output stays as it was.")
    _add_build_options(build_cmd)

    watch_cmd = commands.add_parser("watch", help="build, then rebuild on every save",
                                    description="Build, then watch content/, templates/, the theme and "
                                    "site.yaml, and rebuild what each burst of saves changed. A broken explainer "
                                    "is reported and keeps its last good page; the rest of the site updates.")
    _add_build_options(watch_cmd)

    serve_cmd = commands.add_parser("serve", help="watch, and serve the site with live reload",
                                    description="Watch mode plus a local web server with live reload. Open "
                                    "pages reload after each rebuild and show the errors of a failed one.")
    _add_build_options(serve_cmd)
    serve_cmd.add_argument("--host", default="127.0.0.1",
                           help="address to listen on (default: 127.0.0.1, this machine only)")
    serve_cmd.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    serve_cmd.add_argument("--open", action="store_true", help="open the site in a web browser")

    check_cmd = commands.add_parser("check", help="lint the site for editors, writing nothing",
                                    description="Report everything build rejects, plus what an editor fixes "
                                    "before publication: broken links, placeholders (TK), empty questions, "
                                    "images without alt text or credit, and more. Drafts and scheduled explainers "
                                    "are checked too. Exit status 1 when there are errors.")
    check_cmd.add_argument("--source", type=Path, default=Path("."), metavar="DIR",
                           help="the site folder, holding site.yaml and content/ (default: the current folder)")
    check_cmd.add_argument("--base-url", metavar="URL", help="override base_url from site.yaml")
    check_cmd.add_argument("--format", choices=("text", "json"), default="text",
                           help="how findings are printed: text (default, one `file:line: level: message` each), "
                           "or json: one object with ok, command, counts and diagnostics")
    check_cmd.add_argument("--jobs", "-j", type=int, default=0, metavar="N",
                           help="worker processes for parsing (default: one per core)")
    add_deploy_parser(commands)
    add_import_parser(commands)
    add_pull_parser(commands)
    add_copyedit_parser(commands)
    return parser


class progress_printer:  # noqa: N801 - used like a function
    """A one-line progress bar on a terminal, redrawn at most ten times a second, for long stages only."""

    def __init__(self, stream=sys.stderr, minimum: int = 200):
        self.stream, self.minimum, self.last, self.drawn = stream, minimum, 0.0, False

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if total < self.minimum or (now - self.last < 0.1 and done < total):
            return
        self.last = now
        width = 30
        filled = width * done // max(total, 1)
        self.stream.write(f"\r{stage:<10} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        self.stream.flush()
        self.drawn = True

    def finish(self) -> None:
        if self.drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()


def _summary(result: BuildResult) -> str:
    warnings = sum(d.severity is Severity.WARNING for d in result.diagnostics)
    return (f"Built {result.explainers} explainer{'s' * (result.explainers != 1)}: {result.pages} pages, "
            f"{result.written} file{'s' * (result.written != 1)} written, {result.unchanged} unchanged, "
            f"{result.removed} removed, "
            f"{warnings} warning{'s' * (warnings != 1)} in {result.seconds:.2f} s -> {result.output}")


def _options(args: argparse.Namespace, progress=None) -> BuildOptions:
    if args.jobs < 0:
        raise NutgrafError("--jobs must be 0 (one per core) or more")
    return BuildOptions(args.source, args.output, args.drafts, args.future, args.base_url,
                        cache_dir=args.cache_dir, use_cache=not args.no_cache, jobs=args.jobs, progress=progress)


def _print_diagnostics(result: BuildResult, args: argparse.Namespace) -> None:
    shown = [d for d in result.diagnostics if not args.quiet or d.severity is Severity.ERROR]
    if shown:
        print(format_report(shown), file=sys.stderr, flush=True)


def json_report(command: str, diagnostics: tuple[Diagnostic, ...] | list[Diagnostic], counts: dict[str, int],
                next_scheduled: dt.datetime | None = None, output: Path | None = None, indent: int | None = 2) -> str:
    """The one JSON object `--format json` prints on standard output, on success and on failure alike."""
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    return json.dumps({"ok": errors == 0, "command": command,
                       "counts": counts | {"errors": errors, "warnings": len(diagnostics) - errors},
                       "diagnostics": [d.as_json() for d in sort_diagnostics(diagnostics)],
                       "next_scheduled": next_scheduled.isoformat() if next_scheduled else None,
                       "output": str(output) if output else None}, ensure_ascii=False, indent=indent)


def build_json(command: str, result: BuildResult, indent: int | None = 2) -> str:
    """A build's result as `--format json` prints it."""
    counts = {"explainers": result.explainers, "pages": result.pages, "rendered": result.rendered,
              "written": result.written, "unchanged": result.unchanged, "removed": result.removed}
    return json_report(command, result.diagnostics, counts, result.next_scheduled, result.output, indent)


def _rebuild_line(result: BuildResult, changes: ChangeSet | None) -> str:
    stamp = time.strftime("%H:%M:%S")
    errors = sum(d.severity is Severity.ERROR for d in result.diagnostics)
    trouble = f", {errors} error{'s' * (errors != 1)} (last good pages kept)" if errors else ""
    what = f"{len(changes.paths)} changed path{'s' * (len(changes.paths) != 1)}: " if changes else ""
    return (f"[{stamp}] {what}rebuilt in {result.seconds * 1000:.0f} ms, {result.rendered} pages rendered, "
            f"{result.written} file{'s' * (result.written != 1)} written{trouble}")


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run_watch(args: argparse.Namespace, channel: LiveChannel | None = None) -> int:
    """`nutgraf watch` (and the watching half of `serve`): runs until Ctrl-C."""
    from .commands.watch import watch

    stop = threading.Event()

    as_json = args.format == "json"
    talk = sys.stderr if as_json else sys.stdout  # with --format json, standard output holds JSON lines only

    def ready(folders: list[Path]) -> None:
        print("Watching " + ", ".join(str(f) for f in folders) + " (Ctrl-C to stop)", file=talk, flush=True)

    def report(result: BuildResult, changes: ChangeSet | None) -> None:
        if channel is not None:
            notify_pages(channel, result, changes)
        if as_json:  # one line per build (JSON Lines)
            print(build_json(args.command, result, indent=None), flush=True)
            return
        _print_diagnostics(result, args)
        if changes is None and result.ok and not args.quiet:
            print(_summary(result), flush=True)
        elif not args.quiet or not result.ok:
            print(_rebuild_line(result, changes), flush=True)

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)  # a process manager's stop is a Ctrl-C: stop cleanly
    try:
        watch(_options(args), report, stop, ready)
    except KeyboardInterrupt:
        stop.set()
        print("Stopped.", file=talk, flush=True)
    return EXIT_OK


def notify_pages(channel: LiveChannel, result: BuildResult, changes: ChangeSet | None) -> None:
    """Tell open pages: errors to show, stylesheets to swap, or reload."""
    errors = [d.format() for d in result.diagnostics if d.severity is Severity.ERROR]
    if errors:
        channel.publish("build-error", {"errors": errors})
    elif changes is not None and changes.paths and all(p.endswith(".css") for p in changes.paths):
        channel.publish("css")
    else:
        channel.publish("reload")


def run_serve(args: argparse.Namespace) -> int:
    """`nutgraf serve`: bind first (a taken port is reported at once), then watch."""
    import webbrowser

    from .commands.serve import LiveChannel, exposure_warning, start_server

    config, found = load_config(args.source, args.base_url)
    if config is None:
        print(format_report(found), file=sys.stderr)
        if args.format == "json":
            print(json_report("serve", found, {}, indent=None))
        return EXIT_CONTENT
    out = (args.output or config.root / "output").resolve()
    channel = LiveChannel()
    server = start_server(out, config.base_path, args.host, args.port, channel)
    url = f"http://{args.host}:{server.server_address[1]}{config.base_path}"
    print(f"Serving {out} at {url}", file=sys.stderr if args.format == "json" else sys.stdout, flush=True)
    if warning := exposure_warning(args.host):
        print(warning, file=sys.stderr, flush=True)
    if args.open:
        webbrowser.open(url)
    try:
        return run_watch(args, channel)
    finally:
        channel.close()
        server.shutdown()
        server.server_close()


def run_build(args: argparse.Namespace) -> int:
    """`nutgraf build`: report diagnostics, then one summary line."""
    progress = progress_printer() if sys.stderr.isatty() and not args.quiet else None
    result = build(_options(args, progress))
    if progress:
        progress.finish()
    if args.format == "json":
        print(build_json("build", result))
        return EXIT_OK if result.ok else EXIT_CONTENT
    _print_diagnostics(result, args)
    if not result.ok:
        errors = sum(d.severity is Severity.ERROR for d in result.diagnostics)
        kept = "nothing was written" if result.output is None else f"pages were written to {result.output}"
        print(f"Build failed: {errors} error{'s' * (errors != 1)}; {kept}.", file=sys.stderr)
        return EXIT_CONTENT
    if not args.quiet:
        print(_summary(result))
        if result.next_scheduled:
            print(f"Next scheduled explainer is due {result.next_scheduled.isoformat()}: rebuild then.")
        mode = OutputMode(args.drafts, args.future)
        if mode.preview:
            print(f"This is a preview, with {mode.shown}: `nutgraf deploy` will not publish it.")
    return EXIT_OK


def run_init(args: argparse.Namespace) -> int:
    made = init_site(args.directory, dt.date.today())
    for path in made:
        print(f"created {path}")
    print(f"Next: cd {args.directory} && nutgraf build")
    return EXIT_OK


def run_new(args: argparse.Namespace) -> int:
    config, found = load_config(args.source)
    if config is None:
        print(format_report(found), file=sys.stderr)
        return EXIT_CONTENT
    path = new_explainer(config, args.title, dt.datetime.now(dt.UTC))
    print(f"created {path} (a draft: set draft: false to publish)")
    return EXIT_OK


def run_check(args: argparse.Namespace) -> int:
    """`nutgraf check`: findings on standard output, a count on standard error, 1 when there are errors."""
    if args.jobs < 0:
        raise NutgrafError("--jobs must be 0 (one per core) or more")
    result = check_site(CheckOptions(args.source, args.base_url, jobs=args.jobs))
    if args.format == "json":
        print(json_report("check", result.diagnostics, {"explainers": result.explainers}))
    elif result.diagnostics:
        print(format_report(result.diagnostics))
    errors = sum(d.severity is Severity.ERROR for d in result.diagnostics)
    warnings = len(result.diagnostics) - errors
    count = result.explainers
    print(f"Checked {count} explainer{'s' * (count != 1)}: {errors} error{'s' * (errors != 1)}, "
          f"{warnings} warning{'s' * (warnings != 1)}", file=sys.stderr)
    return EXIT_OK if result.ok else EXIT_CONTENT


COMMANDS = {"build": run_build, "init": run_init, "new": run_new, "watch": run_watch, "serve": run_serve,
            "check": run_check, "deploy": run_deploy, "import": run_import,
            "pull": run_pull, "copyedit": run_copyedit}


_ELSEWHERE = "or build elsewhere with --output DIR (and --cache-dir DIR for the cache)"
DISK_TROUBLE = {  # errno: what happened, what to do
    errno.ENOSPC: ("cannot write: the disk is full", f"free some space on it, {_ELSEWHERE}"),
    errno.EDQUOT: ("cannot write: the disk quota is used up", f"free some space or raise the quota, {_ELSEWHERE}"),
    errno.EROFS: ("cannot write: the file system is read-only", f"mount it writable, {_ELSEWHERE}"),
    errno.EACCES: ("permission denied", f"give this user access to it, {_ELSEWHERE}"),
    errno.EPERM: ("operation not permitted", f"give this user access to it, {_ELSEWHERE}"),
    errno.EIO: ("the disk failed to read or write it", "check the disk, then build again"),
}


def disk_trouble(exc: OSError) -> Diagnostic:
    """An OSError of the machine's state (a full disk, a read-only folder) as an error naming the file."""
    what, hint = DISK_TROUBLE[exc.errno]
    where = exc.filename2 or exc.filename  # of a rename, the file it meant to replace
    return error(os.fsdecode(where) if where is not None else "nutgraf", what, hint=hint)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `nutgraf` command."""
    args = make_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")
    if getattr(args, "verbose", False):  # nutgraf's own stages; the libraries' debugging stays quiet
        logging.getLogger(__package__).setLevel(logging.DEBUG)
    try:
        return COMMANDS[args.command](args)
    except NutgrafError as exc:
        print(f"nutgraf: error: {exc}", file=sys.stderr)
        if getattr(args, "format", "text") == "json":
            print(json_report(args.command, [error("", str(exc))], {}))
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("nutgraf: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence: a bug must say it is one
        if isinstance(exc, OSError) and exc.errno in DISK_TROUBLE:  # the machine's state, not a bug
            print(disk_trouble(exc).format(), file=sys.stderr)
            return EXIT_CONTENT
        traceback.print_exc()
        print("nutgraf: this is a bug in nutgraf, not in your site; please report it with the text above.",
              file=sys.stderr)
        return EXIT_BUG
