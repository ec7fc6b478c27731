
from generator.sources.config import load_config


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


def test_author_type_is_person_or_organization(tmp_path):
    config, found = write(tmp_path, "title: T\nauthors:\n  desk:\n    name: Desk\n    type: organization\n"
                                    "  ann: Ann\n")
    assert found == []
    assert (config.authors["desk"].type, config.authors["ann"].type) == ("organization", "person")
    _, found = write(tmp_path, "title: T\nauthors:\n  desk:\n    name: Desk\n    type: team\n")
    assert "author type must be person or organization, not 'team'" in found[0].message and found[0].line == 5


def test_a_theme_is_a_name_not_a_path(tmp_path):
    for bad in ("../x", "/abs", "themes/../../x", "..", ".hidden", "a\\\\b", "C:x"):
        config, found = write(tmp_path, f'title: T\ntheme: "{bad}"\n')
        [problem] = found
        assert (problem.severity, problem.path, problem.line) == ("error", "site.yaml", 2), bad
        assert "'theme' must be the name of a folder in themes/" in problem.message and problem.hint
    config, found = write(tmp_path, "title: T\ntheme: my-theme_2.1\n")
    assert found == [] and config.theme == "my-theme_2.1"


def test_author_role_photo_and_links_are_read_in_a_fixed_order(tmp_path):
    config, found = write(tmp_path, "title: T\nauthors:\n  ann:\n    name: Ann\n    role: Diplomacy correspondent\n"
                                    "    photo: /images/ann.jpg\n    links:\n      mastodon: https://social.example/@ann\n"
                                    "      email: mailto:ann@example.org\n      website: https://ann.example/\n"
                                    "      x: https://x.com/ann\n  bo:\n    name: Bo\n"
                                    "    photo: https://cdn.example/bo.jpg\n")
    assert found == []
    ann, bo = config.authors["ann"], config.authors["bo"]
    assert (ann.role, ann.photo, ann.photo_file) == ("Diplomacy correspondent", "/images/ann.jpg", "images/ann.jpg")
    assert ann.links == (("website", "https://ann.example/"), ("email", "ann@example.org"),
                         ("x", "https://x.com/ann"), ("mastodon", "https://social.example/@ann"))
    assert (bo.photo, bo.photo_file, bo.links, bo.role) == ("https://cdn.example/bo.jpg", "", (), "")


def test_malformed_author_links_and_photos_are_errors_at_their_line(tmp_path):
    config, found = write(tmp_path, "title: T\nauthors:\n  ann:\n    name: Ann\n    photo: http://cdn.example/a.jpg\n"
                                    "    links:\n      email: ann?cc=all@example.org\n      x: https://evil.example/ann\n"
                                    "      website: javascript:alert(1)\n      bluesky: [ann]\n      tiktok: https://t.example/\n"
                                    "      mastodon: https://social.example/@ann\n  bo:\n    name: Bo\n"
                                    "    photo: ../../etc/passwd\n    links: https://bo.example/\n")
    text = "\n".join(d.format() for d in found)
    assert "site.yaml:5:12: error: 'authors.ann.photo' must be a path under content/ or an https URL" in text
    assert "site.yaml:7:14: error: 'authors.ann.links.email' is not an email address" in text
    assert "site.yaml:8:10: error: 'authors.ann.links.x' must be a profile on x.com or twitter.com" in text
    assert "site.yaml:9:16: error: 'authors.ann.links.website' must be an absolute http(s) URL" in text
    assert "site.yaml:10:16: error: 'authors.ann.links.bluesky' must be text" in text
    assert "site.yaml:11:15: error: unknown kind of link 'tiktok'" in text
    assert "site.yaml:15:12: error: 'authors.bo.photo' must be a path under content/" in text
    assert "site.yaml:16:12: error: 'authors.bo.links' must be a mapping" in text
    assert len(found) == 8
    assert config.authors["ann"].links == (("mastodon", "https://social.example/@ann"),)


def test_question_share_cards_is_off_by_default_and_must_be_true_or_false(tmp_path):
    config, found = write(tmp_path, "title: T\n")
    assert found == [] and config.question_share_cards is False
    config, found = write(tmp_path, "title: T\nquestion_share_cards: true\n")
    assert found == [] and config.question_share_cards is True
    _, found = write(tmp_path, 'title: T\nquestion_share_cards: "yes"\n')
    assert [d.format() for d in found] == [
        "site.yaml:2:23: error: 'question_share_cards' must be true or false, not 'yes'"]
