"""Stage 6, commands: what users run besides build: check, watch, serve, deploy, init and new."""
