"""Deploy: a real bare git repository and a real rsync destination; only changes travel; the gate refuses."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import SITE_YAML, explainer, parse
from tools import find_executable

from generator.cli import main


def git(*args, cwd=None) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


def test_deploy_commits_output_to_a_branch_of_a_bare_repository(make_site, tmp_path, capsys):
    find_executable("git", ("git",))
    root = make_site({"content/a.md": explainer("A")})
    remote = tmp_path / "remote.git"
    git("init", "-q", "--bare", str(remote))
    assert main(["deploy", "--source", str(root), "--git", str(remote), "--cname", "news.example.org"]) == 0
    files = git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote).splitlines()
    assert {"a/index.html", ".nojekyll", "CNAME", "_headers"} <= set(files) and ".nutgraf-output" not in files
    capsys.readouterr()
    assert main(["deploy", "--source", str(root), "--git", str(remote), "--no-build", "--dry-run",
                 "--cname", "news.example.org"]) == 0
    assert "Would publish 0 changes" in capsys.readouterr().err  # nothing changed: nothing travels
    (root / "content/b.md").write_text(explainer("B"), encoding="utf-8")
    assert main(["deploy", "--source", str(root), "--git", str(remote), "--dry-run",
                 "--cname", "news.example.org"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert "A\tb/index.html" in listed and len(git("rev-list", "gh-pages", cwd=remote).split()) == 1
    assert main(["deploy", "--source", str(root), "--git", str(remote), "--cname", "news.example.org"]) == 0
    assert len(git("rev-list", "gh-pages", cwd=remote).split()) == 2


def test_deploy_rsyncs_only_changed_files(make_site, tmp_path, capsys):
    find_executable("rsync", ("rsync",), hint="apt-get install rsync")
    root = make_site({"content/a.md": explainer("A")})
    dest = tmp_path / "www"
    dest.mkdir()
    assert main(["deploy", "--source", str(root), "--rsync", f"{dest}/"]) == 0
    assert (dest / "a/index.html").is_file() and not (dest / ".nutgraf-output").exists()
    capsys.readouterr()
    assert main(["deploy", "--source", str(root), "--rsync", f"{dest}/", "--no-build"]) == 0
    assert capsys.readouterr().out.strip() == ""  # checksums equal: nothing sent
    (root / "content/a.md").write_text(explainer("A", body="## Why?\n\nChanged.\n"), encoding="utf-8")
    assert main(["deploy", "--source", str(root), "--rsync", f"{dest}/", "--dry-run"]) == 0
    listed = capsys.readouterr().out
    assert "a/index.html" in listed and "Changed" not in (dest / "a/index.html").read_text()


def test_the_gate_refuses_drafts_and_check_errors(make_site, tmp_path, capsys):
    find_executable("rsync", ("rsync",), hint="apt-get install rsync")
    body = "## Where does this lead?\n\nTo [a page that is not there](/no-such-page/).\n"
    root = make_site({"content/a.md": explainer("A"), "content/b.md": explainer("B", body=body)})
    dest = tmp_path / "www"
    assert main(["deploy", "--source", str(root), "--rsync", str(dest), "--drafts"]) == 2
    assert "draft" in capsys.readouterr().err and not dest.exists()
    assert main(["deploy", "--source", str(root), "--rsync", str(dest)]) == 1
    err = capsys.readouterr().err
    assert "b.md:" in err and "/no-such-page/" in err and "Not deployed" in err
    assert not dest.exists()
    (root / "content/b.md").write_text(explainer("B"), encoding="utf-8")  # the editor fixes the link
    assert main(["deploy", "--source", str(root), "--rsync", f"{dest}/"]) == 0
    assert (dest / "b/index.html").is_file()


def test_the_gate_reads_site_paths_under_the_sub_path_of_base_url(make_site, tmp_path, capsys):
    find_executable("rsync", ("rsync",), hint="apt-get install rsync")
    body = "## Where does this lead?\n\nTo [a](/a/) and [nowhere](/no-such-page/).\n"
    root = make_site({"content/a.md": explainer("A"), "content/b.md": explainer("B", body=body)})
    dest, sub_path = tmp_path / "www", ["--base-url", "https://example.org/explainers/"]
    assert main(["deploy", "--source", str(root), "--rsync", str(dest), *sub_path]) == 1
    err = capsys.readouterr().err
    assert "b.md:7:" in err and "the link /no-such-page/ leads nowhere" in err and "/a/" not in err
    (root / "content/b.md").write_text(explainer("B", body=body.replace(" and [nowhere](/no-such-page/)", "")),
                                       encoding="utf-8")
    assert main(["deploy", "--source", str(root), "--rsync", f"{dest}/", *sub_path]) == 0
    body = parse(dest / "b/index.html").find("div", class_="article-body")
    assert body.find("p").find("a")["href"] == "/explainers/a/"


def plant_secrets(out: Path) -> None:
    """What a careless `git init` or editor leaves in output/: never part of the site."""
    for rel in (".git/config", "a/.env", "stray.html"):
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text("extraheader = AUTHORIZATION: basic c2VjcmV0", encoding="utf-8")


@pytest.mark.parametrize("no_build", [False, True])
def test_deploy_cleans_the_output_of_what_nutgraf_did_not_write(make_site, tmp_path, no_build):
    find_executable("rsync", ("rsync",), hint="apt-get install rsync")
    root = make_site({"content/a.md": explainer("A")})
    dest = tmp_path / "www"
    assert main(["build", "--source", str(root)]) == 0
    plant_secrets(root / "output")
    assert main(["deploy", "--source", str(root), "--rsync", f"{dest}/", *(["--no-build"] if no_build else [])]) == 0
    for rel in (".git", "a/.env", "stray.html"):
        assert not (dest / rel).exists() and not (root / "output" / rel).exists(), rel
    assert (dest / "a/index.html").is_file()


def test_deploy_git_never_copies_a_git_folder_of_the_output(make_site, tmp_path):
    find_executable("git", ("git",))
    root = make_site({"content/a.md": explainer("A")})
    remote = tmp_path / "remote.git"
    git("init", "-q", "--bare", str(remote))
    assert main(["build", "--source", str(root)]) == 0
    plant_secrets(root / "output")
    assert main(["deploy", "--source", str(root), "--git", str(remote), "--no-build"]) == 0
    files = set(git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote).splitlines())
    assert "a/index.html" in files and not {"a/.env", "stray.html", ".git/config"} & files


def test_deploy_without_build_refuses_an_output_no_build_describes(make_site, tmp_path, capsys):
    find_executable("rsync", ("rsync",), hint="apt-get install rsync")
    root = make_site({"content/a.md": explainer("A")})
    assert main(["build", "--source", str(root), "--no-cache"]) == 0
    assert main(["deploy", "--source", str(root), "--rsync", f"{tmp_path / 'www'}/", "--no-build"]) == 2
    assert "which files" in capsys.readouterr().err and not (tmp_path / "www").exists()
    assert main(["build", "--source", str(root)]) == 0
    (root / "content/b.md").write_text(explainer("B"), encoding="utf-8")
    assert main(["build", "--source", str(root), "--no-cache"]) == 0  # the cache describes the build before
    assert main(["deploy", "--source", str(root), "--rsync", f"{tmp_path / 'www'}/", "--no-build"]) == 2
    assert (root / "output/b/index.html").is_file() and not (tmp_path / "www").exists()


def test_a_preview_output_is_never_deployed_whatever_the_flags(make_site, tmp_path, capsys):
    find_executable("git", ("git",))
    root = make_site({"content/a.md": explainer("A"), "content/secret.md": explainer("Secret", draft="true")})
    remote = tmp_path / "remote.git"
    git("init", "-q", "--bare", str(remote))
    assert main(["build", "--source", str(root), "--drafts"]) == 0
    assert (root / "output/secret/index.html").is_file()
    capsys.readouterr()
    assert main(["deploy", "--source", str(root), "--git", str(remote), "--no-build"]) == 1
    err = capsys.readouterr().err
    assert "preview" in err and "drafts" in err and "`nutgraf build` (without --drafts or --future)" in err
    assert git("branch", "--list", cwd=remote).strip() == ""  # nothing reached the remote
    (root / "output/.nutgraf-output").write_text("")  # an older nutgraf's marker does not say how it was built
    assert main(["deploy", "--source", str(root), "--git", str(remote), "--no-build"]) == 1
    assert "does not say how it was built" in capsys.readouterr().err
    assert main(["deploy", "--source", str(root), "--git", str(remote)]) == 0  # a deploy that builds: clean
    files = git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote).splitlines()
    assert "a/index.html" in files and not any(f.startswith("secret/") for f in files)


def test_deploy_settings_of_site_yaml_and_the_custom_domain_survive_later_deploys(make_site, tmp_path, capsys):
    find_executable("git", ("git",))
    remote = tmp_path / "remote.git"
    git("init", "-q", "--bare", str(remote))
    site_yaml = SITE_YAML + f"deploy:\n  git: {remote}\n  branch: pages\n  cname: news.example.org\n"
    root = make_site({"content/a.md": explainer("A")}, site_yaml)

    def cname() -> str:
        return git("show", "pages:CNAME", cwd=remote).strip()

    assert main(["deploy", "--source", str(root)]) == 0 and cname() == "news.example.org"
    (root / "content/b.md").write_text(explainer("B"), encoding="utf-8")
    assert main(["deploy", "--source", str(root), "--git", str(remote)]) == 0  # naming the same remote
    assert cname() == "news.example.org" and "b/index.html" in git("ls-tree", "-r", "--name-only", "pages",
                                                                  cwd=remote)
    # A domain given once on the command line stays on the branch when a later deploy names none.
    other = tmp_path / "other.git"
    git("init", "-q", "--bare", str(other))
    assert main(["deploy", "--source", str(root), "--git", str(other), "--cname", "x.example.org"]) == 0
    assert "put `deploy: {cname: x.example.org}` in site.yaml" in capsys.readouterr().err
    (root / "content/c.md").write_text(explainer("C"), encoding="utf-8")
    assert main(["deploy", "--source", str(root), "--git", str(other)]) == 0
    shown = git("show", "gh-pages:CNAME", cwd=other).strip()
    assert shown == "x.example.org" and "c/index.html" in git("ls-tree", "-r", "--name-only", "gh-pages", cwd=other)
