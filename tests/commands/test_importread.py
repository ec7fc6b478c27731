"""Import, reading: a .txt file is read as ArchieML only when the user says so."""

from __future__ import annotations

import test_importer
from test_importer import STORY_AML, errors, run_import

site = test_importer.site  # the shared fixture


def test_txt_is_archieml_only_when_the_user_says_so(site):
    (site / "drafts/truce.txt").write_text(STORY_AML, encoding="utf-8")
    assert "cannot import a .txt" in errors(run_import(site, "drafts/truce.txt"))[0]
    assert run_import(site, "drafts/truce.txt", archieml=True).ok
