"""Scanning content/: which files are explainers, assets and data, in what order, and which are refused."""

from generator.sources import scan_sources


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


def test_links_out_of_the_site_are_refused_and_linked_folders_are_not_entered(tmp_path):
    outside = tmp_path / "outside"
    write(outside, {"secret.md": "s", "folder/inner.md": "i"})
    site = tmp_path / "site"
    write(site, {"content/ok.md": "ok", "shared/inside.md": "in"})
    (site / "content/out.md").symlink_to(outside / "secret.md")
    (site / "content/in.md").symlink_to(site / "shared/inside.md")
    (site / "content/broken.md").symlink_to(site / "shared/missing.md")
    (site / "content/linked").symlink_to(outside / "folder", target_is_directory=True)
    tree, found = scan_sources(site, site / "content")
    assert [d.rel for d in tree.documents] == ["in.md", "ok.md"]
    assert tree.documents[0].size == 2  # the linked file's own size
    said = {(d.path, d.severity.name.lower(), d.message.split(":")[0]) for d in found}
    refused = f"symbolic link points outside the site, to {outside / 'secret.md'}"
    assert said == {("content/out.md", "error", refused),
                    ("content/broken.md", "error", "cannot read"),
                    ("content/linked", "warning", "linked folders are not followed")}, said


def test_no_content_folder_is_a_warning_not_an_error(tmp_path):
    tree, found = scan_sources(tmp_path, tmp_path / "content")
    assert tree.documents == () and [d.severity.name for d in found] == ["WARNING"]
