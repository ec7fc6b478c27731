"""Blocks: the storytelling blocks of explainer bodies (`:::name attr="value"` ... `:::`) as Python-Markdown
extensions; each becomes a placeholder that the theme's blocks/NAME.html template renders."""

from __future__ import annotations

import markdown
from markdown.extensions import Extension

from .codec import body_parts, clean_blocks
from .extract import BlockExtractTreeprocessor
from .figures import FigureImagesTreeprocessor
from .question_dates import QuestionDatesTreeprocessor, question_updated
from .registry import BLOCK_TYPES, block_templates
from .syntax import BlockSyntaxPreprocessor
from .terms import TERM_PATTERN, TermInlineProcessor, term_key

__all__ = ["BLOCK_TYPES", "BlocksExtension", "block_templates", "body_findings", "body_parts", "clean_blocks",
           "question_updated", "term_key"]


class BlocksExtension(Extension):
    """Registers the block syntax, glossary terms, question dates and the final extraction into placeholders."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        self.md = md
        self.reset()
        # Before fenced code (25), which would shift line numbers; code fences are skipped by hand.
        md.preprocessors.register(BlockSyntaxPreprocessor(md), "nutgraf-blocks", 27)
        # After escapes (180), before footnotes (175), references (170) and links (160).
        md.inlinePatterns.register(TermInlineProcessor(TERM_PATTERN, md), "nutgraf-term", 177)
        # After attr_list (8) and typography (5), before sections (4) read the questions.
        md.treeprocessors.register(QuestionDatesTreeprocessor(md), "nutgraf-question-dates", 4.5)
        # Before local images are resolved (3).
        md.treeprocessors.register(FigureImagesTreeprocessor(md), "nutgraf-figure-images", 3.5)
        # After unescaping (0): the HTML inside each block is final.
        md.treeprocessors.register(BlockExtractTreeprocessor(md), "nutgraf-block-extract", -1)

    def reset(self) -> None:
        """Forget the last body's blocks and findings."""
        md = self.md
        md.nutgraf_blocks = {}
        md.nutgraf_block_problems = []
        md.nutgraf_block_names = set()
        md.nutgraf_terms = []
        md.nutgraf_embeds = set()  # the keys of the embeds it shows, for the site's CSP
        md.nutgraf_source_lines = ()
        md.nutgraf_plain = True  # nothing in the body for the blocks' tree processors
        md.nutgraf_source = ""  # render_body says which file, and the file line where its body starts
        md.nutgraf_first_line = 1
        md.nutgraf_lang, md.nutgraf_dir = "en", "ltr"  # the page's language and direction, for maps
        md.nutgraf_charts = 0  # charts drawn in this body, for their ids
        md.nutgraf_chart_keys = []  # and the digests of their inputs, for their pictures
        md.nutgraf_map_keys = []  # the digests of its maps' inputs, under which their drawings are kept


def body_findings(md: markdown.Markdown) -> dict:
    """What the blocks extension learnt about the body just converted, for markup.Body."""
    return {"diagnostics": tuple(getattr(md, "nutgraf_block_problems", ())),
            "terms": tuple(getattr(md, "nutgraf_terms", ())),
            "block_templates": block_templates(getattr(md, "nutgraf_block_names", ())),
            "embeds": tuple(sorted(getattr(md, "nutgraf_embeds", ()))),
            "charts": tuple(getattr(md, "nutgraf_chart_keys", ())),
            "maps": tuple(getattr(md, "nutgraf_map_keys", ()))}
