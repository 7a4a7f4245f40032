"""Dates the owner gave photos whose files carry none (from a Flickr export, an XMP sidecar).

The date is noted in the photo's raw EXIF JSON beside the columns, as a position fix is
(:mod:`catalog.places.fixes`) and a time shift is (:mod:`catalog.edits`): deriving the
photo again from its file (``reprocess``, ``import --force``, a pair's source switch) reads
the file's EXIF afresh, finds no date, and puts the owner's back. A file that has gained a
date of its own since keeps it: the camera's date wins, as on the first import.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select

from catalog.catalog import Catalog
from catalog.changes import CatalogChanges
from catalog.models import ExifData, Photo

OWNER_DATE_KEY = "ExifTree:OwnerDateTaken"  # in the raw EXIF JSON: "YYYY-MM-DD HH:MM:SS"


def fill_date_taken(catalog: Catalog, photo_ids: Sequence[str], when: datetime) -> CatalogChanges:
    """Date the photos that have no date (a dated photo is left alone: correcting a camera
    clock is ``shift_time``); returns the photos dated."""
    dated = []
    with catalog.writing() as session:
        for photo in session.scalars(select(Photo).where(Photo.id.in_(list(photo_ids)))):
            if photo.date_taken is not None:
                continue
            if photo.exif is None:
                photo.exif = ExifData(raw="{}")
            photo.date_taken = when
            photo.date_taken_precision = None  # the owner's date and time
            if photo.exif.date_taken is None:
                photo.exif.date_taken = when
            photo.exif.raw = _with_owner_date(photo.exif.raw, when)
            dated.append(photo.id)
    return CatalogChanges.of(dated, facets=bool(dated))


def _load(raw_json: str | None) -> dict[str, Any]:
    try:
        raw = json.loads(raw_json or "{}")
    except ValueError:
        return {"ExifTree:UnreadableRaw": raw_json}
    return raw if isinstance(raw, dict) else {"ExifTree:Raw": raw}


def _with_owner_date(raw_json: str | None, when: datetime) -> str:
    raw = _load(raw_json)
    raw[OWNER_DATE_KEY] = when.isoformat(sep=" ")
    return json.dumps(raw, ensure_ascii=False, separators=(",", ":"))


def owner_date(raw_json: str | None) -> datetime | None:
    """The date the owner gave the photo, if any (None when the note is unreadable)."""
    value = _load(raw_json).get(OWNER_DATE_KEY)
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def keep_owner_date(
    old_raw: str | None, values: dict[str, Any], exif_values: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Photo and EXIF column values just read from the file, with the owner's date put back
    (and its note kept) when the file still has no date of its own."""
    when = owner_date(old_raw)
    if when is None:
        return values, exif_values
    raw = _load(exif_values.get("raw"))
    raw[OWNER_DATE_KEY] = when.isoformat(sep=" ")
    exif_values = {**exif_values, "raw": json.dumps(raw, ensure_ascii=False, separators=(",", ":"))}
    if exif_values.get("date_taken") is not None:
        return values, exif_values  # the file has a date of its own now: it wins
    exif_values["date_taken"] = when
    if values.get("date_taken") is None:
        values = {**values, "date_taken": when}
    return values, exif_values
