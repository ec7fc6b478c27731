"""`nutgraf check`: every build error, unused files and the command's output, on small sites; nothing written."""

import json
import subprocess
import sys

from conftest import NOW, REPO, SITE_YAML, explainer

from generator.commands.check import CheckOptions, check_site

GOOD = "Lede.\n\n## What happened?\n\nThings.\n"


def findings(root, **options):
    """(path, line, level, message) of each finding, and the result."""
    result = check_site(CheckOptions(root, now=NOW, **options))
    return {(d.path, d.line, str(d.severity), d.message) for d in result.diagnostics}, result


def test_a_clean_site_has_no_findings_and_nothing_is_written(make_site):
    root = make_site({"content/a.md": explainer("A", GOOD, topics="[Syria]"),
                      "content/b.md": explainer("B", GOOD + "\nSee [a](/a/#what-happened).\n", topics="[Syria]")})
    found, result = findings(root)
    assert found == set() and result.ok and result.explainers == 2
    assert sorted(p.name for p in root.iterdir()) == ["content", "site.yaml"]  # no output/, no cache


def test_everything_build_rejects_is_an_error(make_site):
    root = make_site({"content/a.md": explainer("A", ":::timelime\nx\n:::\n", topics="[T]", authors="[nobody]"),
                      "content/b.md": "---\ntitle: [\n---\n"})
    found, result = findings(root)
    assert not result.ok
    assert ("content/a.md", 7, "error", "unknown block :::timelime") in found
    assert ("content/a.md", 4, "error", "unknown author id 'nobody'") in found
    assert any(path == "content/b.md" and level == "error" for path, _, level, _ in found)


def test_drafts_are_checked_too_but_their_links_to_drafts_are_fine(make_site):
    root = make_site({"content/a.md": explainer("A", GOOD + "\nTK and [b](/b/).\n", topics="[T]", draft="true"),
                      "content/b.md": explainer("B", GOOD, topics="[T]", draft="true")})
    found, _ = findings(root)
    assert found == {("content/a.md", 13, "error", "placeholder 'TK' left in the text")}


def test_files_nothing_uses_are_listed_with_whether_they_are_published(make_site):
    body = GOOD + "\n![A crowd](images/used.svg)\n\nRead [the report](/files/linked.pdf).\n"
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    root = make_site({"content/a.md": explainer("A", body, topics="[T]"),
                      "content/b.md": explainer("B", GOOD, topics="[T]", draft="true",
                                                hero='{image: images/draft.svg, alt: "A", credit: "C"}'),
                      "content/images/used.svg": svg, "content/images/draft.svg": svg,
                      "content/images/spare.svg": svg, "content/files/linked.pdf": "%PDF",
                      "content/files/orphan.pdf": "%PDF"})
    found, result = findings(root)
    unused = {(path, message) for path, _, level, message in found if level == "warning" and "uses" in message}
    assert unused == {("content/images/spare.svg", "no explainer uses this image, so it is not published"),
                      ("content/files/orphan.pdf", "no explainer uses or links to this file; it is published all "
                                                   "the same")}
    assert result.ok
    (root / "site.yaml").write_text(SITE_YAML + "publish_unused: true\n", encoding="utf-8")
    found, _ = findings(root)
    assert ("content/images/spare.svg", 0, "warning",
            "no explainer uses or links to this file; it is published all the same") in found


def test_the_command_prints_findings_and_exits_1_on_errors(make_site):
    root = make_site({"content/a.md": explainer("A", "Lede TK.\n\n## What?\n\nThings.\n", topics="[T]")})
    run = subprocess.run([sys.executable, "-m", "generator", "check", "--source", str(root)], capture_output=True,
                         text=True, cwd=REPO, timeout=120)
    assert run.returncode == 1
    assert run.stdout.startswith("content/a.md:6:6: error: placeholder 'TK' left in the text\n")
    assert "Checked 1 explainer: 1 error, 0 warnings" in run.stderr
    as_json = subprocess.run([sys.executable, "-m", "generator", "check", "--source", str(root), "--format", "json"],
                             capture_output=True, text=True, cwd=REPO, timeout=120)
    [finding] = json.loads(as_json.stdout)["diagnostics"]
    assert (finding["path"], finding["line"], finding["severity"]) == ("content/a.md", 6, "error")
    assert not (root / "output").exists() and not (root / ".nutgraf-cache").exists()
    (root / "content/a.md").write_text(explainer("A", GOOD, topics="[T]"))
    clean = subprocess.run([sys.executable, "-m", "generator", "check", "--source", str(root)], capture_output=True,
                           text=True, cwd=REPO, timeout=120)
    assert clean.returncode == 0 and clean.stdout == ""


def test_the_sample_site_has_no_errors():
    result = check_site(CheckOptions(REPO, now=NOW))
    assert result.ok, [d.format() for d in result.diagnostics]
    assert not any("link" in d.message or "no answer" in d.message for d in result.diagnostics)


