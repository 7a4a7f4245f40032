"""What the parent hands a worker and what comes back: plain, picklable dataclasses.

Apart from :mod:`catalog.ingest.worker` (which imports the imaging libraries) so that the
parent can make tasks and read results without loading numpy or Pillow first; the
worker processes have them preloaded (:mod:`catalog.ingest.forkserver`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# Pillow's own decompression-bomb threshold (``Image.MAX_IMAGE_PIXELS``), written out so the
# parent need not load Pillow to know it (a test keeps the two equal); twice it, ~179 MP,
# is what an import refuses.
PILLOW_MAX_PIXELS = 89_478_485
DEFAULT_MAX_PIXELS = 2 * PILLOW_MAX_PIXELS


@dataclass(frozen=True)
class ExifFields:
    """The parsed fields the catalog stores; GPS stays raw here (refs parsed later)."""

    make: str | None = None
    model: str | None = None
    lens_make: str | None = None
    lens_model: str | None = None
    lens_specification: tuple[float, float, float, float] | None = None
    focal_length_mm: float | None = None
    focal_length_35mm: float | None = None
    aperture: float | None = None
    exposure_time_s: float | None = None
    exposure_display: str | None = None
    iso: int | None = None
    date_taken: datetime | None = None
    offset_time: str | None = None
    date_precision: str | None = None  # "day": the source gave a day without a time
    orientation: int = 1
    gps_latitude: tuple[float, ...] | None = None
    gps_latitude_ref: str | None = None
    gps_longitude: tuple[float, ...] | None = None
    gps_longitude_ref: str | None = None
    gps_altitude_m: float | None = None
    gps_altitude_ref: str | None = None
    colour_space: str | None = None  # "Adobe RGB" when EXIF says so without an ICC profile
    raw: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class FileTask:
    path: str
    skip_if_known: bool = True  # False with --force: derive everything again
    turns: int = 0  # the owner's rotation of this photo, clockwise quarter turns


@dataclass(frozen=True)
class FileStat:
    """What was actually read: size and mtime from the open file, not the earlier scan."""

    path: str
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Processed:
    file: FileStat
    content_hash: str
    format: str
    width: int  # as displayed
    height: int
    orientation: int
    phash: str | None  # None: too featureless to compare
    exif: ExifFields
    thumbnails: dict[int, bytes]  # size_px -> JPEG bytes
    turns: int = 0  # the owner's rotation the thumbnails, width and height include


@dataclass(frozen=True)
class AlreadyKnown:
    """The content is already in the catalog: nothing decoded."""

    file: FileStat
    content_hash: str


@dataclass(frozen=True)
class Failed:
    file: FileStat
    reason: str
    transient: bool = False  # True: not remembered as failed, the next import tries again


FileResult = Processed | AlreadyKnown | Failed
