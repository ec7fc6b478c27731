"""Report: medians, p90 and peak memory per tool, scenario and size; the Markdown table and latest.json."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import platform
import re
import statistics
import subprocess
from dataclasses import asdict, dataclass, field
from pathlib import Path

from measure import Sample


@dataclass(frozen=True, slots=True)
class Record:
    """One measured build."""

    tool: str
    scenario: str
    size: int
    run: int
    sample: Sample


@dataclass(frozen=True, slots=True)
class Verification:
    """An incremental build compared with a clean build of the same sources."""

    tool: str
    scenario: str
    size: int
    run: int
    differences: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.differences


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the table."""

    tool: str
    scenario: str
    size: int
    runs: int
    median_s: float | None
    p90_s: float | None
    peak_mb: float | None
    vs_hugo: float | None  # median / Hugo's cold median at this size
    vs_pelican: float | None  # median / Pelican's cold median at this size
    rss_vs_hugo: float | None  # peak / Hugo's cold peak at this size
    pss_mb: float | None = None  # peak Pss of the tree: shared pages counted once
    pss_vs_hugo: float | None = None
    largest_mb: float | None = None  # ru_maxrss of the largest single process of the tree
    vs_pagefind: float | None = None  # median / Hugo+Pagefind's cold median at this size
    largest_vs_pagefind: float | None = None  # largest process / Hugo+Pagefind's largest process (cold)
    cpu_s: float | None = None  # median CPU time (user + system) of the process tree
    cpu_vs_hugo: float | None = None  # cpu_s / Hugo's cold median CPU time
    cpu_vs_pagefind: float | None = None  # cpu_s / Hugo+Pagefind's cold median CPU time
    failed: int = 0
    note: str = ""


@dataclass(frozen=True, slots=True)
class Report:
    date: str
    machine: dict
    settings: dict
    rows: tuple[Row, ...]
    notes: tuple[str, ...]
    records: tuple[Record, ...] = field(default=())
    verifications: tuple[Verification, ...] = field(default=())


def p90(values: list[float]) -> float:
    """The 90th percentile by nearest rank (with 5 runs, the slowest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def machine() -> dict:
    """Architecture, CPU model, core count and memory of this machine."""
    cpu = "unknown"
    memory_kb = 0
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
        memory_kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                             if line.startswith("MemTotal:")))
    except (OSError, StopIteration):
        pass
    return {"arch": platform.machine(), "cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(memory_kb / 2**20, 1),
            "kernel": platform.release(), "python": platform.python_version()}


def git_revision(repo: Path) -> str:
    """The nutgraf commit measured, with "+dirty" when the work tree has changes."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=False).stdout
    head = git("rev-parse", "--short", "HEAD").strip() or "unknown"
    return head + ("+dirty" if git("status", "--porcelain", "--untracked-files=no").strip() else "")


def _cold(records: list[Record], tool: str, size: int) -> tuple[float, float, float, float, float] | None:
    """(median seconds, peak RSS MB, peak PSS MB, largest process MB, median CPU seconds) of a tool's
    successful cold builds."""
    ok = [r.sample for r in records if r.tool == tool and r.size == size and r.scenario == "cold"
          and r.sample.exit_code == 0]
    if not ok:
        return None
    return (statistics.median(s.seconds for s in ok), max(s.peak_mb for s in ok), max(s.peak_pss_mb for s in ok),
            max(s.single_peak_kb for s in ok) / 1024, statistics.median(s.cpu_seconds for s in ok))


def _ratio(value: float | None, base: tuple[float, float] | None, index: int) -> float | None:
    return value / base[index] if value is not None and base and base[index] else None


def _row(records: list[Record], tool: str, name: str, size: int) -> Row:
    """The statistics of one cell, with its ratios to the peers' cold builds at the same size."""
    mine = [r.sample for r in records if (r.tool, r.scenario, r.size) == (tool, name, size)]
    ok = [s for s in mine if s.exit_code == 0]
    median = statistics.median(s.seconds for s in ok) if ok else None
    peak = max(s.peak_mb for s in ok) if ok else None
    pss = max(s.peak_pss_mb for s in ok) or None if ok else None
    largest = max(s.single_peak_kb for s in ok) / 1024 if ok else None
    cpu = statistics.median(s.cpu_seconds for s in ok) if ok else None
    hugo, pelican = _cold(records, "hugo", size), _cold(records, "pelican", size)
    pagefind = _cold(records, "hugo+pagefind", size)
    return Row(tool, name, size, len(ok), median, p90([s.seconds for s in ok]) if ok else None, peak,
               _ratio(median, hugo, 0), _ratio(median, pelican, 0), _ratio(peak, hugo, 1), pss,
               _ratio(pss, hugo, 2), largest, _ratio(median, pagefind, 0), _ratio(largest, pagefind, 3), cpu,
               _ratio(cpu, hugo, 4), _ratio(cpu, pagefind, 4), failed=len(mine) - len(ok),
               note=f"{len(mine) - len(ok)} failed" if len(ok) < len(mine) else "")


def summarize(records: list[Record], keys: list[tuple[str, str, int]],
              skipped: dict[tuple[str, int], str]) -> list[Row]:
    """One row per (tool, scenario, size) in `keys` order; skipped ones carry their reason."""
    return [Row(tool, name, size, 0, None, None, None, None, None, None, note=skipped[tool, size])
            if (tool, size) in skipped else _row(records, tool, name, size) for tool, name, size in keys]


def baseline_notes(rows: list[Row], nutgraf: Path, baseline: Path | None) -> list[str]:
    """nutgraf's medians divided by the baseline's, cell by cell (wall, CPU, largest process)."""
    if baseline is None:
        return []
    cells = {(r.tool, r.scenario, r.size): r for r in rows}
    notes = [f"baseline is {baseline}; nutgraf is {nutgraf}; both with the site's defaults, alternating in each run"]
    for (tool, name, size), new in cells.items():
        old = cells.get(("baseline", name, size))
        if tool != "nutgraf" or old is None or not new.median_s or not old.median_s:
            continue
        ratios = [f"wall {new.median_s:.2f} ÷ {old.median_s:.2f} s = {new.median_s / old.median_s:.2f}×"]
        if new.cpu_s and old.cpu_s:
            ratios.append(f"CPU {new.cpu_s:.1f} ÷ {old.cpu_s:.1f} s = {new.cpu_s / old.cpu_s:.2f}×")
        if new.largest_mb and old.largest_mb:
            ratios.append(f"largest process {new.largest_mb / old.largest_mb:.2f}×")
        notes.append(f"nutgraf ÷ baseline, {name} at {size:,}: " + ", ".join(ratios))
    return notes


def _num(value: float | None, digits: int = 2, suffix: str = "") -> str:
    return "–" if value is None else f"{value:.{digits}f}{suffix}"


# The two tables: the build users run (search on, the default) against what a Hugo user runs to get search,
# and the builds without search against Hugo and Pelican alone.
SEARCH_ON = ("nutgraf", "baseline", "hugo+pagefind")
SEARCH_ON_TITLE = "With search (the site's defaults): nutgraf against Hugo followed by Pagefind"
SEARCH_OFF_TITLE = "Without search: nutgraf with `search: false` against Hugo and Pelican alone"


def _cells(r: Row, with_p90: bool, search_on: bool) -> list[str]:
    common = [r.tool, r.scenario, f"{r.size:,}", _num(r.median_s), *([_num(r.p90_s)] if with_p90 else []),
              _num(r.cpu_s, 1), _num(r.peak_mb, 0), _num(r.pss_mb, 0), _num(r.largest_mb, 0)]
    if search_on:
        return [*common, _num(r.vs_pagefind, 2, "×"), _num(r.cpu_vs_pagefind, 2, "×"),
                _num(r.largest_vs_pagefind, 2, "×"), r.note]
    return [*common, _num(r.vs_hugo, 2, "×"), _num(r.cpu_vs_hugo, 2, "×"), _num(r.vs_pelican, 2, "×"),
            _num(r.rss_vs_hugo, 2, "×"), _num(r.pss_vs_hugo, 2, "×"), r.note]


def markdown_table(rows: list[Row], with_p90: bool, search_on: bool = False) -> str:
    """Rows as a Markdown table: with search, ratios to Hugo followed by Pagefind; without, to Hugo and Pelican."""
    ratios = (["÷ Hugo+Pagefind cold", "CPU ÷ Hugo+Pagefind", "largest ÷ Hugo+Pagefind"] if search_on
              else ["÷ Hugo cold", "CPU ÷ Hugo", "÷ Pelican cold", "RSS ÷ Hugo", "PSS ÷ Hugo"])
    head = ["tool", "scenario", "size", "median s", *(["p90 s"] if with_p90 else []), "CPU s", "peak RSS MB",
            "peak PSS MB", "largest process MB", *ratios, "note"]
    lines = ["| " + " | ".join(head) + " |",
             "|" + "|".join("---" if h in ("tool", "scenario", "note") else "---:" for h in head) + "|"]
    lines += ["| " + " | ".join(_cells(r, with_p90, search_on)) + " |" for r in rows]
    return "\n".join(lines)


def markdown_tables(rows: list[Row], with_p90: bool) -> str:
    """The search-on table and the search-off table, each under its title (a table with no rows is left out)."""
    on = [r for r in rows if r.tool in SEARCH_ON]
    off = [r for r in rows if r.tool not in SEARCH_ON]
    parts = [f"{title}\n\n{markdown_table(part, with_p90, flag)}"
             for title, part, flag in ((SEARCH_ON_TITLE, on, True), (SEARCH_OFF_TITLE, off, False)) if part]
    return "\n\n".join(parts)


def _short_version(text: str) -> str:
    """"hugo v0.168.0-e27a...+extended linux/amd64 ..." -> "hugo v0.168.0"; "nutgraf 0.1.0" stays."""
    found = re.match(r"\s*(\S+ v?\d+(?:\.\d+)*)", text)
    return found[1] if found else text


def render_markdown(report: Report) -> str:
    """latest.md: when, where, what was measured, the table and the notes."""
    m, s = report.machine, report.settings
    pelican = s["pelican_version"] if s["pelican_version"].startswith("not") else f"pelican {s['pelican_version']}"
    head = [f"# nutgraf benchmark, {report.date}", "",
            f"- Machine: {m['arch']}, {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB RAM, Linux {m['kernel']}, "
            f"Python {m['python']}.",
            f"- Tools: {_short_version(s['nutgraf_version'])} at {s['nutgraf_revision']} (options passed: "
            f"{' '.join(s['nutgraf_options']) or 'none'}), {_short_version(s['hugo_version'])}, {pelican}.",
            f"- Corpus {s.get('corpus', 'standard')}, seed {s['seed']}; {s['warmup']} unmeasured warm-up build(s), "
            f"then {s['runs']} runs per cell, the tools alternating within each run.",
            "- Times are wall-clock medians (p90 by nearest rank); peak RSS and PSS are the whole process tree's "
            "(PSS counts pages that forked workers share once; see bench/README.md); the largest process is the "
            "biggest ru_maxrss of any one process; CPU is user + system time of the whole tree (wait4), steadier "
            "than wall time on a loaded machine; ÷ columns divide by Hugo+Pagefind's, Hugo's or Pelican's "
            "cold build at the same size.", ""]
    notes = ["", *(f"- {n}" for n in report.notes)] if report.notes else []
    return "\n".join(head) + "\n" + markdown_tables(list(report.rows), s["runs"] >= 5) + "\n" + "\n".join(notes) + "\n"


def write_results(report: Report, folder: Path) -> tuple[Path, Path]:
    """bench/results/latest.json and latest.md."""
    folder.mkdir(parents=True, exist_ok=True)
    data = asdict(report)
    for record in data["records"]:
        record["sample"]["peak_mb"] = round(max(record["sample"]["tree_peak_kb"], record["sample"]["single_peak_kb"])
                                            / 1024, 1)
    json_path, md_path = folder / "latest.json", folder / "latest.md"
    json_path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    md_path.write_text(render_markdown(report), encoding="utf-8")
    return json_path, md_path


def now_utc() -> str:
    """The date and time of the run, in UTC."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
