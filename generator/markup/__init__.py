"""Stage 2, markup: explainer bodies from Markdown, with blocks, glossary terms, typography and sanitizing."""
