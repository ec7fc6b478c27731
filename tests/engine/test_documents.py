"""Reading explainer files: hostile and broken inputs become diagnostics, never exceptions."""

from conftest import explainer, messages, run_build


def test_a_huge_file_is_refused_without_reading_it_whole(make_site):
    root = make_site({"content/ok.md": explainer("OK"), "content/huge.md": explainer("Huge", "word " * (10 * 2**20))})
    result = run_build(root)
    assert not result.ok
    assert any(m.startswith("content/huge.md:1: error: the file is 50 MB") for m in messages(result)), messages(result)


def test_markup_nested_too_deeply_to_render_is_an_error_not_a_crash(make_site):
    nested_emphasis = "*" * 3000 + "deep" + "*" * 3000  # Python-Markdown recurses once per level
    nested_list = "".join("  " * i + "- item\n" for i in range(600))  # 3.11 caps list depth; older ones recurse
    nested_quotes = ">" * 3000 + " deep\n"
    root = make_site({"content/emphasis.md": explainer("Emphasis", nested_emphasis),
                      "content/lists.md": explainer("Lists", nested_list),
                      "content/quotes.md": explainer("Quotes", nested_quotes)})
    result = run_build(root)
    text = "\n".join(messages(result))
    assert "content/emphasis.md:5: error: the Markdown is nested too deeply to render" in text
    # lists and quotes stop at the documented depth, at the first line that goes deeper (the 33rd level)
    too_deep = "error: lists, quotes or HTML blocks nested more than 32 levels deep"
    assert f"content/lists.md:{5 + 64}: {too_deep}" in text
    assert f"content/quotes.md:5: {too_deep}" in text


def test_python_tags_in_yaml_are_refused_by_the_safe_loader(make_site):
    root = make_site({"content/a.md": explainer("A", dek="!!python/object/apply:os.system ['echo pwned']")})
    result = run_build(root)
    assert not result.ok and "invalid YAML" in "\n".join(messages(result))


def test_javascript_links_warn_when_trusted(make_site):
    root = make_site({"content/a.md": explainer("A", "Intro.\n\n[click](javascript:alert(1))\n")})
    result = run_build(root)
    assert result.ok
    assert any(m.startswith("content/a.md:7: warning: a javascript: URL") for m in messages(result)), messages(result)


def test_a_symlink_out_of_the_site_is_refused(make_site, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text(explainer("Secret"))
    root = make_site({"content/a.md": explainer("A")})
    (root / "content/leak.md").symlink_to(secret)
    result = run_build(root)
    assert any("content/leak.md: error: symbolic link points outside content/" in m for m in messages(result))
    assert not (root / "output").exists()


def test_raw_html_left_open_is_an_error_at_its_line(make_site):
    root = make_site({"content/a.md": explainer("A", "Intro.\n\n<div class=\"box\">\n\nText.\n"),
                      "content/b.md": explainer("B", "<figure><img src=\"https://x.org/a.png\" alt=\"a\">"
                                                     "<figcaption>c</figcaption></figure>\n")})
    result = run_build(root)
    text = "\n".join(messages(result))
    assert "content/a.md:7: error: raw HTML: <div> is never closed" in text
    assert "content/b.md" not in text


def test_raw_html_problems_point_at_the_element_at_fault_not_the_first_raw_tag(make_site):
    """An earlier, well-formed raw tag (an embed) used to take the error's line for itself."""
    body = ("<p>An embed, closed.</p>\n\n## Why?\n\n<aside>Closed.</aside>\n\n<div class=\"box\">\n\n"
            "Text.\n\n## What next?\n\nMore.\n\n</span>\n\n<figure>\n\n<figure>x</figure>\n")
    result = run_build(make_site({"content/a.md": explainer("A", body)}))
    text = "\n".join(messages(result))
    assert "content/a.md:11: error: raw HTML: <div> is not closed before </section>" in text
    assert "content/a.md:19: error: raw HTML: </span> closes an element that is not open" in text
    assert "content/a.md:21: error: raw HTML: <figure> is not closed before </section>" in text


def test_parse_workers_storing_bodies_never_race_to_create_the_store(make_site, tmp_path):
    # Each worker opens the body store on disk; on a clean build they used to race to create it, and about
    # one build in five failed with "database is locked".
    from generator.engine.cache import BodyStore
    from generator.engine.documents import load_documents
    from generator.sources.config import load_config
    from generator.sources.tree import scan_sources
    from generator.workers import MIN_PARALLEL_ITEMS

    root = make_site({f"content/e{i}.md": explainer(f"E{i}", f"Body {i}.\n\n## Why {i}?\n\nBecause.\n")
                      for i in range(MIN_PARALLEL_ITEMS + 6)})
    config, _ = load_config(root, None)
    tree, _ = scan_sources(config.root, config.content_dir)
    for attempt in range(20):
        store = BodyStore(tmp_path / f"cache-{attempt}")
        loaded = load_documents(tree.documents, config, {}, {}, store, 2)
        assert loaded.parsed == len(tree.documents)
        bodies = {r.body.digest for r in loaded.records.values()}
        assert len(bodies) == len(tree.documents) and all(store.get(d).startswith("<p>Body") for d in bodies)
        store.close()
