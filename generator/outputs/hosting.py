"""Hosting: the files static hosts read beside the site: `_headers` (caching, security) and `_redirects`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ..markup.blocks.embeds import frame_hosts
from ..site.cards import EMBED_KIND
from ..site.model import Explainer
from ..site.pages import PageEntry, site_href
from ..sources.config import SiteConfig

HEADERS_FILE = "_headers"
REDIRECTS_FILE = "_redirects"
IMMUTABLE = "public, max-age=31536000, immutable"  # fingerprinted: a new version gets a new name
REVALIDATE = "public, max-age=0, must-revalidate"  # pages: always ask, cheap with ETags
SHORT = "public, max-age=300, must-revalidate"  # feeds and sitemaps: readers poll them
SECURITY = (
    # Every page refuses to be framed by other sites, from `/*` alone (so a host that reads only its first
    # rules still sends it). A card embed's own rule adds a policy with `frame-ancestors *`: browsers obey a
    # CSP's frame-ancestors over X-Frame-Options, so embeds alone may be framed. (Netlify and Cloudflare Pages
    # send the headers of every matching rule, so a frame-ancestors in `/*` would reach the embeds too.)
    ("X-Frame-Options", "SAMEORIGIN"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"),
)


def used_frame_hosts(explainers: Iterable[Explainer], pages: Iterable) -> list[str]:
    """The hosts whose frames the embeds of these explainers and of the cards on these planned pages load."""
    keys = {key for e in explainers for key in e.embeds}
    keys |= {key for page in pages for key in getattr(page.context.get("card"), "embeds", ())}
    return frame_hosts(keys)


def content_security_policy(frame_hosts: Iterable[str] = ()) -> str:
    """A CSP the default theme satisfies: scripts and styles only from files of the site (no inline scripts;
    JSON-LD blocks are data), WebAssembly for the search, frames only from the hosts that the site's embeds
    load (`frame_hosts`): none when no page embeds. Every embed is a frame, so no provider's script is allowed."""
    frames = " ".join(f"https://{host}" for host in sorted(set(frame_hosts))) or "'none'"
    return "; ".join((
        "default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "style-src 'self'",
        "img-src 'self' data: https:", "font-src 'self'", "connect-src 'self'", "worker-src 'self' blob:",
        f"frame-src {frames}", "object-src 'none'", "base-uri 'self'", "form-action 'self'",
    ))


def security_headers(frame_hosts: Iterable[str] = ()) -> tuple[tuple[str, str], ...]:
    """The headers every response of the site should carry."""
    return (("Content-Security-Policy", content_security_policy(frame_hosts)), *SECURITY)


def cache_control(rel: str, fingerprinted: frozenset[str]) -> str:
    """How long a file under output/ may be cached, by what it is."""
    if rel in fingerprinted:
        return IMMUTABLE
    if rel.endswith((".xml", ".json", ".txt")) and not rel.startswith("pagefind/"):
        return SHORT
    return REVALIDATE


def headers_file(config: SiteConfig, pages: Sequence[PageEntry], published: Sequence[str],
                 static_names: Mapping[str, str], frame_hosts: Sequence[str] = ()) -> bytes:
    """`_headers` for Netlify and Cloudflare Pages: security headers on every path, and one Cache-Control
    per file (rules that overlap would have their Cache-Control values joined by the host)."""
    lines = [site_href(config, "/*")] + [f"  {name}: {value}" for name, value in security_headers(frame_hosts)]
    hashed = frozenset(static_names.values())
    rules = [(f"/{rel}", IMMUTABLE) for rel in sorted(hashed)]
    rules += [(f"/{rel}", cache_control(rel, hashed)) for rel in sorted(published)]
    rules += [(page.path, REVALIDATE) for page in pages]
    for path, value in rules:
        lines += [site_href(config, path), f"  Cache-Control: {value}"]
    lines += embed_rules(config, pages)
    return ("\n".join(lines) + "\n").encode("utf-8")


def embed_rules(config: SiteConfig, pages: Sequence[PageEntry]) -> list[str]:
    """Card embeds, and only they, may be framed by any site: beside the policy of `/*` their rule sends a
    second one, `frame-ancestors *`, which makes browsers ignore the X-Frame-Options of `/*` (the site's
    policy still applies whole: a page obeys every CSP it is sent)."""
    lines = []
    for page in pages:
        if page.kind == EMBED_KIND:
            lines += [site_href(config, page.path), "  Content-Security-Policy: frame-ancestors *"]
    return lines


def redirects_file(config: SiteConfig, redirects: Mapping[str, str]) -> bytes:
    """`_redirects` (Netlify, Cloudflare Pages): each alias to its explainer, permanently."""
    lines = [f"{site_href(config, alias)} {site_href(config, target)} 301" for alias, target in redirects.items()]
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def hosting_files(config: SiteConfig, pages: Sequence[PageEntry], redirects: Mapping[str, str],
                  published: Sequence[str], static_names: Mapping[str, str],
                  frame_hosts: Sequence[str] = ()) -> dict[str, bytes]:
    """`_headers` and, when there are aliases (`redirects`: alias path -> explainer path), `_redirects`;
    `frame_hosts` are the hosts whose frames the site's embeds load."""
    files = {HEADERS_FILE: headers_file(config, pages, published, static_names, frame_hosts)}
    redirects_text = redirects_file(config, redirects)
    return files | ({REDIRECTS_FILE: redirects_text} if redirects_text else {})


