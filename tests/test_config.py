from generator.config import load_config


def write(tmp_path, text):
    (tmp_path / "site.yaml").write_text(text, encoding="utf-8")
    return load_config(tmp_path)


def test_defaults_and_trailing_slash(tmp_path):
    config, found = write(tmp_path, "title: T\nbase_url: https://example.org/explainers\n")
    assert found == []
    assert config.base_url == "https://example.org/explainers/"
    assert config.base_path == "/explainers/"
    assert (config.language, config.timezone, config.page_size) == ("en", "UTC", 10)


def test_unknown_keys_warn_with_did_you_mean(tmp_path):
    config, found = write(tmp_path, "title: T\ntimezon: UTC\n")
    assert config is not None
    assert found[0].severity == "warning" and found[0].line == 2
    assert "did you mean 'timezone'" in found[0].hint


def test_wrong_types_are_errors(tmp_path):
    _, found = write(tmp_path, "title: T\npage_size: ten\nbase_url: example.org\ntimezone: Mars/Base\n")
    text = "\n".join(d.format() for d in found)
    assert "site.yaml:2:12: error: 'page_size' must be a positive whole number" in text
    assert "'base_url' must be an absolute http(s) URL" in text
    assert "unknown timezone 'Mars/Base'" in text


def test_missing_file_and_title(tmp_path):
    config, found = load_config(tmp_path)
    assert config is None and "nutgraf init" in found[0].hint
    config, found = write(tmp_path, "description: x\n")
    assert config is None and "needs a 'title'" in found[0].message


def test_command_line_base_url_overrides(tmp_path):
    (tmp_path / "site.yaml").write_text("title: T\n", encoding="utf-8")
    config, found = load_config(tmp_path, base_url="https://news.example/sub")
    assert config.base_url == "https://news.example/sub/"


def test_unsafe_author_ids_are_refused(tmp_path):
    _, found = write(tmp_path, "title: T\nauthors:\n  ../evil:\n    name: X\n")
    assert "not safe in a URL" in found[0].message
