"""SVG cleaning: hostile SVGs come out without scripts, handlers, foreign content or outside references."""

from __future__ import annotations

import re

from lxml import etree

from generator.svgclean import clean_svg, svg_residue

OPEN = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="40" height="30"{attrs}>')
# One hostile SVG for each way of scripting a site or reaching another through it.
HOSTILE_SVGS = {
    "script": "<script>alert(document.cookie)</script><script><![CDATA[alert(2)]]></script>",
    "handlers": '<rect width="5" height="5" onclick="alert(1)"/><g onmouseover="alert(2)"/>',
    "foreign-object": ('<foreignObject width="40" height="30"><body xmlns="http://www.w3.org/1999/xhtml">'
                       '<script>alert(1)</script><iframe src="https://evil.example/"/></body></foreignObject>'),
    "xhtml-script": '<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>',
    "external-use": '<use href="http://evil.example/sprite.svg#a"/><use xlink:href="https://evil.example/b.svg#b"/>',
    "xlink-javascript": '<a xlink:href="javascript:alert(1)"><text y="20">x</text></a>',
    "link-javascript": '<a href=" &#106;ava&#x09;script:alert(1)"><text y="20">x</text></a>',
    "link-elsewhere": '<a href="https://evil.example/phish"><text y="20">x</text></a>',
    "style": ('<style>@import url(http://evil.example/a.css); rect { fill: url(https://evil.example/p.svg#p) }'
              '</style><rect style="fill:url(//evil.example/g#q)" width="5" height="5"/>'),
    "animate-href": ('<a><animate attributeName="href" to="javascript:alert(1)"/>'
                     '<set attributeName="xlink:href" to="javascript:alert(2)"/><text y="20">x</text></a>'),
    "set-handler": '<rect width="5" height="5"><set attributeName="onmouseover" to="alert(1)"/></rect>',
    "data-uris": ('<image href="data:image/svg+xml;base64,PHN2Zz48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+PC9zdmc+"/>'
                  '<use href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;#x"/>'),
    "stylesheet-pi": "",  # the processing instruction goes before the root, below
    "external-entity": "<text>&xxe;</text>",
    "billion-laughs": "<text>&c;</text>",
}
PROLOGUES = {
    "stylesheet-pi": '<?xml-stylesheet type="text/xsl" href="http://evil.example/x.xsl"?>',
    "external-entity": '<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    "billion-laughs": ('<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                       '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'),
}
# Those refused: svg-hush cannot read the file, or cleaning leaves a javascript: value behind.
REFUSED = {"animate-href", "billion-laughs"}


def hostile_svg(name: str) -> bytes:
    attrs = ' onload="alert(1)"' if name == "handlers" else ""
    return (PROLOGUES.get(name, "") + OPEN.format(attrs=attrs) + HOSTILE_SVGS[name] + "</svg>").encode()


_OUTSIDE = re.compile(r"([a-z][a-z0-9+.-]*:|//|\\\\)")
_CSS_OUTSIDE = re.compile(r"""@import|url\(\s*['"]?\s*([a-z][a-z0-9+.-]*:|//)""", re.IGNORECASE)


def assert_harmless(data: bytes) -> None:
    """No script, handler, foreign content, javascript: value or reference to another site in an SVG."""
    assert b"<!DOCTYPE" not in data and b"<?xml-stylesheet" not in data
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    for element in root.iter(etree.Element):
        tag = etree.QName(element).localname.lower()
        assert tag not in {"script", "foreignobject", "iframe", "embed", "object"}, tag
        for name, value in element.attrib.items():
            local = etree.QName(name).localname.lower()
            squeezed = "".join(value.split()).lower()
            assert not local.startswith("on"), (tag, local, value)
            if local == "attributename":  # an animation may set neither a handler nor a link
                assert not squeezed.startswith("on") and not squeezed.endswith("href"), (tag, value)
            assert "javascript:" not in squeezed and "data:text" not in squeezed, (tag, local, value)
            if local in ("href", "src"):
                assert not _OUTSIDE.match(squeezed) or squeezed.startswith("data:image/png"), (tag, value)
        css = (element.text or "") if tag == "style" else element.get("style", "")
        assert not _CSS_OUTSIDE.search(css), css


def test_every_hostile_svg_is_cleaned_or_refused():
    for name in HOSTILE_SVGS:
        cleaned, problem = clean_svg(hostile_svg(name))
        if name in REFUSED:
            assert problem and cleaned == b"", name
        else:
            assert not problem, (name, problem)
            assert_harmless(cleaned)


def test_the_harmlessness_check_fails_on_each_hostile_svg_as_written():
    for name in set(HOSTILE_SVGS) - REFUSED:
        try:
            assert_harmless(hostile_svg(name))
        except (AssertionError, etree.XMLSyntaxError):
            continue
        raise AssertionError(f"{name} passes as harmless uncleaned")


def test_a_drawing_keeps_what_it_draws():
    svg = (OPEN.format(attrs=' viewBox="0 0 40 30"') + '<defs><linearGradient id="g"><stop offset="0" '
           'stop-color="red"/></linearGradient></defs><rect fill="url(#g)" width="5" height="5"/><use href="#g"/>'
           '<image href="data:image/png;base64,iVBORw0KGgo="/><text x="1" y="20">Aé &amp; b</text></svg>')
    root = etree.fromstring(clean_svg(svg.encode())[0])
    assert root.get("viewBox") == "0 0 40 30" and root.get("width") == "40"
    assert [etree.QName(e).localname for e in root.iter(etree.Element)] == [
        "svg", "defs", "linearGradient", "stop", "rect", "use", "image", "text"]
    assert root.find("{*}text").text == "Aé & b"
    assert root.find("{*}image").get("href").startswith("data:image/png")


def test_the_check_after_cleaning_finds_what_svg_hush_should_have_removed():
    svg = OPEN.format(attrs="") + "{}</svg>"
    assert svg_residue(svg.format("<script/>").encode()) == "a <script> element"
    assert svg_residue(svg.format('<g onclick="x"/>').encode()) == "an event handler in <g onclick>"
    assert svg_residue(svg.format('<image href="//evil.example/x"/>').encode()).startswith("a reference to")
    assert svg_residue(svg.format("<style>@import 'x.css';</style>").encode()) == "a CSS @import"
    assert svg_residue(svg.format('<use href="#a"/><image href="local.png"/>').encode()) == ""


def test_a_file_nested_thousands_deep_is_refused_before_it_can_grow():
    svg = (OPEN.format(attrs="") + "<g>" * 5000 + "</g>" * 5000 + "</svg>").encode()
    assert clean_svg(svg) == (b"", "its elements are nested more than 256 deep")
    fine = (OPEN.format(attrs="") + "<g>" * 100 + "<rect/>" + "</g>" * 100 + "</svg>").encode()
    cleaned, problem = clean_svg(fine)
    assert not problem and len(cleaned) < 30 * len(fine)
