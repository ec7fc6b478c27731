"""Charts: data read from CSV or an inline table, drawn at build time as SVG."""
