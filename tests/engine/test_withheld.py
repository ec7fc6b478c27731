"""Unpublished work stays unpublished: files only drafts and scheduled explainers use, and unused images,
never reach output/ in a normal build; they appear once a published explainer uses them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import SITE_YAML, explainer, messages, run_build
from samples import photo

BODY = "Lede.\n\n## What happened?\n\n![A crowd](images/body.jpg)\n"
HERO = '{image: images/hero.jpg, alt: "A street"}'
SOCIAL = '{image: images/share.png, alt: "A map"}'
IMAGES = {"content/images/hero.jpg": photo(1400, 900), "content/images/body.jpg": photo(900, 600, color=(9, 9, 9)),
          "content/images/share.png": photo(1300, 700, fmt="PNG")}


def image_files(out: Path) -> dict[str, list[str]]:
    """The files of each source image in output/ (widths, formats, crops), by the image's name."""
    found: dict[str, list[str]] = {"hero": [], "body": [], "share": []}
    for path in (out / "images").glob("*") if (out / "images").is_dir() else ():
        for stem, files in found.items():
            if path.name.startswith((f"{stem}.", f"{stem}-")):
                files.append(path.name)
    return found


def story(**fields) -> str:
    return explainer("Embargoed", BODY, hero=HERO, social_image=SOCIAL, **fields)


def built(root: Path, **options) -> Path:
    result = run_build(root, **options)
    assert result.ok, messages(result)
    return root / "output"


def test_a_drafts_images_and_their_derivatives_wait_for_a_published_explainer(make_site):
    root = make_site({"content/story.md": story(draft="true"), "content/other.md": explainer("Other"), **IMAGES})
    out = built(root)
    assert image_files(out) == {"hero": [], "body": [], "share": []}
    assert not (out / "embargoed").exists()
    (root / "content/other.md").write_text(explainer("Other", BODY, hero=HERO), encoding="utf-8")
    out = built(root)
    files = image_files(out)
    assert files["hero"] and files["body"] and files["share"] == []  # the share image is still the draft's own
    assert any("-social." in name for name in files["hero"])  # and the hero's crops come with it
    (root / "content/story.md").write_text(story(), encoding="utf-8")
    assert image_files(built(root))["share"]


def test_a_scheduled_explainers_images_wait_for_its_date(make_site):
    root = make_site({"content/story.md": story(date="2030-01-01"), "content/other.md": explainer("Other"),
                      **IMAGES})
    out = built(root)
    assert image_files(out) == {"hero": [], "body": [], "share": []}
    out = built(root, now=dt.datetime(2030, 1, 2, tzinfo=dt.UTC))  # the date has come
    files = image_files(out)
    assert files["hero"] and files["body"] and files["share"]


def test_a_preview_build_shows_what_drafts_use(make_site):
    root = make_site({"content/story.md": story(draft="true"), **IMAGES})
    files = image_files(built(root, drafts=True))
    assert files["hero"] and files["body"] and files["share"]
    assert image_files(built(root)) == {"hero": [], "body": [], "share": []}  # and the next normal build drops them


def test_unused_images_are_withheld_and_other_unused_files_published(make_site):
    files = {"content/a.md": explainer("A"), "content/images/spare.jpg": photo(800, 600),
             "content/images/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
             "content/files/report.pdf": b"%PDF-1.4\n"}
    out = built(make_site(files))
    assert (out / "files/report.pdf").read_bytes() == b"%PDF-1.4\n"
    assert not (out / "images").exists()
    out = built(make_site(files, SITE_YAML + "publish_unused: true\n"))
    assert (out / "images/logo.svg").is_file() and any(out.glob("images/spare-*.jpg"))


def test_the_publishers_logo_counts_as_used(make_site):
    site_yaml = SITE_YAML.replace("  name: Test Newsroom\n", "  name: Test Newsroom\n  logo: /images/logo.png\n")
    out = built(make_site({"content/a.md": explainer("A"), "content/images/logo.png": photo(60, 60, fmt="PNG")},
                          site_yaml))
    assert (out / "images").is_dir() and any((out / "images").iterdir())


def test_raw_html_images_and_links_to_images_count_as_used(make_site):
    body = ('## Where?\n\n<img src="/images/raw.jpg" alt="A raw tag" width="10" height="10">\n\n'
            'See [the full map](/images/map.png).\n')
    out = built(make_site({"content/a.md": explainer("A", body), "content/images/raw.jpg": photo(400, 300),
                           "content/images/map.png": photo(300, 200, fmt="PNG")}))
    assert any(out.glob("images/raw*")) and any(out.glob("images/map*"))
