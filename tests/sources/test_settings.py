"""Settings: site.yaml's feeds and images settings, their defaults and their mistakes at their lines."""

from generator.sources.config import load_config
from generator.sources.settings import ImageSettings


def write(tmp_path, text):
    (tmp_path / "site.yaml").write_text(text, encoding="utf-8")
    return load_config(tmp_path)


def test_feeds_settings_default_and_validate(tmp_path):
    config, found = write(tmp_path, "title: T\n")
    assert (config.feeds.content, config.feeds.items) == ("full", 20)
    config, found = write(tmp_path, "title: T\nfeeds:\n  content: summary\n  items: 5\n")
    assert found == [] and (config.feeds.content, config.feeds.items) == ("summary", 5)
    config, found = write(tmp_path, "title: T\nfeeds:\n  content: excerpt\n  items: 0\n  item: 3\n")
    text = "\n".join(d.format() for d in found)
    assert "site.yaml:3:12: error: 'feeds.content' must be full or summary, not 'excerpt'" in text
    assert "site.yaml:4:10: error: 'feeds.items' must be a positive whole number, not 0" in text
    assert "site.yaml:5:9: warning: unknown feeds setting 'item'" in text and "did you mean 'items'" in text
    _, found = write(tmp_path, "title: T\nfeeds: full\n")
    assert "'feeds' must be a mapping" in found[0].message


def test_image_settings_default_and_validate(tmp_path):
    config, found = write(tmp_path, "title: T\n")
    assert config.images.widths == (480, 800, 1200, 1600) and config.images.keep_metadata == ()
    config, found = write(tmp_path, 'title: T\nimages:\n  widths: [800, 400, 800]\n  sizes: "50vw"\n  quality: 70\n'
                                    "  keep_metadata: [copyright, artist]\n  warn_megapixels: 20\n"
                                    "  max_megapixels: 30\n")
    assert found == []
    assert (config.images.widths, config.images.sizes, config.images.quality) == ((400, 800), "50vw", 70)
    assert (config.images.keep_metadata, config.images.warn_megapixels) == (("artist", "copyright"), 20)
    assert (config.images.max_megapixels, ImageSettings().max_megapixels) == (30, 50)
    _, found = write(tmp_path, "title: T\nimages:\n  widths: [0, big]\n  quality: 101\n  keep_metadata: [gps]\n"
                               "  keep_metdata: []\n  max_megapixels: 90\n")
    text = "\n".join(d.format() for d in found)
    assert "site.yaml:3:11: error: 'images.widths' must be a list of widths in pixels" in text
    assert "site.yaml:4:12: error: 'images.quality' must be a whole number from 1 to 100" in text
    assert "'images.keep_metadata' cannot keep 'gps'" in text and "copyright, artist" in text
    assert "unknown images setting 'keep_metdata'" in text and "did you mean 'keep_metadata'" in text
    assert "site.yaml:7:19: error: 'images.max_megapixels' must be a whole number from 1 to 89, not 90" in text
