"""Is a HEIF/AVIF file whole? libheif decodes a file cut short without a word: the tiles
whose bytes are missing come out flat green, and the photo would be imported damaged.

The file says where every item's bytes are (the ``iloc`` box in ``meta``, ISO/IEC 14496-12
§8.11.3); when one of them lies past the end of the file, the file was cut short. Only what
is certain is refused: a box whose size overshoots while every item's bytes are present is
accepted, as libheif accepts it. Corrupt bytes inside a file of the right length are the
HEVC decoder's to conceal and cannot be told from here.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

from catalog.ingest.damage import cut_short_reason


def heif_cut_short(data: bytes | bytearray) -> str | None:
    """Why the HEIF/AVIF in ``data`` is incomplete, or None when all its items are there."""
    meta = _child(data, 0, len(data), b"meta")
    if meta is None:
        return None  # libheif read the header, so this is a layout we do not second-guess
    iloc = _child(data, meta[0] + 4, meta[1], b"iloc")  # meta is a full box: skip version
    if iloc is None:
        return None
    try:
        end = max((stop for stop in _extent_ends(data, *iloc)), default=0)
    except (struct.error, IndexError):
        return None
    if end <= len(data):
        return None
    kind = "AVIF" if bytes(data[8:12]) in (b"avif", b"avis") else "HEIF/HEIC"
    declared = _declared_end(data, b"mdat")
    if declared is not None and declared >= end:  # the data box agrees: bytes are missing
        return f"damaged {kind}: {cut_short_reason(len(data), end)}"
    return (
        f"damaged {kind}: its item table points past the end of the file (an item ends at "
        f"byte {end:,}, the file at {len(data):,}): cut short, or a damaged table"
    )


def _declared_end(data: bytes | bytearray, kind: bytes) -> int | None:
    """Where the top-level box ``kind`` says it ends (past the file's end, when cut)."""
    pos = 0
    while pos + 8 <= len(data):
        size, found = struct.unpack_from(">I4s", data, pos)
        if size == 1 and pos + 16 <= len(data):
            size = struct.unpack_from(">Q", data, pos + 8)[0]
        elif size == 0:
            size = len(data) - pos
        if size < 8:
            return None
        if found == kind:
            return pos + size
        pos += size
    return None


def _boxes(data: bytes | bytearray, start: int, stop: int) -> Iterator[tuple[bytes, int, int]]:
    """(type, payload start, payload end) of the boxes between ``start`` and ``stop``."""
    pos = start
    while pos + 8 <= stop:
        size, kind = struct.unpack_from(">I4s", data, pos)
        header = 8
        if size == 1 and pos + 16 <= stop:
            size, header = struct.unpack_from(">Q", data, pos + 8)[0], 16
        elif size == 0:
            size = stop - pos
        if size < header:
            return
        yield kind, pos + header, min(pos + size, stop)
        pos += size


def _child(data: bytes | bytearray, start: int, stop: int, kind: bytes) -> tuple[int, int] | None:
    return next(((a, b) for k, a, b in _boxes(data, start, stop) if k == kind), None)


def _extent_ends(data: bytes | bytearray, start: int, stop: int) -> Iterator[int]:
    """Where each file-offset extent of the ``iloc`` payload ends."""
    version = data[start]
    pos = start + 4
    sizes = int.from_bytes(data[pos : pos + 2], "big")
    offset_size, length_size = sizes >> 12, (sizes >> 8) & 0xF
    base_size, index_size = (sizes >> 4) & 0xF, sizes & 0xF if version in (1, 2) else 0
    pos += 2
    count_size = 4 if version == 2 else 2
    count = int.from_bytes(data[pos : pos + count_size], "big")
    pos += count_size

    def read(size: int) -> int:
        nonlocal pos
        if pos + size > stop:
            raise IndexError("iloc runs past its box")
        value = int.from_bytes(data[pos : pos + size], "big")
        pos += size
        return value

    for _ in range(count):
        read(count_size)  # item id
        method = read(2) & 0xF if version in (1, 2) else 0
        read(2)  # data reference index
        base = read(base_size)
        for _ in range(read(2)):
            read(index_size)
            offset, length = read(offset_size), read(length_size)
            if method == 0 and length:
                yield base + offset + length
