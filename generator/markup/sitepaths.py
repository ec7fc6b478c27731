"""Site paths in bodies: a URL written from the site's root ("/leap-seconds/") put under base_url's path."""

from __future__ import annotations

import re

# The attributes whose value is one URL, and srcset, whose value is a list of them.
URL_ATTRIBUTES = frozenset({"href", "src", "cite", "poster"})
# A start tag; escaped text (&lt;a href=...&gt;, as in code) is not one. Serialized attribute values hold no ">".
_TAG = re.compile(r"<[a-zA-Z][^\s/>]*([^<>]*)>")
_ATTRIBUTE = re.compile(r"""(\s+)([^\s"'>/=]+)(\s*=\s*)("[^"]*"|'[^']*'|[^\s"'>]+)""")
_CANDIDATE = re.compile(r"(^|,)(\s*)(/[^\s,]*)")


def is_site_path(url: str) -> bool:
    """A URL written from the site's root: "/x/", not "//host/x" nor a relative or absolute URL."""
    return url.startswith("/") and not url.startswith(("//", "/\\"))


def under_base(url: str, base_path: str) -> str:
    """`url` put under `base_path` when it is a site path, else as it is."""
    return base_path + url[1:] if base_path != "/" and is_site_path(url) else url


def _attribute(match: re.Match, base_path: str) -> str:
    space, name, equals, value = match.groups()
    quote = value[0] if value[0] in "\"'" else ""
    bare = value[len(quote): len(value) - len(quote)]
    name_lower = name.lower()
    if name_lower in URL_ATTRIBUTES:
        bare = under_base(bare, base_path)
    elif name_lower == "srcset":
        bare = _CANDIDATE.sub(lambda c: c[1] + c[2] + under_base(c[3], base_path), bare)
    return f"{space}{name}{equals}{quote}{bare}{quote}"


def site_paths_under(html: str, base_path: str) -> str:
    """HTML with every site path in a tag's href, src, cite, poster or srcset put under `base_path`, so that a
    site deployed under a sub-path of its host links within it; at the host's root, the HTML as it is."""
    if base_path == "/":
        return html

    def tag(match: re.Match) -> str:
        attributes = match[1]
        if "/" not in attributes:
            return match[0]
        start = match.start(1) - match.start()
        rewritten = _ATTRIBUTE.sub(lambda a: _attribute(a, base_path), attributes)
        return match[0][:start] + rewritten + ">"

    return _TAG.sub(tag, html)
