"""`nutgraf check` warns about a raw <iframe> or <script> in a body and suggests the :::embed block."""

from __future__ import annotations

from conftest import NOW, explainer

from generator.commands.check import CheckOptions, check_site

BODY = """\
Lede.

## What happened?

<iframe width="560" height="315" src="https://www.youtube.com/embed/dQw4w9WgXcQ" title="A video"></iframe>

<blockquote class="twitter-tweet"><a href="https://twitter.com/jack/status/20">Post</a></blockquote>
<script async src="https://platform.twitter.com/widgets.js"></script>

<iframe src="https://maps.example.net/m/1"></iframe>

```html
<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>
```

Text about `<script>` tags.
"""


def test_raw_iframes_and_scripts_are_warnings_that_suggest_the_block(make_site):
    root = make_site({"content/a.md": explainer("A", BODY, topics="[T]")})
    result = check_site(CheckOptions(root, now=NOW))
    found = [(d.line, d.message, d.hint) for d in result.diagnostics if "raw" in d.message]
    assert [(line, message) for line, message, _ in found] == [
        (10, "a raw <iframe> from www.youtube.com loads it for every reader as the page opens"),
        (13, "a raw <script> from platform.twitter.com in the body"),
        (15, "a raw <iframe> from maps.example.net loads it for every reader as the page opens")]
    assert found[0][2].startswith(':::embed url="https://www.youtube.com/embed/dQw4w9WgXcQ" shows it')
    assert "put the post's address alone on a line" in found[1][2]
    assert "embed_hosts" in found[2][2]
    assert result.ok  # warnings: the build still takes them


def test_an_embed_block_is_no_finding(make_site):
    body = "Lede.\n\n## What happened?\n\nhttps://youtu.be/dQw4w9WgXcQ\n"
    root = make_site({"content/a.md": explainer("A", body, topics="[T]")})
    assert not [d for d in check_site(CheckOptions(root, now=NOW)).diagnostics if "raw" in d.message]
