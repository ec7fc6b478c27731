"""Editions: the site in each of its languages (home, topics, feeds, search) and the translations between them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache

from babel.core import Locale, UnknownLocaleError

from ..sources.config import SiteConfig, text_direction
from .model import Explainer, Site, Topic, index_site
from .seo import Alternate

NAV_TOPICS = 6


@dataclass(frozen=True)  # not slotted: `nav` is cached in the instance's __dict__
class Edition:
    """The site as the readers of one language see it: its own home, topic pages, feeds and search."""

    lang: str  # the language tag; the site's language as site.yaml writes it, others in lower case
    prefix: str  # "" for the site's language, else e.g. "/ar": the edition's pages live under it
    name: str  # the language's name in itself, e.g. "العربية"
    dir: str  # "ltr" or "rtl"
    site: Site  # the explainers this edition lists, with their own topic and author indexes
    feed_title: str  # the title of its feeds
    config: SiteConfig  # the settings as its pages show them: its language's title, description, publisher

    def topic(self, topic: Topic) -> Topic:
        """A topic as this edition shows it: its name in the edition's language, its topic page inside it."""
        return replace(topic, name=topic.name_in(self.lang), path=self.prefix + topic.path)

    @cached_property
    def topics(self) -> tuple[Topic, ...]:
        """The edition's topics as it shows them, in the order of their names there."""
        return tuple(sorted(map(self.topic, self.site.topics), key=lambda t: t.name.casefold()))

    @cached_property
    def nav(self) -> tuple[Topic, ...]:
        """The edition's busiest topics, for the header navigation of its pages (computed once per edition)."""
        return busiest_topics(self.site, topics=self.topics)


def same_language(a: str, b: str) -> bool:
    """Language tags are case-insensitive: "pt-BR" and "pt-br" are one language."""
    return a.lower() == b.lower()


def language_prefix(config: SiteConfig, lang: str) -> str:
    """Where a language's edition lives: "" for the site's language, "/ar" for Arabic."""
    return "" if same_language(lang, config.language) else "/" + lang.lower()


@lru_cache(maxsize=256)
def language_name(lang: str) -> str:
    """A language's name as its own readers write it ("العربية", "Türkçe"), for language switchers."""
    try:
        name = Locale.parse(lang.replace("-", "_")).get_display_name() or lang
    except (UnknownLocaleError, ValueError):
        return lang
    return name[:1].upper() + name[1:]


def busiest_topics(site: Site, limit: int = NAV_TOPICS, topics: Sequence[Topic] = ()) -> tuple[Topic, ...]:
    """The topics (of `site`, or `topics` as an edition shows them) with the most explainers, then by name."""
    ranked = sorted(topics or site.topics, key=lambda t: (-len(site.by_topic[t.slug]), t.name.casefold()))
    return tuple(ranked[:limit])


def plan_editions(site: Site, config: SiteConfig) -> tuple[Edition, ...]:
    """The site's language first, then one edition per other language that has explainers.

    The site's own edition lists every explainer once: in the site's language when it has a
    translation in it, else in the language it was written in. Other editions list only their language.
    """
    home = config.language
    translated = {e.translation_key for e in site.explainers if e.translation_key and same_language(e.lang, home)}
    main = [e for e in site.explainers if same_language(e.lang, home) or e.translation_key not in translated]
    main_site = site if len(main) == len(site.explainers) else index_site(main, site.next_scheduled)
    editions = [Edition(home, "", language_name(home), text_direction(home), main_site, config.title, config)]
    for lang in sorted({e.lang.lower() for e in site.explainers} - {home.lower()}):
        members = [e for e in site.explainers if e.lang.lower() == lang]
        name, own = language_name(lang), config.in_language(lang)
        # A title of the language's own needs no "(العربية)" to tell its feeds from the site's.
        feed_title = own.title if config.words(lang).title else f"{config.title} ({name})"
        editions.append(Edition(lang, "/" + lang, name, text_direction(lang), index_site(members), feed_title,
                                own))
    return tuple(editions)


def edition_of(editions: Sequence[Edition], lang: str) -> Edition:
    """The edition of a language (every explainer's language has one)."""
    return next((e for e in editions if same_language(e.lang, lang)), editions[0])


def translation_groups(site: Site, config: SiteConfig) -> dict[str, tuple[Explainer, ...]]:
    """Explainers that share a translation_key, the one in the site's language first, then by language."""
    groups: dict[str, list[Explainer]] = {}
    for e in site.explainers:
        if e.translation_key:
            groups.setdefault(e.translation_key, []).append(e)
    def order(e: Explainer) -> tuple[bool, str]:
        return not same_language(e.lang, config.language), e.lang.lower()

    return {key: tuple(sorted(members, key=order)) for key, members in groups.items() if len(members) > 1}


def alternates(versions: Sequence[tuple[str, str]], current: str, absolute: Callable[[str], str]
               ) -> tuple[Alternate, ...]:
    """The versions of one page, as (language, site path) with the x-default one first: its hreflang links."""
    if len(versions) < 2:
        return ()
    return tuple(Alternate(lang, absolute(path), path, language_name(lang), text_direction(lang), path == current)
                 for lang, path in versions)
