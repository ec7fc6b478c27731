"""Block syntax: every mistake a build error at its file and line."""

import pytest
from conftest import explainer, messages, run_build


@pytest.mark.parametrize(("body", "line", "message"), [
    ("Lede.\n\n:::timelime\n- 2011: War.\n:::\n", 7, "unknown block :::timelime"),
    ("Lede.\n\n:::factbox\nText.\n:::\n", 7, ':::factbox needs the attribute title="..."'),
    ("Lede.\n\n:::timeline\n- 2011: War.\n- 2016-02-30: Truce.\n:::\n", 9, "'2016-02-30' is not a date"),
    ("Lede.\n\n:::timeline\n- War, in 2011.\n:::\n", 8, "a timeline event does not start with its date"),
    ("Lede.\n\n:::callout\nText.\n", 7, "the :::callout block is not closed"),
    ("Lede.\n\n:::callout\nText.\n:::factbox title=\"x\"\nMore.\n:::\n", 7, "the :::callout block is not closed"),
    ("Lede.\n\n:::callout\n## A question?\n:::\n", 8, "a heading inside the :::callout block"),
    ("Lede.\n\n:::figure src=\"a.png\" alt=\"A\n:::\n", 7, "cannot read the attributes of :::figure"),
    ("Lede.\n\n:::people\n- Nobody in bold\n:::\n", 8, "a person in :::people does not start with their **name**"),
    ("## What? {updated=2017-13-01}\n\nText.\n", 5, "a question's updated date must be a day"),
    ("Lede with [[nowhere]].\n", 5, "'nowhere' is not in the glossary"),
])
def test_block_mistakes_are_build_errors_with_file_and_line(make_site, body, line, message):
    root = make_site({"content/e.md": explainer("E", body), "content/glossary.yaml": "Astana: The capital.\n"})
    result = run_build(root)
    assert not result.ok
    assert any(d.path == "content/e.md" and d.line == line and d.message.startswith(message)
               for d in result.diagnostics), messages(result)
    assert not (root / "output").exists()
