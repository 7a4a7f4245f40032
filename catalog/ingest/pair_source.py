"""Which file of a RAW+JPEG pair a photo's pictures come from: the owner's choice.

By default the JPEG (what the camera rendered; Lightroom's default too). An owner who
prefers the RAW's own rendering (or a JPEG with a picture style they dislike) switches the
photo's source: the two paths change places and the photo is derived again from the new
source, in place, so everything the owner did on it is kept (same row, same id).
"""

from __future__ import annotations

from pathlib import Path

from catalog.catalog import Catalog
from catalog.errors import CatalogError
from catalog.ingest.discover import RAW_SUFFIXES
from catalog.ingest.pipeline import reprocess
from catalog.ingest.result import ImportResult
from catalog.jobs import JobObserver
from catalog.models import Photo

SOURCES = ("raw", "jpeg")


class PairSourceError(CatalogError):
    """The photo is not a RAW+JPEG pair, or is gone."""


def use_pair_source(
    catalog: Catalog, photo_id: str, source: str, observer: JobObserver | None = None
) -> ImportResult | None:
    """Make ``source`` ("raw" or "jpeg") the file ``photo_id``'s pictures come from; None
    when it already is."""
    if source not in SOURCES:
        raise PairSourceError(f"the source is 'raw' or 'jpeg', not {source!r}")
    with catalog.writing() as session:
        photo = session.get(Photo, photo_id)
        if photo is None:
            raise PairSourceError(f"no photo {photo_id!r}")
        if not photo.companion_path:
            raise PairSourceError(
                f"{Path(photo.source_path).name} is not a RAW+JPEG pair: it has one file"
            )
        source_is_raw = Path(photo.source_path).suffix.lower() in RAW_SUFFIXES
        if source_is_raw == (source == "raw"):
            return None
        photo.source_path, photo.companion_path = photo.companion_path, photo.source_path
        photo.file_mtime_ns = -1  # the next import reads the new source, whatever happens
    return reprocess(catalog, [photo_id], workers=1, observer=observer)
