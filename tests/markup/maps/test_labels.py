"""Map labels: placed without overlapping, inside the map."""

import itertools

from generator.markup.maps.labels import Wanted, _box, place_labels, text_width


def test_placed_labels_never_overlap_and_stay_inside():
    wanted = [Wanted(f"Place {n}", 300 + (n % 3) * 4, 200 + (n // 3) * 4, True, 17) for n in range(12)]
    placed = place_labels(wanted, [(0, 0, 120, 120)], (0, 0, 600, 400), rtl=False)
    assert 1 <= len(placed) < len(wanted)  # crowded: some fit, the rest are dropped rather than overprinted
    boxes = [_box(p.x, p.y, text_width(p.text, p.size * 1.42), p.size, p.side) for p in placed]
    for a, b in itertools.combinations(boxes, 2):
        assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    assert all(b[0] >= 0 and b[1] >= 0 and b[2] <= 600 and b[3] <= 400 for b in boxes)
