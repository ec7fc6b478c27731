"""`nutgraf pull`: Google Docs fetched through google-api-python-client from a fake Docs and Drive service on
127.0.0.1 (fakegoogle.py, which commands/googleapi.py talks to), with a service account's key file as
GOOGLE_APPLICATION_CREDENTIALS."""

from __future__ import annotations

import io
import json
import sys

import pytest
from fakegoogle import ACCOUNT, FakeGoogle, key_file, serve
from PIL import Image
from test_gdocsimport import document
from test_importer import CHECKED_SITE_YAML, errors, run_import

from generator.cli import main
from generator.commands.pull import ENDPOINT_VARIABLE, PullOptions, document_id, pull_documents
from tests.conftest import parse, run_build, snapshot

DOC = "1AbCdEfGhIjKlMnOpQrStUvWxYz"
OTHER = "1ZyXwVuTsRqPoNmLkJiHgFeDcBa"
TARGET = "content/who-keeps-the-truce.md"
OTHER_TARGET = "content/who-pays-for-the-truce.md"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), "red").save(out, "PNG")
    return out.getvalue()


def truce(fake: FakeGoogle, picture: str | None = None, text: str | None = None) -> dict:
    """The Docs JSON of test_gdocsimport, its picture's link on the fake, its text edited."""
    raw = document(picture=picture).decode()
    doc = json.loads(raw.replace("Coloured", text) if text else raw)
    doc["inlineObjects"]["kix.img"]["inlineObjectProperties"]["embeddedObject"]["imageProperties"][
        "contentUri"] = f"{fake.url}/images/map.png"
    return doc


def other() -> dict:
    header = ["title: Who pays for the truce?", "date: 2017-01-23", "authors: ann", "topics: Syria", ":ignore"]
    return json.loads(document(header=header).decode()) | {"documentId": OTHER}


@pytest.fixture
def fake(tmp_path, monkeypatch):
    fake = FakeGoogle()
    server = serve(fake)
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key_file(tmp_path, fake)))
    monkeypatch.setenv(ENDPOINT_VARIABLE, fake.url)
    fake.pictures["map.png"] = png()
    fake.put(truce(fake, picture="A map of the front lines"))
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def site(make_site):
    return make_site({}, CHECKED_SITE_YAML)


def pull(site, fake, *documents, **options):
    return pull_documents(PullOptions(site, tuple(documents), endpoint=fake.url, **options))


def test_pull_by_link_fetches_the_doc_and_its_picture_and_the_site_builds(site, fake):
    result = pull(site, fake, f"https://docs.google.com/document/d/{DOC}/edit?tab=t.0")
    assert result.ok, result.diagnostics
    assert [(i.target.relative_to(site).as_posix(), i.status) for i in result.imported] == [(TARGET, "created")]
    text = (site / TARGET).read_text(encoding="utf-8")
    assert "![A map of the front lines](images/who-keeps-the-truce-1.png)" in text
    assert f"source:\n  path: {DOC}\n  revision: ALm37BVrev42\n  version: '1'\n" in text
    assert (site / "content/images/who-keeps-the-truce-1.png").read_bytes() == fake.pictures["map.png"]
    # The key file's account gets a token, then one Drive batch, then the document and its picture.
    assert fake.seen == ["POST /token", "POST /batch/drive/v3", f"BATCH files.get {DOC}", f"GET /v1/documents/{DOC}",
                         "GET /images/map.png"]
    assert run_build(site).ok
    image = parse(site / "output/who-keeps-the-truce/index.html").select_one("main img[alt='A map of the front lines']")
    assert image is not None


def test_pull_again_fetches_only_the_changed_doc_and_changes_only_its_explainer(site, fake):
    fake.put(other())
    assert pull(site, fake, DOC, OTHER).ok
    before = snapshot(site / "content")
    fake.put(truce(fake, picture="A map of the front lines", text="Recoloured"))
    fake.seen.clear()
    result = pull(site, fake)
    assert result.ok, result.diagnostics
    assert sorted((i.document, i.status) for i in result.imported) == [(DOC, "updated"), (OTHER, "unchanged")]
    assert [s for s in fake.seen if "BATCH" in s or "documents" in s] == [
        f"BATCH files.get {DOC}", f"BATCH files.get {OTHER}", f"GET /v1/documents/{DOC}"]
    after = snapshot(site / "content")
    assert [name for name in after if after[name] != before.get(name)] == ["who-keeps-the-truce.md"]
    assert "Recoloured words." in (site / TARGET).read_text(encoding="utf-8")
    fake.seen.clear()
    assert [i.status for i in pull(site, fake).imported] == ["unchanged", "unchanged"]
    assert fake.fetched() == []  # nothing changed: one Drive request, no document fetched


def test_a_doc_imported_from_its_json_is_pulled_again_and_keeps_its_file_when_retitled(site, fake):
    (site / "content/sources").mkdir()
    (site / "content/sources/truce.json").write_bytes(document())  # saved by hand, without the picture
    assert run_import(site, "content/sources/truce.json").ok
    before = snapshot(site / "content")
    edited = truce(fake, text="Recoloured")
    edited["body"]["content"][1]["paragraph"]["elements"][0]["textRun"]["content"] = "title: Who keeps it?\n"
    fake.put(edited)
    assert [(i.document, i.status) for i in pull(site, fake).imported] == [(DOC, "updated")]
    after = snapshot(site / "content")
    assert [name for name in after if after[name] != before.get(name)] == ["who-keeps-the-truce.md"]
    text = (site / TARGET).read_text(encoding="utf-8")
    assert "title: Who keeps it?\n" in text and "Recoloured words." in text and "  version: '2'\n" in text


def test_a_hand_edit_is_refused_until_force(site, fake):
    assert pull(site, fake, DOC).ok
    edited = (site / TARGET).read_text(encoding="utf-8").replace("Coloured words.", "Coloured words, edited.")
    (site / TARGET).write_text(edited, encoding="utf-8")
    fake.put(truce(fake, picture="A map of the front lines", text="Recoloured"))
    before = snapshot(site / "content")
    refused = pull(site, fake)
    assert errors(refused) == ["0: this file was edited by hand since it was imported; importing would lose the edits"]
    [hint] = [d.hint for d in refused.diagnostics if d.severity == "error"]
    assert "pull with --force" in hint and "copy them into the document" in hint
    assert snapshot(site / "content") == before
    assert [i.status for i in pull(site, fake, force=True).imported] == ["updated"]
    assert "Recoloured words." in (site / TARGET).read_text(encoding="utf-8")


@pytest.mark.parametrize(("status", "expected"), [
    (403, f"{DOC}: error: Google refused access to the document (403)"),
    (404, f"{DOC}: error: no Google Doc with this id can be seen (404)"),
])
def test_refusals_are_errors_naming_the_doc_with_nothing_written(site, fake, capsys, status, expected):
    fake.refused[DOC] = status
    before = snapshot(site)
    assert main(["pull", DOC, "--source", str(site)]) == 1
    err = capsys.readouterr().err
    assert expected in err and f"share it with {ACCOUNT}" in err and "Traceback" not in err
    assert snapshot(site) == before


def test_missing_credentials_are_an_error_not_a_traceback(site, fake, capsys, monkeypatch, tmp_path):
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS")
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(tmp_path / "no-gcloud"))  # no gcloud login either
    monkeypatch.setenv("NO_GCE_CHECK", "True")  # nor a Compute Engine metadata server
    before = snapshot(site)
    assert main(["pull", DOC, "--source", str(site)]) == 1
    err = capsys.readouterr().err
    assert "nutgraf pull: error: no Google credentials: Your default credentials were not found\n" in err
    assert "GOOGLE_APPLICATION_CREDENTIALS" in err
    assert "Traceback" not in err and fake.seen == [] and snapshot(site) == before


def test_missing_libraries_say_what_to_install(site, fake, monkeypatch):
    monkeypatch.setitem(sys.modules, "googleapiclient.discovery", None)
    [problem] = pull(site, fake, DOC).diagnostics
    assert "needs Google's client libraries" in problem.message and "nutgraf[google]" in problem.hint


def test_a_picture_that_cannot_be_fetched_names_its_paragraph(site, fake):
    del fake.pictures["map.png"]
    assert errors(pull(site, fake, DOC)) == ["19: the image cannot be fetched: the picture's link answered 404 "
                                             "(paragraph 19)"]
    assert not (site / TARGET).exists()


def test_a_file_that_is_not_a_doc_is_refused(site, fake):
    fake.types[DOC] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    [problem] = pull(site, fake, DOC).diagnostics
    assert "is not a Google Docs document" in problem.message and "nutgraf import FILE.docx" in problem.hint
    assert fake.fetched() == []


def test_document_ids_and_links():
    assert document_id(f"https://docs.google.com/document/u/1/d/{DOC}/edit#heading=h.1") == DOC
    assert document_id(DOC) == DOC
    assert document_id("drafts/truce.aml") is None


def test_pull_as_json(site, fake, capsys):
    assert main(["pull", DOC, "--source", str(site), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and report["command"] == "pull" and report["counts"]["created"] == 1
    assert report["files"][0]["images"] == [str(site / "content/images/who-keeps-the-truce-1.png")]


def test_the_command_line_loads_no_google_library():
    import subprocess

    code = "import sys, generator.cli; print(sorted(m for m in sys.modules if m.startswith(('google', 'httplib2'))))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_a_site_inside_a_hidden_folder_is_pulled_again_too(site, fake, tmp_path):
    import shutil

    hidden = shutil.copytree(site, tmp_path / ".newsroom" / "site")
    assert pull(hidden, fake, DOC).ok
    fake.put(truce(fake, picture="A map of the front lines", text="Recoloured"))
    assert [i.status for i in pull(hidden, fake).imported] == ["updated"]
