"""Question indexes: every question grouped by topic, a big topic's questions on pages of their own."""

import json

from conftest import explainer, messages, parse, run_build

BODY = "Lede.\n\n## What happened?\n\nThings.\n\n## What next? {updated=2017-02-01}\n\nMore.\n"


def json_ld(page, kind):
    return next(d for d in (json.loads(s.string) for s in page.find_all("script", type="application/ld+json"))
                if d["@type"] == kind)


def test_every_question_page_groups_questions_by_topic(make_site):
    root = make_site({"content/a.md": explainer("A", BODY, topics="[Syria, Diplomacy]"),
                      "content/b.md": explainer("B", "Lede.\n\n## Why? {#why}\n\nBecause.\n", topics="[Syria]",
                                                date="2017-01-30"),
                      "content/c.md": explainer("C", "## Loose?\n\nYes.\n"),
                      "content/d.md": explainer("D", "No questions at all.\n", topics="[Syria]"),
                      "content/e.md": explainer("E", BODY, topics="[Syria]", draft="true")})
    assert run_build(root).ok
    page = parse(root / "output/questions/index.html")
    assert page.find("h1").get_text() == "Every question"
    groups = page.find_all("section", class_="question-group")
    assert [g.find("h2").get_text() for g in groups] == ["Diplomacy", "Syria", "Other questions"]
    assert groups[1].find("h2").find("a")["href"] == "/topics/syria/"
    assert [h3.get_text() for h3 in groups[1].find_all("h3")] == ["B", "A"]  # newest first; D asks nothing
    questions = [(a["href"], a.get_text()) for a in groups[1].find_all("ul")[1].find_all("a")]
    assert questions == [("/a/#what-happened", "What happened?"), ("/a/#what-next", "What next?")]
    updated = groups[1].find_all("ul")[1].find_all("li")[1].find("time")
    assert (updated["datetime"], updated.get_text()) == ("2017-02-01", "Feb 1, 2017")
    assert [a["href"] for a in groups[2].find_all("a")] == ["/c/", "/c/#loose"]
    assert parse(root / "output/a/index.html").find("p", class_="toc__more").find("a")["href"] == "/questions/"


def test_a_topic_with_many_explainers_gets_its_own_paginated_pages_of_questions(make_site, monkeypatch):
    import generator.site.lists
    monkeypatch.setattr(generator.site.lists, "PAGE_SIZE", 2)
    files = {f"content/s{n}.md": explainer(f"S{n}", BODY, topics="[Syria]", date=f"2017-01-1{n}") for n in range(5)}
    files |= {f"content/l{n}.md": explainer(f"L{n}", BODY, date=f"2017-01-2{n}") for n in range(4)}
    files["content/d.md"] = explainer("D", BODY, topics="[Diplomacy]")
    root = make_site(files)
    result = run_build(root)
    assert result.ok, messages(result)
    hub = parse(root / "output/questions/index.html")
    groups = {g.find("h2").get_text(): g for g in hub.find_all("section", class_="question-group")}
    assert list(groups) == ["Diplomacy", "Syria", "Other questions"]
    assert [h3.get_text() for h3 in groups["Syria"].find_all("h3")] == ["S4", "S3", "S2"]  # the newest three
    more = groups["Syria"].find("p", class_="question-group__more").find("a")
    assert (more["href"], more.get_text()) == ("/questions/syria/", "All questions on Syria")
    assert groups["Diplomacy"].find("p", class_="question-group__more") is None  # one explainer: shown whole
    loose_more = groups["Other questions"].find("p", class_="question-group__more").find("a")
    assert loose_more["href"] == "/questions/no-topic/"
    listed = [item["url"] for item in json_ld(hub, "CollectionPage")["mainEntity"]["itemListElement"]]
    assert len(listed) == 7  # the explainers the hub shows, each once

    pages = [parse(root / f"output/questions/syria/{rel}index.html") for rel in ("", "page/2/", "page/3/")]
    assert [[h2.get_text() for h2 in p.find_all("h2")] for p in pages] == [["S4", "S3"], ["S2", "S1"], ["S0"]]
    assert [p.find("h1").get_text() for p in pages] == ["Questions on Syria"] * 3
    assert [p.find("title").get_text() for p in pages] == [
        "Questions on Syria | Test Site", "Questions on Syria (page 2) | Test Site",
        "Questions on Syria (page 3) | Test Site"]
    assert pages[0].find("link", rel="next")["href"] == "/questions/syria/page/2/"
    assert pages[1].find("link", rel="prev")["href"] == "/questions/syria/"
    assert pages[0].find("a", href="/s4/#what-next") is not None
    assert pages[0].find(class_="list-page__label").find("a")["href"] == "/questions/"
    loose = parse(root / "output/questions/no-topic/page/2/index.html")
    assert loose.find("h1").get_text() == "Other questions"
    assert loose.find("title").get_text() == "Other questions (page 2) | Test Site"
    assert not (root / "output/questions/diplomacy").exists()
