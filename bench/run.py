"""Benchmark nutgraf against Hugo, Hugo followed by Pagefind, and Pelican on generated explainer corpora.

    python bench/run.py --sizes 10000 --runs 3                  # the bench corpus
    python bench/run.py --sizes 10000 --runs 3 --corpus plain   # issue 24's held-out kind of corpus
    python bench/run.py --sizes 10000 --runs 3 --tools nutgraf --nutgraf NEW --baseline OLD
                                                  # two nutgrafs, before and after a change, in the same run

Two tables: with search (the site's defaults; nutgraf against Hugo followed by Pagefind) and without
(nutgraf with `search: false` against Hugo and Pelican alone).
"""

from __future__ import annotations

import argparse
import functools
import json
import shutil
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from checks import compare_trees, count_pages, describe, missing_outputs
from corpus import KINDS, generate, write_corpus
from measure import Sample, has_children_files, run_measured
from questioncards import add_cards
from report import (
    Record,
    Report,
    Verification,
    baseline_notes,
    git_revision,
    machine,
    markdown_tables,
    now_utc,
    summarize,
    write_results,
)
from scenarios import SCENARIOS, EditContext, scenario
from tools import (
    Nutgraf,
    Peers,
    Tool,
    Trash,
    detect_nutgraf,
    ensure_peers,
    find_pagefind,
    hugo_pagefind_tool,
    hugo_tool,
    hugo_version_tuple,
    nutgraf_tool,
    pelican_tool,
)
from writers import LATEST_HUGO, WriteOptions

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
# nutgraf with the site's defaults (search on) and with `search: false`; Hugo alone and followed by Pagefind.
TOOL_NAMES = ("nutgraf", "baseline", "nutgraf-search-off", "hugo", "hugo+pagefind", "pelican")
# "baseline" is a second nutgraf (--baseline), with the site's defaults, on its own copy of nutgraf's corpus.
NUTGRAF_TOOLS = ("nutgraf", "baseline", "nutgraf-search-off")
SITE_OF = MappingProxyType({"hugo+pagefind": "hugo"})  # the corpus folder a tool builds, where not its own name
# The peers have no incremental mode to measure: Hugo's no-op is a full build again, Pelican's too (only slower).
PEER_SCENARIOS = MappingProxyType({"hugo": ("cold", "noop"), "hugo+pagefind": ("cold",), "pelican": ("cold",)})
MakeTool = Callable[[Path, Path, Path], Tool]  # (site, output, cache) -> Tool


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes (default: 1000,10000)")
    p.add_argument("--runs", type=int, default=5, help="runs per tool, scenario and size (default: 5)")
    p.add_argument("--warmup", type=int, default=1, help="unmeasured cold builds per tool and size first (default: 1)")
    p.add_argument("--seed", type=int, default=1, help="corpus seed (default: 1)")
    p.add_argument("--jobs", type=int, help="passed to nutgraf build --jobs, if it has that option")
    p.add_argument("--pelican-max", type=int, default=10_000, help="skip Pelican above this size (default: 10000)")
    p.add_argument("--corpus", choices=KINDS, default="standard",
                   help="standard (lists, quotes, images; Hugo with author terms) or plain (issue 24's held-out "
                        "kind: plain bodies with emphasis and links; Hugo with one taxonomy)")
    p.add_argument("--tools", default=",".join(TOOL_NAMES), help="comma-separated subset of " + ",".join(TOOL_NAMES))
    p.add_argument("--scenarios", default=",".join(s.name for s in SCENARIOS),
                   help="comma-separated nutgraf scenarios (peers run the ones they have among them)")
    p.add_argument("--nutgraf", type=Path, default=ROOT / ".venv" / "bin" / "nutgraf", help="the nutgraf executable")
    p.add_argument("--baseline", type=Path,
                   help="another nutgraf executable (say, a wrapper running an older commit), measured as the tool "
                        "'baseline' alternating with nutgraf in the same run; adds it to --tools")
    p.add_argument("--pagefind", type=Path, help="the Pagefind binary for hugo+pagefind (default: nutgraf's own)")
    p.add_argument("--no-verify", action="store_true", help="skip comparing incremental builds with clean builds")
    p.add_argument("--work", type=Path, default=BENCH / ".work", help="corpora, outputs, caches, peer venv")
    p.add_argument("--results", type=Path, default=BENCH / "results", help="where latest.json and latest.md go")
    p.add_argument("--reinstall-peers", action="store_true", help="recreate the venv holding hugo and pelican")
    p.add_argument("--photo-heroes", action="store_true",
                   help="every nutgraf explainer gets its own 4000x3000 JPEG hero (needs Pillow: .venv/bin/python)")
    p.add_argument("--cards", action="store_true",
                   help="nutgraf's corpus gets 200 question cards (bench/questioncards.py)")
    args = p.parse_args(argv)
    args.sizes = [int(s) for s in args.sizes.split(",") if s]
    args.tools = [t for t in TOOL_NAMES if t in args.tools.split(",") or (t == "baseline" and args.baseline)]
    if "baseline" in args.tools and not args.baseline:
        p.error("the tool 'baseline' needs --baseline EXE")
    args.scenarios = tuple(scenario(n).name for n in args.scenarios.split(",") if n)
    if "cold" not in args.scenarios:
        p.error("--scenarios must include cold: every run starts from a cold build")
    return args


def say(message: str) -> None:
    """Progress, on stderr so that stdout holds only the table."""
    print(message, file=sys.stderr, flush=True)


def prepare_corpus(work: Path, seed: int, size: int, tools: list[str], options: WriteOptions,
                   kind: str) -> tuple[Path, dict]:
    """Generate the corpus of `size` once and write it for `tools`; returns its folder and manifest."""
    started = time.perf_counter()
    name = f"n{size}-s{seed}" + ("" if kind == "standard" else f"-{kind}") + ("-photos" if options.photo_heroes else "")
    sites = tuple(dict.fromkeys(SITE_OF.get(t, t) for t in tools))
    root = write_corpus(generate(seed, size, kind), work / "corpus" / name, sites, options)
    say(f"corpus {size:,}: written for {', '.join(sites)} in {time.perf_counter() - started:.1f} s -> {root}")
    return root, json.loads((root / "manifest.json").read_text(encoding="utf-8"))


def make_tools(args: argparse.Namespace, tools: list[str], corpus: Path, size: int, nutgraf: Nutgraf,
               peers: Peers | None, pagefind: Path | None, baseline: Nutgraf | None = None
               ) -> tuple[list[Tool], MakeTool]:
    """The tools to run at one size, and a factory for a nutgraf on another copy (for clean builds)."""
    out, cache = args.work / "out" / f"n{size}", args.work / "cache" / f"n{size}"
    make_nutgraf = functools.partial(nutgraf_tool, nutgraf, jobs=args.jobs, scenarios=args.scenarios)
    made = []
    for name in tools:
        peer_scenarios = tuple(s for s in PEER_SCENARIOS.get(name, ()) if s in args.scenarios)
        if name == "baseline":
            made.append(nutgraf_tool(baseline, corpus / name, out / name, cache / name, jobs=args.jobs,
                                     scenarios=args.scenarios, name=name))
        elif name in NUTGRAF_TOOLS:
            made.append(make_nutgraf(corpus / name, out / name, cache / name, name=name))
        elif name == "hugo":
            made.append(hugo_tool(peers, corpus / "hugo", out / "hugo", cache / "hugo", peer_scenarios))
        elif name == "hugo+pagefind":
            made.append(hugo_pagefind_tool(peers, pagefind, corpus / "hugo", out / name, cache / name,
                                           peer_scenarios))
        elif name == "pelican":
            made.append(pelican_tool(peers, corpus / "pelican", out / "pelican", peer_scenarios))
    return made, make_nutgraf


def verify_clean(tool: Tool, make: MakeTool, scratch: Path, trash: Trash) -> tuple[str, ...]:
    """Build a copy of the tool's sources from nothing and compare its output with the tool's, file for file."""
    trash.discard(scratch)
    site = scratch / "site"
    shutil.copytree(tool.site, site, ignore=shutil.ignore_patterns("output", ".nutgraf-cache"))
    clean = make(site, scratch / "out", scratch / "cache")
    sample = run_measured(clean.argv, scratch / "clean-build.log")
    if sample.exit_code != 0:
        return (f"the clean build failed (exit {sample.exit_code}); see {scratch / 'clean-build.log'}",)
    differences = tuple(compare_trees(tool.output, clean.output))
    trash.discard(scratch)
    return differences


@dataclass(frozen=True, slots=True)
class ToolRun:
    """What one run of one tool gave: measurements, verifications and notes about its output."""

    records: tuple[Record, ...]
    verifications: tuple[Verification, ...]
    notes: tuple[str, ...]


def check_output(tool: Tool, manifest: dict, size: int) -> str:
    """What a cold build produced (pages per kind, feed, sitemap) and what the equivalent site lacks."""
    counts = count_pages(tool.output, manifest)
    # A plain corpus's Hugo site has one taxonomy (topics), so no author pages (as in issue 24's corpus).
    lacking = missing_outputs(counts, manifest, authors=not (tool.name.startswith("hugo")
                                                               and manifest.get("kind") == "plain"))
    return f"{tool.name} at {size:,}: {describe(counts)}" + (f"; MISSING {', '.join(lacking)}" if lacking else "")


def run_tool(tool: Tool, size: int, ctx: EditContext, manifest: dict, make: MakeTool | None, work: Path,
             trash: Trash) -> ToolRun:
    """Every scenario of one tool, in order, for one run; edits are undone at the end, whatever happens.

    On the first run the cold output is checked, and with `make` each incremental build is compared
    with a clean build of the same sources.
    """
    records, verifications, notes, undos = [], [], [], []
    first = ctx.run == 0
    try:
        for name in tool.scenarios:
            sc = scenario(name)
            if sc.cold:
                tool.reset(trash)
            if sc.edit:
                undos.append(sc.edit(ctx))
            log = work / "logs" / f"{tool.name}-n{size}-{name}-run{ctx.run + 1}.log"
            sample = run_measured(tool.argv, log)
            records.append(Record(tool.name, name, size, ctx.run, sample))
            say(f"  {tool.name:18} {name:14} {_progress(sample, log)}")
            if sample.exit_code != 0:
                say(f"  {tool.name} failed, skipping its other scenarios in this run; {log}:\n{_log_tail(log)}")
                break
            if sc.cold and first:
                notes.append(check_output(tool, manifest, size))
                say(f"  {'':18} {'':14} {notes[-1]}")
            if sc.verify and make is not None and first:
                found = verify_clean(tool, make, work / "verify", trash)
                verifications.append(Verification(tool.name, name, size, ctx.run, found))
                say(f"  {'':18} {'':14} incremental vs clean: {'OK' if not found else 'DIFF ' + '; '.join(found)}")
    finally:
        for undo in reversed(undos):
            undo()
    return ToolRun(tuple(records), tuple(verifications), tuple(notes))


def _log_tail(path: Path, lines: int = 8) -> str:
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def _progress(sample: Sample, log: Path) -> str:
    """Time, memory and the tool's own last line (its summary), for the progress display."""
    status = "" if sample.exit_code == 0 else f"  EXIT {sample.exit_code}"
    last = next((line.strip() for line in reversed(log.read_text(encoding="utf-8", errors="replace").splitlines())
                 if line.strip()), "")
    return f"{sample.seconds:7.2f} s {sample.peak_mb:7.0f} MB{status}  | {last[:110]}"


def warm_up(tools: list[Tool], size: int, work: Path, trash: Trash) -> None:
    """One unmeasured cold build per tool, so that no tool pays for a cold page cache or bytecode compilation."""
    for tool in tools:
        tool.reset(trash)
        log = work / "logs" / f"{tool.name}-n{size}-warmup.log"
        sample = run_measured(tool.argv, log)
        say(f"  {tool.name:18} {'warm-up':14} {_progress(sample, log)}")


def run_size(args: argparse.Namespace, size: int, nutgraf: Nutgraf, peers: Peers | None,
             tools: list[str], trash: Trash, baseline: Nutgraf | None, done: list[ToolRun]) -> None:
    """All runs at one size, the tools alternating within each run; each tool's run joins `done` as it ends."""
    options = WriteOptions(hugo_version_tuple(peers) if peers else LATEST_HUGO, args.photo_heroes, args.seed)
    corpus, manifest = prepare_corpus(args.work, args.seed, size, tools, options, args.corpus)
    for name in ("nutgraf", "baseline"):
        if args.cards and name in tools:
            add_cards(corpus / name, manifest["slugs"], args.seed)
    made, make_nutgraf = make_tools(args, tools, corpus, size, nutgraf, peers, args.pagefind, baseline)
    for _ in range(args.warmup):
        say(f"size {size:,}, warm-up")
        warm_up(made, size, args.work, trash)
    for run in range(args.runs):
        say(f"size {size:,}, run {run + 1}/{args.runs}")
        for tool in made:
            ctx = EditContext(tool.site, run, args.seed, tuple(manifest["slugs"]), args.corpus)
            make = None if args.no_verify or tool.name not in NUTGRAF_TOOLS or tool.name == "baseline" else make_nutgraf
            done.append(run_tool(tool, size, ctx, manifest, make, args.work, trash))
        trash.empty()  # between runs, unmeasured: at 10,000 explainers each cold build leaves gigabytes there


def table_keys(args: argparse.Namespace, skipped: dict[tuple[str, int], str]) -> list[tuple[str, str, int]]:
    """(tool, scenario, size) for every row of the table, in order."""
    keys = []
    for size in args.sizes:
        for tool in args.tools:
            names = args.scenarios if tool in NUTGRAF_TOOLS else PEER_SCENARIOS[tool]
            names = [n for n in names if n in args.scenarios]
            keys += [(tool, n, size) for n in (names if (tool, size) not in skipped else names[:1])]
    return keys


def settings(args: argparse.Namespace, nutgraf: Nutgraf, peers: Peers | None, baseline: Nutgraf | None) -> dict:
    """What was measured and how, for the report."""
    used = [o for o in ("--cache-dir", "--jobs") if o in nutgraf.options and (o != "--jobs" or args.jobs)]
    return {"sizes": args.sizes, "corpus": args.corpus, "photo_heroes": args.photo_heroes, "runs": args.runs,
            "warmup": args.warmup, "seed": args.seed, "jobs": args.jobs,
            "pelican_max": args.pelican_max, "tools": args.tools, "scenarios": list(args.scenarios),
            "nutgraf_version": nutgraf.version, "nutgraf_revision": git_revision(ROOT), "nutgraf_options": used,
            "nutgraf_exe": str(nutgraf.exe), "baseline_exe": str(baseline.exe) if baseline else "not run",
            "hugo_version": peers.hugo_version if peers else "not run",
            "pagefind": str(args.pagefind) if "hugo+pagefind" in args.tools else "not run",
            "pelican_version": peers.pelican_version if peers else "not run",
            "cold_start": "output and caches renamed into a trash folder, deleted after all runs",
            "memory_sampling": "VmRSS summed over the process tree every 20 ms "
                               + ("(/proc/PID/task/TID/children)" if has_children_files() else "(/proc scan)")
                               + ", or wait4 ru_maxrss of the largest single process if higher; Pss "
                               "(/proc/PID/smaps_rollup) summed over the tree by the same sampler"}


def main(argv: list[str] | None = None) -> int:
    """Set up, measure every size, then print and save the table."""
    args = parse_args(argv)
    nutgraf = detect_nutgraf(args.nutgraf)
    baseline = detect_nutgraf(args.baseline) if args.baseline else None
    peers = (ensure_peers(args.work / "venv", args.reinstall_peers)
             if {"hugo", "hugo+pagefind", "pelican"} & set(args.tools) else None)
    if "hugo+pagefind" in args.tools:
        args.pagefind = args.pagefind or find_pagefind(nutgraf)
        if not args.pagefind or not args.pagefind.exists():
            sys.exit("bench: no Pagefind binary for hugo+pagefind (nutgraf's pagefind-bin); pass --pagefind PATH")
    skipped = {("pelican", size): f"skipped: size > --pelican-max {args.pelican_max:,}"
               for size in args.sizes if "pelican" in args.tools and size > args.pelican_max}
    done: list[ToolRun] = []
    trash = Trash(args.work / "trash")
    trash.empty()  # left by an interrupted run: emptied before anything is measured
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # `kill` as Ctrl-C: report the runs that ended
    interrupted = False
    try:
        for size in args.sizes:
            run_size(args, size, nutgraf, peers, [t for t in args.tools if (t, size) not in skipped], trash,
                     baseline, done)
    except KeyboardInterrupt:
        interrupted = True
        say("interrupted: the report holds the runs that ended")
    finally:
        say(f"emptying {trash.folder}")
        trash.empty()
    records = [r for d in done for r in d.records]
    verifications = [v for d in done for v in d.verifications]
    notes = [n for d in done for n in d.notes] + [
        f"{v.tool} {v.scenario} at {v.size:,}: incremental output vs a clean build of the same sources: "
        + ("OK" if v.ok else "DIFF: " + "; ".join(v.differences)) for v in verifications]
    notes += [f"pelican at {size:,}: skipped (size > --pelican-max {args.pelican_max:,})" for _, size in skipped]
    rows = summarize(records, table_keys(args, skipped), skipped)
    notes += baseline_notes(rows, args.nutgraf, args.baseline)
    if interrupted:
        ended = {t: len({r.run for r in records if r.tool == t}) for t in dict.fromkeys(r.tool for r in records)}
        notes.insert(0, f"INTERRUPTED: runs that ended, of the {args.runs} asked for: "
                        + ", ".join(f"{tool} {count}" for tool, count in ended.items()))
    report = Report(now_utc(), machine(), settings(args, nutgraf, peers, baseline), tuple(rows), tuple(notes),
                    tuple(records), tuple(verifications))
    print(markdown_tables(rows, args.runs >= 5))
    print("\n".join(f"- {n}" for n in notes))
    json_path, md_path = write_results(report, args.results)
    say(f"wrote {json_path} and {md_path}")
    failed = any(r.sample.exit_code for r in records) or any(not v.ok for v in verifications)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
