"""Lists: the home page lists the newest updated first, in pages."""

from conftest import explainer, parse, run_build


def test_home_lists_newest_updated_first_with_pagination(make_site):
    root = make_site({
        "content/old.md": explainer("Old", date="2017-01-01", updated="2017-03-01"),
        "content/mid.md": explainer("Mid", date="2017-02-01"),
        "content/new.md": explainer("New", date="2017-01-15"),
    })
    assert run_build(root).ok
    first = parse(root / "output/index.html")
    second = parse(root / "output/page/2/index.html")
    titles = [h.get_text(strip=True) for h in first.select("main h2")]
    assert titles == ["Old", "Mid"]
    assert [h.get_text(strip=True) for h in second.select("main h2")] == ["New"]
    older = first.find("nav", attrs={"aria-label": "Pagination"}).find("a")
    assert older["href"] == "/page/2/"
