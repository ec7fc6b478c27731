"""Hosting: the files static hosts read beside the site: `_headers` (caching, security) and `_redirects`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..site.cards import EMBED_KIND
from ..site.routes import PageEntry, site_href
from ..sources.config import SiteConfig

HEADERS_FILE = "_headers"
REDIRECTS_FILE = "_redirects"
IMMUTABLE = "public, max-age=31536000, immutable"  # fingerprinted: a new version gets a new name
REVALIDATE = "public, max-age=0, must-revalidate"  # pages: always ask, cheap with ETags
SHORT = "public, max-age=300, must-revalidate"  # feeds and sitemaps: readers poll them
# On every page but the card embeds. Netlify and Cloudflare Pages send the headers of every rule that matches a
# path, so a refusal in `/*` would reach the embeds too: each page's own rule refuses instead, in a header that
# `/*` does not send (as the CSP's frame-ancestors, a host that let one rule's header replace another's would
# drop the rest of the policy).
NO_FRAMING = ("X-Frame-Options", "SAMEORIGIN")
SECURITY = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"),
)


def content_security_policy(config: SiteConfig) -> str:
    """A CSP the default theme satisfies: scripts and styles only from files of the site (no inline scripts;
    JSON-LD blocks are data), WebAssembly for the search, frames only from the embed hosts; who may frame a
    page is each page's rule (NO_FRAMING), as card embeds may be framed by any site."""
    frames = " ".join(f"https://{host}" for host in config.embed_hosts) or "'none'"
    return "; ".join((
        "default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "style-src 'self'",
        "img-src 'self' data: https:", "font-src 'self'", "connect-src 'self'", "worker-src 'self' blob:",
        f"frame-src {frames}", "object-src 'none'", "base-uri 'self'", "form-action 'self'",
    ))


def security_headers(config: SiteConfig) -> tuple[tuple[str, str], ...]:
    """The headers every response of the site should carry."""
    return (("Content-Security-Policy", content_security_policy(config)), *SECURITY)


def cache_control(rel: str, fingerprinted: frozenset[str]) -> str:
    """How long a file under output/ may be cached, by what it is."""
    if rel in fingerprinted:
        return IMMUTABLE
    if rel.endswith((".xml", ".json", ".txt")) and not rel.startswith("pagefind/"):
        return SHORT
    return REVALIDATE


def headers_file(config: SiteConfig, pages: Sequence[PageEntry], published: Sequence[str],
                 static_names: Mapping[str, str]) -> bytes:
    """`_headers` for Netlify and Cloudflare Pages: security headers on every path, one Cache-Control per file
    (rules that overlap would have their Cache-Control values joined by the host), and on each page but the
    card embeds, which other sites frame, a refusal to be framed by them."""
    lines = [site_href(config, "/*")] + [f"  {name}: {value}" for name, value in security_headers(config)]
    hashed = frozenset(static_names.values())
    rules = [(f"/{rel}", IMMUTABLE) for rel in sorted(hashed)]
    rules += [(f"/{rel}", cache_control(rel, hashed)) for rel in sorted(published)]
    for path, value in rules:
        lines += [site_href(config, path), f"  Cache-Control: {value}"]
    for page in pages:
        lines += [site_href(config, page.path), f"  Cache-Control: {REVALIDATE}"]
        lines += [] if page.kind == EMBED_KIND else ["  {}: {}".format(*NO_FRAMING)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def redirects_file(config: SiteConfig, redirects: Mapping[str, str]) -> bytes:
    """`_redirects` (Netlify, Cloudflare Pages): each alias to its explainer, permanently."""
    lines = [f"{site_href(config, alias)} {site_href(config, target)} 301" for alias, target in redirects.items()]
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def hosting_files(config: SiteConfig, pages: Sequence[PageEntry], redirects: Mapping[str, str],
                  published: Sequence[str], static_names: Mapping[str, str]) -> dict[str, bytes]:
    """`_headers` and, when there are aliases (`redirects`: alias path -> explainer path), `_redirects`."""
    files = {HEADERS_FILE: headers_file(config, pages, published, static_names)}
    redirects_text = redirects_file(config, redirects)
    return files | ({REDIRECTS_FILE: redirects_text} if redirects_text else {})


