"""Card JPEGs in pieces: each card is encoded with a restart marker after every 400 pixels of a row of blocks, so that
the pieces a card shares with its layer (all but the headline's) are copied from the layer's own encoding and only the
headline's pieces are encoded for each card. The result is byte for byte the whole card's encoding: a piece's data
depends on its pixels alone, since a restart resets the one thing carried from piece to piece (the DC prediction)
and the Huffman tables are the standard ones."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from itertools import chain, cycle

from PIL import Image

BLOCK_ROW = 16  # pixel rows per row of blocks, with colour at half resolution (4:2:0)
PIECE = 400  # pixels (25 blocks of 16) between restart markers: 3 to a card's row, some 300 bytes of markers
_RESTART = re.compile(rb"\xff[\xd0-\xd7]")  # never inside the data: an 0xff there is followed by 0x00
_MARKERS = tuple(bytes((0xFF, n)) for n in range(0xD0, 0xD8))
_SOS, _EOI = 0xDA, b"\xff\xd9"


def jpeg(image: Image.Image, quality: int) -> bytes:
    """The image as a JPEG with colour at half resolution and a restart marker after every PIECE of a row of
    blocks (and after each row)."""
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, subsampling="4:2:0", restart_marker_blocks=PIECE // BLOCK_ROW)
    return out.getvalue()


@dataclass(frozen=True, slots=True)
class Pieces:
    """A JPEG cut at its restart markers."""

    head: bytes  # the markers and tables up to the scan's data (with the image's size)
    pieces: tuple[bytes, ...]  # each piece's data, row by row, without the marker after it

    def joined(self) -> bytes:
        """The JPEG again, its restart markers numbered 0 to 7 in turn."""
        marked = chain.from_iterable(zip(self.pieces[:-1], cycle(_MARKERS)))
        return b"".join((self.head, *marked, self.pieces[-1], _EOI))


def pieces(data: bytes) -> Pieces:
    """A JPEG written by jpeg(), cut into its pieces."""
    at = 2  # after the start of image: segments, each a marker and its length, up to the start of scan
    while True:
        marker, length = data[at + 1], int.from_bytes(data[at + 2: at + 4], "big")
        at += 2 + length
        if marker == _SOS:
            break
    return Pieces(data[:at], tuple(_RESTART.split(data[at: data.rindex(_EOI)])))


def piece_count(size: tuple[int, int]) -> tuple[int, int]:
    """Pieces across and down an image of `size` encoded by jpeg()."""
    return -(-size[0] // PIECE), -(-size[1] // BLOCK_ROW)


def spliced(layer: Pieces, size: tuple[int, int], at: tuple[int, int], patch: Image.Image, quality: int) -> bytes:
    """The JPEG of the image `layer` encodes (of `size`) with `patch` in place at `at`: a corner of pieces (x a
    multiple of PIECE, y of BLOCK_ROW), the patch a whole number of pieces unless it reaches the image's edge."""
    across, _ = piece_count(size)
    new_across, new_down = piece_count(patch.size)
    new = pieces(jpeg(patch, quality)).pieces
    merged = list(layer.pieces)
    first = at[1] // BLOCK_ROW * across + at[0] // PIECE
    for row in range(new_down):
        start = first + row * across
        merged[start: start + new_across] = new[row * new_across: (row + 1) * new_across]
    return Pieces(layer.head, tuple(merged)).joined()
