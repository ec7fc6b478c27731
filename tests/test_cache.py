"""The build cache's records file: written in batches, read back whole, or not at all."""

from dataclasses import fields

import pytest

from generator import cache
from generator.cache import BuildState, DocumentRecord, load_state, parse_key, save_state
from generator.config import ImageSettings
from generator.images import ImageFacts, Picture


def record(n: int) -> DocumentRecord:
    return DocumentRecord(n, n * 10, f"digest-{n}", None, None, ())


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(cache, "RECORDS_BATCH", 2)


def test_records_and_good_records_come_back_as_saved(tmp_path, small_batches):
    documents = {f"e{n}.md": record(n) for n in range(5)}
    good = {"e0.md": documents["e0.md"], "e1.md": record(101), "e3.md": documents["e3.md"],
            "gone.md": record(99)}  # e1 is broken now (its last good record differs), e2 never was good
    save_state(tmp_path, BuildState(parse_key("settings"), documents, output="out", good=good))
    loaded = load_state(tmp_path)
    assert loaded.documents == documents and list(loaded.documents) == list(documents)
    assert loaded.good == good
    assert loaded.good["e0.md"] is loaded.documents["e0.md"]  # one object, as before saving
    assert loaded.good["e1.md"] is not loaded.documents["e1.md"]


def test_a_truncated_records_file_is_not_trusted(tmp_path, small_batches):
    documents = {f"e{n}.md": record(n) for n in range(5)}
    save_state(tmp_path, BuildState(parse_key("settings"), documents, output="out", good=dict(documents)))
    path = tmp_path / cache.RECORDS_FILE
    path.write_bytes(path.read_bytes()[:-40])
    loaded = load_state(tmp_path)
    assert loaded.documents == {} and loaded.good == {}


def test_the_cache_key_covers_the_image_values_records_hold():
    # A record keeps pictures, with their facts and settings: a cache made before a field was added to one of
    # them loaded objects without that field, and the next build failed with an AttributeError.
    for cls in (Picture, ImageFacts, ImageSettings):
        assert all(f"{f.name}:{f.type}" in cache._SHAPE for f in fields(cls)), cls
