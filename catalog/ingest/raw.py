"""Camera RAW files (NEF, CR2, CR3, ARW, DNG, RAF, ORF, ...) through LibRaw (``rawpy``).

A RAW becomes a photo like any other: the same three thumbnails and perceptual hash, the
same EXIF fields (exiv2 reads a RAW's EXIF and MakerNotes as it reads a JPEG's). The
pixels come from the camera's embedded full-size JPEG preview when it covers 1,600 px
(what the camera itself rendered, and cheaper than a demosaic: docs/performance/ingest.md),
else from LibRaw's demosaic with the camera's white balance, in sRGB: at half size (one
pixel per 2x2 Bayer block, no interpolation) when that still covers 1,600 px. Both are
kept in the sensor's orientation and turned upright with the RAW's own orientation, as a
JPEG is with its EXIF.

``rawpy`` is imported on the first RAW a worker meets: a batch of JPEGs never pays for it.
"""

from __future__ import annotations

import functools
import io
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any

import exiv2
import numpy as np
from PIL import Image, TiffImagePlugin

from catalog.ingest.discover import RAW_SUFFIXES
from catalog.ingest.errors import ImageTooLargeError, IngestError, NotAnImageError
from catalog.ingest.exif import EXIF_IFD, GPS_IFD, INTEROP_IFD, ExifFields, exif_fields
from catalog.ingest.imaging import (
    THUMB_SIZES_PX,
    Scaled,
    decode_scaled,
    fit_first,
    implied_profile,
    orient,
    to_display_rgb,
)
from catalog.ingest.metadata import read_metadata
from catalog.ingest.validate import DEFAULT_MAX_PIXELS, open_image

PREVIEW_MIN_PX = 1600  # an embedded preview this big (long side) is used as the picture
_FLIP_TO_ORIENTATION = {0: 1, 3: 3, 5: 8, 6: 6}  # LibRaw's sizes.flip -> EXIF orientation
_MAX_VALUES = 256  # longer EXIF arrays (strip offsets, tables) are not worth keeping


def is_raw(path: Path | str) -> bool:
    return Path(path).suffix.lower() in RAW_SUFFIXES


def raw_format(path: Path | str) -> str:
    """The RAW's kind as the catalog records it: its suffix, "NEF", "CR3", "DNG"..."""
    return Path(path).suffix.lstrip(".").upper()


@functools.cache
def _rawpy() -> ModuleType:
    import rawpy

    return rawpy


def decode_raw(
    path: Path, data: bytes | bytearray, max_pixels: int, box_px: int = THUMB_SIZES_PX[0]
) -> tuple[Scaled, ExifFields, bytes | None, tuple[int, int]]:
    """Pixels covering ``box_px`` where the file has them, in stored orientation, the EXIF
    (orientation from the RAW), the ICC profile of those pixels (None: sRGB) and the full
    image size (stored).

    Raises :class:`NotAnImageError` ("unsupported RAW: ...") for what LibRaw cannot read."""
    rawpy = _rawpy()
    try:
        with rawpy.imread(io.BytesIO(data)) as raw:
            size = (int(raw.sizes.width), int(raw.sizes.height))
            if size[0] <= 0 or size[1] <= 0:
                raise NotAnImageError(path, "unsupported RAW: LibRaw finds no picture in it")
            if size[0] * size[1] > max_pixels:
                raise ImageTooLargeError(
                    path, f"{size[0]}x{size[1]} pixels is over the limit of {max_pixels:,} pixels"
                )
            exif = read_raw_exif(data, size)
            flip = _FLIP_TO_ORIENTATION.get(int(raw.sizes.flip))
            if flip is not None and (flip != 1 or exif.orientation == 1):
                exif = replace(exif, orientation=flip)
            preview = _preview(path, raw, rawpy, max(PREVIEW_MIN_PX, box_px))
            if preview is not None:
                pixels, icc = preview
                return pixels, exif, icc or implied_profile(exif.colour_space), size
            half = max(size) >= 2 * box_px  # half size still covers the box
            rgb = raw.postprocess(half_size=half, use_camera_wb=True, output_bps=8, user_flip=0)
            return np.ascontiguousarray(rgb), exif, None, size  # LibRaw's output is sRGB
    except rawpy.LibRawError as exc:
        raise NotAnImageError(path, f"unsupported RAW: {_libraw_reason(exc)}") from exc
    except (MemoryError, ValueError) as exc:
        raise NotAnImageError(path, f"unsupported RAW: {exc}") from exc


def _preview(
    path: Path, raw: Any, rawpy: ModuleType, min_px: int
) -> tuple[Scaled, bytes | None] | None:
    """The camera's embedded preview when its long side covers ``min_px``, else None."""
    try:
        thumb = raw.extract_thumb()
    except (rawpy.LibRawError, MemoryError):
        return None
    if thumb.format == rawpy.ThumbFormat.JPEG:
        try:
            image = open_image(path, thumb.data)
            if max(image.size) < min_px:
                return None
            pixels = decode_scaled(path, image, thumb.data, min_px)
            return pixels, image.info.get("icc_profile")
        except IngestError:  # a damaged preview: the mosaic may still be fine
            return None
    if thumb.format == rawpy.ThumbFormat.BITMAP and max(thumb.data.shape[:2]) >= min_px:
        return np.ascontiguousarray(thumb.data), None
    return None


def open_raw_upright(path: Path, box_px: int) -> Image.Image:
    """A RAW original as an upright sRGB picture whose long side is at most ``box_px``
    (the publisher's optional "original" rendition): Pillow cannot read RAW files (it
    would show a NEF's 160 px IFD0 thumbnail as if it were the picture)."""
    data = path.read_bytes()
    scaled, exif, icc, _ = decode_raw(path, data, DEFAULT_MAX_PIXELS, box_px)
    return orient(to_display_rgb(fit_first(scaled, box_px), icc), exif.orientation)


def _libraw_reason(exc: Exception) -> str:
    """LibRaw's error in words an owner can act on."""
    name = type(exc).__name__
    reasons = {
        "LibRawFileUnsupportedError": (
            "LibRaw cannot read it (a camera or file layout it does not know, or a damaged file)"
        ),
        "LibRawIOError": "the file is damaged or cut short",
        "LibRawDataError": "the picture data is damaged",
        "LibRawTooBigError": "the picture is too large to decode",
        "LibRawRequestForNonexistentImageError": "the file holds no picture",
    }
    return reasons.get(name, f"LibRaw could not read it ({name}: {exc})")


def read_raw_exif(data: bytes | bytearray, size: tuple[int, int]) -> ExifFields:
    """The RAW's EXIF through exiv2 (Pillow cannot open RAW containers), parsed by the very
    code that parses a JPEG's, MakerNote lens and ISO included."""
    ifds: dict[str, dict[int, Any]] = {"Image": {}, "Photo": {}, "GPSInfo": {}, "Iop": {}}
    try:
        image = exiv2.ImageFactory.open(data)
        image.readMetadata()
        for datum in image.exifData():
            target = ifds.get(datum.groupName())
            if target is not None and datum.tag() not in (EXIF_IFD, GPS_IFD, INTEROP_IFD):
                value = _value(datum)
                if value is not None:
                    target.setdefault(datum.tag(), value)  # IFD0 comes first: it wins
    except Exception:  # noqa: BLE001 - exiv2 raises its own error for any damage
        pass
    return exif_fields(
        ifds["Image"], ifds["Photo"], ifds["GPSInfo"], ifds["Iop"], read_metadata(data), size
    )


def _value(datum: exiv2.Exifdatum) -> Any:
    """An exiv2 value as Pillow would have given it: text, ints, rationals or bytes."""
    count, kind = datum.count(), int(datum.typeId())
    if count > _MAX_VALUES:
        return None
    if kind == 2:  # ASCII
        return datum.toString()
    if kind in (5, 10):  # RATIONAL, SRATIONAL
        values: list[Any] = [
            TiffImagePlugin.IFDRational(*datum.toRational(i)) for i in range(count)
        ]
    elif kind in (1, 7):  # BYTE, UNDEFINED
        return bytes(int(datum.toInt64(i)) & 0xFF for i in range(count))
    elif kind in (3, 4, 6, 8, 9, 16, 17):  # SHORT, LONG, SBYTE, SSHORT, SLONG, (S)LONG8
        values = [int(datum.toInt64(i)) for i in range(count)]
    elif kind in (11, 12):
        values = [float(datum.toFloat(i)) for i in range(count)]
    else:
        return None
    return values[0] if count == 1 else tuple(values)
