"""Lighthouse (mobile) scores the sample explainer and the home page 100/100/100 and at least 95 for speed."""

from __future__ import annotations

import json
import os
import subprocess

import pytest
from tools import CHROMIUM_FLAGS, REPO, find_chromium, find_node, find_node_file

from .conftest import LIGHTHOUSE_KEY

PATHS = ("/astana-talks/", "/")
MINIMUM = {"performance": 0.95, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0}


@pytest.fixture(scope="module", params=PATHS)
def report(request, site_url, tmp_path_factory) -> dict:
    """Lighthouse's JSON report of one page, run once per page with a fresh Chromium profile."""
    chromium, node = find_chromium(), find_node()
    cli = find_node_file("lighthouse", "cli/index.js")
    profile = tmp_path_factory.mktemp("lighthouse-profile")
    out = tmp_path_factory.mktemp("lighthouse") / "report.json"
    flags = " ".join(("--headless=new", *CHROMIUM_FLAGS, f"--user-data-dir={profile}"))
    command = [str(node), str(cli), site_url + request.param.lstrip("/"), "--form-factor=mobile",
               "--output=json", f"--output-path={out}", f"--chrome-flags={flags}", "--quiet",
               "--no-enable-error-reporting", "--max-wait-for-load=30000"]
    run = subprocess.run(command, cwd=REPO, env=os.environ | {"CHROME_PATH": str(chromium)},
                         capture_output=True, text=True, timeout=180)
    assert run.returncode == 0 and out.is_file(), f"lighthouse failed ({run.returncode}):\n{run.stderr[-3000:]}"
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data.get("runtimeError") is None, data["runtimeError"]
    scores = {name: round(100 * (category["score"] or 0)) for name, category in data["categories"].items()}
    scores["CLS"] = data["audits"]["cumulative-layout-shift"]["numericValue"]
    request.config.stash.setdefault(LIGHTHOUSE_KEY, {})[request.param] = scores
    return data


def failing_audits(data: dict, category: str) -> str:
    """The audits that cost the category points, with Lighthouse's own titles and values."""
    lines = []
    for ref in data["categories"][category]["auditRefs"]:
        audit = data["audits"][ref["id"]]
        if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
            lines.append(f"  {audit['id']}: {audit['title']} ({audit.get('displayValue', audit['score'])})")
    return "\n".join(lines)


@pytest.mark.parametrize("category", list(MINIMUM))
def test_category_score(report, category, record_property):
    score = report["categories"][category]["score"]
    record_property(f"lighthouse-{category}", score)
    assert score is not None and score >= MINIMUM[category], (
        f"{category} {score} < {MINIMUM[category]} on {report['finalDisplayedUrl']}:\n"
        + failing_audits(report, category))


def test_no_layout_shift(report, record_property):
    shift = report["audits"]["cumulative-layout-shift"]["numericValue"]
    record_property("lighthouse-cls", shift)
    assert shift == 0, f"cumulative layout shift {shift} on {report['finalDisplayedUrl']}"


def test_ran_as_a_phone(report):
    settings = report["configSettings"]
    assert settings["formFactor"] == "mobile" and settings["screenEmulation"]["mobile"] is True
    assert report["environment"]["hostUserAgent"] and "HeadlessChrome" in report["environment"]["hostUserAgent"]
