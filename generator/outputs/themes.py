"""Themes: the template search path, the Jinja environment, static files and UI strings."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import traceback
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

import jinja2
import jinja2.meta as jinja2_meta
from babel.core import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton, get_date_format
from markupsafe import Markup

from ..diagnostics import Diagnostic, Position, error, has_errors, warning
from ..markup.blocks.dates import PartialDate
from ..site.editions import language_prefix
from ..site.pages import site_href
from ..site.seo import og_locale
from ..sources.config import CONFIG_NAME, THEME_HINT, SiteConfig, is_theme_name, setting_position
from ..sources.frontmatter import decode_source, load_yaml
from ..sources.images import srcset
from ..sources.tree import is_ignored
from .fingerprints import fingerprint_patterns, fingerprint_static, minified_static, minify_wanted
from .sharelinks import question_links

if TYPE_CHECKING:
    from ..sources.metadata import ExplainerMeta

DEFAULT_THEME = "default"


def builtin_themes_dir() -> Path:
    """Where the built-in themes are: inside the installed package, or at the top of a checkout."""
    package = Path(__file__).resolve().parent.parent  # generator/
    packaged = package / "themes"
    return packaged if packaged.is_dir() else package.parent / "themes"


@dataclass(frozen=True, slots=True)
class Theme:
    """A resolved theme: its folders in lookup order and what they publish."""

    name: str
    folders: tuple[Path, ...]  # the theme first, then its parents, the built-in default last
    template_dirs: tuple[Path, ...]  # the site's templates/ first
    static_files: Mapping[str, Path]  # output path ("static/css/style.css") -> source
    strings: Mapping[str, Mapping[str, str]]  # language -> UI string -> translation
    digest: str  # of every template and string file: changes when the theme does
    static_names: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))  # static() name -> hashed
    static_data: Mapping[str, bytes] = field(default_factory=lambda: MappingProxyType({}))  # minified, by output path


def _find_theme(name: str, root: Path) -> Path | None:
    for base in (root / "themes", builtin_themes_dir()):
        if (base / name).is_dir():
            return base / name
    return None


def _theme_chain(name: str, root: Path) -> tuple[list[Path], list[Diagnostic]]:
    """The theme and its `extends:` parents, ending with the built-in default."""
    folders: list[Path] = []
    current: str | None = name
    while current:
        folder = _find_theme(current, root)
        if folder is None:
            return folders, [error("site.yaml", f"theme '{current}' not found",
                                   hint=f"looked in {root / 'themes'} and the built-in themes")]
        if folder in folders:
            return folders, [error(str(folder / "theme.yaml"), "themes extend each other in a loop")]
        folders.append(folder)
        current = None
        manifest = folder / "theme.yaml"
        if manifest.is_file():
            doc, problems = load_yaml(manifest.read_text(encoding="utf-8"), str(manifest))
            if problems:
                return folders, problems
            if isinstance(doc.data, dict) and doc.data.get("extends"):
                current = str(doc.data["extends"])
                if not is_theme_name(current):
                    return folders, [error(str(manifest), f"'extends' must be the name of a folder in themes/, "
                                                          f"not {current!r}", doc.at("extends"), THEME_HINT)]
    builtin = builtin_themes_dir() / DEFAULT_THEME
    if builtin.resolve() not in {f.resolve() for f in folders}:
        folders.append(builtin)
    return folders, []


def _shown(path: Path, root: Path) -> str:
    """A path as diagnostics name it: relative to the site when it is in it."""
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _strings_file(file: Path, shown: str) -> tuple[dict[str, str], list[Diagnostic]]:
    """One i18n/LANG.yaml: English UI string -> translation, each checked."""
    try:
        text, found = decode_source(file.read_bytes(), shown)
    except OSError as exc:
        return {}, [error(shown, f"cannot read: {exc.strerror}")]
    doc, problems = load_yaml(text, shown) if text is not None else (None, [])
    found += problems
    if doc is None or doc.data is None:
        return {}, found
    if not isinstance(doc.data, dict):
        return {}, [*found, error(shown, "a strings file must be a mapping of English string to translation",
                                  doc.at("") or Position(1), '"Published": "Posted"')]
    strings = {}
    for key, value in doc.data.items():
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            strings[str(key)] = str(value)
        else:
            found.append(error(shown, f"the translation of '{key}' must be text, not {value!r}",
                               doc.at(str(key)), f'"{key}": "..."'))
    return strings, found


def _read_strings(folders: list[Path], root: Path) -> tuple[dict[str, dict[str, str]], list[Diagnostic]]:
    """UI strings by language; `folders` in lookup order, the first one's words win."""
    strings: dict[str, dict[str, str]] = {}
    found: list[Diagnostic] = []
    for folder in reversed(folders):  # the last looked up first, so that the earlier ones override
        for file in sorted((folder / "i18n").glob("*.yaml")):
            read, problems = _strings_file(file, _shown(file, root))
            strings.setdefault(file.stem, {}).update(read)
            found += problems
    return strings, found


def missing_strings(theme: Theme, config: SiteConfig, metas: Iterable[ExplainerMeta]) -> list[Diagnostic]:
    """A warning for each language that pages are shown in and no strings file translates: at site.yaml for
    the site's language, else at the first explainer written in it."""
    found: list[Diagnostic] = []
    seen: set[str] = set()
    for lang, meta in [(config.language, None), *((m.lang, m) for m in metas)]:
        if lang in seen or lang in theme.strings or lang.split("-")[0] in theme.strings:
            continue
        seen.add(lang)
        path, at = (CONFIG_NAME, setting_position(config.root, "language")) if meta is None else \
            (meta.source, meta.doc.at("lang"))
        found.append(warning(path, f"no UI strings for '{lang}': its pages show the theme's words in English", at,
                             f"add i18n/{lang}.yaml to the site, translating the strings of the default "
                             "theme's i18n/en.yaml"))
    return found


def _static_files(folders: list[Path]) -> dict[str, Path]:
    files: dict[str, Path] = {}
    for folder in reversed(folders):
        static = folder / "static"
        for path in sorted(static.rglob("*")) if static.is_dir() else ():
            if path.is_file() and not any(is_ignored(p) for p in path.relative_to(static).parts):
                files["static/" + path.relative_to(static).as_posix()] = path
    return files


def load_theme(config: SiteConfig) -> tuple[Theme | None, list[Diagnostic]]:
    """Resolve the theme named in site.yaml with its parents."""
    folders, problems = _theme_chain(config.theme, config.root)
    if problems:
        return None, problems
    template_dirs = [config.root / "templates"] + [f / "templates" for f in folders]
    strings, problems = _read_strings([config.root, *folders], config.root)
    if has_errors(problems):
        return None, problems
    digest = hashlib.blake2b(digest_size=16)
    # theme.yaml and fonts/ too: the share cards are drawn with them (outputs/cardart.py)
    for folder in [*template_dirs, *(f / "i18n" for f in [*folders, config.root]), *(f / "fonts" for f in folders)]:
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
            if path.is_file():
                digest.update(path.as_posix().encode() + b"\0" + path.read_bytes())
    for manifest in (f / "theme.yaml" for f in folders):
        digest.update(manifest.read_bytes() if manifest.is_file() else b"")
    static = _static_files([config.root, *folders])  # the site's own static/ over the theme's
    if minify_wanted(folders):
        hashed, data, names = minified_static(static, fingerprint_patterns(folders))
    else:
        (hashed, names), data = fingerprint_static(static, fingerprint_patterns(folders)), {}
    return Theme(config.theme, tuple(folders), tuple(d for d in template_dirs if d.is_dir()),
                 MappingProxyType(static | hashed),
                 MappingProxyType({k: MappingProxyType(v) for k, v in strings.items()}),
                 digest.hexdigest(), MappingProxyType(names), MappingProxyType(data)), []


@lru_cache(maxsize=64)
def _date_pattern(lang: str) -> str:
    """The language's medium date format, or its long one where medium is all digits."""
    try:
        locale = Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse("en")
    medium = get_date_format("medium", locale).pattern
    return "medium" if "MMM" in medium else "long"


@dataclass(frozen=True, slots=True)
class PartialPage:
    """What a partial shown once (a card, the questions of an explainer) may know of the page it is on."""

    lang: str
    dir: str


# The partials that templates show through functions (see make_environment's shown_once), by function: a
# template calling one depends on its partial as on an include.
SHOWN_ONCE = {"card": "partials/card.html", "explainer_questions": "partials/explainer-questions.html"}
# How many each process keeps: rendered partials (of each function) and hrefs. Enough for every explainer of
# a 10,000-explainer site at both heading levels; at 100,000, unbounded, they held hundreds of megabytes.
SHOWN_ONCE_KEPT = 2**15
URLS_KEPT = 2**16
_SHOWN_CALL = re.compile(r"\b(" + "|".join(SHOWN_ONCE) + r")\s*\(")


@lru_cache(maxsize=4096)
def human_date(value: dt.datetime, lang: str, tz: dt.tzinfo | None = None) -> str:
    """A reader's date, "Jan 24, 2017", in the language, in `tz` (else the timezone the time was written in)."""
    if tz is not None:
        value = value.astimezone(tz)
    try:
        return format_date(value.date(), _date_pattern(lang), locale=lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return format_date(value.date(), "medium", locale="en")


@lru_cache(maxsize=4096)
def human_partial_date(value: PartialDate, lang: str) -> str:
    """A date known to the year, the month or the day, for readers: "2011", "December 2016", "Dec 30, 2016"."""
    if value.day:
        return human_date(dt.datetime.combine(value.first_day(), dt.time()), lang)
    skeleton = "yMMMM" if value.month else "y"
    try:
        return format_skeleton(skeleton, value.first_day(), locale=lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return format_skeleton(skeleton, value.first_day(), locale="en")


def _shown_once(env: jinja2.Environment, template: str, level_name: str):
    """A function rendering `template` for one explainer at a heading level, once per process, explainer,
    level and page language: lists show the same explainers again and again. The template sees only
    `item`, the level (as `level_name`) and `page.lang`/`page.dir`, which is what makes reuse safe."""
    made: dict[tuple, Markup] = {}

    @jinja2.pass_context
    def show(context, item, level: int = 2) -> Markup:
        page = context["page"]
        key = (item.slug, level, page.lang, page.dir)
        shown = made.get(key)
        if shown is None:
            if len(made) >= SHOWN_ONCE_KEPT:  # the oldest goes: a huge archive must not fill the memory
                del made[next(iter(made))]
            values = {"item": item, level_name: level, "page": PartialPage(page.lang, page.dir)}
            shown = made[key] = Markup(env.get_template(template).render(values))
        return shown

    return show


def _loader(theme: Theme) -> jinja2.BaseLoader:
    """The templates: the site's templates/ first, then the theme's and its parents'; each theme's also as
    `NAME:template`, and the built-in default's as `default:template`."""
    prefixed = {folder.name: jinja2.FileSystemLoader(folder / "templates") for folder in theme.folders}
    prefixed[DEFAULT_THEME] = jinja2.FileSystemLoader(builtin_themes_dir() / DEFAULT_THEME / "templates")
    return jinja2.ChoiceLoader([jinja2.FileSystemLoader(theme.template_dirs),
                                jinja2.PrefixLoader(prefixed, delimiter=":")])


def _translator(theme: Theme):
    """The `t` global: a UI string in the page's language (or its base language) from the theme's strings."""

    @jinja2.pass_context
    def translate(context, text: str) -> str:
        lang = context["page"].lang
        for candidate in (lang, lang.split("-")[0]):
            if text in theme.strings.get(candidate, {}):
                return theme.strings[candidate][text]
        return text

    return translate


def make_environment(theme: Theme, config: SiteConfig, preview: bool = False) -> jinja2.Environment:
    """The Jinja environment: autoescaped, strict, with nutgraf's globals and filters; `preview`: a build with
    drafts or scheduled explainers, whose pages say so and ask search engines not to index them."""
    env = jinja2.Environment(
        loader=_loader(theme),
        autoescape=jinja2.select_autoescape(["html", "htm", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        cache_size=-1,
    )

    site_tz = config.tz  # dates are shown as the site's readers' calendar has them

    @jinja2.pass_context
    def date_human(context, value: dt.datetime) -> str:
        return human_date(value, context["page"].lang, site_tz)

    page_href = functools.lru_cache(maxsize=URLS_KEPT)(lambda path: site_href(config, path))

    def url(path: str) -> str:
        """site_href, memoized for pages: anchors (each question's) are asked for once, and kept out."""
        return site_href(config, path) if "#" in path else page_href(path)

    editions: dict[str, SiteConfig] = {}

    def site_in(lang: str) -> SiteConfig:
        """The settings as pages in `lang` show them (SiteConfig.in_language), made once per language."""
        made = editions.get(lang)
        if made is None:
            made = editions[lang] = config.in_language(lang)
        return made

    env.globals.update(
        site=config,
        site_in=site_in,
        preview=preview,
        url=url,
        static=lambda name: site_href(config, "/" + theme.static_names.get(name, "static/" + name)),
        lang_path=lambda path, lang: language_prefix(config, lang) + path,
        t=_translator(theme),
        card=_shown_once(env, SHOWN_ONCE["card"], "card_level"),
        explainer_questions=_shown_once(env, SHOWN_ONCE["explainer_questions"], "level"),
    )
    env.filters.update(date_human=date_human, isoformat=lambda value: value.isoformat(), markup=Markup,
                       og_locale=og_locale,
                       question_links=lambda body, e, label: question_links(body, e, label, url),
                       date_partial=jinja2.pass_context(lambda context, value: human_partial_date(
                           value, context["page"].lang)),
                       srcset=lambda renditions: srcset(renditions, lambda path: site_href(config, path)))
    return env


def template_error(exc: jinja2.TemplateError) -> Diagnostic:
    """A template mistake as a diagnostic naming the template file and line."""
    name = getattr(exc, "filename", None) or getattr(exc, "name", None) or "template"
    line = getattr(exc, "lineno", 0) or 0
    if not line:  # a runtime error: Jinja maps the traceback's frames onto template lines
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if not frame.filename.endswith(".py"):
                name, line = frame.filename, frame.lineno or 0
                break
    return error(str(name), f"template error: {exc.message or exc}", Position(line) if line else None,
                 "fix the template; the values a template may use are listed in docs/themes.md")


def template_digests(env: jinja2.Environment, names: Iterable[str]) -> dict[str, str]:
    """For each template, a digest of its source and of every template it extends, includes or imports.

    A page is rendered again when the digest of its own template changes, not when any template does.
    A template that names another by a variable depends on every template.
    """
    sources: dict[str, str | None] = {}

    def source(name: str) -> str | None:
        if name not in sources:
            try:
                sources[name] = env.loader.get_source(env, name)[0]
            except jinja2.TemplateNotFound:
                sources[name] = None
        return sources[name]

    def closure(name: str, seen: set[str]) -> bool:
        """Collect `name` and its dependencies into `seen`; False if one is named dynamically."""
        if name in seen:
            return True
        seen.add(name)
        text = source(name)
        if text is None:
            return True
        try:
            referenced = list(jinja2_meta.find_referenced_templates(env.parse(text)))
        except jinja2.TemplateSyntaxError:
            return True  # rendering reports it
        referenced += [SHOWN_ONCE[call] for call in set(_SHOWN_CALL.findall(text))]
        return all(ref is not None and closure(ref, seen) for ref in referenced)

    digests = {}
    for name in names:
        seen: set[str] = set()
        exact = closure(name, seen)
        parts = sorted(seen) if exact else sorted(env.list_templates())
        digest = hashlib.blake2b(digest_size=16)
        for part in parts:
            digest.update(f"{part}\0{source(part) or ''}\0".encode())
        digests[name] = digest.hexdigest()
    return digests
