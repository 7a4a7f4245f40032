"""Which file of a RAW+JPEG pair a photo's pictures come from, as one undoable step.

The switch itself is :func:`catalog.ingest.pair_source.use_pair_source` (the two paths change
places and the photo is derived again from the new source, keeping every owner edit); this
wraps it for the desktop's Edit menu: undone, each photo gets back the source it had.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from catalog.catalog import Catalog
from catalog.changes import CatalogChanges
from catalog.ingest.discover import RAW_SUFFIXES
from catalog.models import Photo
from catalog.operations.core import counted
from catalog.rows import chunked

LABELS = {"raw": "Use RAW as source", "jpeg": "Use JPEG as source"}


def pair_sources(catalog: Catalog, ids: Sequence[str]) -> dict[str, str]:
    """The current source ("raw" or "jpeg") of each photo of ``ids`` that is a pair."""
    found: dict[str, str] = {}
    with catalog.reading() as session:
        for part in chunked(list(ids)):
            query = select(Photo.id, Photo.source_path).where(
                Photo.id.in_(part), Photo.companion_path.is_not(None)
            )
            for pid, path in session.execute(query):
                found[pid] = "raw" if Path(path).suffix.lower() in RAW_SUFFIXES else "jpeg"
    return found


@dataclass(frozen=True)
class UsePairSources:
    """Give each photo its source; undone by the sources they had (one step for all)."""

    sources: tuple[tuple[str, str], ...]  # (photo id, "raw" | "jpeg")
    label: str

    @property
    def size(self) -> int:
        return len(self.sources)

    def apply(self, catalog: Catalog) -> CatalogChanges:
        from catalog.ingest.pair_source import use_pair_source  # decoders: only when asked

        had = pair_sources(catalog, [pid for pid, _ in self.sources])
        switched = [
            (pid, had[pid]) for pid, wanted in self.sources if had.get(pid, wanted) != wanted
        ]
        for pid, wanted in self.sources:
            if had.get(pid, wanted) != wanted:
                use_pair_source(catalog, pid, wanted)
        if not switched:
            return CatalogChanges()
        changes = CatalogChanges.of([pid for pid, _ in switched], facets=True, thumbnails=True)
        return changes.labelled(self.label, UsePairSources(tuple(switched), self.label))


def use_pair_source(catalog: Catalog, ids: Sequence[str], source: str) -> CatalogChanges:
    """Make ``source`` ("raw" or "jpeg") the file the pictures of the pairs among ``ids``
    come from; photos of one file are left alone. Empty changes when nothing switched."""
    if source not in LABELS:
        raise ValueError(f"the source is 'raw' or 'jpeg', not {source!r}")
    paired = pair_sources(catalog, ids)
    pairs = [pid for pid in dict.fromkeys(ids) if pid in paired]
    label = counted(LABELS[source], pairs)
    return UsePairSources(tuple((pid, source) for pid in pairs), label).apply(catalog)
