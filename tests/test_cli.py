"""The command line, run as a real process (`python -m generator`, generator/__main__.py): exit statuses, the
summary line, JSON output."""

import errno
import json
import subprocess
import sys

import pytest
from conftest import REPO, explainer, fail_renames, fail_writes

from generator.outputs.writer import TEMP_TAG


def nutgraf(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "generator", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def test_help_lists_commands_and_examples():
    run = nutgraf("--help")
    assert run.returncode == 0
    for word in ("init", "new", "build", "examples:", "exit status"):
        assert word in run.stdout
    build_help = nutgraf("build", "--help").stdout
    for option in ("--source", "--output", "--drafts", "--future", "--base-url"):
        assert option in build_help


def test_content_errors_exit_1_with_file_and_line_and_no_traceback(make_site):
    root = make_site({"content/bad.md": "---\ntitle: no\ndate: 2017-01-01\n---\n"})
    run = nutgraf("build", "--source", root)
    assert run.returncode == 1
    assert "content/bad.md:2:8: error:" in run.stderr
    assert "hint:" in run.stderr
    assert "Traceback" not in run.stderr
    assert "nothing was written" in run.stderr


JSON_KEYS = {"ok", "command", "counts", "diagnostics", "next_scheduled", "output"}
DIAGNOSTIC_KEYS = {"path", "line", "column", "severity", "message", "hint"}


def json_result(run, command: str, ok: bool) -> dict:
    """The one JSON object a command printed on standard output, checked for the documented shape."""
    found = json.loads(run.stdout)
    assert set(found) == JSON_KEYS and found["command"] == command and found["ok"] is ok
    assert all(set(d) == DIAGNOSTIC_KEYS for d in found["diagnostics"])
    return found


@pytest.mark.parametrize("command", ["build", "check"])
def test_json_format_on_success(make_site, command):
    root = make_site({"content/a.md": explainer("A", "Lede.\n\n## Why?\n\nBecause.\n", topics="[T]"),
                      "content/later.md": explainer("Later", topics="[T]", date="2099-01-01T09:00:00+00:00")})
    run = nutgraf(command, "--source", root, "--format", "json")
    assert run.returncode == 0, run.stderr
    found = json_result(run, command, ok=True)
    assert found["counts"]["explainers"] >= 1 and found["counts"]["errors"] == 0
    if command == "build":
        assert found["counts"]["pages"] > 0 and found["counts"]["written"] > 0
        assert found["next_scheduled"] == "2099-01-01T09:00:00+00:00"
        assert found["output"] == str((root / "output").resolve())


@pytest.mark.parametrize("command", ["build", "check"])
def test_json_format_on_content_errors(make_site, command):
    root = make_site({"content/bad.md": "---\ntitle: no\ndate: 2017-01-01\n---\n"})
    run = nutgraf(command, "--source", root, "--format", "json")
    assert run.returncode == 1
    found = json_result(run, command, ok=False)
    assert found["counts"]["errors"] >= 1
    assert (found["diagnostics"][0]["path"], found["diagnostics"][0]["line"]) == ("content/bad.md", 2)


@pytest.mark.parametrize("command", ["build", "check", "serve", "watch"])
def test_json_format_on_usage_errors(make_site, command):
    root = make_site({"content/a.md": explainer("A")})
    run = nutgraf(command, "--source", root, "--format", "json", "--jobs", "-1")
    assert run.returncode == 2
    found = json_result(run, command, ok=False)
    assert "--jobs" in found["diagnostics"][0]["message"]


def test_watch_json_prints_a_json_line_per_build(make_site):
    root = make_site({"content/a.md": explainer("A")})
    process = subprocess.Popen([sys.executable, "-m", "generator", "watch", "--source", str(root), "--format", "json"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        found = json.loads(process.stdout.readline())
        assert set(found) == JSON_KEYS and found["command"] == "watch" and found["ok"] is True
        process.terminate()
        process.wait(timeout=15)
        assert process.stdout.read() == ""  # Watching ... and Stopped. went to standard error
    finally:
        process.kill()
        process.wait()


def test_usage_errors_exit_2(make_site, tmp_path):
    assert nutgraf("build", "--no-such-option").returncode == 2
    root = make_site({"content/a.md": explainer("A")})
    run = nutgraf("build", "--source", root, "--output", root / "content")
    assert run.returncode == 2 and "refusing" in run.stderr and "Traceback" not in run.stderr
    run = nutgraf("init", root)
    assert run.returncode == 2 and "already exists" in run.stderr


def test_missing_site_is_explained(tmp_path):
    run = nutgraf("build", "--source", tmp_path)
    assert run.returncode == 1
    assert "no site.yaml" in run.stderr and "nutgraf init" in run.stderr


def test_sample_site_of_the_repository_builds(tmp_path):
    run = nutgraf("build", "--source", REPO, "--output", tmp_path / "out")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("Built ")


def test_verbose_says_how_long_each_stage_took_and_nothing_of_the_libraries(tmp_path):
    run = nutgraf("build", "--source", REPO, "--output", tmp_path / "out", "--no-cache", "--verbose")
    assert run.returncode == 0, run.stderr
    stages = {}
    for line in run.stderr.splitlines():
        name, _, said = line.partition(": ")
        assert name.startswith("generator."), line  # not Markdown's or Pillow's debugging
        if said.endswith(" s"):
            stages[said[:-2].rstrip(" 0123456789.")] = float(said.split()[-2])
    for stage in ("settings, theme and sources", "site assembled and planned", "feeds, sitemaps and files",
                  "cache saved"):
        assert stage in stages, stages
    assert any(name.endswith("explainer files loaded") for name in stages)
    assert any(name.endswith("pages planned") for name in stages)
    assert all(seconds >= 0 for seconds in stages.values())


@pytest.mark.parametrize("damaged", ["pages.sqlite", "bodies.sqlite", "state.pickle", "records.pickle", "stamp.pickle"])
def test_a_damaged_cache_is_a_warning_not_a_traceback(make_site, damaged):
    root = make_site({f"content/e{i}.md": explainer(f"Explainer {i}", topics="[Shared]") for i in range(3)})
    assert nutgraf("build", "--source", root).returncode == 0
    (root / ".nutgraf-cache" / damaged).write_bytes(b"\x00garbage\xff" * 100)
    (root / "content/new.md").write_text(explainer("A new one", topics="[Shared]"), encoding="utf-8")
    run = nutgraf("build", "--source", root)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr and "bug in nutgraf" not in run.stderr
    assert f".nutgraf-cache/{damaged}: warning: the cache was damaged" in run.stderr
    assert "discarded; this build starts clean" in run.stderr
    assert run.stdout.startswith("Built 4 explainers")
    again = nutgraf("build", "--source", root)
    assert again.returncode == 0 and again.stderr == "" and "0 warnings" in again.stdout


def _staged_page(name):
    return name.startswith(TEMP_TAG) and name.endswith(".html")


DISK_ERRORS = {  # fault: (how, the file named, the message)
    "disk full": (lambda patch: fail_writes(patch, errno.ENOSPC, _staged_page, after=1), "index.html",
                  "cannot write: the disk is full"),
    "read-only output": (lambda patch: fail_renames(patch, errno.EROFS, lambda name: name.startswith(TEMP_TAG)),
                         "index.html", "cannot write: the file system is read-only"),
    "permission denied": (lambda patch: fail_writes(patch, errno.EACCES, _staged_page), "index.html",
                          "permission denied"),
    "cache on a full disk": (lambda patch: fail_writes(patch, errno.ENOSPC, lambda name: name.startswith(".state.")),
                             ".nutgraf-cache/state.pickle", "cannot write: the disk is full"),
}


@pytest.mark.parametrize("fault", DISK_ERRORS)
def test_a_disk_that_refuses_a_write_is_one_clear_error_not_a_bug(make_site, monkeypatch, capsys, fault):
    from conftest import snapshot, touch_later

    from generator.cli import main

    root = make_site({f"content/e{i}.md": explainer(f"Explainer {i}") for i in range(3)})
    assert main(["build", "--source", str(root), "--jobs", "1"]) == 0
    before = snapshot(root / "output")
    for i in range(3):
        (root / f"content/e{i}.md").write_text(explainer(f"Changed {i}"), encoding="utf-8")
        touch_later(root / f"content/e{i}.md")
    capsys.readouterr()
    inject, named, message = DISK_ERRORS[fault]
    with monkeypatch.context() as patch:
        inject(patch)
        assert main(["build", "--source", str(root), "--jobs", "1"]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2 and "Traceback" not in lines[0] and "bug in nutgraf" not in lines[0]
    where, said = lines[0].split(": error: ")
    assert where.startswith(str(root)) and where.endswith(named) and said == message
    assert lines[1].startswith("  hint: ") and "--output" in lines[1]
    if named.endswith(".html"):  # failed before the output changed
        assert snapshot(root / "output") == before
    leftovers = [p.name for p in root.rglob("*") if p.name.startswith((TEMP_TAG, ".state.pickle."))]
    assert leftovers == []
