"""Command line: parse options, run a command, print diagnostics and the summary, set the exit status."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
import traceback
from pathlib import Path

from . import __version__
from .build import BuildOptions, BuildResult, build
from .config import load_config
from .diagnostics import NutgrafError, Severity, format_report
from .scaffold import init_site, new_explainer

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

exit status: 0 built, 1 content errors (listed with file and line), 2 usage errors."""


def _add_build_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--source", type=Path, default=Path("."), metavar="DIR",
                        help="the site folder, holding site.yaml and content/ (default: the current folder)")
    parser.add_argument("--output", type=Path, metavar="DIR",
                        help="where the site is written (default: output/ in the site folder)")
    parser.add_argument("--drafts", action="store_true", help="include explainers marked draft: true")
    parser.add_argument("--future", action="store_true", help="include explainers dated in the future")
    parser.add_argument("--base-url", metavar="URL",
                        help="override base_url from site.yaml, e.g. https://example.org/explainers/")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="how errors and warnings are printed (default: text)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    parser.add_argument("-v", "--verbose", action="store_true", help="print what each stage does")


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
    return parser


def _summary(result: BuildResult) -> str:
    warnings = sum(d.severity is Severity.WARNING for d in result.diagnostics)
    return (f"Built {result.explainers} explainer{'s' * (result.explainers != 1)}: {result.pages} pages, "
            f"{result.written} files written, {result.unchanged} unchanged, {result.removed} removed, "
            f"{warnings} warning{'s' * (warnings != 1)} in {result.seconds:.2f} s -> {result.output}")


def run_build(args: argparse.Namespace) -> int:
    """`nutgraf build`: report diagnostics, then one summary line."""
    result = build(BuildOptions(args.source, args.output, args.drafts, args.future, args.base_url))
    shown = [d for d in result.diagnostics if not args.quiet or d.severity is Severity.ERROR]
    if shown:
        print(format_report(shown, as_json=args.format == "json"), file=sys.stderr)
    if not result.ok:
        errors = sum(d.severity is Severity.ERROR for d in result.diagnostics)
        print(f"Build failed: {errors} error{'s' * (errors != 1)}; nothing was written.", file=sys.stderr)
        return EXIT_CONTENT
    if not args.quiet:
        print(_summary(result))
        if result.next_scheduled:
            print(f"Next scheduled explainer is due {result.next_scheduled.isoformat()}: rebuild then.")
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


COMMANDS = {"build": run_build, "init": run_init, "new": run_new}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `nutgraf` command."""
    args = make_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if getattr(args, "verbose", False) else logging.WARNING,
                        format="%(name)s: %(message)s")
    try:
        return COMMANDS[args.command](args)
    except NutgrafError as exc:
        print(f"nutgraf: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("nutgraf: interrupted", file=sys.stderr)
        return 130
    except Exception:  # noqa: BLE001 - the last line of defence: a bug must say it is one
        traceback.print_exc()
        print("nutgraf: this is a bug in nutgraf, not in your site; please report it with the text above.",
              file=sys.stderr)
        return EXIT_BUG
