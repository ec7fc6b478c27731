"""Stage 1, sources: site.yaml, the files under content/, front matter and explainer metadata."""
