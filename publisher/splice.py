"""A rendition from a thumbnail's own JPEG bytes: its EXIF swapped for the allow-listed one.

The catalog's thumbnails are already what a rendition is (upright, sRGB, at the size asked),
so decoding and encoding them again only costs time (~70 ms a photo for three sizes, most
of a publish's CPU) and a second generation of JPEG loss. Here the pixels are kept, byte for
byte: the header segments are rewritten, the picture data is copied. A thumbnail that is
not plainly that (another colour profile, an Orientation tag, an unusual coding, larger
than the size asked) is left to the decode path, which converts it.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

_SOI, _EOI = b"\xff\xd8", b"\xff\xd9"
# baseline and extended Huffman, one scan: what the import writes. A progressive file has
# several scans, between which other segments may hide, so it takes the decode path.
_SOF_PLAIN = {0xC0, 0xC1}
_SOS, _APP0, _APP1 = 0xDA, 0xE0, 0xE1
_ORIENTATION = 0x0112
_COLOR_SPACE = 0xA001  # EXIF ColorSpace: 1 is sRGB, 0xFFFF "uncalibrated" (Adobe RGB etc.)


@dataclass(frozen=True)
class Spliced:
    data: bytes
    width: int
    height: int


def splice_exif(jpeg: bytes, exif: bytes, box_px: int) -> Spliced | None:
    """``jpeg`` with ``exif`` (an APP1 payload, "Exif\\0\\0" first) as its only EXIF and none of
    its other application segments or comments but JFIF; None when it cannot stand as a
    sRGB, upright rendition of at most ``box_px`` as it is (then decode and convert it)."""
    if jpeg[:2] != _SOI or not jpeg.endswith(_EOI):  # cut short: let the decoder judge it
        return None
    if not exif.startswith(b"Exif\x00\x00") or len(exif) > 0xFFFD:
        return None
    header: list[bytes] = []
    jfif = b""
    size: tuple[int, int] | None = None
    i, n = 2, len(jpeg)
    while i + 4 <= n:
        if jpeg[i] != 0xFF:
            return None  # a malformed header
        marker = jpeg[i + 1]
        if marker == 0xFF:  # a fill byte
            i += 1
            continue
        end = i + 2 + int.from_bytes(jpeg[i + 2 : i + 4], "big")
        if end > n:
            return None
        segment = jpeg[i:end]
        payload = segment[4:]
        if marker == _SOS:
            if size is None:
                return None
            scan_end = _scan_end(jpeg, end)
            if scan_end is None:
                return None
            # nothing after the scan is kept: a comment or trailing bytes could say anything
            data = b"".join([_SOI, jfif, _app1(exif), *header, jpeg[i:scan_end], _EOI])
            return Spliced(data, *size)
        if marker == _APP0 and payload.startswith(b"JFIF\x00"):
            jfif = segment
        elif marker == _APP1 and payload.startswith(b"Exif\x00\x00"):
            if not _plain_exif(payload[6:]):
                return None
        elif 0xE0 <= marker <= 0xEF or marker == 0xFE:
            if marker in (0xE2, 0xEE):  # an ICC profile, or Adobe's colour transform: convert
                return None
            # anything else (XMP, IPTC, comments...) is dropped: only the allow-list leaves
        elif 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # a frame header
            size = _plain_frame(marker, payload, box_px)
            if size is None:
                return None
            header.append(segment)
        else:  # tables (DQT, DHT, DRI...): the picture needs them
            header.append(segment)
        i = end
    return None


def _scan_end(jpeg: bytes, start: int) -> int | None:
    """Where the one scan starting at ``start`` ends, at an EOI; None when another marker
    (a second scan, a comment, DNL) comes first. Inside the coded data 0xFF is followed only
    by a stuffed 0x00, a restart marker or fill bytes."""
    j = jpeg.find(b"\xff", start)
    while j != -1 and j + 1 < len(jpeg):
        following = jpeg[j + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
            j = jpeg.find(b"\xff", j + 1)
            continue
        return j if following == 0xD9 else None
    return None


def _app1(exif: bytes) -> bytes:
    return b"\xff\xe1" + (len(exif) + 2).to_bytes(2, "big") + exif


def _plain_frame(marker: int, payload: bytes, box_px: int) -> tuple[int, int] | None:
    """Width and height of an 8-bit YCbCr frame within ``box_px``, else None."""
    if marker not in _SOF_PLAIN or len(payload) < 6:
        return None
    precision, components = payload[0], payload[5]
    height = int.from_bytes(payload[1:3], "big")
    width = int.from_bytes(payload[3:5], "big")
    if precision != 8 or components != 3 or not width or not height:
        return None
    return (width, height) if max(width, height) <= box_px else None


def _plain_exif(tiff: bytes) -> bool:
    """The thumbnail's EXIF says nothing that changes how its pixels look: upright (no
    Orientation but 1) and not a colour space other than sRGB."""
    exif = Image.Exif()
    try:
        exif.load(tiff)
        colour = exif.get_ifd(0x8769).get(_COLOR_SPACE, 1)
    except (OSError, ValueError, SyntaxError, KeyError, TypeError):
        return False
    return exif.get(_ORIENTATION, 1) == 1 and colour == 1
