"""Share cards: a 1200x630 JPEG under 150 KB for every explainer, question and home page, drawn with shaped text
(compared with reference images per script), drawn again only when its words or art change, never for drafts."""

import io
import os
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import (
    SITE_YAML,
    assert_equals_clean_build,
    edit_text,
    explainer,
    messages,
    parse,
    run_build,
    touch_later,
)
from PIL import Image, ImageChops, ImageStat, features

from generator.outputs.cardart import ART_WIDTH, HEIGHT, PAD, CardWords, art_image, draw_card, encode, load_style
from generator.outputs.sharecards import STORE_FOLDER, CardSpec, render_card
from generator.outputs.themes import builtin_themes_dir

REFERENCES = Path(__file__).parent / "share_references"
SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="900"><rect width="1600" height="900" '
       'fill="#2a6f97"/><circle cx="800" cy="450" r="300" fill="#f4d35e"/></svg>')
HERO = '\n  image: images/hero.svg\n  alt: "A round table"'
BODY = "## Who is at the table?\n\nMany.\n\n## What comes next?\n\nTalks.\n"
AR_BODY = "## من يجلس إلى الطاولة؟ {#parties}\n\nكثيرون.\n"


def photo(width: int = 2400, height: int = 1600) -> bytes:
    """A photo-like image: a gradient with grain."""
    gradient = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    grain = Image.effect_noise((width, height), 20).convert("RGB")
    out = io.BytesIO()
    Image.blend(gradient, grain, 0.3).save(out, "JPEG", quality=92)
    return out.getvalue()


QUESTION_CARDS = SITE_YAML + "question_share_cards: true\n"  # a card drawn for each question's share page


def site(make_site, extra: dict | None = None, site_yaml: str = QUESTION_CARDS):
    files = {"content/svg.md": explainer("Syrian rebels and the regime have started peace talks", BODY, hero=HERO,
                                         topics="[Syria]"),
             "content/plain.md": explainer("Why leap seconds are going away", BODY),
             "content/photo.md": explainer("A photo story", BODY, hero='\n  image: images/p.jpg\n  alt: "Ships"'),
             "content/ramadan.md": explainer("لماذا يتغير موعد شهر رمضان كل عام؟", AR_BODY, lang="ar"),
             "content/draft.md": explainer("A secret draft headline", BODY, hero=HERO, draft="true"),
             "content/images/hero.svg": SVG, "content/images/p.jpg": photo()}
    return make_site(files | (extra or {}), site_yaml)


def meta(page, name: str) -> list[str]:
    return [m["content"] for m in page.find_all("meta") if m.get("property") == name or m.get("name") == name]


def cards(out: Path) -> dict[str, Path]:
    return {p.relative_to(out).as_posix(): p for p in out.rglob("share.jpg")}


def test_every_card_is_a_small_1200x630_jpeg_and_every_page_previews_one_that_exists(make_site):
    root = site(make_site)
    result = run_build(root)
    assert result.ok, messages(result)
    out = root / "output"
    written = cards(out)
    assert {"svg/share.jpg", "plain/share.jpg", "photo/share.jpg", "ramadan/share.jpg", "share.jpg",
            "ar/share.jpg", "svg/q/who-is-at-the-table/share.jpg", "ramadan/q/parties/share.jpg"} <= set(written)
    for rel, path in written.items():
        with Image.open(path) as image:
            assert (image.format, image.size) == ("JPEG", (1200, 630)), rel
        assert path.stat().st_size < 150_000, rel
    pages = [p for p in out.rglob("index.html") if "/q/" not in p.as_posix()]
    explainers = 0
    for path in pages:
        page = parse(path)
        if not meta(page, "og:type") or page.find("meta", attrs={"http-equiv": "refresh"}):
            continue  # alias redirects
        (url,) = meta(page, "og:image")
        assert url.startswith("https://example.org/") and url.endswith(".jpg"), path
        assert (out / url.removeprefix("https://example.org/")).is_file(), url
        assert meta(page, "twitter:image") == [url]
        assert (meta(page, "og:image:width"), meta(page, "og:image:height")) == (["1200"], ["630"])
        assert meta(page, "og:image:alt"), path
        explainers += meta(page, "og:type") == ["article"]
    assert explainers == 4  # the draft has no page
    home = parse(out / "index.html")
    assert meta(home, "og:image") == ["https://example.org/share.jpg"]
    assert meta(parse(out / "topics/syria/index.html"), "og:image") == ["https://example.org/share.jpg"]
    assert meta(parse(out / "ar/search/index.html"), "og:image") == ["https://example.org/ar/share.jpg"]


def test_a_photo_heros_card_is_its_crop_and_a_drawing_is_drawn_beside_the_headline(make_site):
    root = site(make_site)
    assert run_build(root).ok
    out = root / "output"
    page = parse(out / "photo/index.html")
    assert meta(page, "og:image:alt") == ["Ships"]  # the card is the photo: its alt text
    (crop,) = out.joinpath("images").glob("p-social.*.jpg")
    with Image.open(out / "photo/share.jpg") as card, Image.open(crop) as expected:
        assert ImageStat.Stat(ImageChops.difference(card.convert("L"), expected.convert("L"))).mean[0] < 2
    with Image.open(out / "svg/share.jpg") as card:
        drawn = card.convert("RGB")
    assert drawn.getpixel((10, 10)) == pytest.approx((0x14, 0x21, 0x3D), abs=6)  # the theme's background
    assert drawn.getpixel((1000, 315)) == pytest.approx((0xF4, 0xD3, 0x5E), abs=12)  # the SVG's circle, right
    with Image.open(out / "ramadan/share.jpg") as card:
        rtl = card.convert("RGB")
    assert rtl.getpixel((1190, 10)) == pytest.approx((0x14, 0x21, 0x3D), abs=6)  # no art: all background


def test_even_a_photo_of_noise_is_encoded_under_150_kb():
    noise = Image.effect_noise((1200, 630), 80).convert("RGB")
    assert len(encode(noise)) < 150_000


def test_cards_drawn_on_an_explainers_shared_layer_equal_cards_drawn_whole(tmp_path):
    art = tmp_path / "hero.svg"
    art.write_text(SVG)
    style, _ = load_style([builtin_themes_dir() / "default"], None)
    drawing = (str(art), "d1", False)
    specs = [CardSpec("a/q/one/share.jpg", CardWords("Who is at the table?", "Peace talks", "Site", "en", "ltr"),
                      *drawing),
             CardSpec("a/share.jpg", CardWords("Peace talks", "Syria", "Site", "en", "ltr"), *drawing),
             CardSpec("a/q/two/share.jpg", CardWords("What comes next?", "Peace talks", "Site", "en", "ltr"),
                      *drawing),
             CardSpec("b/q/x/share.jpg", CardWords("ما التالي؟", "محادثات", "موقع", "ar", "rtl"))]
    for spec in specs:  # one after another, as a worker draws them: the layer of "a"'s questions is reused
        whole = draw_card(spec.words, style, art_image(art, (ART_WIDTH - PAD, HEIGHT - 2 * PAD), style)
                          if spec.art else None, False)
        assert render_card(spec, style) == (encode(whole), ""), spec.rel


def test_the_sites_svg_logo_is_drawn_beside_its_name(make_site):
    logo = ('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64" '
            'fill="#00cc00"/></svg>')
    root = make_site({"content/a.md": explainer("A"), "content/images/logo.svg": logo},
                     SITE_YAML.replace("  name: Test Newsroom\n", "  name: Test Newsroom\n  logo: /images/logo.svg\n"))
    assert run_build(root).ok
    with Image.open(root / "output/a/share.jpg") as card:
        drawn = card.convert("RGB")
    assert drawn.getpixel((64 + 24, 630 - 64 - 24)) == pytest.approx((0, 0xCC, 0), abs=12)  # 48 px high, at left
    assert drawn.getpixel((64 + 60, 630 - 64 - 24)) != pytest.approx((0, 0xCC, 0), abs=40)  # and no wider


def test_drafts_get_no_card_and_no_question_pages(make_site):
    root = site(make_site)
    assert run_build(root).ok
    out = root / "output"
    assert not (out / "draft").exists()
    stored = list((root / ".nutgraf-cache" / STORE_FOLDER).glob("*.jpg"))
    assert len(stored) == len(cards(out))  # nothing drawn for the draft, even into the cache
    result = run_build(root, drafts=True, output=root / "preview")
    assert result.ok
    assert (root / "preview/draft/share.jpg").is_file()  # the preview shows it, as it shows the draft


def question_page(out: Path, rel: str):
    return parse(out / rel / "index.html")


def test_question_share_pages_have_their_title_canonical_card_and_noindex(make_site):
    root = site(make_site)
    assert run_build(root).ok
    out = root / "output"
    page = question_page(out, "svg/q/who-is-at-the-table")
    assert page.find("title").get_text() == "Who is at the table? | Test Site"
    assert meta(page, "description") == ["Who is at the table?"]
    assert meta(page, "og:title") == ["Who is at the table?"]
    assert page.find("link", rel="canonical")["href"] == "https://example.org/svg/#who-is-at-the-table"
    assert meta(page, "og:url") == ["https://example.org/svg/#who-is-at-the-table"]
    assert meta(page, "robots") == ["noindex"]
    assert meta(page, "og:image") == ["https://example.org/svg/q/who-is-at-the-table/share.jpg"]
    assert page.find("meta", attrs={"http-equiv": "refresh"})["content"] == "0; url=/svg/#who-is-at-the-table"
    assert page.find("main").find("a")["href"] == "/svg/#who-is-at-the-table"  # for readers without the redirect
    assert page.body["data-pagefind-ignore"] == "all" and not page.find(attrs={"data-pagefind-body": True})
    rtl = question_page(out, "ramadan/q/parties")
    assert (rtl.html["lang"], rtl.html["dir"]) == ("ar", "rtl")
    assert rtl.find("link", rel="canonical")["href"] == "https://example.org/ramadan/#parties"
    # the explainer links each question to its share page, in the page's language, out of search
    links = parse(out / "svg/index.html").select(".question-share a")
    assert [a["href"] for a in links] == ["/svg/q/who-is-at-the-table/", "/svg/q/what-comes-next/"]
    assert links[0].get_text() == "Share this question"
    assert [a["aria-describedby"] for a in links] == ["who-is-at-the-table", "what-comes-next"]
    assert links[0].find_parent("div").has_attr("data-pagefind-ignore")
    heading = parse(out / "svg/index.html").find("h2", id="who-is-at-the-table")
    assert heading.find_next_sibling()["class"] == ["question-share"]
    (ar_link,) = parse(out / "ramadan/index.html").select(".question-share a")
    assert (ar_link["href"], ar_link.get_text()) == ("/ramadan/q/parties/", "شارك هذا السؤال")
    sitemap = (out / "sitemap.xml").read_text()
    assert "/q/" not in sitemap


def test_by_default_a_question_page_previews_its_explainers_card_and_no_question_card_is_drawn(make_site):
    root = site(make_site, site_yaml=SITE_YAML)
    result = run_build(root)
    assert result.ok, messages(result)
    out = root / "output"
    assert not [rel for rel in cards(out) if "/q/" in rel]
    page = question_page(out, "svg/q/who-is-at-the-table")
    assert meta(page, "og:title") == ["Who is at the table?"]  # the question is what the preview says
    assert meta(page, "og:image") == meta(parse(out / "svg/index.html"), "og:image") == [
        "https://example.org/svg/share.jpg"]
    assert meta(page, "og:image:alt") == ["Syrian rebels and the regime have started peace talks"]
    photo_page = question_page(out, "photo/q/who-is-at-the-table")
    assert meta(photo_page, "og:image") == ["https://example.org/photo/share.jpg"]
    assert meta(photo_page, "og:image:alt") == ["Ships"]  # a photo's card is its crop: its alt text describes it
    stored_cards = list((root / ".nutgraf-cache" / STORE_FOLDER).glob("*.jpg"))
    assert len(stored_cards) == len(cards(out))  # none drawn into the cache either


def test_turning_question_cards_on_and_off_equals_a_clean_build(make_site, tmp_path):
    root = site(make_site, site_yaml=SITE_YAML)
    assert run_build(root).ok
    (root / "site.yaml").write_text(QUESTION_CARDS, encoding="utf-8")
    assert run_build(root).ok
    assert meta(question_page(root / "output", "svg/q/who-is-at-the-table"), "og:image") == [
        "https://example.org/svg/q/who-is-at-the-table/share.jpg"]
    assert_equals_clean_build(root, tmp_path)
    (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    assert run_build(root).ok
    assert not [rel for rel in cards(root / "output") if "/q/" in rel]
    assert_equals_clean_build(root, tmp_path)


def stored(root: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (root / ".nutgraf-cache" / STORE_FOLDER).glob("*.jpg")}


def test_cards_are_drawn_only_when_their_words_change_and_incremental_equals_clean(make_site, tmp_path):
    root = site(make_site)
    assert run_build(root).ok
    before = stored(root)
    result = run_build(root)  # nothing changed: no card drawn, nothing written
    assert result.ok and result.written == 0
    assert stored(root) == before
    touch_later(root / "content/plain.md")  # touched, not changed: parsed again, no card drawn
    assert run_build(root).ok
    assert stored(root) == before
    edit_text(root / "content/plain.md", "## What comes next?", "## What happens next?")
    assert run_build(root).ok
    after = stored(root)
    assert len(set(after) - set(before)) == 1  # that question's card, and no other
    assert {k: v for k, v in after.items() if k in before} == {k: before[k] for k in after if k in before}
    assert len(set(before) - set(after)) == 1  # the old question's card is forgotten
    assert (root / "output/plain/q/what-happens-next/share.jpg").is_file()
    assert not (root / "output/plain/q/what-comes-next").exists()
    assert_equals_clean_build(root, tmp_path)
    edit_text(root / "content/svg.md", "Syrian rebels", "Rebels")  # the headline: its card and its questions'
    assert run_build(root).ok
    assert len(set(stored(root)) - set(after)) == 3
    assert_equals_clean_build(root, tmp_path)


THEME = "name: brand\nextends: default\nshare_card:\n  background: \"#ffffff\"\n  text: \"#111111\"\n"


def test_the_theme_brands_the_cards_and_a_change_draws_them_again(make_site, tmp_path):
    root = site(make_site, {"themes/brand/theme.yaml": THEME})
    (root / "site.yaml").write_text(QUESTION_CARDS + "theme: brand\n")
    assert run_build(root).ok
    with Image.open(root / "output/plain/share.jpg") as card:
        assert card.convert("RGB").getpixel((10, 10)) == pytest.approx((255, 255, 255), abs=4)
    (root / "themes/brand/theme.yaml").write_text(THEME.replace("#ffffff", "#003300"))
    result = run_build(root)
    assert result.ok and result.written > 0  # not a no-op: theme.yaml is an input of every card
    with Image.open(root / "output/plain/share.jpg") as card:
        assert card.convert("RGB").getpixel((10, 10)) == pytest.approx((0, 0x33, 0), abs=4)
    assert_equals_clean_build(root, tmp_path)
    (root / "themes/brand/theme.yaml").write_text(THEME.replace("#ffffff", "blurple"))
    result = run_build(root)
    assert not result.ok
    assert any("themes/brand/theme.yaml" in m and "'blurple' is not a colour" in m for m in messages(result))


# What each script's reference card says: Latin, Arabic (joined, right to left), Turkish (İ, ı, ş, ğ).
SCRIPTS = {
    "latin": CardWords("Who is at the table, and what does each side want?", "Syria", "The Test Site", "en", "ltr"),
    "arabic": CardWords("من يجلس إلى الطاولة، وماذا يريد كل طرف؟", "سوريا", "موقع الاختبار", "ar", "rtl"),
    "turkish": CardWords("İstanbul'da ılık bir kış: Işıklar neden şimdi söndü?", "Şehir", "Test Sitesi", "tr", "ltr"),
}
TEXT_BOX = (0, 0, 1200, 480)  # kicker and headline; the footer is the site's name in the same fonts


def draw(words: CardWords) -> Image.Image:
    style, problems = load_style([builtin_themes_dir() / "default"], None)
    assert not problems
    return draw_card(words, style, None, False).convert("L").crop(TEXT_BOX)


def difference(a: Image.Image, b: Image.Image) -> float:
    """The pixels that differ by more than a quarter of the scale (anti-aliasing aside), as a share of the
    reference's inked pixels (the letters, light on the dark card)."""
    differ = ImageChops.difference(a, b).point(lambda v: 255 if v > 64 else 0)
    ink = b.point(lambda v: 255 if v > 128 else 0)
    return ImageStat.Stat(differ).sum[0] / ImageStat.Stat(ink).sum[0]


@pytest.mark.skipif(not features.check("raqm"), reason="text shaping needs Pillow with Raqm")
@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_each_scripts_text_is_drawn_as_its_reference_image(script):
    drawn = draw(SCRIPTS[script])
    reference = REFERENCES / f"{script}.png"
    if os.environ.get("NUTGRAF_UPDATE_REFERENCES"):
        drawn.save(reference)
    with Image.open(reference) as expected:
        assert expected.size == drawn.size
        assert difference(drawn, expected.convert("L")) < 0.004  # another FreeType may smooth edges apart
        # and the comparison tells: each script's likely mistake is far off its reference
        mistaken = draw(MISTAKES[script])
        assert difference(mistaken, expected.convert("L")) > 0.01  # Turkish: 0.014, dots alone; Latin 0.3; Arabic 1.6


# Arabic letters kept apart (a zero-width non-joiner between each): what drawing without shaping shows;
# Turkish with the dots of İ and ı lost; Latin with one letter more.
MISTAKES = {
    "latin": replace(SCRIPTS["latin"], headline="Who is at the tables, and what does each side want?"),
    "arabic": replace(SCRIPTS["arabic"], headline="\u200c".join(SCRIPTS["arabic"].headline)),
    "turkish": replace(SCRIPTS["turkish"], headline=SCRIPTS["turkish"].headline.replace("İ", "I").replace("ı", "i")),
}



def png(colour: str, size=(800, 800)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def test_site_yaml_share_image_is_the_card_of_home_topic_author_and_search_pages(make_site, tmp_path):
    root = make_site({"content/a.md": explainer("A", topics="[Syria]"), "content/images/brand.png": png("#cc0000")},
                     SITE_YAML + "share_image: images/brand.png\n")
    result = run_build(root)
    assert result.ok, messages(result)
    out = root / "output"
    for page in ("index.html", "topics/syria/index.html", "search/index.html"):
        assert meta(parse(out / page), "og:image") == ["https://example.org/share.jpg"]
    with Image.open(out / "share.jpg") as card:
        assert card.size == (1200, 630)
        assert card.convert("RGB").getpixel((600, 315)) == pytest.approx((0xCC, 0, 0), abs=4)
    with Image.open(out / "a/share.jpg") as card:  # an explainer's card is its own
        assert card.convert("RGB").getpixel((10, 10)) == pytest.approx((0x14, 0x21, 0x3D), abs=6)
    (root / "content/images/brand.png").write_bytes(png("#0000cc"))
    touch_later(root / "content/images/brand.png")
    assert run_build(root).ok
    with Image.open(out / "share.jpg") as card:
        assert card.convert("RGB").getpixel((600, 315)) == pytest.approx((0, 0, 0xCC), abs=4)
    assert_equals_clean_build(root, tmp_path)
    (root / "site.yaml").write_text(QUESTION_CARDS + "share_image: images/none.png\n")
    result = run_build(root)
    assert not result.ok
    assert any(m.startswith("site.yaml:") and "share_image: 'images/none.png'" in m for m in messages(result))


def test_a_content_file_where_a_card_goes_is_an_error(make_site):
    root = make_site({"content/a.md": explainer("A"), "content/a/share.jpg": png("#00cc00")},
                     SITE_YAML + "publish_unused: true\n")  # else withheld: no explainer uses it
    result = run_build(root)
    assert not result.ok
    assert any(m.startswith("content/a/share.jpg:") and "would replace the share card" in m
               for m in messages(result))
