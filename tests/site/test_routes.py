"""Routes: the site plan's pages planned on demand agree with their entries, templates and files."""

from conftest import SITE_YAML, assert_equals_clean_build, explainer, messages, parse, run_build, touch_later

import generator.engine.stages
import generator.site.lists

BODY = "## Why now?\n\nBecause.\n\n## What next?\n\nTalks.\n"


def test_pages_planned_on_demand_match_their_entries_templates_and_files(make_site, monkeypatch):
    """Explainer, list and topic-question pages are planned in the render workers; their entries (for the
    sitemap, _headers and the next build) are made without planning them, and must say the same."""
    monkeypatch.setattr(generator.site.lists, "PAGE_SIZE", 2)  # topic question pages: several per topic
    planned = []

    def plan_site(*args, **kwargs):  # the last step of planning: the question share pages added
        planned.append(real(*args, **kwargs))
        return planned[-1]

    real = generator.engine.stages.with_question_pages
    monkeypatch.setattr(generator.engine.stages, "with_question_pages", plan_site)
    files = {f"content/s{n}.md": explainer(f"S{n}", BODY, topics="[Syria, Talks]", authors="[ann]",
                                           date=f"2017-01-1{n}") for n in range(7)}
    files |= {f"content/l{n}.md": explainer(f"L{n}", BODY, date=f"2017-01-2{n}") for n in range(5)}
    root = make_site(files)
    result = run_build(root)
    assert result.ok, messages(result)
    plan = planned[-1]
    pages = list(plan.all_pages())
    assert plan.entries() == [page.entry for page in pages]
    assert plan.templates() == {page.template for page in pages}
    assert len({page.path for page in pages}) == len(pages) == len(plan)
    questions = [page.path for page in pages if page.info.kind == "questions"]
    assert {"/questions/syria/page/4/", "/questions/talks/page/2/", "/questions/no-topic/page/3/"} <= set(questions)
    written = {p.relative_to(root / "output").as_posix() for p in (root / "output").rglob("*.html")}
    assert {page.output for page in pages} == written


ANN_PROFILE = SITE_YAML + "    role: Correspondent\n    photo: images/ann.svg\n"
PORTRAIT = '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="160"><rect width="160" height="160"/></svg>'


def test_author_photo_missing_is_an_error_at_its_line_and_nothing_is_written(make_site):
    root = make_site({"content/a.md": explainer("A", authors="[ann]")}, ANN_PROFILE)
    result = run_build(root)
    assert not result.ok and not (root / "output/authors").exists()
    assert "site.yaml:15:12: error: the photo of author 'ann' does not exist (content/images/ann.svg)" in \
        messages(result)[0]


def test_author_photo_counts_as_a_use_so_it_is_published(make_site):
    root = make_site({"content/a.md": explainer("A", authors="[ann]"), "content/images/ann.svg": PORTRAIT,
                      "content/images/spare.svg": PORTRAIT}, ANN_PROFILE)
    assert run_build(root).ok
    assert (root / "output/images/ann.svg").is_file() and not (root / "output/images/spare.svg").exists()


def test_editing_an_author_role_re_renders_their_page(make_site, tmp_path):
    root = make_site({"content/a.md": explainer("A", authors="[ann]"), "content/images/ann.svg": PORTRAIT},
                     ANN_PROFILE)
    first = run_build(root)
    assert first.ok
    yaml = root / "site.yaml"
    yaml.write_text(ANN_PROFILE.replace("Correspondent", "Editor") + "    links: {x: https://x.com/ann}\n",
                    encoding="utf-8")
    touch_later(yaml)
    assert run_build(root, state=first.state).ok
    page = parse(root / "output/authors/ann/index.html")
    assert page.select_one(".author-profile__role").get_text() == "Editor"
    assert [a["href"] for a in page.select(".author-profile__links a")] == ["https://x.com/ann"]
    assert_equals_clean_build(root, tmp_path)
