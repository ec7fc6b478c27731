"""Assembly: authors resolved from site.yaml with their ids, names and photos."""

from conftest import SITE_YAML, assert_equals_clean_build, explainer, messages, parse, run_build, touch_later

ANN_PROFILE = SITE_YAML + "    role: Correspondent\n    photo: images/ann.svg\n"
PORTRAIT = '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="160"><rect width="160" height="160"/></svg>'


def test_author_photo_missing_is_an_error_at_its_line_and_nothing_is_written(make_site):
    root = make_site({"content/a.md": explainer("A", authors="[ann]")}, ANN_PROFILE)
    result = run_build(root)
    assert not result.ok and not (root / "output/authors").exists()
    assert "site.yaml:15:12: error: the photo of author 'ann' does not exist (content/images/ann.svg)" in \
        messages(result)[0]


def test_author_photo_counts_as_a_use_so_it_is_published(make_site):
    root = make_site({"content/a.md": explainer("A", authors="[ann]"), "content/images/ann.svg": PORTRAIT,
                      "content/images/spare.svg": PORTRAIT}, ANN_PROFILE)
    assert run_build(root).ok
    assert (root / "output/images/ann.svg").is_file() and not (root / "output/images/spare.svg").exists()


def test_editing_an_author_role_re_renders_their_page(make_site, tmp_path):
    root = make_site({"content/a.md": explainer("A", authors="[ann]"), "content/images/ann.svg": PORTRAIT},
                     ANN_PROFILE)
    first = run_build(root)
    assert first.ok
    yaml = root / "site.yaml"
    yaml.write_text(ANN_PROFILE.replace("Correspondent", "Editor") + "    links: {x: https://x.com/ann}\n",
                    encoding="utf-8")
    touch_later(yaml)
    assert run_build(root, state=first.state).ok
    page = parse(root / "output/authors/ann/index.html")
    assert page.select_one(".author-profile__role").get_text() == "Editor"
    assert [a["href"] for a in page.select(".author-profile__links a")] == ["https://x.com/ann"]
    assert_equals_clean_build(root, tmp_path)


def test_author_ids_and_plain_names(make_site):
    root = make_site({"content/a.md": explainer("A", authors='[ann, "Sam Reed"]'),
                      "content/b.md": explainer("B", authors="[anne]")})
    result = run_build(root)
    assert any("unknown author id 'anne'" in m and "did you mean 'ann'" in m for m in messages(result))
    (root / "content/b.md").unlink()
    assert run_build(root).ok
    assert (root / "output/authors/ann/index.html").exists()
    assert (root / "output/authors/sam-reed/index.html").exists()
    byline = parse(root / "output/a/index.html").find("h1").find_next("a", href="/authors/sam-reed/")
    assert byline.get_text(strip=True) == "Sam Reed"
