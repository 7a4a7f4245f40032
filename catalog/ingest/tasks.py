"""What the parent hands a worker and what comes back: plain, picklable dataclasses.

Apart from :mod:`catalog.ingest.worker` (which imports the imaging libraries) so that the
parent can make tasks and read results without loading numpy, scipy or Pillow first; the
worker processes have them preloaded (:mod:`catalog.ingest.forkserver`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from catalog.ingest.exif import ExifFields


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
