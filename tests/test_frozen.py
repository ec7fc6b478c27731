"""Fast pickling of frozen dataclasses: what is pickled comes back equal, and old pickles still load."""

import dataclasses
import pickle

from conftest import explainer, run_build

from generator.engine.cache import load_state
from generator.frozen import pickles_by_slots


@pickles_by_slots
@dataclasses.dataclass(frozen=True, slots=True)
class Pair:
    left: object
    right: object = None


@pickles_by_slots
@dataclasses.dataclass(frozen=True, slots=True)
class Single:
    only: object


def test_objects_come_back_equal_and_stay_frozen():
    pair = Pair(Single((1, "two")), Pair("x"))
    again = pickle.loads(pickle.dumps(pair))
    assert again == pair and again is not pair
    try:
        again.left = 3
    except dataclasses.FrozenInstanceError:
        pass
    else:
        raise AssertionError("an unpickled object must stay frozen")


def test_a_pickle_made_with_the_dataclass_state_still_loads():
    # dataclasses' own __getstate__ gives the list of field values; a cache written that way must load
    state = [Single(1), "right"]
    restored = Pair.__new__(Pair)
    restored.__setstate__(state)
    assert restored == Pair(Single(1), "right")


def test_every_record_of_a_built_site_round_trips(make_site):
    root = make_site({"content/a.md": explainer("A", "Lede.\n\n## Why?\n\nBecause [this](/b/).\n",
                                                topics="[Syria]"),
                      "content/b.md": explainer("B", "## What?\n\n![chart](missing.png)\n")})
    run_build(root)
    state = load_state(root / ".nutgraf-cache")
    assert len(state.documents) == 2
    for record in state.documents.values():
        assert pickle.loads(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)) == record
