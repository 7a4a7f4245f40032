"""Real DNG files built byte by byte for the RAW tests: a Bayer mosaic (CFA) with the DNG
tags LibRaw needs, EXIF in its own IFD, and optionally an embedded JPEG preview.

No PyPI or Debian package ships freely licensed camera RAW samples small enough for the
suite, so the tests write their own. They are real DNGs (LibRaw demosaics them and exiv2
reads their EXIF the way it reads a camera's); what they cannot stand for is a maker's own
container (NEF, CR3, ...): docs/formats.md says which makers were tested how.
"""

from __future__ import annotations

import io
import struct
from pathlib import Path

import numpy as np
from PIL import Image

# XYZ (D65) -> linear sRGB: as ColorMatrix1 it makes the "camera" see linear sRGB, so a
# colour-correct decode gives back the colours the test painted.
_XYZ_TO_SRGB = (
    (3.2406, -1.5372, -0.4986),
    (-0.9689, 1.8758, 0.0415),
    (0.0557, -0.2040, 1.0570),
)
_BYTE, _ASCII, _SHORT, _LONG, _RATIONAL, _SRATIONAL = 1, 2, 3, 4, 5, 10
_SIZES = {_BYTE: 1, _ASCII: 1, _SHORT: 2, _LONG: 4, _RATIONAL: 8, _SRATIONAL: 8}


def painted(width: int, height: int) -> np.ndarray:
    """An sRGB picture that shows which way is up: red top half, blue bottom half, with a
    green square in the top-left corner."""
    rgb = np.zeros((height, width, 3), dtype=np.uint8)
    rgb[: height // 2] = (200, 30, 30)
    rgb[height // 2 :] = (30, 40, 200)
    side = min(width, height) // 4
    rgb[:side, :side] = (30, 190, 40)
    return rgb


def write_dng(
    path: Path,
    rgb: np.ndarray,
    *,
    orientation: int = 1,
    make: str = "Testmaker",
    model: str = "Testcam 1",
    preview_px: int | None = None,
    date: str = "2024:05:17 10:11:12",
) -> Path:
    """A DNG whose mosaic, once demosaiced, is ``rgb`` (sRGB, stored orientation); with
    ``preview_px``, an embedded JPEG preview of that long side (as cameras embed)."""
    height, width = rgb.shape[:2]
    mosaic = _bayer(rgb)
    out = bytearray(b"II*\x00\x00\x00\x00\x00")
    raw_offset = _append(out, mosaic.astype("<u2").tobytes())
    exif_ifd = [
        (0x829A, _RATIONAL, [(1, 250)]),  # ExposureTime
        (0x829D, _RATIONAL, [(28, 10)]),  # FNumber
        (0x8827, _SHORT, [400]),  # ISO
        (0x9003, _ASCII, date),  # DateTimeOriginal
        (0x920A, _RATIONAL, [(50, 1)]),  # FocalLength
    ]
    exif_offset = _append_ifd(out, exif_ifd)
    sub_ifds: list[int] = []
    if preview_px is not None:
        jpeg = _preview_jpeg(rgb, preview_px)
        with Image.open(io.BytesIO(jpeg)) as img:
            pw, ph = img.size
        jpeg_offset = _append(out, jpeg)
        preview = [
            (0x00FE, _LONG, [1]),  # NewSubFileType: reduced-resolution image
            (0x0100, _LONG, [pw]),
            (0x0101, _LONG, [ph]),
            (0x0102, _SHORT, [8, 8, 8]),
            (0x0103, _SHORT, [7]),  # JPEG
            (0x0106, _SHORT, [6]),  # YCbCr
            (0x0111, _LONG, [jpeg_offset]),
            (0x0115, _SHORT, [3]),
            (0x0116, _LONG, [ph]),
            (0x0117, _LONG, [len(jpeg)]),
        ]
        sub_ifds.append(_append_ifd(out, preview))
    matrix = [(round(v * 10000), 10000) for row in _XYZ_TO_SRGB for v in row]
    ifd0 = [
        (0x00FE, _LONG, [0]),  # NewSubFileType: the main image
        (0x0100, _LONG, [width]),
        (0x0101, _LONG, [height]),
        (0x0102, _SHORT, [16]),
        (0x0103, _SHORT, [1]),  # uncompressed
        (0x0106, _SHORT, [32803]),  # CFA
        (0x010F, _ASCII, make),
        (0x0110, _ASCII, model),
        (0x0111, _LONG, [raw_offset]),
        (0x0112, _SHORT, [orientation]),
        (0x0115, _SHORT, [1]),
        (0x0116, _LONG, [height]),
        (0x0117, _LONG, [mosaic.size * 2]),
        (0x011C, _SHORT, [1]),
        (0x8769, _LONG, [exif_offset]),
        (0x828D, _SHORT, [2, 2]),  # CFARepeatPatternDim
        (0x828E, _BYTE, [0, 1, 1, 2]),  # CFAPattern: RGGB
        (0xC612, _BYTE, [1, 4, 0, 0]),  # DNGVersion
        (0xC613, _BYTE, [1, 1, 0, 0]),  # DNGBackwardVersion
        (0xC614, _ASCII, f"{make} {model}"),  # UniqueCameraModel
        (0xC61A, _SHORT, [0]),  # BlackLevel
        (0xC61D, _LONG, [65535]),  # WhiteLevel
        (0xC621, _SRATIONAL, matrix),  # ColorMatrix1
        (0xC628, _RATIONAL, [(1, 1), (1, 1), (1, 1)]),  # AsShotNeutral
        (0xC65A, _SHORT, [21]),  # CalibrationIlluminant1: D65
    ]
    if sub_ifds:
        ifd0.append((0x014A, _LONG, sub_ifds))
    first = _append_ifd(out, ifd0)
    out[4:8] = struct.pack("<I", first)
    path.write_bytes(bytes(out))
    return path


def _bayer(rgb: np.ndarray) -> np.ndarray:
    """The RGGB mosaic a sensor would record of ``rgb``, in linear 16-bit."""
    linear = ((np.arange(256) / 255.0) ** 2.2 * 65535 * 0.9).astype(np.uint16)  # a LUT
    mosaic = np.empty(rgb.shape[:2], dtype=np.uint16)
    mosaic[0::2, 0::2] = linear[rgb[0::2, 0::2, 0]]
    mosaic[0::2, 1::2] = linear[rgb[0::2, 1::2, 1]]
    mosaic[1::2, 0::2] = linear[rgb[1::2, 0::2, 1]]
    mosaic[1::2, 1::2] = linear[rgb[1::2, 1::2, 2]]
    return mosaic


def _preview_jpeg(rgb: np.ndarray, long_side: int) -> bytes:
    image = Image.fromarray(rgb)
    scale = long_side / max(image.size)
    image = image.resize((round(image.width * scale), round(image.height * scale)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def _append(out: bytearray, data: bytes) -> int:
    if len(out) % 2:
        out.append(0)
    offset = len(out)
    out += data
    return offset


def _append_ifd(out: bytearray, entries: list[tuple[int, int, object]]) -> int:
    """Write one IFD (values that do not fit in 4 bytes go right after it); its offset."""
    if len(out) % 2:
        out.append(0)
    start = len(out)
    entries = sorted(entries, key=lambda e: e[0])
    extra_at = start + 2 + 12 * len(entries) + 4
    table, extra = bytearray(struct.pack("<H", len(entries))), bytearray()
    for tag, kind, value in entries:
        payload, count = _payload(kind, value)
        if len(payload) <= 4:
            field = payload.ljust(4, b"\x00")
        else:
            if len(extra) % 2:
                extra.append(0)
            field = struct.pack("<I", extra_at + len(extra))
            extra += payload
        table += struct.pack("<HHI", tag, kind, count) + field
    table += struct.pack("<I", 0)
    out += table + extra
    return start


def _payload(kind: int, value: object) -> tuple[bytes, int]:
    if kind == _ASCII:
        data = str(value).encode("ascii") + b"\x00"
        return data, len(data)
    values = list(value)  # type: ignore[call-overload]
    if kind == _BYTE:
        return bytes(values), len(values)
    if kind == _SHORT:
        return struct.pack(f"<{len(values)}H", *values), len(values)
    if kind == _LONG:
        return struct.pack(f"<{len(values)}I", *values), len(values)
    code = "I" if kind == _RATIONAL else "i"
    flat = [n for pair in values for n in pair]
    return struct.pack(f"<{len(flat)}{code}", *flat), len(values)
