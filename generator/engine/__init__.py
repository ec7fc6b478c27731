"""Stage 5, engine: what to rebuild, the cache, and build() that runs the stages in order."""
