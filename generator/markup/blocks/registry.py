"""The block families by name: what `:::name` may be."""

from __future__ import annotations

from collections.abc import Iterable
from types import MappingProxyType

from . import callouts, charts, embeds, figures, keypoints, maps, people, quotes, references, timeline

BLOCK_TYPES = MappingProxyType({kind.name: kind for family in (keypoints, timeline, people, quotes, callouts,
                                                                figures, references, charts, maps, embeds)
                                for kind in family.BLOCKS})

BLOCK_FOLDER = "blocks/"  # the theme's folder of block templates


def block_templates(names: Iterable[str]) -> tuple[str, ...]:
    """The templates that render blocks of these names."""
    return tuple(sorted(f"{BLOCK_FOLDER}{name}.html" for name in set(names)))
