"""Geodata: places and countries found by any spelling."""

from generator.markup.maps.data import geodata


def test_place_names_are_found_in_any_case_without_accents_and_by_old_name():
    data = geodata()
    assert data.places["sao paulo"].name == "São Paulo"
    assert data.places["nur-sultan"].name == "Astana" and data.places["astana"].country == "KZ"
    assert data.countries["kz"].name == "Kazakhstan" and data.countries["turkiye"].code == "TR"
