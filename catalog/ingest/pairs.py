"""RAW+JPEG pairs: a camera set to RAW+JPEG writes ``DSC_0001.NEF`` and ``DSC_0001.JPG``
side by side. They are one photo (Lightroom's default), not two and not a near-duplicate
to review: the JPEG is the photo's source (its thumbnails, renditions and metadata come
from it) and the RAW is recorded on it as its ``companion_path``.

A RAW that is already a photo of its own (imported alone before) stays one: pairing never
merges rows the owner may have edited. A RAW whose JPEG could not become a photo (damaged,
or a copy of another photo) is imported on its own, so no picture is ever lost.
"""

from __future__ import annotations

import os
from collections.abc import Container, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from catalog.ingest.discover import RAW_SUFFIXES, Candidate, Found
from catalog.models import Photo, Status

JPEG_SUFFIXES = frozenset({".jpg", ".jpeg", ".jpe"})


@dataclass(frozen=True)
class Pair:
    jpeg: str
    raw: Candidate


def split_pairs(
    found: Sequence[Found], known_paths: Container[str]
) -> tuple[list[Found], list[Pair]]:
    """``found`` without the RAWs that have a JPEG beside them, and those pairs. A JPEG
    already in the catalog counts too (the RAW copied in later joins its photo)."""
    jpegs: dict[tuple[str, str], str] = {}
    for item in found:
        if isinstance(item, Candidate) and item.path.suffix.lower() in JPEG_SUFFIXES:
            jpegs.setdefault(_key(item.path), str(item.path))
    rest: list[Found] = []
    pairs: list[Pair] = []
    for item in found:
        is_raw = isinstance(item, Candidate) and item.path.suffix.lower() in RAW_SUFFIXES
        if not is_raw or str(item.path) in known_paths:
            rest.append(item)
            continue
        assert isinstance(item, Candidate)
        jpeg = jpegs.get(_key(item.path)) or _catalogued_jpeg(item.path, known_paths)
        if jpeg is None:
            rest.append(item)
        else:
            pairs.append(Pair(jpeg, item))
    return rest, pairs


def _key(path: Path) -> tuple[str, str]:
    return str(path.parent), path.stem.casefold()


def _catalogued_jpeg(raw: Path, known_paths: Container[str]) -> str | None:
    """A JPEG beside ``raw`` the catalog already has (the RAW imported on its own later)."""
    for suffix in JPEG_SUFFIXES:
        for variant in (suffix, suffix.upper()):
            candidate = str(raw.with_suffix(variant))
            if candidate in known_paths and os.path.isfile(candidate):
                return candidate
    return None


def attach(session: Session, pair: Pair) -> str | None:
    """Record ``pair``'s RAW on its JPEG's photo; the photo's id, or None when the JPEG is
    no good photo (failed, a duplicate, or cancelled before it was read)."""
    photo_id = session.scalar(
        select(Photo.id).where(Photo.source_path == pair.jpeg, Photo.status != Status.FAILED.value)
    )
    if photo_id is None:
        return None
    raw = str(pair.raw.path)
    session.execute(
        update(Photo)
        .where(Photo.id == photo_id, Photo.companion_path.is_distinct_from(raw))
        .values(companion_path=raw)
    )
    return photo_id
