"""Embed posters: a provider's thumbnail fetched once (the fetch is injected: no test touches the network),
kept in the cache, published on the site; offline, or not asked for, the designed placeholder."""

from __future__ import annotations

import io
import json

import pytest
from bs4 import BeautifulSoup
from conftest import SITE_YAML, explainer, messages, parse, run_build, snapshot
from PIL import Image

from generator.sources import posters
from generator.sources.posters import Posters, poster_copies, poster_name

THUMBNAIL = "https://i.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg"


def jpeg(width: int = 48, height: int = 36) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


class FakeNetwork:
    """A fetch that answers from a table and counts what it was asked."""

    def __init__(self, answers: dict[str, bytes | None]):
        self.answers, self.asked = answers, []

    def __call__(self, url: str) -> bytes | None:
        self.asked.append(url)
        return self.answers.get(url)


def test_a_poster_is_fetched_once_and_kept(tmp_path):
    network = FakeNetwork({THUMBNAIL: jpeg()})
    store = Posters(tmp_path / "posters", network)
    first = store.poster(THUMBNAIL)
    assert first == {"name": poster_name(THUMBNAIL), "src": f"/embeds/{poster_name(THUMBNAIL)}", "width": 48,
                     "height": 36}
    assert store.poster(THUMBNAIL) == first and network.asked == [THUMBNAIL]
    assert Posters(tmp_path / "posters").poster(THUMBNAIL) == first  # offline, the kept one still shows
    assert poster_copies(store, [first["name"], "missing.jpg"]) == {
        f"embeds/{first['name']}": tmp_path / "posters" / first["name"]}


@pytest.mark.parametrize("answer", [None, b"<html>Not found</html>", b"GIF89a" + b"\0" * 20])
def test_offline_or_garbage_gives_no_poster_and_keeps_nothing(tmp_path, answer):
    store = Posters(tmp_path / "posters", FakeNetwork({THUMBNAIL: answer}))
    assert store.poster(THUMBNAIL) is None
    assert not (tmp_path / "posters").exists() or not any((tmp_path / "posters").iterdir())


def test_the_real_fetch_gives_up_quietly_without_a_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("Name or service not known")

    monkeypatch.setattr(posters.urllib.request, "urlopen", refuse)
    assert posters.fetch_url(THUMBNAIL) is None


BODY = "Lede.\n\n## What?\n\n:::embed url=\"https://youtu.be/dQw4w9WgXcQ\" title=\"The clip\"\nA caption.\n:::\n"


def test_a_site_that_asks_for_posters_publishes_them_and_shows_them(make_site, monkeypatch, tmp_path):
    network = FakeNetwork({THUMBNAIL: jpeg(480, 360)})
    monkeypatch.setattr(posters, "fetch_url", network)
    root = make_site({"content/a.md": explainer("A", BODY)}, SITE_YAML + "embed_posters: true\n")
    result = run_build(root)
    assert result.ok, messages(result)
    name = poster_name(THUMBNAIL)
    image = parse(root / "output/a/index.html").select_one(".embed--youtube img.embed__poster")
    assert image["src"] == f"/embeds/{name}" and (image["width"], image["height"]) == ("480", "360")
    assert (root / "output/embeds" / name).read_bytes() == network.answers[THUMBNAIL]
    assert not parse(root / "output/a/index.html").select(".embed__placeholder")
    item = json.loads((root / "output/feed.json").read_text(encoding="utf-8"))["items"][0]
    feed_image = BeautifulSoup(item["content_html"], "html.parser").find("img")
    assert feed_image["src"] == f"https://example.org/embeds/{name}"
    # A clean build (a new cache) fetches the same poster and writes the same site.
    clean = tmp_path / "clean"
    assert run_build(root, output=clean, cache_dir=tmp_path / "new-cache").ok
    assert snapshot(root / "output") == snapshot(clean)
    assert network.asked == [THUMBNAIL, THUMBNAIL]


def test_without_the_setting_nothing_is_fetched_and_the_placeholder_shows(make_site, monkeypatch):
    network = FakeNetwork({THUMBNAIL: jpeg()})
    monkeypatch.setattr(posters, "fetch_url", network)
    root = make_site({"content/a.md": explainer("A", BODY)})
    assert run_build(root).ok
    page = parse(root / "output/a/index.html")
    assert page.select(".embed--youtube .embed__placeholder") and not page.select("img.embed__poster")
    assert network.asked == [] and not (root / "output/embeds").exists()
