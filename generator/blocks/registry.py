"""The block families by name: what `:::name` may be."""

from __future__ import annotations

from types import MappingProxyType

from . import callouts, figures, keypoints, people, quotes, references, timeline

BLOCK_TYPES = MappingProxyType({kind.name: kind for family in (keypoints, timeline, people, quotes, callouts,
                                                                figures, references) for kind in family.BLOCKS})
