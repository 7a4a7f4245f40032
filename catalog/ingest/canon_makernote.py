"""Put back a Canon MakerNote that an editor moved without fixing its offsets.

A Canon MakerNote is a bare TIFF directory whose values are found by offsets from the start
of the EXIF block. Editors that rewrite EXIF (and move the MakerNote) often copy it as an
opaque blob, so every offset then points beside its value: exiv2 reads zeros or garbage (no
lens, no ISO), while exiftool shifts the base ("Adjusted MakerNotes base by -54"). This does
what exiftool does, on a copy of the JPEG's metadata segments handed to exiv2 (never the
file): the Canon footer ("II*\\0" + the original offset) says how far it moved; without one,
the values must start right after the directory, as Canon writes them. A shift is applied
only when every value then lies inside the MakerNote; otherwise the bytes stay as they were.
An editor that rewrote EXIF big-endian around the camera's little-endian MakerNote (exiftool
reads each in its own order; exiv2 reads the MakerNote in the EXIF's) gets it turned round.
"""

from __future__ import annotations

import struct

MAKERNOTE = 0x927C
EXIF_IFD = 0x8769
MAKE = 0x010F
_TYPE_SIZE = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}
_GAPS = (0, 4, 6, 16)  # value block after the directory: exiftool's accepted Canon gaps


def repair(jpeg_head: bytes | bytearray) -> bytes | bytearray:
    """``jpeg_head`` (a JPEG's segments before its scan) with a moved Canon MakerNote's
    offsets shifted back; unchanged for any other file or a MakerNote already in place."""
    found = _exif_block(jpeg_head)
    if found is None:
        return jpeg_head
    start, end = found
    if b"Canon" not in jpeg_head[start : start + 4096]:  # IFD0's Make: most photos stop here
        return jpeg_head
    try:
        patched = _repair_tiff(bytes(jpeg_head[start:end]))
    except (struct.error, IndexError, ValueError):
        return jpeg_head
    if patched is None:
        return jpeg_head
    return bytes(jpeg_head[:start]) + patched + bytes(jpeg_head[end:])


def _exif_block(data: bytes | bytearray) -> tuple[int, int] | None:
    """Where the TIFF block of the APP1 ``Exif`` segment starts and ends."""
    if data[:2] != b"\xff\xd8":
        return None
    position = 2
    while position + 4 <= len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        if marker == 0xE1 and data[position + 4 : position + 10] == b"Exif\x00\x00":
            return position + 10, min(position + 2 + length, len(data))
        if marker == 0xDA:
            return None
        position += 2 + length
    return None


class _Tiff:
    def __init__(self, data: bytes, order: str | None = None) -> None:
        self.data = data
        self.order = order or {b"II": "<", b"MM": ">"}[data[:2]]

    @property
    def mark(self) -> bytes:
        return b"II" if self.order == "<" else b"MM"

    def swapped(self) -> _Tiff:
        """The same bytes read in the other byte order."""
        return _Tiff(self.data, ">" if self.order == "<" else "<")

    def u16(self, at: int) -> int:
        return int(struct.unpack_from(self.order + "H", self.data, at)[0])

    def u32(self, at: int) -> int:
        return int(struct.unpack_from(self.order + "I", self.data, at)[0])

    def entries(self, ifd: int) -> list[tuple[int, int, int, int, int]]:
        """(tag, type, count, value field position, byte size) of each entry of ``ifd``."""
        head = struct.Struct(self.order + "HHI")
        rows = []
        for index in range(self.u16(ifd)):
            at = ifd + 2 + 12 * index
            tag, kind, count = head.unpack_from(self.data, at)
            rows.append((tag, kind, count, at + 8, _TYPE_SIZE.get(kind, 0) * count))
        return rows

    def value(self, field: int, size: int) -> bytes:
        at = field if size <= 4 else self.u32(field)
        return self.data[at : at + size]


def _repair_tiff(data: bytes) -> bytes | None:
    tiff = _Tiff(data)
    ifd0 = tiff.entries(tiff.u32(4))
    make = next((tiff.value(f, s) for tag, _, _, f, s in ifd0 if tag == MAKE), b"")
    exif = next((tiff.u32(f) for tag, _, _, f, _ in ifd0 if tag == EXIF_IFD), None)
    if not make.startswith(b"Canon") or exif is None:
        return None
    note = next(((f, c) for tag, _, c, f, _ in tiff.entries(exif) if tag == MAKERNOTE), None)
    if note is None:
        return None
    start, length = tiff.u32(note[0]), note[1]
    if note[1] <= 4 or start + length > len(data):
        return None
    note_order = tiff
    if not _is_directory(tiff, start, length):
        # the camera's byte order kept inside EXIF an editor rewrote in the other one;
        # exiv2 reads a Canon MakerNote in the EXIF's order, so it is turned round too
        note_order = tiff.swapped()
        if not _is_directory(note_order, start, length):
            return None
    values = [(f, s) for _, _, _, f, s in note_order.entries(start) if s > 4]
    if not values:
        return None
    shift = _shift(note_order, start, length, values)
    if note_order is not tiff:
        return _turned(note_order, tiff.order, start, shift)
    if not shift:
        return None
    patched = bytearray(data)
    for field, _size in values:
        struct.pack_into(tiff.order + "I", patched, field, tiff.u32(field) + shift)
    return bytes(patched)


def _is_directory(tiff: _Tiff, start: int, length: int) -> bool:
    count = tiff.u16(start)
    return 0 < count < 256 and start + 2 + 12 * count <= start + length


_UNIT = {3: 2, 8: 2, 4: 4, 9: 4, 11: 4, 13: 4, 5: 4, 10: 4, 12: 8}  # bytes swapped as one


def _turned(note: _Tiff, order: str, start: int, shift: int) -> bytes:
    """The MakerNote at ``start`` rewritten in ``order``, its offsets moved by ``shift``:
    entries, offsets and every multi-byte value."""
    patched = bytearray(note.data)
    for index, (tag, kind, count, field, size) in enumerate(note.entries(start)):
        at = start + 2 + 12 * index
        struct.pack_into(order + "HHI", patched, at, tag, kind, count)
        unit = _UNIT.get(kind, 1)
        if size > 4:
            pointer = note.u32(field) + shift
            struct.pack_into(order + "I", patched, field, pointer)
            _swap(patched, pointer, size, unit)
        else:
            _swap(patched, field, size, unit)
    struct.pack_into(order + "H", patched, start, len(note.entries(start)))
    return bytes(patched)


def _swap(data: bytearray, at: int, size: int, unit: int) -> None:
    if unit == 1 or at < 0 or at + size > len(data):
        return
    for position in range(at, at + size - size % unit, unit):
        data[position : position + unit] = data[position : position + unit][::-1]


def _shift(tiff: _Tiff, start: int, length: int, values: list[tuple[int, int]]) -> int:
    """How far the values moved (0: they are in place, or no shift puts them all inside)."""
    pointers = [(tiff.u32(field), size) for field, size in values]
    directory_end = start + 2 + 12 * tiff.u16(start)
    footer = tiff.data[start + length - 8 : start + length]
    if length > 8 and footer[:4] in (b"II*\x00", b"MM\x00*") and footer[:2] == tiff.mark:
        shift = start - tiff.u32(start + length - 4)
        last_end = max(p + s for p, s in pointers)
        if start + length - 8 - last_end in (0, 1):  # an editor fixed offsets, not the footer
            return 0
    else:
        first = min(p for p, _ in pointers if p >= 12) if any(p >= 12 for p, _ in pointers) else 0
        gap = first - directory_end
        if gap in _GAPS:
            return 0
        shift = 4 - gap
    inside = all(start <= p + shift and p + shift + s <= start + length for p, s in pointers)
    return shift if inside else 0
