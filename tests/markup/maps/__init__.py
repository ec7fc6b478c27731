"""Tests of locator maps: geodata, drawing and labels (generator/markup/maps/)."""
