"""The command line, run as a real process: exit statuses, summary line, init and new."""

import json
import subprocess
import sys

import pytest
from conftest import REPO, explainer


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


def test_init_new_build_round_trip(tmp_path):
    site = tmp_path / "my-site"
    assert nutgraf("init", site).returncode == 0
    assert (site / "site.yaml").is_file() and (site / "templates").is_dir()
    run = nutgraf("new", "Who are the parties?", "--source", site)
    assert run.returncode == 0, run.stderr
    text = (site / "content/who-are-the-parties.md").read_text(encoding="utf-8")
    for field in ("title:", "dek:", "date:", "updated:", "authors:", "topics:", "hero:", "summary:", "slug:",
                  "draft: true", "lang:", "description:"):
        assert field in text, field
    assert nutgraf("new", "Who are the parties?", "--source", site).returncode == 2  # never overwrites
    run = nutgraf("build", "--source", site)
    assert run.returncode == 0, run.stderr
    summary = run.stdout.strip().splitlines()[-1]
    assert summary.startswith("Built 1 explainer:") and " pages" in summary and "warnings" in summary
    assert (site / "output/what-is-an-explainer/index.html").is_file()
    assert not (site / "output/who-are-the-parties").exists()  # a draft
    run = nutgraf("build", "--drafts", cwd=site)  # --source defaults to the current folder
    assert run.returncode == 0 and (site / "output/who-are-the-parties/index.html").is_file()


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
