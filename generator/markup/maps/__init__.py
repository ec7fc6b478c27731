"""Locator maps: the shipped Natural Earth data (data), the drawing (draw, furniture, labels, svgpath)."""
