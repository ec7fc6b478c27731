"""Frozen dataclasses that pickle fast: a build pickles hundreds of thousands of them (parsed records sent back
by the parse workers and kept in the cache, page index rows)."""

from __future__ import annotations

import dataclasses
import operator
from typing import TypeVar

T = TypeVar("T", bound=type)


def pickles_by_slots(cls: T) -> T:
    """Give a frozen dataclass with slots a __getstate__ and __setstate__ that read and write its slots
    directly. Those that dataclasses adds call fields() for every object pickled or unpickled: profiled, a
    third of the time of pickling a record. The state is the same list of field values, so pickles made
    either way load either way."""
    names = tuple(f.name for f in dataclasses.fields(cls))
    slots = tuple(getattr(cls, name) for name in names)  # member descriptors: __set__ bypasses frozen
    values = operator.attrgetter(*names)
    single = len(names) == 1

    def __getstate__(self):  # noqa: N807 - the pickle protocol's name
        return [values(self)] if single else list(values(self))

    def __setstate__(self, state) -> None:  # noqa: N807
        for slot, value in zip(slots, state, strict=True):
            slot.__set__(self, value)

    cls.__getstate__ = __getstate__
    cls.__setstate__ = __setstate__
    return cls
