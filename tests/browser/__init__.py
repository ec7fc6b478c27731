"""The real-browser quality gate: axe-core, Lighthouse and layout checks in headless Chromium."""
