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

CONFIG_NAME = "site.yaml"
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"})
SETTINGS = ("title", "description", "base_url", "language", "timezone", "theme", "page_size", "publisher",
            "authors", "feeds", "untrusted_html", "embed_hosts", "images", "search", "check", "extra",
            "minify_html", "deploy", "publish_unused", "languages", "embed_posters", "share_image")
AUTHOR_FIELDS = ("name", "url", "bio", "type", "role", "photo", "links")
AUTHOR_TYPES = ("person", "organization")
# An author's `links:`, in the order pages show them; a profile's host where the platform has one.
AUTHOR_LINKS = MappingProxyType({"website": (), "email": (), "x": ("x.com", "twitter.com"), "bluesky": ("bsky.app",),
                                 "mastodon": (), "linkedin": ("linkedin.com",)})
# An email address without ? # % & /, so that its mailto: link is that one address and nothing more.
EMAIL = re.compile(r"^[A-Za-z0-9._+!$*=^`{|}~'-]+@[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)+$")
FEED_FIELDS = ("content", "items")
CHECK_FIELDS = ("question_headings",)
HTML_POLICIES = ("trust", "sanitize")
DEFAULT_EMBED_HOSTS = ("www.youtube.com", "www.youtube-nocookie.com", "player.vimeo.com", "www.dailymotion.com",
                       "w.soundcloud.com", "datawrapper.dwcdn.net", "flo.uri.sh", "www.google.com")
FEED_CONTENT = ("full", "summary")
IMAGE_FIELDS = ("widths", "sizes", "quality", "keep_metadata", "warn_megapixels", "max_megapixels")
# Metadata a site may choose to keep in published images; everything else (GPS, camera serial, owner) goes.
KEEPABLE_METADATA = ("copyright", "artist", "description", "color_profile")
MAX_IMAGE_WIDTH = 8192
MAX_DECODED_MEGAPIXELS = 89  # past this a file is refused unread as a decompression bomb, whatever the setting


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
class CheckSettings:
    """What `nutgraf check` looks for beyond errors."""

    question_headings: bool = True  # warn about a `##` heading not phrased as a question


@dataclass(frozen=True, slots=True)
class FeedSettings:
    """What the Atom, RSS and JSON feeds carry."""

    content: str = "full"  # "full": the whole article; "summary": the description and key points
    items: int = 20  # newest explainers per feed


@dataclass(frozen=True, slots=True)
class ImageSettings:
    """How photos are published: the widths made, the body images' `sizes`, quality and metadata kept."""

    widths: tuple[int, ...] = (480, 800, 1200, 1600)  # never upscaled: an image narrower gets its own width
    sizes: str = "(min-width: 42rem) 38rem, 100vw"  # the `sizes` of images in explainer bodies
    quality: int = 80  # of WebP and JPEG files
    keep_metadata: tuple[str, ...] = ()  # of KEEPABLE_METADATA; all other metadata is stripped
    warn_megapixels: int = 40  # originals larger than this get a warning
    # Originals larger than this are refused unread: decoding one costs about 12 bytes a pixel in a worker (an
    # 88-megapixel PNG of 257 KB took 1 GB); 50 takes a 48- or 50-megapixel phone photo.
    max_megapixels: int = 50


@dataclass(frozen=True, slots=True)
class DeploySettings:
    """Where `nutgraf deploy` publishes output/: a git remote's branch or an rsync destination."""

    git: str = ""  # a remote URL or path; its `branch` gets output/ committed
    branch: str = "gh-pages"
    cname: str = ""  # a custom domain for GitHub Pages, written to CNAME
    rsync: str = ""  # an rsync destination such as user@host:/var/www/site/


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


def _parse_authors(doc: YamlDocument, raw: Any, path: str, out: list[Diagnostic]) -> dict[str, AuthorConfig]:
    if not isinstance(raw, dict):
        out.append(error(path, "'authors' must be a mapping of id to name, url and bio", doc.at("authors")))
        return {}
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
    return authors


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


def _parse_feeds(doc: YamlDocument, raw: Any, path: str, out: list[Diagnostic]) -> FeedSettings:
    """`feeds: {content: full|summary, items: N}`."""
    if not isinstance(raw, dict):
        out.append(error(path, "'feeds' must be a mapping with content and items", doc.at("feeds"),
                         "feeds: {content: full, items: 20}"))
        return FeedSettings()
    fields: dict[str, Any] = {}
    for key, value in raw.items():
        at = doc.at(f"feeds.{key}")
        if key == "content":
            if value in FEED_CONTENT:
                fields[key] = value
            else:
                out.append(error(path, f"'feeds.content' must be full or summary, not {value!r}", at,
                                 "full: the whole article in feed readers; summary: its description and key points"))
        elif key == "items":
            if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                fields[key] = value
            else:
                out.append(error(path, f"'feeds.items' must be a positive whole number, not {value!r}", at))
        else:
            out.append(warning(path, f"unknown feeds setting '{key}'", at, did_you_mean(str(key), FEED_FIELDS)))
    return FeedSettings(**fields)


def _parse_check(doc: YamlDocument, raw: Any, path: str, out: list[Diagnostic]) -> CheckSettings:
    """`check: {question_headings: false}`."""
    if not isinstance(raw, dict):
        out.append(error(path, "'check' must be a mapping of check settings", doc.at("check"),
                         "check: {question_headings: false}"))
        return CheckSettings()
    fields: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in CHECK_FIELDS:
            out.append(warning(path, f"unknown check setting '{key}'", doc.at(f"check.{key}"),
                               did_you_mean(str(key), CHECK_FIELDS)))
        elif isinstance(value, bool):
            fields[key] = value
        else:
            out.append(error(path, f"'check.{key}' must be true or false, not {value!r}", doc.at(f"check.{key}")))
    return CheckSettings(**fields)


def _whole(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _parse_images(doc: YamlDocument, raw: Any, path: str, out: list[Diagnostic]) -> ImageSettings:
    """`images: {widths: [480, 800], sizes: "...", quality: 80, keep_metadata: [copyright], warn_megapixels: 40}`."""
    if not isinstance(raw, dict):
        out.append(error(path, "'images' must be a mapping of image settings", doc.at("images"),
                         "images: {widths: [480, 800, 1200, 1600], quality: 80}"))
        return ImageSettings()
    fields: dict[str, Any] = {}
    for key, value in raw.items():
        at = doc.at(f"images.{key}")
        if key == "widths":
            if isinstance(value, list) and value and all(_whole(w, 16, MAX_IMAGE_WIDTH) for w in value):
                fields[key] = tuple(sorted(set(value)))
            else:
                out.append(error(path, f"'images.widths' must be a list of widths in pixels, not {value!r}", at,
                                 f"widths: [480, 800, 1200, 1600] (each 16 to {MAX_IMAGE_WIDTH})"))
        elif key == "sizes":
            if isinstance(value, str) and value.strip():
                fields[key] = value.strip()
            else:
                out.append(error(path, "'images.sizes' must be a sizes attribute", at,
                                 'sizes: "(min-width: 42rem) 38rem, 100vw"'))
        elif key == "quality":
            if _whole(value, 1, 100):
                fields[key] = value
            else:
                out.append(error(path, f"'images.quality' must be a whole number from 1 to 100, not {value!r}", at))
        elif key == "keep_metadata":
            names = value if isinstance(value, list) else [value]
            unknown = [n for n in names if n not in KEEPABLE_METADATA]
            if unknown:
                out.append(error(path, f"'images.keep_metadata' cannot keep {unknown[0]!r}", at,
                                 did_you_mean(str(unknown[0]), KEEPABLE_METADATA)
                                 or f"the fields that can be kept: {', '.join(KEEPABLE_METADATA)}"))
            else:
                fields[key] = tuple(sorted(set(names)))
        elif key in ("warn_megapixels", "max_megapixels"):
            top = MAX_DECODED_MEGAPIXELS if key == "max_megapixels" else 10_000
            if _whole(value, 1, top):
                fields[key] = value
            else:
                out.append(error(path, f"'images.{key}' must be a whole number from 1 to {top}, not {value!r}", at))
        else:
            out.append(warning(path, f"unknown images setting '{key}'", at, did_you_mean(str(key), IMAGE_FIELDS)))
    return ImageSettings(**fields)


def _parse_deploy(doc: YamlDocument, raw: Any, path: str, out: list[Diagnostic]) -> DeploySettings:
    """`deploy: {git: git@github.com:org/site.git, branch: gh-pages, cname: news.example.org}` or `{rsync: ...}`."""
    fields = DeploySettings.__slots__
    if not isinstance(raw, dict):
        out.append(error(path, "'deploy' must be a mapping", doc.at("deploy"), "deploy: {rsync: host:/var/www/site/}"))
        return DeploySettings()
    values = {}
    for key, value in raw.items():
        if key not in fields:
            out.append(error(path, f"unknown deploy setting '{key}'", doc.at(f"deploy.{key}"),
                             did_you_mean(str(key), fields) or "deploy takes " + ", ".join(fields)))
        elif not isinstance(value, str) or not value.strip():
            out.append(error(path, f"'deploy.{key}' must be text, not {value!r}", doc.at(f"deploy.{key}")))
        else:
            values[key] = value.strip()
    if values.get("git") and values.get("rsync"):
        out.append(error(path, "deploy names both a git remote and an rsync destination", doc.at("deploy"),
                         "keep one; the other can be given on the command line"))
    return DeploySettings(**values)


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
        elif key in ("title", "description", "base_url", "language", "timezone", "theme", "share_image"):
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
        elif key == "authors":
            values[key] = MappingProxyType(_parse_authors(doc, value, path, out))
        elif key == "feeds":
            values[key] = _parse_feeds(doc, value, path, out)
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
        elif key == "images":
            values[key] = _parse_images(doc, value, path, out)
        elif key == "search":
            if isinstance(value, bool):
                values[key] = value
            else:
                out.append(error(path, f"'search' must be true or false, not {value!r}", doc.at(key),
                                 "search: false leaves out the search index, the search pages and the search box"))
        elif key == "check":
            values[key] = _parse_check(doc, value, path, out)
        elif key in ("minify_html", "publish_unused", "embed_posters"):
            if isinstance(value, bool):
                values[key] = value
            else:
                out.append(error(path, f"'{key}' must be true or false, not {value!r}", doc.at(key)))
        elif key == "deploy":
            values[key] = _parse_deploy(doc, value, path, out)
        elif key == "extra":
            values[key] = MappingProxyType(value if isinstance(value, dict) else {})
    if "languages" in raw:
        values["languages"] = MappingProxyType(parse_languages(doc, raw["languages"], path, out,
                                                               values.get("language", "en")))  # the default
    if "title" not in values:
        out.append(error(path, "site.yaml needs a 'title'", doc.at(""), 'title: "My explainers"'))
        return None, out
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
    return SiteConfig(root=root, **values), out


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
