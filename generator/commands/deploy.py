"""Deploy: publish output/ to a git branch (GitHub Pages) or an rsync destination, after a production gate."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import NutgrafError, Severity, format_report
from ..engine.build import BuildOptions, build
from ..engine.cache import load_stamp, outputs_intact
from ..engine.options import CACHE_DIR
from ..outputs.search import index_files
from ..outputs.writer import MARKER, TEMP_TAG, OutputMode, clean_output, read_mode
from ..sources.config import load_config
from .check import CheckOptions, check_site

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
# Hidden names never travel: nutgraf's own bookkeeping (.nutgraf-output, its temporary files) and whatever
# else starts with a dot, such as a .git folder, which copied into the deploy's repository would replace its own.
SKIPPED = (MARKER, f"{TEMP_TAG}*", ".*")


@dataclass(frozen=True, slots=True)
class Target:
    """Where output/ goes: `git` (a remote, with `branch` and an optional `cname`) or `rsync` (a destination)."""

    git: str = ""
    branch: str = "gh-pages"
    cname: str = ""
    rsync: str = ""


def _run(args: list[str], cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess:
    try:
        done = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise NutgrafError(f"{args[0]} is not installed: {exc}") from exc
    if check and done.returncode:
        raise NutgrafError(f"`{' '.join(args)}` failed: {done.stderr.strip() or done.stdout.strip()}")
    return done


def deploy_git(out: Path, target: Target, dry_run: bool = False, message: str = "Deploy with nutgraf") -> list[str]:
    """Commit output/ (with .nojekyll and CNAME) as the next commit of `target.branch` on `target.git`, in a
    temporary repository, and push it; the changed paths as git names them ("M\tindex.html")."""
    with tempfile.TemporaryDirectory(prefix="nutgraf-deploy-") as tmp:
        work = Path(tmp) / "site"
        _run(["git", "init", "-q", str(work)])
        _run(["git", "checkout", "-q", "--orphan", target.branch], cwd=work)
        fetched = _run(["git", "fetch", "-q", "--depth", "1", target.git, f"refs/heads/{target.branch}"],
                       cwd=work, check=False)
        if fetched.returncode == 0:
            _run(["git", "reset", "-q", "FETCH_HEAD"], cwd=work)  # index = the branch; files come from output/
        shutil.copytree(out, work, dirs_exist_ok=True, ignore=shutil.ignore_patterns(*SKIPPED))
        (work / ".nojekyll").write_bytes(b"")  # GitHub Pages: serve folders starting with _ as they are
        if target.cname:
            (work / "CNAME").write_text(target.cname + "\n", encoding="utf-8")
        elif not (work / "CNAME").exists() and _run(["git", "ls-files", "CNAME"], cwd=work).stdout.strip():
            _run(["git", "checkout", "--", "CNAME"], cwd=work)  # the custom domain set before stays set
        _run(["git", "add", "-A"], cwd=work)
        changed = _run(["git", "diff", "--cached", "--name-status", "--no-renames"], cwd=work).stdout.splitlines()
        if dry_run or not changed:
            return changed
        identity = [] if _run(["git", "config", "user.email"], cwd=work, check=False).stdout.strip() else [
            "-c", "user.name=nutgraf", "-c", "user.email=nutgraf@localhost"]
        _run(["git", *identity, "commit", "-q", "-m", message], cwd=work)
        _run(["git", "push", "-q", target.git, f"HEAD:refs/heads/{target.branch}"], cwd=work)
        return changed


def deploy_rsync(out: Path, destination: str, dry_run: bool = False) -> list[str]:
    """Mirror output/ to `destination` with rsync, comparing checksums so that only changed files travel;
    the itemised changes (">f+++++++++ index.html", "*deleting old.html")."""
    args = ["rsync", "-r", "--checksum", "--delete", "--itemize-changes", "--times", "--perms",
            *(f"--exclude={pattern}" for pattern in SKIPPED), *(["--dry-run"] if dry_run else []),
            f"{out}{os.sep}", destination]
    lines = _run(args).stdout.splitlines()
    return [line for line in lines if line.startswith(("<", ">", "c", "*"))]


def clean_built_output(source: Path, out: Path) -> None:
    """Remove from output/ what the last build did not write (a .git folder, an editor's files), as its
    state in the cache lists them; refuse when that state does not describe output/ as it is."""
    stamp = load_stamp(source / CACHE_DIR)
    if stamp.output != str(out) or not stamp.outputs or not outputs_intact(out, stamp.outputs):
        raise NutgrafError(f"cannot tell which files of {out} nutgraf wrote: the cache describes no build of it "
                           "as it is now; deploy without --no-build")
    clean_output(out, [*stamp.outputs, *index_files(out)])


def production_gate(source: Path, base_url: str | None) -> list:
    """What `nutgraf check` reports as errors: a site with any is not deployed."""
    result = check_site(CheckOptions(source, base_url))
    return [d for d in result.diagnostics if d.severity is Severity.ERROR]


def add_deploy_parser(commands) -> None:
    """The `deploy` subcommand's options."""
    cmd = commands.add_parser("deploy", help="build and publish output/ to a git branch or an rsync destination",
                              description="Refuse while `nutgraf check` reports errors, build (unless --no-build), "
                              "then publish output/: only changed files travel. The target comes from the "
                              "`deploy:` settings of site.yaml unless given here.")
    cmd.add_argument("--source", type=Path, default=Path("."), metavar="DIR", help="the site folder")
    cmd.add_argument("--output", type=Path, metavar="DIR", help="the built site (default: output/ in the site)")
    cmd.add_argument("--base-url", metavar="URL", help="override base_url from site.yaml")
    cmd.add_argument("--git", metavar="REMOTE", help="a git remote (URL or path) to commit output/ to")
    cmd.add_argument("--branch", metavar="NAME", help="the branch of --git (default: gh-pages)")
    cmd.add_argument("--cname", metavar="DOMAIN", help="a custom domain, written to CNAME (GitHub Pages)")
    cmd.add_argument("--rsync", metavar="DEST", help="an rsync destination, such as host:/var/www/site/")
    cmd.add_argument("--no-build", action="store_true", help="publish output/ as it is")
    cmd.add_argument("--dry-run", action="store_true", help="list what would change, publishing nothing")
    cmd.add_argument("--drafts", action="store_true", help=argparse.SUPPRESS)
    cmd.add_argument("--future", action="store_true", help=argparse.SUPPRESS)


def _target(args: argparse.Namespace) -> Target:
    """site.yaml's `deploy:` settings, each flag given replacing the one it names: a later deploy keeps what
    the site configured. Naming another target (an rsync destination, another remote) leaves site.yaml's out."""
    config, found = load_config(args.source, args.base_url)
    if config is None:
        raise NutgrafError(format_report(found))
    saved = config.deploy
    if args.rsync or (args.git and args.git != saved.git):
        saved = type(saved)()
    target = Target(args.git or saved.git, args.branch or saved.branch, args.cname or saved.cname,
                    args.rsync or saved.rsync)
    if bool(target.git) == bool(target.rsync):
        raise NutgrafError("deploy needs one target: --git REMOTE or --rsync DEST, or `deploy:` in site.yaml")
    if args.cname and args.cname != config.deploy.cname:
        print(f"hint: put `deploy: {{cname: {args.cname}}}` in site.yaml, so that every deploy says it",
              file=sys.stderr)
    return target


def _preview_refusal(out: Path, mode: OutputMode | None) -> str:
    """Why `out` must not be published, or "": a preview (drafts or scheduled explainers), or an output
    whose marker does not say how it was built (an older nutgraf's)."""
    clean = "make a clean build with `nutgraf build` (without --drafts or --future), or deploy without --no-build"
    if mode is None:
        return f"refusing to deploy {out}: it does not say how it was built; {clean}"
    if mode.preview:
        return f"refusing to deploy {out}: it is a preview that shows {mode.shown}; {clean}"
    return ""


def run_deploy(args: argparse.Namespace) -> int:
    """`nutgraf deploy`: gate, build, publish; 1 when the gate or the build refuses."""
    if args.drafts or args.future:
        print("nutgraf: error: refusing to deploy a build with drafts or scheduled explainers "
              "(--drafts/--future are for previews)", file=sys.stderr)
        return EXIT_USAGE
    target = _target(args)
    errors = production_gate(args.source, args.base_url)
    if errors:
        print(format_report(errors), file=sys.stderr)
        print(f"Not deployed: `nutgraf check` reports {len(errors)} error{'s' * (len(errors) != 1)}.", file=sys.stderr)
        return EXIT_CONTENT
    out = (args.output or args.source / "output").resolve()
    if not args.no_build:
        result = build(BuildOptions(args.source, output=args.output, base_url=args.base_url))
        if not result.ok:
            print(format_report(result.diagnostics), file=sys.stderr)
            print("Not deployed: the build failed.", file=sys.stderr)
            return EXIT_CONTENT
    if not (out / MARKER).is_file():
        raise NutgrafError(f"{out} is not a built site: run `nutgraf build` first, or drop --no-build")
    refusal = _preview_refusal(out, read_mode(out))
    if refusal:
        print(f"nutgraf: error: {refusal}", file=sys.stderr)
        return EXIT_CONTENT
    clean_built_output(args.source, out)
    if target.git:
        changed = deploy_git(out, target, args.dry_run)
        where = f"{target.git} ({target.branch})"
    else:
        changed = deploy_rsync(out, target.rsync, args.dry_run)
        where = target.rsync
    for line in changed:
        print(line)
    verb = "Would publish" if args.dry_run else "Published"
    print(f"{verb} {len(changed)} change{'s' * (len(changed) != 1)} to {where}.", file=sys.stderr)
    return EXIT_OK
