"""Site settings: site.yaml read into a frozen, validated SiteConfig."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..diagnostics import Diagnostic, Position, did_you_mean, error, warning
from .frontmatter import YamlDocument, decode_source, load_yaml
from .languages import LANG_TAG, LanguageWords, parse_languages
from .settings import (
    CheckSettings,
    DeploySettings,
    FeedSettings,
    ImageSettings,
    parse_check,
    parse_deploy,
    parse_feeds,
    parse_images,
)

CONFIG_NAME = "site.yaml"
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"})
SETTINGS = ("title", "description", "base_url", "language", "timezone", "theme", "page_size", "publisher",
            "authors", "feeds", "untrusted_html", "embed_hosts", "images", "search", "check", "extra",
            "minify_html", "deploy", "publish_unused", "languages", "embed_posters", "share_image",
            "question_share_cards")
AUTHOR_FIELDS = ("name", "url", "bio", "type", "role", "photo", "links")
AUTHOR_TYPES = ("person", "organization")
# An author's `links:`, in the order pages show them; a profile's host where the platform has one.
AUTHOR_LINKS = MappingProxyType({"website": (), "email": (), "x": ("x.com", "twitter.com"), "bluesky": ("bsky.app",),
                                 "mastodon": (), "linkedin": ("linkedin.com",)})
# An email address without ? # % & /, so that its mailto: link is that one address and nothing more.
EMAIL = re.compile(r"^[A-Za-z0-9._+!$*=^`{|}~'-]+@[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)+$")
HTML_POLICIES = ("trust", "sanitize")
DEFAULT_EMBED_HOSTS = ("www.youtube.com", "www.youtube-nocookie.com", "player.vimeo.com", "www.dailymotion.com",
                       "w.soundcloud.com", "datawrapper.dwcdn.net", "flo.uri.sh", "www.google.com")


NO_WORDS = LanguageWords()


@dataclass(frozen=True, slots=True)
class Publisher:
    name: str = ""
    url: str = ""
    logo: str = ""


@dataclass(frozen=True, slots=True)
class AuthorConfig:
    name: str
    url: str = ""
    bio: str = ""
    type: str = "person"  # or "organization", for a desk or a newsroom; schema.org's author type
    role: str = ""  # the job title, e.g. "Diplomacy correspondent"
    photo: str = ""  # a path under content/ or an https URL
    links: tuple[tuple[str, str], ...] = ()  # (kind of AUTHOR_LINKS, URL or email address), in that order

    @property
    def photo_file(self) -> str:
        """The photo's path under content/ ("images/ann.jpg"), or "" for none or a URL."""
        if not self.photo or urlsplit(self.photo).scheme or self.photo.startswith("//"):
            return ""
        return posixpath.normpath(self.photo.lstrip("/"))



@dataclass(frozen=True, slots=True)
class SiteConfig:
    """Everything site.yaml says, with defaults filled in and types checked."""

    title: str
    root: Path  # the site's source folder
    description: str = ""
    base_url: str = "http://127.0.0.1:8000/"
    language: str = "en"
    timezone: str = "UTC"
    theme: str = "default"
    page_size: int = 10
    publisher: Publisher = Publisher()
    feeds: FeedSettings = FeedSettings()
    untrusted_html: str = "trust"  # "sanitize": clean every body with nh3 (contributors from outside)
    embed_hosts: tuple[str, ...] = DEFAULT_EMBED_HOSTS  # iframes allowed from these hosts when sanitizing
    images: ImageSettings = ImageSettings()
    search: bool = True  # a Pagefind full-text index under pagefind/, and search pages
    check: CheckSettings = CheckSettings()
    authors: Mapping[str, AuthorConfig] = field(default_factory=lambda: MappingProxyType({}))
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    minify_html: bool = False  # pages minified (still valid HTML)
    deploy: DeploySettings = DeploySettings()
    publish_unused: bool = False  # images no explainer uses are published too (else withheld)
    embed_posters: bool = False  # fetch providers' thumbnails for embeds at build time (else a placeholder)
    share_image: str = ""  # an image under content/: the share card of home, topic, author and search pages
    # A card drawn for each question's share page (else it shows its explainer's): eight times the cards, and at
    # 10,000 explainers 3.9 GB of output and three-quarters of a cold build's time.
    question_share_cards: bool = False
    # lower-case tag -> the title, description and publisher's name of the site's edition in that language
    languages: Mapping[str, LanguageWords] = field(default_factory=lambda: MappingProxyType({}))

    def words(self, lang: str) -> LanguageWords:
        """What `languages:` says of the site in `lang` (or its base language: "pt" for "pt-BR")."""
        lang = lang.lower()
        return self.languages.get(lang) or self.languages.get(lang.split("-")[0]) or NO_WORDS

    def language_of(self, name: str, lang: str) -> str:
        """The language the site's `name` ("title", "description", "publisher") is shown in on pages in `lang`."""
        return lang if getattr(self.words(lang), name) else self.language

    def in_language(self, lang: str) -> SiteConfig:
        """The settings as pages in `lang` show them: that language's title, description and publisher's name."""
        words = self.words(lang)
        if words is NO_WORDS:
            return self
        return replace(self, title=words.title or self.title, description=words.description or self.description,
                       publisher=replace(self.publisher, name=words.publisher or self.publisher.name))

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def base_path(self) -> str:
        """The path part of base_url, "/" or e.g. "/explainers/"."""
        return urlsplit(self.base_url).path or "/"

    @property
    def content_dir(self) -> Path:
        return self.root / "content"


def text_direction(lang: str) -> str:
    """"rtl" for right-to-left scripts' languages, else "ltr"."""
    return "rtl" if lang.split("-")[0].lower() in RTL_LANGUAGES else "ltr"


THEME_HINT = "put the theme in themes/NAME/ (NAME without / or ..) and write its name, such as theme: NAME"


def _text(doc: YamlDocument, key: str, value: Any, path: str, out: list[Diagnostic]) -> str | None:
    if isinstance(value, str):
        return value
    out.append(error(path, f"'{key}' must be text, not {type(value).__name__} {value!r}", doc.at(key),
                     f'put the value in quotes: {key.rpartition(".")[2]}: "{value}"'))
    return None


def _check_base_url(value: str, doc: YamlDocument, path: str, out: list[Diagnostic]) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        out.append(error(path, f"'base_url' must be an absolute http(s) URL, not {value!r}", doc.at("base_url"),
                         "for example https://example.org/ or https://example.org/explainers/"))
        return SiteConfig.base_url
    return value if value.endswith("/") else value + "/"


def _parse_authors(doc: YamlDocument, raw: Any, path: str, out: list[Diagnostic]) -> Mapping[str, AuthorConfig]:
    if not isinstance(raw, dict):
        out.append(error(path, "'authors' must be a mapping of id to name, url and bio", doc.at("authors")))
        return MappingProxyType({})
    authors = {}
    for author_id, spec in raw.items():
        key = f"authors.{author_id}"
        if not isinstance(author_id, str) or not ID_PATTERN.match(author_id):
            out.append(error(path, f"author id {author_id!r} is not safe in a URL", doc.at(key),
                             "use lowercase letters, digits and hyphens, e.g. jane-doe"))
            continue
        if isinstance(spec, str):
            spec = {"name": spec}
        if not isinstance(spec, dict) or "name" not in spec:
            out.append(error(path, f"author '{author_id}' needs a name", doc.at(key), "name: Jane Doe"))
            continue
        fields = {}
        for name in AUTHOR_FIELDS[:-1]:
            if name in spec:
                fields[name] = _text(doc, f"{key}.{name}", spec[name], path, out) or ""
        if fields.get("type", "person") not in AUTHOR_TYPES:
            out.append(error(path, f"author type must be person or organization, not {fields['type']!r}",
                             doc.at(f"{key}.type"), "type: organization, for a desk or a newsroom"))
            fields.pop("type")
        if fields.get("photo"):
            fields["photo"] = _check_photo(doc, f"{key}.photo", fields["photo"], path, out)
        fields["links"] = _parse_links(doc, f"{key}.links", spec.get("links", {}), path, out)
        for unknown in set(spec) - set(AUTHOR_FIELDS):
            out.append(warning(path, f"unknown author field '{unknown}'", doc.at(f"{key}.{unknown}"),
                               did_you_mean(str(unknown), AUTHOR_FIELDS)))
        authors[author_id] = AuthorConfig(**fields)
    return MappingProxyType(authors)


def _check_photo(doc: YamlDocument, key: str, value: str, path: str, out: list[Diagnostic]) -> str:
    """An author's photo: an https URL, or a path under content/ (whether it exists is checked with the images)."""
    parts = urlsplit(value)
    if parts.scheme or value.startswith("//"):
        if parts.scheme == "https" and parts.netloc:
            return value
    elif ".." not in value.split("/"):
        return value
    out.append(error(path, f"'{key}' must be a path under content/ or an https URL, not {value!r}", doc.at(key),
                     "for example photo: images/jane-doe.jpg, or photo: https://example.org/jane.jpg"))
    return ""


def _link_problem(kind: str, value: str) -> str:
    """What is wrong with an author's link of `kind`, or ""."""
    if kind == "email":
        return "" if EMAIL.match(value.removeprefix("mailto:")) else "is not an email address"
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "must be an absolute http(s) URL"
    host, hosts = parts.hostname, AUTHOR_LINKS[kind]
    if hosts and not any(host == h or host.endswith("." + h) for h in hosts):
        return f"must be a profile on {' or '.join(hosts)}"
    return ""


def _parse_links(doc: YamlDocument, key: str, raw: Any, path: str,
                 out: list[Diagnostic]) -> tuple[tuple[str, str], ...]:
    """`links: {website: URL, email: ADDRESS, x: URL, ...}`: each checked, in AUTHOR_LINKS' order."""
    example = "links: {website: https://example.org/jane/, email: jane@example.org}"
    if not isinstance(raw, dict):
        out.append(error(path, f"'{key}' must be a mapping of kind to address", doc.at(key), example))
        return ()
    found = {}
    for kind, value in raw.items():
        at = f"{key}.{kind}"
        if kind not in AUTHOR_LINKS:
            out.append(error(path, f"unknown kind of link '{kind}'", doc.at(at), did_you_mean(str(kind), AUTHOR_LINKS)
                             or f"the kinds are {', '.join(AUTHOR_LINKS)}"))
            continue
        text = _text(doc, at, value, path, out)
        if text is None:
            continue
        problem = _link_problem(kind, text.strip())
        if problem:
            out.append(error(path, f"'{at}' {problem}, not {text!r}", doc.at(at), example))
        else:
            found[kind] = text.strip().removeprefix("mailto:") if kind == "email" else text.strip()
    return tuple((kind, found[kind]) for kind in AUTHOR_LINKS if kind in found)



# The settings that are a mapping of their own, each read by its parser.
GROUP_PARSERS = MappingProxyType({"authors": _parse_authors,
                                  "feeds": parse_feeds, "images": parse_images, "check": parse_check,
                                  "deploy": parse_deploy})
TEXT_SETTINGS = ("title", "description", "base_url", "language", "timezone", "theme", "share_image")
FLAG_HINTS = MappingProxyType({
    "search": "search: false leaves out the search index, the search pages and the search box",
    "minify_html": "", "publish_unused": "", "embed_posters": "", "question_share_cards": ""})


def parse_config(doc: YamlDocument, root: Path, path: str) -> tuple[SiteConfig | None, list[Diagnostic]]:
    """Validate site.yaml's mapping into a SiteConfig; unknown keys warn, wrong types are errors."""
    out: list[Diagnostic] = []
    raw = doc.data if doc.data is not None else {}
    if not isinstance(raw, dict):
        return None, [error(path, "site.yaml must be a mapping of settings", doc.at(""))]
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in SETTINGS:
            out.append(warning(path, f"unknown setting '{key}'", doc.at(str(key)),
                               did_you_mean(str(key), SETTINGS) or "settings for templates go under `extra:`"))
        elif key in GROUP_PARSERS:
            values[key] = GROUP_PARSERS[key](doc, value, path, out)
        else:
            _parse_value(doc, key, value, path, out, values)
    if "languages" in raw:
        values["languages"] = MappingProxyType(parse_languages(doc, raw["languages"], path, out,
                                                               values.get("language", "en")))  # the default
    if "title" not in values:
        out.append(error(path, "site.yaml needs a 'title'", doc.at(""), 'title: "My explainers"'))
        return None, out
    _check_values(doc, path, out, values)
    return SiteConfig(root=root, **values), out


def _parse_value(doc: YamlDocument, key: str, value: Any, path: str, out: list[Diagnostic],
                 values: dict[str, Any]) -> None:
    """One plain setting (text, number, flag, list) into `values`, or an error."""
    if key in TEXT_SETTINGS:
        text = _text(doc, key, value, path, out)
        if text is not None:
            values[key] = text
    elif key == "page_size":
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            values[key] = value
        else:
            out.append(error(path, f"'page_size' must be a positive whole number, not {value!r}", doc.at(key)))
    elif key == "publisher":
        if isinstance(value, dict):
            fields = {k: _text(doc, f"publisher.{k}", value[k], path, out) or ""
                      for k in ("name", "url", "logo") if k in value}
            values[key] = Publisher(**fields)
        else:
            out.append(error(path, "'publisher' must be a mapping with name, url and logo", doc.at(key)))
    elif key == "untrusted_html":
        if value in HTML_POLICIES:
            values[key] = value
        else:
            out.append(error(path, f"'untrusted_html' must be trust or sanitize, not {value!r}", doc.at(key),
                             "sanitize cleans every explainer body of scripts, event handlers and unsafe links"))
    elif key == "embed_hosts":
        if isinstance(value, list) and all(isinstance(h, str) for h in value):
            values[key] = tuple(value)
        else:
            out.append(error(path, "'embed_hosts' must be a list of host names", doc.at(key),
                             "embed_hosts: [www.youtube.com, player.vimeo.com]"))
    elif key in FLAG_HINTS:
        if isinstance(value, bool):
            values[key] = value
        else:
            out.append(error(path, f"'{key}' must be true or false, not {value!r}", doc.at(key), FLAG_HINTS[key]))
    elif key == "extra":
        values[key] = MappingProxyType(value if isinstance(value, dict) else {})


def _check_values(doc: YamlDocument, path: str, out: list[Diagnostic], values: dict[str, Any]) -> None:
    """The checks of a setting's value beyond its type; a wrong timezone or theme falls back to the default."""
    if "base_url" in values:
        values["base_url"] = _check_base_url(values["base_url"], doc, path, out)
    if "language" in values and not LANG_TAG.match(values["language"]):
        out.append(error(path, f"'language' must be a language tag such as en or pt-BR, not {values['language']!r}",
                         doc.at("language")))
    if "timezone" in values:
        try:
            ZoneInfo(values["timezone"])
        except (ZoneInfoNotFoundError, ValueError):
            out.append(error(path, f"unknown timezone {values['timezone']!r}", doc.at("timezone"),
                             "use an IANA name such as Europe/London or Asia/Almaty"))
            values.pop("timezone")
    if "theme" in values and not is_theme_name(values["theme"]):
        out.append(error(path, f"'theme' must be the name of a folder in themes/, not {values.pop('theme')!r}",
                         doc.at("theme"), THEME_HINT))


def is_theme_name(name: str) -> bool:
    """A theme is named, never given as a path: a name cannot lead out of themes/ (.., /abs, C:) nor be hidden."""
    return bool(name) and not name.startswith(".") and not any(c in name for c in "/\\:") and name.isprintable()


def load_config(root: Path, base_url: str | None = None) -> tuple[SiteConfig | None, list[Diagnostic]]:
    """Read `root/site.yaml`; `base_url` (from the command line) overrides the file's."""
    path = root / CONFIG_NAME
    shown = CONFIG_NAME
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, [error(str(path), f"no {CONFIG_NAME} in {root}",
                            hint="run `nutgraf init DIR` to start a site, or pass --source DIR")]
    except OSError as exc:
        return None, [error(str(path), f"cannot read {CONFIG_NAME}: {exc.strerror}")]
    text, problems = decode_source(data, shown)
    if text is None:
        return None, problems
    doc, problems = load_yaml(text, shown)
    if doc is None:
        return None, problems
    config, problems = parse_config(doc, root, shown)
    if config is not None and base_url is not None:
        fixed: list[Diagnostic] = []
        checked = _check_base_url(base_url, YamlDocument(None), "--base-url", fixed)
        problems += fixed
        config = replace(config, base_url=checked)
    return config, problems


def setting_position(root: Path, key: str) -> Position | None:
    """Where site.yaml sets `key` ("language", "authors.ann.url"), for findings made after it was read."""
    try:
        text, _ = decode_source((root / CONFIG_NAME).read_bytes(), CONFIG_NAME)
    except OSError:
        return None
    doc, _ = load_yaml(text, CONFIG_NAME) if text is not None else (None, [])
    return doc.at(key) if doc is not None else None
