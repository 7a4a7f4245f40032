"""What several selected photos share, for an inspector that edits them all at once.

Lightroom shows a field's value when every selected photo has the same one and ``<mixed>``
otherwise; tags split into those on every photo and those on only some. Counted in SQL, a
chunk of ids at a time, so a selection of 100,000 photos costs queries, not rows in memory.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from catalog import privacy
from catalog.models import Photo, PhotoTag, Tag, Visibility
from catalog.rows import chunked

FIELDS = ("title", "description", "rating", "visibility")
SHOWN_ONLY = ("camera_id", "lens_id")  # read-only lines: one camera, or <mixed>


@dataclass(frozen=True)
class SelectionSummary:
    """The shared values of ``ids``: a field in ``mixed`` differs between them."""

    ids: tuple[str, ...]
    values: dict[str, Any]  # field -> the one value all share (absent when mixed)
    mixed: frozenset[str]
    tags_on_all: tuple[str, ...]
    tags_on_some: tuple[str, ...]

    def value(self, field: str) -> Any:
        return None if field in self.mixed else self.values.get(field)


# what the desktop shows, not what is stored: failed and rejected photos are private in effect
_SHOWN = {
    "visibility": case(
        (Photo.status.in_(sorted(privacy.NEVER_PUBLISHABLE_STATUSES)), Visibility.PRIVATE.value),
        else_=Photo.visibility,
    )
}


def summarise(session: Session, ids: Sequence[str]) -> SelectionSummary:
    """The values every photo of ``ids`` shares, and which fields are mixed."""
    wanted = list(dict.fromkeys(ids))
    seen: dict[str, set[Any]] = {f: set() for f in FIELDS + SHOWN_ONLY}
    tag_counts: Counter[str] = Counter()
    for part in chunked(wanted):
        for field in seen:
            if len(seen[field]) < 2:
                column = _SHOWN.get(field, getattr(Photo, field))
                stmt = select(column).where(Photo.id.in_(part)).distinct().limit(2)
                seen[field].update(_blank_as_none(v) for v in session.scalars(stmt))
        per_tag = (
            select(Tag.name, func.count())
            .join(PhotoTag, PhotoTag.tag_id == Tag.id)
            .where(PhotoTag.photo_id.in_(part))
            .group_by(Tag.id)
        )
        tag_counts.update({name: n for name, n in session.execute(per_tag)})
    mixed = frozenset(f for f, values in seen.items() if len(values) > 1)
    values = {f: next(iter(v)) for f, v in seen.items() if len(v) == 1}
    names = sorted(tag_counts, key=str.casefold)
    on_all = tuple(t for t in names if tag_counts[t] == len(wanted))
    on_some = tuple(t for t in names if tag_counts[t] < len(wanted))
    return SelectionSummary(tuple(wanted), values, mixed, on_all, on_some)


def _blank_as_none(value: Any) -> Any:
    return None if value == "" else value
