"""Embeds: `:::embed url="..."` (or a known provider's URL alone on a line) as a privacy facade that loads the
provider's frame only when the reader asks for it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from ..sanitize import frame_hosts_in
from .base import BlockType, Found

# The shapes an editor may ask for, as the theme's classes name them (an inline style would break the CSP).
RATIOS = ("16:9", "4:3", "1:1", "4:5", "3:4", "9:16")
EMBED_HINT = ("embed a page of YouTube, Vimeo, X, Instagram, TikTok, Bluesky, Datawrapper, Flourish or "
              "DocumentCloud by its address, or add the host to embed_hosts in site.yaml")


@dataclass(frozen=True, slots=True)
class Provider:
    """A site whose pages can be embedded: how its page addresses look and the frame that shows one."""

    key: str
    name: str  # as readers know it
    kind: str  # video, post, chart or document: what the facade says it loads
    frame_host: str  # where the frame comes from: the CSP's frame-src lists it only when a page uses it
    pattern: re.Pattern  # matched against host + path of the address; its named groups fill `frame`
    frame: str  # the frame's address, from the pattern's groups
    ratio: str  # one of RATIOS
    poster: str = ""  # a thumbnail address the provider publishes for anyone, from the groups; "" for none


def _p(text: str) -> re.Pattern:
    return re.compile(f"(?:{text})/?$")


_ID = r"(?P<id>[\w-]{6,20})"
PROVIDERS = (
    Provider("youtube", "YouTube", "video", "www.youtube-nocookie.com",
             _p(r"(?:(?:www\.|m\.)?youtube(?:-nocookie)?\.com/(?:embed|shorts|live|v)/|youtu\.be/)" + _ID),
             "https://www.youtube-nocookie.com/embed/{id}?autoplay=1", "16:9",
             "https://i.ytimg.com/vi/{id}/hqdefault.jpg"),
    Provider("vimeo", "Vimeo", "video", "player.vimeo.com",
             _p(r"(?:www\.)?vimeo\.com/(?:video/)?(?P<id>\d{5,12})|player\.vimeo\.com/video/(?P<id2>\d{5,12})"),
             "https://player.vimeo.com/video/{id}?dnt=1&autoplay=1", "16:9"),
    Provider("x", "X", "post", "platform.twitter.com",
             _p(r"(?:www\.|mobile\.)?(?:x|twitter)\.com/\w{1,15}/status(?:es)?/(?P<id>\d{1,25})"),
             "https://platform.twitter.com/embed/Tweet.html?id={id}&dnt=true", "4:5"),
    Provider("instagram", "Instagram", "post", "www.instagram.com",
             _p(r"(?:www\.)?instagram\.com/(?P<type>p|reel|tv)/(?P<id>[\w-]{5,40})"),
             "https://www.instagram.com/{type}/{id}/embed/", "4:5"),
    Provider("tiktok", "TikTok", "video", "www.tiktok.com",
             _p(r"(?:www\.)?tiktok\.com/@[\w.-]{1,40}/video/(?P<id>\d{5,25})"),
             "https://www.tiktok.com/embed/v2/{id}", "9:16"),
    Provider("bluesky", "Bluesky", "post", "embed.bsky.app",
             _p(r"bsky\.app/profile/(?P<actor>[\w.:-]{3,253})/post/(?P<id>[a-z0-9]{5,20})"),
             "https://embed.bsky.app/embed/{actor}/app.bsky.feed.post/{id}", "4:5"),
    Provider("datawrapper", "Datawrapper", "chart", "datawrapper.dwcdn.net",
             _p(r"datawrapper\.dwcdn\.net/(?P<id>\w{5})(?:/(?P<version>\d{1,4}))?"),
             "https://datawrapper.dwcdn.net/{id}/{version}/", "4:3"),
    Provider("flourish", "Flourish", "chart", "flo.uri.sh",
             _p(r"(?:public\.flourish\.studio|flo\.uri\.sh)/(?P<type>visualisation|story)/(?P<id>\d{3,12})(?:/embed)?"),
             "https://flo.uri.sh/{type}/{id}/embed", "4:3"),
    Provider("documentcloud", "DocumentCloud", "document", "embed.documentcloud.org",
             _p(r"(?:www\.|embed\.)?documentcloud\.org/documents/(?P<id>\d{3,12}-[\w-]{1,120})(?:\.html)?"),
             "https://embed.documentcloud.org/documents/{id}/?embed=1", "3:4"),
)
BY_KEY = {provider.key: provider for provider in PROVIDERS}
# A known provider's page that no pattern matches (a channel, a profile) is no embed, even from a host that
# embed_hosts lists for raw iframes: framed as written, it would load the provider's tracking player.
PROVIDER_HOSTS = frozenset({
    "youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be", "www.youtube-nocookie.com", "vimeo.com",
    "www.vimeo.com", "player.vimeo.com", "x.com", "twitter.com", "www.twitter.com", "platform.twitter.com",
    "instagram.com", "www.instagram.com", "tiktok.com", "www.tiktok.com", "bsky.app", "embed.bsky.app",
    "datawrapper.dwcdn.net", "public.flourish.studio", "flo.uri.sh", "documentcloud.org",
    "www.documentcloud.org", "embed.documentcloud.org"})
FRAME_KEY = "frame"  # an iframe of a host in embed_hosts: its key in Embed is "frame:HOST"
POSTER_KEY = "poster:"  # Body.embeds holds "poster:NAME" for each poster file its embeds show


@dataclass(frozen=True, slots=True)
class Embed:
    """One embed, as the facade shows it and the CSP allows it."""

    key: str  # a provider's key, or "frame:HOST" for a page of a host in embed_hosts
    name: str
    kind: str
    url: str  # the original page: the link readers follow without JavaScript
    frame: str  # the frame's address, loaded on click
    frame_host: str
    ratio: str
    poster: str  # the provider's thumbnail address, fetched at build time where allowed; "" for none


def _ids(match: re.Match) -> dict[str, str]:
    groups = {name: value for name, value in match.groupdict().items() if value}
    if "id2" in groups:
        groups["id"] = groups.pop("id2")
    groups.setdefault("version", "1")
    return groups


def find_embed(url: str, embed_hosts: tuple[str, ...] = ()) -> Embed | None:
    """The embed an address names: a known provider's page, or any https page of a host in `embed_hosts`."""
    try:
        parts = urlsplit(url.strip())
        host, path = (parts.hostname or "").lower(), parts.path
    except ValueError:  # a bracket that opens no IPv6 address, a port out of range
        return None
    if parts.scheme not in ("http", "https") or not host or parts.username or parts.password:
        return None
    if host.endswith("youtube.com") and path == "/watch":  # the one provider that names the page in the query
        path = "/embed/" + (parse_qs(parts.query).get("v") or [""])[0]
    for provider in PROVIDERS:
        match = provider.pattern.match(host + path)
        if match:
            ids = _ids(match)
            return Embed(provider.key, provider.name, provider.kind, url.strip(), provider.frame.format(**ids),
                         provider.frame_host, provider.ratio, provider.poster.format(**ids))
    if parts.scheme == "https" and host in embed_hosts and host not in PROVIDER_HOSTS:
        return Embed(frame_key(host), host, "page", url.strip(), url.strip(), host, "16:9", "")
    return None


def frame_hosts(keys: Iterable[str]) -> list[str]:
    """The hosts whose frames these embeds (Body.embeds keys) load, sorted."""
    return sorted({BY_KEY[key].frame_host if key in BY_KEY else key.partition(":")[2] for key in keys
                   if not key.startswith(POSTER_KEY)} - {""})


def poster_names(keys: Iterable[str]) -> list[str]:
    """The poster files that these embeds (Body.embeds keys) show."""
    return sorted(key[len(POSTER_KEY):] for key in keys if key.startswith(POSTER_KEY))


def frame_key(host: str) -> str:
    """The key of a frame from `host` that is not a provider's (an embed_hosts page, or a raw iframe)."""
    return f"{FRAME_KEY}:{host}"


def raw_frame_keys(fragments: Iterable[str]) -> set[str]:
    """The keys of the raw iframes in these pieces of a body's HTML, by host."""
    return {frame_key(host) for fragment in fragments for host in frame_hosts_in(fragment)}


def is_provider_url(line: str) -> bool:
    """A line that is nothing but the address of a known provider's page (not of an embed_hosts host)."""
    text = line.strip()
    return text.startswith(("https://", "http://")) and " " not in text and find_embed(text) is not None


def build(found: Found) -> dict | None:
    """The facade's values: provider, original address, frame address, title, caption and shape."""
    url = found.attrs["url"]
    embed = find_embed(url, getattr(found.md, "nutgraf_embed_hosts", ()))
    if embed is None and not url.strip().startswith(("https://", "http://")):
        found.fail(f"cannot embed {url!r}: it is not a web address", "write the page's full address, starting "
                   "with https://, e.g. :::embed url=\"https://www.youtube.com/watch?v=...\"")
        return None
    if embed is None:
        found.fail(f"cannot embed {url!r}: not a page of a known provider or of a host in embed_hosts", EMBED_HINT)
        return None
    ratio = found.attrs.get("ratio", embed.ratio)
    if ratio not in RATIOS:
        found.fail(f":::embed cannot have the ratio {ratio!r}", "the ratios are " + ", ".join(RATIOS))
        return None
    found.md.nutgraf_embeds.add(embed.key)
    fetch = getattr(found.md, "nutgraf_poster", None)
    poster = fetch(embed.poster) if fetch is not None and embed.poster else None
    if poster is not None:  # published beside the pages: the build finds it among the embeds
        found.md.nutgraf_embeds.add(POSTER_KEY + poster["name"])
    return {"provider": embed.key.partition(":")[0], "provider_name": embed.name, "kind": embed.kind,
            "url": embed.url, "frame": embed.frame, "title": found.text("title"), "caption": found.html(),
            "ratio": ratio.replace(":", "x"), "poster": poster}


BLOCKS = (BlockType("embed", build, required=("url",), optional=("title", "ratio")),)
