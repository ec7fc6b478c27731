"""Chart pictures for feeds: the wide drawing rasterized to PNG by resvg, in the theme's light colours (a feed
reader shows no inline SVG and none of the site's CSS)."""

from __future__ import annotations

from ...svgraster import svg_png

# The default theme's light palette (themes/default/static/css/style.css), for the classes drawings use.
PALETTE = """
svg { color: #1a1a1a; }
text { fill: #1a1a1a; font-family: sans-serif; }
.chart__tick { fill: #595959; }
.chart__grid { stroke: #d8d4cc; fill: none; }
.chart__axis { stroke: #3b3b3b; fill: none; }
.chart__line { fill: none; stroke-width: 2.5; }
""" + "".join(f".chart__c{n} {{ fill: {color}; stroke: {color}; }}\n.chart__line.chart__c{n} {{ fill: none; }}\n"
              for n, color in enumerate(("#0a55a6", "#b0221b", "#2e7d32", "#8a5a00", "#6b2c91", "#00796b"), start=1))
SCALE = 2  # pixels per unit of the drawing: sharp on high-density screens


def to_png(svg: str) -> bytes:
    """A drawing as PNG on white, at twice its size."""
    return svg_png(svg, zoom=SCALE, background="#ffffff", style_sheet=PALETTE)
