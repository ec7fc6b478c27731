"""Stage 4, outputs: pages, feeds, sitemaps, search, hosting files and images made from the site."""
