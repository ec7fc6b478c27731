"""Figures: caption and credit from a block or a credited image."""

import test_blocks

built, page = test_blocks.built, test_blocks.page  # shared fixtures


def test_figures_carry_caption_and_credit_from_a_block_or_a_credited_image(page):
    block, inline = page.find("div", class_="article-body").find_all("figure", class_="figure")
    assert block.find("img")["alt"] == "A map of Syria" and block.find("img")["width"] == "40"
    assert block.find(class_="caption").get_text(strip=True) == "Where the fighting is."
    assert block.find(class_="credit").get_text(" ", strip=True) == "Image credit: Map: Desk"
    assert inline.find("img")["alt"] == "A table in Astana" and not inline.find("img").get("credit")
    assert inline.find(class_="caption").get_text() == "The table"
    assert "Photo: Agency" in inline.find(class_="credit").get_text()
