"""RAW+JPEG pairs: a camera set to RAW+JPEG writes ``DSC_0001.NEF`` and ``DSC_0001.JPG``
side by side. They are one photo (Lightroom's default), not two and not a near-duplicate
to review: the JPEG is the photo's source (its thumbnails, renditions and metadata come
from it) and the RAW is recorded on it as its ``companion_path``.

A RAW that is already a photo of its own (imported alone before) stays one: pairing never
merges rows the owner may have edited; its JPEG, arriving later, joins it instead. A file
whose partner could not become a photo (damaged, or a copy of another photo) is imported
on its own, so no picture is ever lost.
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
    """``companion`` is recorded on the photo whose file is ``source``."""

    source: str
    companion: Candidate


def split_pairs(
    found: Sequence[Found], known_paths: Container[str]
) -> tuple[list[Found], list[Pair]]:
    """``found`` without the files that join another file's photo, and those pairs.

    A RAW with a JPEG beside it (found now, or already a photo) joins the JPEG's photo. A
    JPEG that turns up beside a RAW that is already a photo of its own joins that photo
    instead (the owner's work on it is kept; no second photo, no near-duplicate)."""
    jpegs: dict[tuple[str, str], str] = {}
    for item in found:
        if isinstance(item, Candidate) and _kind(item) == "jpeg":
            jpegs.setdefault(_key(item.path), str(item.path))
    rest: list[Found] = []
    pairs: list[Pair] = []
    for item in found:
        kind = _kind(item)
        if kind is None or str(item.path) in known_paths:
            rest.append(item)
            continue
        assert isinstance(item, Candidate)
        if kind == "raw":
            source = jpegs.get(_key(item.path))
            source = source or _known_sibling(item.path, JPEG_SUFFIXES, known_paths)
        else:
            source = _known_sibling(item.path, RAW_SUFFIXES, known_paths)
        if source is None:
            rest.append(item)
        else:
            pairs.append(Pair(source, item))
    return rest, pairs


def _kind(item: Found) -> str | None:
    if not isinstance(item, Candidate):
        return None
    suffix = item.path.suffix.lower()
    return "jpeg" if suffix in JPEG_SUFFIXES else "raw" if suffix in RAW_SUFFIXES else None


def _key(path: Path) -> tuple[str, str]:
    return str(path.parent), path.stem.casefold()


def _known_sibling(path: Path, suffixes: frozenset[str], known: Container[str]) -> str | None:
    """A file of ``suffixes`` beside ``path`` (same name) that is already a photo's source."""
    for suffix in sorted(suffixes):
        for variant in (suffix, suffix.upper()):
            candidate = str(path.with_suffix(variant))
            if candidate in known and os.path.isfile(candidate):
                return candidate
    return None


def attach(session: Session, pair: Pair) -> str | None:
    """Record ``pair``'s companion on its source's photo; the photo's id, or None when the
    source is no good photo (failed, a duplicate, or cancelled before it was read)."""
    photo_id = session.scalar(
        select(Photo.id).where(
            Photo.source_path == pair.source, Photo.status != Status.FAILED.value
        )
    )
    if photo_id is None:
        return None
    companion = str(pair.companion.path)
    session.execute(
        update(Photo)
        .where(Photo.id == photo_id, Photo.companion_path.is_distinct_from(companion))
        .values(companion_path=companion)
    )
    return photo_id


def is_raw(path: Path) -> bool:
    return path.suffix.lower() in RAW_SUFFIXES
