"""Routes: the site plan's pages planned on demand agree with their entries, templates and files."""

from conftest import explainer, messages, run_build

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


