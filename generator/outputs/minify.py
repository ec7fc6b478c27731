"""Minify: the same CSS, JavaScript and HTML in fewer bytes, for the theme's assets and (optionally) pages."""

from __future__ import annotations

import posixpath

import rcssmin
import rjsmin

MINIFIABLE = (".css", ".js")


def minify_asset(name: str, data: bytes) -> bytes:
    """A CSS or JS file's bytes minified (comments and spaces gone, meaning kept); other files as they are."""
    suffix = posixpath.splitext(name)[1].lower()
    if suffix == ".css":
        return rcssmin.cssmin(data.decode("utf-8")).encode("utf-8") + b"\n"
    if suffix == ".js":
        return rjsmin.jsmin(data.decode("utf-8")).encode("utf-8") + b"\n"
    return data


def minify_page(html: str) -> str:
    """A page's HTML minified conservatively: the output stays valid HTML (closing tags, <html>, <head> and the
    doctype are kept; attributes lose their quotes only where the spec allows) so that validators still agree."""
    import minify_html  # a large native library, 65-150 ms to load: only builds that minify pages wait for it

    return minify_html.minify(
        html,
        keep_closing_tags=True,
        keep_html_and_head_opening_tags=True,
        keep_comments=False,
        minify_css=False,  # inline style attributes are left alone: the CSP keeps styles in files
        minify_js=False,  # JSON-LD blocks are data, dumped once by seo.py
        minify_doctype=False,
        allow_noncompliant_unquoted_attribute_values=False,
        allow_optimal_entities=False,
        allow_removing_spaces_between_attributes=False,
    )
