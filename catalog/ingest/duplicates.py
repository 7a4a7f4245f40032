"""Stage 7: near-duplicates, grouped for review and never deleted.

Two photos are near-duplicates when their 64-bit perceptual hashes differ in at most
``Settings.near_duplicate_max_bits`` bits (default 6). Why 6: re-encoding, resizing or a
reduced-scale decode moves a phash by 0–4 bits (a scaled decode vs a full one: within 2,
see ../shared/notes/ingest-speed.md), while unrelated photos sit around 32 bits apart
(a binomial(64, 1/2) has P(X <= 6) ~ 1e-11); burst shots of one scene land at 2–10. So 6
catches copies and edits of the same frame without chaining a whole burst together.

Comparison is vectorised: the catalog's hashes live in one ``uint64`` numpy array; a new
photo costs one XOR and one popcount over it (~0.1 ms at 20,000 photos).
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

import numpy as np
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from catalog.db import new_id
from catalog.models import Photo, Status


def hamming(a: str, b: str) -> int:
    """Bits that differ between two hex perceptual hashes."""
    return (int(a, 16) ^ int(b, 16)).bit_count()


def distances(hashes: np.ndarray, phash: str) -> np.ndarray:
    """Hamming distance from ``phash`` to every ``uint64`` in ``hashes``."""
    return np.bitwise_count(hashes ^ np.uint64(int(phash, 16)))


class NearDuplicateIndex:
    """Every processed photo's phash and group, kept current while an import commits."""

    def __init__(self, max_bits: int) -> None:
        self.max_bits = max_bits
        self._ids: list[str] = []
        self._positions: dict[str, int] = {}
        self._groups: list[str | None] = []
        self._hashes = np.zeros(1024, dtype=np.uint64)  # grows by doubling
        self._since: datetime | None = None  # the newest created_at seen

    @classmethod
    def load(cls, session: Session, max_bits: int) -> NearDuplicateIndex:
        index = cls(max_bits)
        index._add_rows(session, None)
        return index

    def catch_up(self, session: Session) -> None:
        """Add the photos other writers (a second import) created since the last look, so
        their near-duplicates are grouped too; one indexed query, usually empty."""
        self._add_rows(session, self._since)

    def _add_rows(self, session: Session, since: datetime | None) -> None:
        query = select(Photo.id, Photo.phash, Photo.dup_group, Photo.created_at).where(
            Photo.phash.is_not(None), Photo.status != Status.FAILED.value
        )
        if since is not None:
            query = query.where(Photo.created_at >= since)
        for photo_id, phash, group, created in session.execute(query):
            self._put(photo_id, cast(str, phash), group)  # the query keeps non-NULL phashes
            self._since = max(self._since or created, created)

    def matches(self, phash: str, exclude_id: str | None = None) -> list[int]:
        """Positions of the photos within ``max_bits`` of ``phash``."""
        found = distances(self._hashes[: len(self._ids)], phash) <= self.max_bits
        return [int(i) for i in np.flatnonzero(found) if self._ids[i] != exclude_id]

    def assign(self, session: Session, photo: Photo) -> str | None:
        """Put ``photo`` (flushed, with a phash) in a group with its near-duplicates, merging
        groups it bridges; runs inside the caller's transaction."""
        if photo.phash is None:
            return None
        hits = self.matches(photo.phash, exclude_id=photo.id)
        group = None
        if hits:
            groups = sorted({g for i in hits if (g := self._groups[i])})
            group = photo.dup_group or (groups[0] if groups else new_id())
            members = [self._ids[i] for i in hits]
            session.execute(update(Photo).where(Photo.id.in_(members)).values(dup_group=group))
            merged = [g for g in groups if g != group]
            if merged:
                session.execute(
                    update(Photo).where(Photo.dup_group.in_(merged)).values(dup_group=group)
                )
            self._relabel(set(hits), set(merged), group)
        photo.dup_group = group
        self._put(photo.id, photo.phash, group)
        return group

    def _relabel(self, hits: set[int], merged: set[str], group: str) -> None:
        for i, old in enumerate(self._groups):
            if i in hits or (old is not None and old in merged):
                self._groups[i] = group

    def _put(self, photo_id: str, phash: str, group: str | None) -> None:
        position = self._positions.get(photo_id)
        if position is None:
            position = len(self._ids)
            if position == len(self._hashes):
                self._hashes = np.concatenate([self._hashes, np.zeros_like(self._hashes)])
            self._ids.append(photo_id)
            self._groups.append(group)
            self._positions[photo_id] = position
        self._groups[position] = group
        self._hashes[position] = np.uint64(int(phash, 16))
