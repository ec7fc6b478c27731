"""Navigation between explainers: related ones, named first then by shared topics, and the parts of a series."""

from conftest import explainer, messages, parse, run_build

from generator.site.navigation import series_key

BODY = "Lede.\n\n## What happened?\n\nThings.\n\n## What next? {updated=2017-02-01}\n\nMore.\n"


def test_related_explainers_named_first_then_topped_up_by_shared_topics(make_site):
    files = {f"content/t{i}.md": explainer(f"Topic {i}", BODY, topics="[Syria]", date=f"2017-01-0{i + 1}")
             for i in range(3)}
    files["content/a.md"] = explainer("A", BODY, topics="[Syria]", related="[other, t0]", date="2017-01-20")
    files["content/other.md"] = explainer("Other", BODY, topics="[Science]")
    files["content/draft.md"] = explainer("Draft", BODY, draft="true")
    files["content/b.md"] = explainer("B", BODY, related="[draft]")  # names a draft: it exists, but is not shown
    root = make_site(files)
    result = run_build(root)
    assert result.ok, messages(result)
    related = parse(root / "output/a/index.html").find("section", class_="related")
    assert related.find("h2").get_text() == "Related explainers"
    titles = [a.get_text() for a in related.find_all("a", class_="card__link")]
    assert titles == ["Other", "Topic 0", "Topic 2", "Topic 1"]
    assert parse(root / "output/b/index.html").find("section", class_="related") is None


def test_a_series_shows_part_n_of_m_with_previous_and_next(make_site):
    root = make_site({"content/one.md": explainer("One", BODY, series='"Keeping time"', date="2017-01-01"),
                      "content/two.md": explainer("Two", BODY, series='"keeping  time"', date="2017-02-01"),
                      "content/three.md": explainer("Three", BODY, series='"Keeping time"', date="2017-03-01"),
                      "content/alone.md": explainer("Alone", BODY, series="Solo")})
    assert run_build(root).ok
    nav = parse(root / "output/two/index.html").find("nav", class_="series")
    assert nav["aria-label"] == "Series"
    assert nav.find(class_="series__label").get_text(" ", strip=True) == "Part 2 of 3 Keeping time"
    assert [(a.get_text(), a.get("aria-current")) for a in nav.find_all("a", class_="series__link")] == [
        ("One", None), ("Two", "page"), ("Three", None)]
    assert nav.find("a", rel="prev")["href"] == "/one/" and nav.find("a", rel="next")["href"] == "/three/"
    first = parse(root / "output/one/index.html").find("nav", class_="series")
    assert first.find("a", rel="prev") is None and first.find("a", rel="next")["href"] == "/two/"
    assert parse(root / "output/alone/index.html").find("nav", class_="series") is None
    assert series_key("Keeping  Time") == series_key("keeping time")
