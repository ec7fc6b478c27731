"""Red team: one hostile site with every attack of the trust review, built in trust and in sanitize mode.

What a build can neutralise (drafts' photos, hidden files, scripts in SVGs, forged placeholders, planted files in
output/) is in one site that builds; the whole output tree is then read file by file. What must be refused (a
content file or an alias in place of a generated file, a link out of content/, dangerous folders, hostile links
and ids) is added to that site one attack at a time: each refusal is checked for its exit status and message, and
for the output being left exactly as it was.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from conftest import SITE_YAML, explainer, parse, snapshot
from lxml import etree
from PIL import Image

from generator.cli import main

TRUST, SANITIZE = "trust", "sanitize"

EVIL_SVG = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="30"
     onload="alert('svg onload')">
  <script>alert('svg script')</script>
  <a xlink:href="javascript:alert('svg link')"><rect width="10" height="10" onclick="alert(1)"/></a>
  <foreignObject width="10" height="10"><body xmlns="http://www.w3.org/1999/xhtml"><script>alert(2)</script></body>
  </foreignObject>
  <image href="https://tracker.example.com/pixel.png" width="1" height="1"/>
  <circle cx="20" cy="15" r="5" fill="teal"/>
</svg>
"""
FORGED = "nutgraf-block-token-0."


def photo(colour: tuple[int, int, int], size=(64, 48), kind="JPEG") -> bytes:
    data = io.BytesIO()
    Image.new("RGB", size, colour).save(data, kind)
    return data.getvalue()


def hostile_files() -> dict[str, str | bytes]:
    """Every attack that a build must neutralise without refusing."""
    published_body = (
        "## What is at stake?\n\n"
        f'A <abbr title="{FORGED}">forged</abbr> placeholder, and one in text: {FORGED}\n\n'
        ":::callout\nA callout whose HTML must stay in its own place.\n:::\n\n"
        "![A chart](images/evil.svg)\n\n"
        '<iframe src="https://evil.example.com/frame"></iframe>\n\n'
        "See [the report](/files/report.pdf).\n"
    )
    return {
        "content/published.md": explainer("Published", published_body,
                                          hero='{image: images/photo.jpg, alt: "A photo", credit: "Desk"}'),
        "content/draft.md": explainer("Embargoed", "## What happens?\n\n![Embargoed](images/embargo-body.png)\n",
                                      draft="true", hero='{image: images/embargo.jpg, alt: "Embargo"}',
                                      social_image='{image: images/embargo-social.jpg, alt: "Embargo"}'),
        "content/scheduled.md": explainer("Scheduled", "## When?\n\nLater.\n", date="2099-01-01",
                                          hero='{image: images/scheduled.jpg, alt: "Scheduled"}'),
        "content/images/photo.jpg": photo((200, 30, 30)),
        "content/images/embargo.jpg": photo((10, 10, 200)),
        "content/images/embargo-body.png": photo((10, 200, 10), kind="PNG"),
        "content/images/embargo-social.jpg": photo((10, 100, 100)),
        "content/images/scheduled.jpg": photo((100, 10, 100)),
        "content/images/unused.png": photo((1, 2, 3), kind="PNG"),
        "content/images/evil.svg": EVIL_SVG,
        "content/files/report.pdf": b"%PDF-1.4 a public report",
        "content/.secret/token.txt": "ghp_notarealtokenbutsecret",
        "content/notes/.env": "API_KEY=secret",
        "content/.git/config": "[http]\n\textraheader = AUTHORIZATION: basic c2VjcmV0\n",
        "content/extra/page.html": "<script>alert('page')</script>",
        "content/extra/app.js": "alert('js')",
        "content/extra/feed.xml": "<rss><script>alert('xml')</script></rss>",
    }


def site_yaml(mode: str) -> str:
    return SITE_YAML + f"untrusted_html: {mode}\n"


@pytest.fixture(params=[TRUST, SANITIZE])
def hostile(request, make_site):
    """The hostile site, built once by the command line; (root, mode)."""
    root = make_site(hostile_files(), site_yaml(request.param))
    assert main(["build", "--source", str(root)]) == 0
    return root, request.param


GENERATED = {"_headers", "_redirects", "robots.txt", "sitemap.xml", "news-sitemap.xml", "feed.xml", "rss.xml",
             "feed.json", "404.html", "index.html", ".nutgraf-output"}


def allowed(rel: str, mode: str) -> bool:
    """The files a build of the hostile site may publish."""
    name = rel.rsplit("/", 1)[-1]
    if rel in ("extra/page.html", "extra/app.js", "extra/feed.xml"):
        return mode == TRUST  # sanitize mode publishes no HTML, script or XML file of a contributor's
    if "/" not in rel and name in GENERATED:
        return True
    # pages, feeds and share cards (share.jpg) of the published explainers, their questions and the site
    if name in ("index.html", "feed.xml", "rss.xml", "feed.json", "share.jpg") and not rel.startswith(("images/",
                                                                                                         "files/")):
        return not rel.startswith(("draft/", "scheduled/", "extra/"))
    if rel.startswith(("static/", "pagefind/")):
        return True
    if re.fullmatch(r"images/photo(-\w+)?(\.[0-9a-f]+)?\.(jpg|webp|avif|png)", rel) or rel == "images/evil.svg":
        return True
    return rel == "files/report.pdf"


def test_the_whole_output_holds_only_what_may_be_published(hostile):
    root, mode = hostile
    out = root / "output"
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() or p.is_symlink())
    assert [f for f in files if not allowed(f, mode)] == [], files
    assert [f for f in files if any(part.startswith(".") for part in f.split("/")) and f != ".nutgraf-output"] == []
    assert not any(word in f for f in files for word in ("embargo", "scheduled", "unused", "secret", "token"))
    assert "images/photo.jpg" in files and "files/report.pdf" in files and "published/index.html" in files
    # No generated file was replaced: the policy is nutgraf's own.
    assert "Content-Security-Policy" in (out / "_headers").read_text(encoding="utf-8")
    # Nothing anywhere mentions the embargoed or scheduled explainers: not a page, a feed, a sitemap or search.
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".txt", ""):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "Embargoed" not in text and "embargo" not in text and "/scheduled/" not in text, path


def test_no_svg_in_sanitize_mode_can_script(hostile):
    root, mode = hostile
    published = (root / "output/images/evil.svg").read_bytes()
    if mode == TRUST:
        assert published == EVIL_SVG  # trusted contributors' files are theirs to publish, as their bodies are
        return
    tree = etree.fromstring(published, etree.XMLParser(resolve_entities=False, no_network=True))
    for element in tree.iter():
        tag = etree.QName(element).localname if isinstance(element.tag, str) else ""
        assert tag not in ("script", "foreignObject"), tag
        for name, value in element.attrib.items():
            assert not etree.QName(name).localname.lower().startswith("on"), name
            assert "javascript:" not in value.lower() and "tracker.example.com" not in value, (name, value)


def test_forged_placeholders_and_refused_frames(hostile):
    root, mode = hostile
    page = parse(root / "output/published/index.html")
    body = page.find("div", class_="article-body")
    abbr = body.find("abbr")
    assert abbr["title"] == FORGED and abbr.find() is None  # the attribute holds the text, never a block
    assert FORGED in body.get_text()
    assert len(body.select(".callout, aside")) >= 1
    frames = body.find_all("iframe")
    assert frames == [] if mode == SANITIZE else [f["src"] for f in frames] == ["https://evil.example.com/frame"]


def test_planted_files_in_the_output_are_removed(hostile):
    root, _ = hostile
    out = root / "output"
    for rel in (".git/config", "published/.env", "stray.html"):
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text("secret", encoding="utf-8")
    assert main(["build", "--source", str(root)]) == 0
    assert not (out / ".git").exists() and not (out / "published/.env").exists() and not (out / "stray.html").exists()


# ---- refusals: each attack added alone to the built hostile site ------------------------------------------------


def _add(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")


def _alias(target: str) -> dict[str, str]:
    return {"content/alias.md": explainer("Alias", aliases=f'["{target}"]')}


REFUSALS = {
    # name: (files to add, extra CLI arguments, modes where it is refused, exit status, words of the message);
    # in a mode not named, the build goes on (status 0) and the words are in its warnings, or it says nothing.
    "content _headers": ({"content/_headers": "/*\n  X-Frame-Options: ALLOWALL\n"}, [], (TRUST, SANITIZE), 1,
                         "content/_headers"),
    "content robots.txt": ({"content/robots.txt": "User-agent: *\nAllow: /\n"}, [], (TRUST, SANITIZE), 1,
                           "content/robots.txt"),
    "alias _headers": (_alias("/_headers"), [], (TRUST, SANITIZE), 1, "alias /_headers"),
    "alias feed.xml": (_alias("/feed.xml"), [], (TRUST, SANITIZE), 1, "alias /feed.xml"),
    "theme path": ({}, [], (TRUST, SANITIZE), 1, "'theme' must be the name of a folder"),
    "cache in content": ({}, ["--cache-dir", "content"], (TRUST, SANITIZE), 2, "as the cache folder"),
    "cache at the root": ({}, ["--cache-dir", "/"], (TRUST, SANITIZE), 2, "as the cache folder"),
    "output in the cache": ({}, ["--output", ".nutgraf-cache"], (TRUST, SANITIZE), 2, ".nutgraf-cache"),
    "encoded javascript link": ({"content/link.md": explainer("Link", "## Why?\n\n[x](&#106;avascript:alert(1))\n")},
                                [], (SANITIZE,), 1, "javascript:"),
    "reference javascript link": ({"content/link.md": explainer("Link", "## Why?\n\n[x][r]\n\n[r]: JaVaScRiPt:x\n")},
                                  [], (SANITIZE,), 1, "javascript:"),
    "theme id": ({"content/ids.md": explainer("Ids", "## Main? {#main}\n\nText.\n")}, [], (TRUST, SANITIZE), 1,
                 "main"),
    "footnote id": ({"content/ids.md": explainer("Ids", "## Note? {#fn:1}\n\nText.\n")}, [], (TRUST, SANITIZE), 1,
                    "fn:1"),
    "date at the edge": ({"content/old.md": explainer("Old", date="0001-01-01T00:00:00+14:00")}, [],
                         (TRUST, SANITIZE), 1, "dates must be in the years"),
    "duplicate key": ({"content/twice.md": '---\ntitle: "A"\ndate: 2017-01-23\ntitle: "B"\n---\n## Q?\n\nA.\n'}, [],
                      (TRUST, SANITIZE), 1, "given twice"),
    "entity bomb svg": ({"content/images/bomb.svg": '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
                         '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
                         '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"><text>&c;</text></svg>',
                         "content/bomb.md": explainer("Bomb", "## Boom?\n\n![Bomb](images/bomb.svg)\n")},
                        [], (SANITIZE,), 1, "images/bomb.svg"),
}


# What trust mode says of the attacks it lets through: trusted writers' links are warned about, not refused.
TRUSTED = {"encoded javascript link": "content/link.md:", "reference javascript link": "content/link.md:"}


@pytest.mark.parametrize("attack", sorted(REFUSALS))
def test_each_refusal_has_its_status_and_message_and_writes_nothing(hostile, attack, capsys):
    root, mode = hostile
    files, extra, modes, status, words = REFUSALS[attack]
    if mode not in modes:
        status, words = 0, TRUSTED.get(attack, "")
    if attack == "theme path":
        (root / "site.yaml").write_text(site_yaml(mode) + "theme: ../../elsewhere\n", encoding="utf-8")
    _add(root, files)
    before = snapshot(root / "output"), snapshot(root / "content")
    capsys.readouterr()
    assert main(["build", "--source", str(root), *[str(root / a) if a in ("content", ".nutgraf-cache") else a
                                                      for a in extra]]) == status
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err and "bug in nutgraf" not in err, err
    if status:
        assert (snapshot(root / "output"), snapshot(root / "content")) == before  # nothing written, nothing lost


def test_a_link_to_the_git_config_is_refused(hostile, capsys):
    root, _ = hostile
    (root / ".git").mkdir()
    (root / ".git/config").write_text("[http]\n\textraheader = AUTHORIZATION: basic c2VjcmV0\n", encoding="utf-8")
    os.symlink("../.git/config", root / "content/gitcfg")
    os.symlink(".secret/token.txt", root / "content/token.txt")
    before = snapshot(root / "output")
    capsys.readouterr()
    assert main(["build", "--source", str(root)]) == 1
    err = capsys.readouterr().err
    assert "content/gitcfg" in err and "content/token.txt" in err
    assert snapshot(root / "output") == before


def test_a_preview_is_never_deployed(hostile, tmp_path, capsys):
    root, _ = hostile
    assert main(["build", "--source", str(root), "--drafts"]) == 0
    page = parse(root / "output/published/index.html")
    assert "noindex" in page.find("meta", attrs={"name": "robots"})["content"]
    remote = tmp_path / "remote.git"
    assert main(["deploy", "--source", str(root), "--rsync", f"{remote}/", "--no-build"]) == 1
    assert "preview" in capsys.readouterr().err and not remote.exists()
