"""Under the site's own `_headers` (its Content-Security-Policy included), no page logs an error or a violation."""

from __future__ import annotations

from .conftest import PAGES

# Chromium reports a blocked script, style or image as a `securitypolicyviolation` event; record them all.
RECORD_VIOLATIONS_JS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(
  `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`));
"""


def test_the_server_sends_the_sites_security_headers(open_page):
    page = open_page("home", 1280)
    response = page.goto(page.url)
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src", 1)[1].split(";")[0]
    assert response.headers.get("x-content-type-options") == "nosniff"


def test_no_console_errors_or_policy_violations(chromium, site_url, kind):
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    try:
        context.add_init_script(RECORD_VIOLATIONS_JS)
        page = context.new_page()
        problems = []
        page.on("console", lambda message: message.type == "error" and problems.append(message.text))
        page.on("pageerror", lambda error: problems.append(str(error)))
        path = PAGES[kind] + ("?q=Astana" if kind == "search" else "")  # a search runs Pagefind's WebAssembly
        page.goto(site_url + path.lstrip("/"), wait_until="load")
        page.wait_for_function("() => !document.querySelector('[data-search]:not([data-state])')")
        if kind == "search":
            page.wait_for_selector(".search-result", timeout=15_000)
        page.wait_for_load_state("networkidle")
        violations = page.evaluate("() => window.__violations")
    finally:
        context.close()
    if kind == "404":  # the 404 status itself is logged as a failed resource load; nothing else may be
        problems = [text for text in problems if "404" not in text]
    assert violations == [] and problems == []
