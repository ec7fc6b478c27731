"""Drawn charts kept by their inputs: drawn again only when those change."""

from conftest import assert_equals_clean_build, edit_text, messages, parse, run_build

from generator.markup.blocks import charts as charts_block
from generator.markup.blocks.charting.draw import draw

from ..test_charts import build_chart, chart_block


def count_drawings(monkeypatch) -> list[str]:
    """The titles of the charts drawn from now on (builds of small sites parse in this process)."""
    drawn: list[str] = []

    def counting(chart, ident):
        drawn.append(chart.title)
        return draw(chart, ident)

    monkeypatch.setattr(charts_block, "draw", counting)
    return drawn


def test_charts_are_drawn_only_when_their_inputs_change(make_site, monkeypatch, tmp_path):
    body = (chart_block(title="Leap") + "\n" + chart_block("line", "two.csv", title="Two") + "\nLede.\n")
    root, result = build_chart(make_site, body)
    assert result.ok, messages(result)
    drawn = count_drawings(monkeypatch)
    assert run_build(root).ok and drawn == []  # a no-op build draws nothing
    stored = root / ".nutgraf-cache" / "charts"
    before = {p.name for p in stored.iterdir()}
    edit_text(root / "content" / "two.csv", "2017-01,20,15", "2017-01,21,15")
    assert run_build(root).ok and drawn == ["Two"]  # editing a CSV redraws only its charts
    after = {p.name for p in stored.iterdir()}
    assert len(after) == 4 and len(after & before) == 2  # the old drawing of "Two" is forgotten
    page = parse(root / "output" / "charts" / "index.html")
    assert page.select("figure.chart")[1].select("tbody tr")[-1].get_text(" ").split() == ["2017-01", "21", "15"]
    assert_equals_clean_build(root, tmp_path)  # (a build without the cache: it draws both)
    drawn.clear()
    edit_text(root / "content" / "charts.md", "Lede.", "A new lede.")
    assert run_build(root).ok and drawn == []  # the text changed, not the charts
    (root / "content" / "two.csv").unlink()
    result = run_build(root)
    assert not result.ok and any("the data file 'two.csv' does not exist" in m for m in messages(result))
