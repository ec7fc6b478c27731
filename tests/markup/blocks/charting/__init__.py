"""Tests of chart data, drawing and storage (generator/markup/blocks/charting/)."""
