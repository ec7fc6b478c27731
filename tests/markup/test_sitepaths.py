"""Site paths in bodies put under base_url's path, in pages and feeds."""

import json
import xml.etree.ElementTree as etree

from bs4 import BeautifulSoup
from conftest import assert_equals_clean_build, explainer, messages, parse, run_build

SUB_PATH = "https://example.org/explainers/"


LINKING_BODY = """\
Lede: [who decides](/leap-seconds/#who), <a href="/leap-seconds/">raw HTML</a>,
[one up](../leap-seconds/) and [the web](https://example.com/x).

## What happened?

![A map](images/map.svg){credit="Desk"}

:::callout
See [the clock](/leap-seconds/) and [home](/).
:::

:::quote by="A reader" cite="/leap-seconds/"
Words.
:::

:::people
- ![A face](/images/face.svg) **Ann**, a writer of [leap seconds](/leap-seconds/)
:::
"""


def _hrefs(element) -> list[str]:
    """The links of a body as written (not the theme's "Share this question" links beside its headings)."""
    return [a.get("href") or a.get("src") or a.get("cite") for a in element.find_all(["a", "img", "blockquote"])
            if (a.get("href") or a.get("src") or a.get("cite")) and not a.find_parent(class_="question-share")]


def test_site_absolute_links_in_bodies_resolve_under_a_sub_path_in_pages_and_feeds(make_site, tmp_path):
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"></svg>'
    root = make_site({"content/a.md": explainer("A", LINKING_BODY, topics="[Time]", related="[leap-seconds]"),
                      "content/images/map.svg": svg, "content/images/face.svg": svg,
                      "content/leap-seconds.md": explainer("Leap", "## Who decides? {#who}\n\nA body.\n",
                                                           topics="[Time]")})
    result = run_build(root, base_url=SUB_PATH)
    assert result.ok, messages(result)
    page = parse(root / "output/a/index.html")
    body = page.find("div", class_="article-body")
    assert _hrefs(body) == ["/explainers/leap-seconds/#who", "/explainers/leap-seconds/", "../leap-seconds/",
                            "https://example.com/x", "/explainers/images/map.svg", "/explainers/leap-seconds/",
                            "/explainers/", "/explainers/leap-seconds/", "/explainers/leap-seconds/",
                            "/explainers/leap-seconds/", "/explainers/images/face.svg"]
    related = page.find("section", class_="related").find("a", class_="card__link")
    assert related["href"] == "/explainers/leap-seconds/"
    feed = json.loads((root / "output/feed.json").read_text(encoding="utf-8"))
    item = next(i for i in feed["items"] if i["url"] == SUB_PATH + "a/")
    links = _hrefs(BeautifulSoup(item["content_html"], "html.parser"))
    assert links[:5] == [SUB_PATH + "leap-seconds/#who", SUB_PATH + "leap-seconds/", SUB_PATH + "leap-seconds/",
                         "https://example.com/x", SUB_PATH + "images/map.svg"]
    assert set(links[5:]) == {SUB_PATH + "leap-seconds/", SUB_PATH, SUB_PATH + "images/face.svg"}
    atom = etree.parse(root / "output/feed.xml").getroot()
    content = next(e for e in atom.iter("{http://www.w3.org/2005/Atom}entry")
                   if e.findtext("{http://www.w3.org/2005/Atom}id") == SUB_PATH + "a/").findtext(
                       "{http://www.w3.org/2005/Atom}content")
    assert _hrefs(BeautifulSoup(content, "html.parser")) == links
    # At the site's root nothing moves.
    assert run_build(root, base_url="https://example.org/").ok
    body = parse(root / "output/a/index.html").find("div", class_="article-body")
    assert _hrefs(body)[:5] == ["/leap-seconds/#who", "/leap-seconds/", "../leap-seconds/", "https://example.com/x",
                                "/images/map.svg"]
    assert_equals_clean_build(root, tmp_path)  # the bodies cached under the sub-path were not reused


def test_site_paths_are_put_under_the_base_path_once_in_tags_only():
    from generator.markup.sitepaths import site_paths_under

    html = ('<p><a href="/a/" title="href=/b/">x</a> <img src=\'/i.png\' srcset="/i-1.png 1x, /i-2.png 2x">'
            '<code>&lt;a href="/c/"&gt;</code> <a href="//cdn.example/x">y</a> <a href="#q">z</a></p>')
    assert site_paths_under(html, "/news/") == (
        '<p><a href="/news/a/" title="href=/b/">x</a> <img src=\'/news/i.png\' '
        'srcset="/news/i-1.png 1x, /news/i-2.png 2x"><code>&lt;a href="/c/"&gt;</code> '
        '<a href="//cdn.example/x">y</a> <a href="#q">z</a></p>')
    assert site_paths_under(html, "/") == html
