"""Scaffold: nutgraf init makes a site that nutgraf new and build use, its site.yaml example reading cleanly."""

from test_cli import nutgraf

from generator.sources.config import load_config


def test_init_new_build_round_trip(tmp_path):
    site = tmp_path / "my-site"
    assert nutgraf("init", site).returncode == 0
    assert (site / "site.yaml").is_file() and (site / "templates").is_dir()
    run = nutgraf("new", "Who are the parties?", "--source", site)
    assert run.returncode == 0, run.stderr
    text = (site / "content/who-are-the-parties.md").read_text(encoding="utf-8")
    for field in ("title:", "dek:", "date:", "updated:", "authors:", "topics:", "hero:", "summary:", "slug:",
                  "draft: true", "lang:", "description:", "## {card=ID}"):
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
    assert "This is a preview, with drafts: `nutgraf deploy` will not publish it." in run.stdout


def test_init_site_yaml_example_author_reads_cleanly_when_uncommented(tmp_path):
    """The scaffold's commented-out reporter shows role, photo and links: uncommented, site.yaml has no finding."""
    assert nutgraf("init", tmp_path / "s").returncode == 0
    text = (tmp_path / "s/site.yaml").read_text(encoding="utf-8")
    example = [line for line in text.splitlines() if line.startswith("  # ")]
    assert any("role:" in line for line in example) and any("links:" in line for line in example)
    (tmp_path / "s/site.yaml").write_text(text.replace("\n  # ", "\n  "), encoding="utf-8")
    config, found = load_config(tmp_path / "s")
    assert found == [] and config.authors["jane-doe"].role == "Diplomacy correspondent"
    assert dict(config.authors["jane-doe"].links) == {"website": "https://example.org/jane/",
                                                      "email": "jane@example.org"}
