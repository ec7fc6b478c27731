"""Stage 3, site: the model of the published site and every page planned from it."""
