"""Scanning content/: which files are explainers, assets and data, in what order, and which are refused."""

from conftest import assert_equals_clean_build, explainer, messages, run_build

from generator.outputs.writer import MARKER
from generator.sources.tree import scan_sources


def write(root, files):
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_files_come_sorted_folder_by_folder_each_with_its_stat_key(tmp_path):
    write(tmp_path, {"content/b.md": "b", "content/a.MD": "aa", "content/z/y.md": "y", "content/z/a/x.md": "x",
                     "content/c/c.md": "c", "content/images/p.svg": "<svg/>", "content/glossary.yaml": "{}",
                     "content/notes.markdown": "n", "content/.hidden.md": "h", "content/draft.md~": "~",
                     "content/.git/config.md": "g", "content/_assets/style.css": "s"})
    tree, found = scan_sources(tmp_path, tmp_path / "content")
    assert found == []
    # a folder's own files first (by name), then its folders (by name), each the same way
    assert [d.rel for d in tree.documents] == ["a.MD", "b.md", "notes.markdown", "c/c.md", "z/y.md", "z/a/x.md"]
    assert [a.rel for a in tree.assets] == ["_assets/style.css", "images/p.svg"]
    assert [d.rel for d in tree.data] == ["glossary.yaml"]
    first = tree.documents[0]
    stat = (tmp_path / "content/a.MD").stat()
    assert first.path == tmp_path / "content/a.MD" and (first.size, first.mtime_ns) == (2, stat.st_mtime_ns)


def test_links_out_of_content_are_refused_and_linked_folders_are_not_entered(tmp_path):
    outside = tmp_path / "outside"
    write(outside, {"secret.md": "s", "folder/inner.md": "i"})
    site = tmp_path / "site"
    write(site, {"content/ok.md": "ok", "content/shared/inside.md": "in", "notes/beside.md": "b"})
    (site / "content/out.md").symlink_to(outside / "secret.md")
    (site / "content/in.md").symlink_to(site / "content/shared/inside.md")
    (site / "content/beside.md").symlink_to(site / "notes/beside.md")  # in the site, but not in content/
    (site / "content/broken.md").symlink_to(site / "content/shared/missing.md")
    (site / "content/linked").symlink_to(outside / "folder", target_is_directory=True)
    tree, found = scan_sources(site, site / "content")
    assert [d.rel for d in tree.documents] == ["in.md", "ok.md", "shared/inside.md"]
    assert tree.documents[0].size == 2  # the linked file's own size
    said = {(d.path, d.severity.name.lower(), d.message.split(":")[0]) for d in found}
    assert said == {("content/out.md", "error", f"symbolic link points outside content/, to {outside / 'secret.md'}"),
                    ("content/beside.md", "error",
                     f"symbolic link points outside content/, to {site / 'notes/beside.md'}"),
                    ("content/broken.md", "error", "cannot read"),
                    ("content/linked", "warning", "linked folders are not followed")}, said


def test_links_to_hidden_files_are_refused(tmp_path):
    """actions/checkout leaves the CI token in .git/config: a link to it must never publish it."""
    site = tmp_path / "site"
    write(site, {".git/config": "extraheader = AUTHORIZATION: basic c2VjcmV0", "content/a.md": "a",
                 "content/.env": "TOKEN=1", "content/.secret/x.txt": "x", "content/a/.env": "TOKEN=2"})
    (site / "content/gitcfg").symlink_to("../.git/config")
    (site / "content/env.txt").symlink_to(".env")
    (site / "content/x.txt").symlink_to(".secret/x.txt")
    tree, found = scan_sources(site, site / "content")
    assert [a.rel for a in tree.assets] == [] and [d.rel for d in tree.documents] == ["a.md"]
    assert {(d.path, d.severity.name) for d in found} == {
        ("content/gitcfg", "ERROR"), ("content/env.txt", "ERROR"), ("content/x.txt", "ERROR")}
    assert all(d.hint for d in found)


def test_no_content_folder_is_a_warning_not_an_error(tmp_path):
    tree, found = scan_sources(tmp_path, tmp_path / "content")
    assert tree.documents == () and [d.severity.name for d in found] == ["WARNING"]


def test_hidden_files_and_linked_secrets_are_never_published(make_site):
    root = make_site({"content/a.md": explainer("A"), "content/.secret/x.txt": "x", "content/a/.env": "TOKEN=2",
                      "content/a/b/.git/config": "token", "content/.well-known/keys.txt": "k",
                      ".git/config": "extraheader = AUTHORIZATION: basic c2VjcmV0"})
    assert run_build(root).ok
    published = {p.relative_to(root / "output").as_posix() for p in (root / "output").rglob("*")}
    assert not [rel for rel in published if any(part.startswith(".") and part != MARKER for part in rel.split("/"))]
    (root / "content/gitcfg").symlink_to("../.git/config")
    result = run_build(root)
    assert "content/gitcfg: error: symbolic link points outside content/" in messages(result)[0]
    assert not (root / "output/gitcfg").exists()


def test_documents_kept_for_import_in_content_sources_are_never_read_or_published(tmp_path):
    write(tmp_path, {"content/sources/story.docx": "word", "content/sources/notes.md": "not an explainer",
                     "content/topic/sources/kept.md": "k"})
    tree, found = scan_sources(tmp_path, tmp_path / "content")
    assert found == [] and tree.assets == ()
    assert [d.rel for d in tree.documents] == ["topic/sources/kept.md"]  # only the top-level folder is set aside


def test_a_document_saved_in_content_sources_leaves_the_next_build_as_a_clean_one(make_site, tmp_path):
    root = make_site({"content/a.md": explainer("A")})
    assert run_build(root).ok
    write(root, {"content/sources/a.aml": "title: A\ndate: 2017-01-23\n:ignore\nBody.\n"})
    again = run_build(root)
    assert again.ok and again.written == 0
    assert_equals_clean_build(root, tmp_path)
