"""Whole builds of small sites: pages, escaping, errors, drafts and scheduling, sub-paths; build() with what it is
asked and answers (engine/options.py) and the stages it runs (engine/stages.py)."""

import datetime as dt
import json

from conftest import SITES, explainer, messages, parse, run_build

from generator.outputs.writer import MARKER


def test_minimal_site_builds_every_page_type(copy_site):
    root = copy_site("minimal")
    result = run_build(root)
    assert result.ok, messages(result)
    out = root / "output"
    for rel in ("index.html", "first-question/index.html", "topics/basics/index.html", "404.html",
                "static/css/style.css", MARKER):
        assert (out / rel).is_file(), rel
    page = parse(out / "first-question/index.html")
    assert page.find("h1").get_text(strip=True) == "What is the first question?"
    assert page.find("html")["lang"] == "en"


def test_article_page_has_question_ids_and_a_labelled_table_of_contents(make_site):
    body = "Lede.\n\n## Who are the parties? {#parties}\n\nThem.\n\n## What's next?\n\nTalks.\n"
    root = make_site({"content/talks.md": explainer("Talks", body, dek='"The dek"')})
    assert run_build(root).ok
    page = parse(root / "output/talks/index.html")
    toc = page.find("nav", attrs={"aria-label": "In this explainer"})
    links = [(a["href"], a.get_text(strip=True)) for a in toc.find_all("a")]
    assert links == [("#parties", "Who are the parties?"), ("#whats-next", "What’s next?")]
    for href, _ in links:
        assert page.find(id=href[1:]).name == "h2"


def test_hostile_front_matter_is_escaped_everywhere_it_is_shown(make_site):
    title = '"Quotes" & <script>alert(1)</script></title>'
    root = make_site({"content/evil.md": explainer(title.replace('"', '\\"'), dek='"<img src=x onerror=alert(2)>"',
                                                     topics='["<b>Topic</b>"]')})
    result = run_build(root)
    assert result.ok, messages(result)
    for rel in ("evil/index.html", "index.html", "topics/b-topic-b/index.html"):
        html = (root / "output" / rel).read_text(encoding="utf-8")
        page = parse(root / "output" / rel)
        scripts = page.find_all("script")
        assert all(s.get("type") == "application/ld+json" for s in scripts), rel  # data, never code
        for script in scripts:
            json.loads(script.string)
        assert page.find("img", attrs={"onerror": True}) is None, rel
        assert "<script>alert(1)" not in html
    article = parse(root / "output/evil/index.html")
    assert article.find("h1").get_text(strip=True) == title
    assert article.find("title").get_text().startswith(title)


def test_broken_site_reports_every_error_with_file_and_line_and_writes_nothing(copy_site):
    root = copy_site("broken")
    result = run_build(root)
    assert not result.ok
    expected = (SITES / "broken/expected.txt").read_text(encoding="utf-8").splitlines()
    got = [d.format().split("\n")[0] for d in result.diagnostics]
    for line in expected:
        assert any(g.startswith(line) for g in got), (line, got)
    assert not (root / "output").exists()


def test_errors_leave_the_previous_output_untouched(make_site):
    root = make_site({"content/a.md": explainer("A")})
    assert run_build(root).ok
    before = {p: p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()}
    (root / "content/a.md").write_text(explainer("A changed"), encoding="utf-8")
    (root / "content/b.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    assert not run_build(root).ok
    after = {p: p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()}
    assert after == before


def test_drafts_and_scheduled_explainers_are_left_out_unless_asked(make_site):
    root = make_site({
        "content/published.md": explainer("Published", topics="[Shared]"),
        "content/draft.md": explainer("Draft", draft="true", topics="[Shared]"),
        "content/later.md": explainer("Later", date="2027-01-01T09:00:00+03:00", topics="[Shared]"),
    })
    result = run_build(root)
    assert result.ok and result.explainers == 1
    assert result.next_scheduled == dt.datetime.fromisoformat("2027-01-01T09:00:00+03:00")
    out = root / "output"
    assert not (out / "draft").exists() and not (out / "later").exists()
    for rel in ("index.html", "topics/shared/index.html"):
        text = (out / rel).read_text(encoding="utf-8")
        assert "Draft" not in text and "Later" not in text
    result = run_build(root, drafts=True, future=True)
    assert result.explainers == 3
    assert (out / "draft/index.html").exists() and (out / "later/index.html").exists()
    # and back: the preview pages are removed again by a normal build
    run_build(root)
    assert not (out / "draft").exists()


def preview_signs(out) -> dict[str, tuple[bool, bool]]:
    """For each HTML page: whether it asks not to be indexed, and whether it shows the preview bar."""
    signs = {}
    for path in sorted(out.rglob("*.html")):
        page = parse(path)
        robots = [m["content"] for m in page.find_all("meta", attrs={"name": "robots"})]
        bar = page.select_one('body .preview-bar[role="note"]')
        shown = bar is not None and "Draft preview" in bar.get_text(" ", strip=True)
        signs[path.relative_to(out).as_posix()] = (any(c.startswith("noindex") for c in robots), shown)
    return signs


def test_a_preview_says_so_on_every_page_and_in_its_marker(make_site):
    root = make_site({"content/published.md": explainer("Published", topics="[Shared]", aliases="[/old/]"),
                      "content/draft.md": explainer("Draft", draft="true", topics="[Shared]"),
                      "content/later.md": explainer("Later", date="2027-01-01", topics="[Shared]")})
    out = root / "output"
    assert run_build(root, drafts=True).ok
    signs = preview_signs(out)
    assert "draft/index.html" in signs and "old/index.html" in signs and "search/index.html" in signs
    assert set(signs.values()) == {(True, True)}
    assert json.loads((out / MARKER).read_text(encoding="utf-8")) == {"preview": True, "drafts": True, "future": False}
    assert run_build(root, future=True).ok
    assert set(preview_signs(out).values()) == {(True, True)}
    assert json.loads((out / MARKER).read_text(encoding="utf-8"))["future"] is True
    assert run_build(root).ok  # a normal build after a preview: every page loses the signs, even unchanged ones
    signs = preview_signs(out)
    # (and the question share pages, which redirect to their question)
    assert {rel for rel, (noindex, _) in signs.items() if noindex} == {"404.html", "old/index.html",
                                                                        "published/q/what-happened/index.html"}
    assert not any(bar for _, bar in signs.values())
    assert json.loads((out / MARKER).read_text(encoding="utf-8")) == {"preview": False, "drafts": False,
                                                                      "future": False}


def test_sub_path_base_url_prefixes_every_internal_link(make_site):
    root = make_site({"content/a.md": explainer("A", topics="[Syria]", authors="[ann]")})
    assert run_build(root, base_url="https://example.org/explainers/").ok
    for page_file in (root / "output").rglob("*.html"):
        page = parse(page_file)
        for tag, attr in (("a", "href"), ("link", "href"), ("img", "src")):
            for el in page.find_all(tag):
                value = el.get(attr, "")
                if value.startswith("/"):
                    assert value.startswith("/explainers/"), (page_file, value)
        canonical = page.find("link", rel="canonical")["href"]
        assert canonical.startswith("https://example.org/explainers/"), canonical


def test_duplicate_slugs_and_reserved_paths_are_errors(make_site):
    root = make_site({"content/a.md": explainer("A", slug="same"), "content/b.md": explainer("B", slug="same"),
                      "content/c.md": explainer("C", slug="static"),
                      "content/static/index.html": "<p>x</p>"})
    text = "\n".join(messages(run_build(root)))
    assert "slug 'same' is also used by content/a.md" in text
    assert "would overwrite content/static/index.html" in text


def test_hero_image_is_published_with_its_size(make_site):
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="900"></svg>'
    hero = '\n  image: images/h.svg\n  alt: "A table"\n  credit: "Illustration: us"\n  caption: "The room"'
    root = make_site({"content/a.md": explainer("A", hero=hero), "content/images/h.svg": svg})
    assert run_build(root).ok
    img = parse(root / "output/a/index.html").find("img", alt="A table")
    assert (img["src"], img["width"], img["height"]) == ("/images/h.svg", "1600", "900")
    assert (root / "output/images/h.svg").read_text() == svg


def test_reproducible_output(make_site, tmp_path):
    root = make_site({"content/a.md": explainer("A", topics="[X, Y]"), "content/b.md": explainer("B")})
    assert run_build(root, output=tmp_path / "one").ok and run_build(root, output=tmp_path / "two").ok
    one = {p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one").rglob("*") if p.is_file()}
    two = {p.relative_to(tmp_path / "two"): p.read_bytes() for p in (tmp_path / "two").rglob("*") if p.is_file()}
    assert one == two


def test_a_build_removes_what_nutgraf_did_not_write_from_the_output_hidden_files_included(make_site):
    root = make_site({"content/a.md": explainer("A")})
    assert run_build(root).ok
    (root / "output/.git").mkdir()
    (root / "output/.git/config").write_text("extraheader = AUTHORIZATION: basic c2VjcmV0", encoding="utf-8")
    result = run_build(root)  # nothing changed in the site: still not left for a deploy to pick up
    assert result.ok and not (root / "output/.git").exists()
    (root / "output/a/.env").write_text("TOKEN=1", encoding="utf-8")
    (root / "content/b.md").write_text(explainer("B"), encoding="utf-8")
    assert run_build(root).ok and not (root / "output/a/.env").exists()
