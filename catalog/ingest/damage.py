"""Why a file that looks like a photo cannot be read, in words the owner can act on.

Pillow says "cannot identify image file" for a JPEG whose header is broken, a BigTIFF, or a
frame 0 pixels high alike; libjpeg says "premature end" both for a file that lacks only its
final EOI marker (every pixel is there: we accept it) and for one whose pixels stop half-way
(we refuse it, and say about how much is missing).
"""

from __future__ import annotations

import numpy as np
import pillow_heif
import simplejpeg

EOI = b"\xff\xd9"
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
HEADER_LOOKS_FINE = "its frame header cannot be read"  # the markers are sound: Pillow knows why
_STANDALONE = {0x01, *range(0xD0, 0xD8)}  # markers without a length: TEM, RST0-7


def unreadable_reason(data: bytes | bytearray) -> str:
    """The reason for a file Pillow could not identify, from its first bytes."""
    head = bytes(data[:16])
    if head.startswith(b"\xff\xd8"):
        return f"damaged JPEG: {jpeg_header_problem(data)}"
    if head[:4] in (b"II\x2b\x00", b"MM\x00\x2b"):
        return "BigTIFF is not supported (save it as a standard TIFF or a JPEG)"
    if head[:4] in (b"II\x2a\x00", b"MM\x00\x2a"):
        return "damaged TIFF: its directory of images cannot be read"
    if head.startswith(b"\x89PNG"):
        return "damaged PNG: its header cannot be read"
    if head[4:8] == b"ftyp":
        kind = _heif_kind(head)  # libheif has no word on an AVIF: Pillow's plugin reads those
        return f"damaged {kind}: {_heif_header_problem(data, said=kind != 'AVIF')}"
    if is_jxl(head):
        return JXL_DAMAGED
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "damaged WebP: its header cannot be read"
    return "not an image (unrecognised file format)"


def heif_open_problem(data: bytes | bytearray, exc: Exception) -> str:
    """The reason for a HEIF or AVIF whose decoder refused its header (Pillow's AVIF plugin
    raises instead of saying "cannot identify")."""
    kind = _heif_kind(bytes(data[:16]))
    problem = _heif_header_problem(data, said=False)
    decoder = "libavif" if kind == "AVIF" else "libheif"
    if problem == HEADER_UNREADABLE:
        return f"damaged {kind}: {problem} ({decoder}: {' '.join(str(exc).split())})"
    return f"damaged {kind}: {problem}"


def _heif_kind(head: bytes) -> str:
    brand = head[8:12]
    if brand in (b"avif", b"avis"):
        return "AVIF"
    return "HEIF/HEIC"


HEADER_UNREADABLE = "its header cannot be read"
JXL_SIGNATURES = (b"\xff\x0a", b"\x00\x00\x00\x0cJXL \r\n\x87\n")  # codestream, container
# pillow-jxl-plugin says only "Generic Error. Please build libjxl from source...": no use to
# the owner, so the reason is ours
JXL_DAMAGED = "damaged JPEG XL: libjxl cannot decode it (the file is cut short or corrupt)"


def is_jxl(data: bytes | bytearray) -> bool:
    return bytes(data[:12]).startswith(JXL_SIGNATURES)


def _heif_header_problem(data: bytes | bytearray, *, said: bool = True) -> str:
    """A HEIF's top-level boxes (ftyp, meta, mdat): one that runs past the end of the file
    means the file was cut short; else libheif's own reason."""
    position, size, kinds = 0, len(data), set()
    while position + 8 <= size:
        length = int.from_bytes(data[position : position + 4], "big")
        kind = bytes(data[position + 4 : position + 8])
        kinds.add(kind)
        if length == 1 and position + 16 <= size:
            length = int.from_bytes(data[position + 8 : position + 16], "big")
        if length == 0:
            break
        if length < 8 or not all(0x20 <= c < 0x7F for c in kind):
            return f"its box structure is broken at byte {position:,}"
        if position + length > size:
            if kind == b"mdat":  # the data box comes last: its end is the file's
                return cut_short_reason(size, position + length)
            return (f"its {kind.decode()!r} box runs past the end of the file (byte {size:,}): "
                    "the file is cut short or the box is damaged")  # fmt: skip
        position += length
    if position + 8 > size and position != size:
        return f"the file is cut short inside a box header (it stops at byte {size:,})"
    if b"meta" not in kinds:
        return f"it has no item table (meta box): the file is cut short at byte {size:,}"
    return f"{HEADER_UNREADABLE}{_libheif_says(data)}" if said else HEADER_UNREADABLE


def _libheif_says(data: bytes | bytearray) -> str:
    """libheif's own words on the file (Pillow's "cannot identify" hides them)."""
    try:
        pillow_heif.open_heif(bytes(data))
    except Exception as exc:  # noqa: BLE001 - ValueError, RuntimeError, SyntaxError alike
        said = " ".join(str(exc).split())  # some of its messages span lines
        return f" (libheif: {said})" if said else ""
    return ""


def cut_short_reason(size: int, expected: int) -> str:
    """The reason for a file of ``size`` bytes that says it has ``expected``."""
    missing = (expected - size) / max(expected, 1)
    share = f"{missing:.0%}" if missing >= 0.01 else "less than 1%"
    return (
        f"the file is cut short (it stops at byte {size:,} of {expected:,}; "
        f"{share} of it is missing)"
    )


def jpeg_header_problem(data: bytes | bytearray) -> str:
    """What is wrong in a JPEG's markers before the picture data, in a few words."""
    position, size = 2, len(data)
    while position < size:
        if data[position] != 0xFF:
            return f"garbage instead of a marker at byte {position:,}"
        marker = data[position + 1] if position + 1 < size else None
        if marker is None:
            break
        if marker == 0xFF:
            position += 1
            continue
        if marker in _STANDALONE:
            position += 2
            continue
        if marker == 0xDA:
            return "the picture data comes before any frame header (SOF)"
        if marker == 0xD9:
            return "the file ends before any picture data"
        if position + 4 > size:
            break
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        if length < 2 or position + 2 + length > size:
            return f"the file ends inside its header (at byte {size:,})"
        if marker in _SOF:
            if length < 8:
                return "its frame header (SOF) is too short"
            height = int.from_bytes(data[position + 5 : position + 7], "big")
            width = int.from_bytes(data[position + 7 : position + 9], "big")
            if height == 0 or width == 0:
                return f"its frame header says {width}x{height} pixels"
            return HEADER_LOOKS_FINE
        position += 2 + length
    return f"the file ends inside its header (at byte {size:,})"


def decode_without_eoi(data: bytes | bytearray, min_size: tuple[int, int]) -> np.ndarray | None:
    """A JPEG's pixels when only its EOI marker (and maybe padding) is missing: the same
    strict decode with EOI put back. None when that is not the problem."""
    if bytes(data[-2:]) == EOI:
        return None
    try:
        return simplejpeg.decode_jpeg(
            bytes(data) + EOI, min_width=min_size[0], min_height=min_size[1], strict=True
        )
    except ValueError:
        return None


def missing_share(data: bytes | bytearray) -> float | None:
    """About how much of a truncated JPEG's picture is missing (0-1), None when unknown.

    libjpeg fills what it never received by repeating the last block's colour, so the
    missing part is the run of identical blocks at the end (at 1/8 scale, one pixel a
    block). A picture that really ends in flat colour makes this an over-estimate."""
    try:
        blocks = simplejpeg.decode_jpeg(bytes(data), min_width=1, min_height=1, strict=False)
    except ValueError:
        return None
    flat = blocks.reshape(-1, blocks.shape[-1])
    same = np.all(flat == flat[-1], axis=1)
    run = len(same) - int(np.flatnonzero(~same)[-1]) - 1 if not same.all() else len(same)
    return run / len(same)
