"""Sample inputs that several test modules share: photos made with Pillow, PNG headers, hostile SVGs."""

from __future__ import annotations

import io
import re
import struct
import zlib

from lxml import etree
from PIL import Image

GPS_IFD = 0x8825
EXIF_IFD = 0x8769
BODY_SERIAL = 0xA431  # BodySerialNumber, in the Exif IFD
ARTIST, COPYRIGHT, ORIENTATION = 0x013B, 0x8298, 0x0112

def photo(width: int = 2000, height: int = 1000, fmt: str = "JPEG", color=(180, 90, 40), mode: str = "RGB",
          orientation: int | None = None, source_details: bool = False) -> bytes:
    """An image made with Pillow; `source_details` adds GPS, a camera serial, an owner and a copyright."""
    image = Image.new(mode, (width, height), color)
    exif = Image.Exif()
    if orientation:
        exif[ORIENTATION] = orientation
    if source_details:
        exif[ARTIST] = "Owner Name"
        exif[COPYRIGHT] = "(c) Newsroom"
        exif.get_ifd(EXIF_IFD)[BODY_SERIAL] = "SERIAL-4411"
        gps = exif.get_ifd(GPS_IFD)
        gps[1], gps[2], gps[3], gps[4] = "N", (51.0, 30.0, 12.5), "E", (0.0, 7.0, 39.0)
    out = io.BytesIO()
    image.save(out, fmt, exif=exif.tobytes() if len(exif) or source_details else b"")
    return out.getvalue()


def png_header(width: int, height: int, depth: int = 8, colour: int = 2, data: bytes = b"\x00" * 64) -> bytes:
    """A tiny PNG file that claims `width` x `height` pixels: what a decompression bomb looks like unread
    (`data`, the rows of pixels, makes it a whole image)."""
    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(data)) + chunk(b"IEND", b""))


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
