"""Cards drawn fast with the same pixels: the headline's pieces of a card encoded alone and put into its layer's JPEG
give byte for byte the whole card's JPEG, words drawn from a cache land where the line would put them, and the
questions of one explainer encode their shared layer once."""

import io

import pytest
from conftest import SITE_YAML, explainer, messages, run_build
from PIL import Image, ImageChops, features

from generator.outputs import cardart, cardjpeg, sharecards
from generator.outputs.cardart import HEIGHT, PAD, WIDTH, CardWords, art_image, draw_card, encode, load_style
from generator.outputs.cardjpeg import jpeg, pieces, spliced
from generator.outputs.sharecards import CardSpec, render_card
from generator.outputs.themes import builtin_themes_dir

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="900"><rect width="1600" height="900" '
       'fill="#2a6f97"/><circle cx="800" cy="450" r="300" fill="#f4d35e"/></svg>')


def noisy(size=(WIDTH, HEIGHT), amount=40) -> Image.Image:
    """A photo-like image: a gradient with grain, which no piece of the JPEG can encode as flat."""
    gradient = Image.linear_gradient("L").resize(size).convert("RGB")
    return Image.blend(gradient, Image.effect_noise(size, amount).convert("RGB"), 0.4)


def pixels(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGB")


@pytest.mark.parametrize(("at", "size"), [((0, 112), (800, 224)), ((400, 0), (400, 16)), ((0, 608), (1200, 22)),
                                          ((800, 320), (400, 310))])
def test_a_patch_spliced_into_the_layers_pieces_is_the_whole_cards_jpeg(at, size):
    layer = noisy()
    card = layer.copy()
    patch = noisy(size, 90)
    card.paste(patch, at)
    assert spliced(pieces(jpeg(layer, 85)), layer.size, at, patch, 85) == jpeg(card, 85)
    plain = io.BytesIO()  # the restart markers change the bytes, not the pixels a reader sees
    card.save(plain, "JPEG", quality=85, subsampling="4:2:0")
    assert ImageChops.difference(pixels(jpeg(card, 85)), pixels(plain.getvalue())).getbbox() is None


HEADLINES = [
    CardWords("Who is at the table, and what does each side want from the talks in Astana?", "Syria", "Site",
              "en", "ltr"),
    CardWords("İstanbul'da ılık bir kış: Işıklar neden şimdi söndü?", "Şehir", "Test Sitesi", "tr", "ltr"),
    CardWords("من يجلس إلى الطاولة، وماذا يريد كل طرف؟", "سوريا", "موقع الاختبار", "ar", "rtl"),
    CardWords("Why the word שבת is on the 1,200 new signs (and AV, To, Ty kerned)", "", "Site", "en", "ltr"),
    CardWords("Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz und "
              "Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherung", "Wörter", "Site", "de", "ltr"),
    CardWords("… ‘single’", "", "Site", "en", "ltr"),  # Raqm gives punctuation the script of a neighbour, or
    CardWords("Why “quoted” words, (brackets) – and 3.5% – keep their place", "", "Site", "en", "ltr"),  # its pair
    CardWords("Почему растут ‘single’ цены в Москве", "Цены", "Site", "ru", "ltr"),
    CardWords(" ".join(["Why does the price of bread keep rising in every market we looked at?"] * 4), "Long",
              "Site", "en", "ltr"),  # clipped with an ellipsis at the smallest size
]


@pytest.mark.skipif(not features.check("raqm"), reason="text shaping needs Pillow with Raqm")
@pytest.mark.parametrize("words", HEADLINES, ids=[w.lang + str(n) for n, w in enumerate(HEADLINES)])
def test_headlines_drawn_by_cached_words_and_pieces_equal_cards_drawn_whole(words, tmp_path):
    art = tmp_path / "hero.svg"
    art.write_text(SVG)
    style, _ = load_style([builtin_themes_dir() / "default"], None)
    drawing = art_image(art, (cardart.ART_WIDTH - PAD, HEIGHT - 2 * PAD), style)
    for spec, image in ((CardSpec("a/share.jpg", words), None), (CardSpec("b/share.jpg", words, str(art), "d"),
                                                                 drawing)):
        whole = encode(draw_card(words, style, image, False))  # each line drawn by ImageDraw.text
        for shared in (False, True, True):  # the second time from the cache of word masks
            assert render_card(spec, style, shared=shared) == (whole, ""), (spec.rel, shared)


def test_an_explainers_questions_encode_their_shared_layer_once(tmp_path, monkeypatch):
    style, _ = load_style([builtin_themes_dir() / "default"], None)
    encoded: list[tuple[int, int]] = []

    def counted(image, quality):
        encoded.append(image.size)
        return jpeg(image, quality)

    for module in (cardjpeg, cardart, sharecards):
        monkeypatch.setattr(module, "jpeg", counted)
    questions = ["Who pays for it?", "What comes next for the plan?", "Why now?"]
    specs = [CardSpec(f"e/q/{n}/share.jpg", CardWords(q, "A plan counted once", "Site", "en", "ltr"))
             for n, q in enumerate(questions)]
    done = sharecards._draw_chunk((style, tmp_path), [(spec, spec.key(style)) for spec in specs])
    assert done == [(spec.rel, "") for spec in specs]
    assert encoded.count((WIDTH, HEIGHT)) == 1  # the layer; then each card's headline alone
    assert len(encoded) == 4 and all(h < HEIGHT // 4 for _, h in encoded[1:]), encoded  # one line each
    monkeypatch.undo()
    for spec in specs:
        assert (tmp_path / f"{spec.key(style)}.jpg").read_bytes() == encode(draw_card(spec.words, style, None, False))


def test_a_built_sites_question_cards_are_the_cards_drawn_whole(make_site):
    body = "".join(f"## {q}\n\nText.\n\n" for q in ("Who is at the table?", "What comes next?", "Why now?"))
    tr_body = "## İzmir ılık kışı neden şaşırttı?\n\nMetin.\n"
    root = make_site({"content/talks.md": explainer("Peace talks", body),
                      "content/kis.md": explainer("Kış", tr_body, lang="tr")},
                     SITE_YAML + "question_share_cards: true\n")  # main's switch for question cards (12b4329)
    result = run_build(root)
    assert result.ok, messages(result)
    style, _ = load_style([builtin_themes_dir() / "default"], None)
    out = root / "output"
    for rel, words in [("talks/q/who-is-at-the-table", CardWords("Who is at the table?", "Peace talks", "Test Site",
                                                                  "en", "ltr")),
                       ("talks/q/why-now", CardWords("Why now?", "Peace talks", "Test Site", "en", "ltr"))]:
        assert (out / rel / "share.jpg").read_bytes() == encode(draw_card(words, style, None, False)), rel
    (tr_card,) = [p for p in (out / "kis/q").rglob("share.jpg")]
    turkish = CardWords("İzmir ılık kışı neden şaşırttı?", "Kış", "Test Site", "tr", "ltr")
    expected = encode(draw_card(turkish, style, None, False))
    assert tr_card.read_bytes() == expected
