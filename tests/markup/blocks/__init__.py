"""Tests of the storytelling blocks, one module per block module (generator/markup/blocks/)."""
