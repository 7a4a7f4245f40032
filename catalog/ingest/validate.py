"""Stage 3: refuse what is not a usable photo, before any pixel is decoded.

Opening the bytes with Pillow parses only the header (and EXIF); that is enough to refuse
empty files, non-images, unsupported formats and decompression bombs with a specific reason.
Truncation shows up only when decoding (:mod:`catalog.ingest.imaging` reports it), except
in a HEIF or AVIF, whose item table says where its bytes end (libheif decodes a file cut
short without complaint). Why a
file that looks like a photo cannot be read is :mod:`catalog.ingest.damage`'s to say.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import pillow_heif
import pillow_jxl  # noqa: F401 - registers JPEG XL with Pillow (AVIF is built in)
from PIL import Image, UnidentifiedImageError

from catalog.ingest.damage import (
    HEADER_LOOKS_FINE,
    JXL_DAMAGED,
    heif_open_problem,
    is_jxl,
    jpeg_header_problem,
    unreadable_reason,
)
from catalog.ingest.errors import (
    EmptyFileError,
    ImageTooLargeError,
    NotAnImageError,
    TruncatedImageError,
)
from catalog.ingest.heif_check import heif_cut_short
from catalog.ingest.tasks import DEFAULT_MAX_PIXELS as DEFAULT_MAX_PIXELS

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

pillow_heif.register_heif_opener()

SUPPORTED_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP", "TIFF", "HEIF", "AVIF", "JXL"})


def open_image(
    path: Path, data: bytes | bytearray, max_pixels: int = DEFAULT_MAX_PIXELS
) -> Image.Image:
    """The image header, parsed from ``data``; raises an :class:`IngestError` subclass."""
    if not data:
        raise EmptyFileError(path, "empty file (0 bytes)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BufferedReader(MemoryFile(data)))
    except Image.DecompressionBombError as exc:
        raise ImageTooLargeError(path, f"decompression bomb refused: {exc}") from exc
    except UnidentifiedImageError as exc:
        raise NotAnImageError(path, unreadable_reason(data)) from exc
    except (OSError, SyntaxError, ValueError, RuntimeError) as exc:  # AVIF's is a RuntimeError
        if bytes(data[4:8]) == b"ftyp":
            raise NotAnImageError(path, heif_open_problem(data, exc)) from exc
        if is_jxl(data):
            raise NotAnImageError(path, JXL_DAMAGED) from exc
        if bytes(data[:2]) != b"\xff\xd8":
            raise NotAnImageError(path, f"not a readable image: {exc}") from exc
        problem = jpeg_header_problem(data)
        if problem == HEADER_LOOKS_FINE:
            problem = f"{problem} ({exc})"
        raise NotAnImageError(path, f"damaged JPEG: {problem}") from exc
    check_image(path, image, max_pixels)
    if image.format in ("HEIF", "AVIF"):
        cut = heif_cut_short(data)  # libheif would decode the missing tiles as flat green
        if cut is not None:
            raise TruncatedImageError(path, cut)
    return image


class MemoryFile(io.RawIOBase):
    """A read-only file over bytes already in memory, without the copy that ``io.BytesIO``
    makes of a ``bytearray`` (10 MB, ~1 ms a 24 MP photo: Pillow needs only the header)."""

    def __init__(self, data: bytes | bytearray) -> None:
        self._view, self._pos = memoryview(data).cast("B"), 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        with memoryview(buffer).cast("B") as target:
            chunk = self._view[self._pos : self._pos + len(target)]
            target[: len(chunk)] = chunk
        self._pos += len(chunk)
        return len(chunk)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: len(self._view)}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos


def check_image(path: Path, image: Image.Image, max_pixels: int) -> None:
    """Refuse unsupported formats, empty dimensions and more pixels than ``max_pixels``."""
    if image.format not in SUPPORTED_FORMATS:
        raise NotAnImageError(path, f"unsupported image format {image.format}")
    width, height = image.size
    if width <= 0 or height <= 0:
        raise NotAnImageError(path, f"image has no pixels ({width}x{height})")
    if width * height > max_pixels:
        raise ImageTooLargeError(
            path,
            f"decompression bomb refused: {width}x{height} pixels is over the limit "
            f"of {max_pixels:,} pixels",
        )
