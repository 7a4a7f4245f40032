"""The dashboard's figures: how big the catalog is, what it holds, and what went wrong.

Totals come from the facet counts the catalog's triggers keep (see ``catalog.facets``), so
the dashboard costs the same at a thousand photos as at a million."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from catalog.facets import FacetItem, facets, rare, stored_by_status, stored_counts
from catalog.filters import PhotoFilter
from catalog.models import Photo

TOP_N = 10
MAX_FAILURES = 100


@dataclass(frozen=True)
class Totals:
    photos: int  # every row, whatever its status
    processed: int
    pending: int
    failed: int
    rejected: int
    public: int  # processed photos by visibility
    unlisted: int
    private: int
    cameras: int  # with at least one processed photo
    lenses: int
    cities: int
    countries: int
    tags: int
    collections: int
    described_by_ai: int
    near_duplicates: int  # photos in a near-duplicate group


@dataclass(frozen=True)
class Failure:
    photo_id: str
    path: str
    status: str  # failed | rejected
    reason: str | None


@dataclass(frozen=True)
class Dashboard:
    totals: Totals
    per_year: tuple[tuple[int | None, int], ...]  # (year or None when undated, photos), by year
    top_cameras: tuple[tuple[str, int], ...]
    top_lenses: tuple[tuple[str, int], ...]
    failures: tuple[Failure, ...]  # the most recent first, at most MAX_FAILURES


_PROCESSED = Photo.status == "processed"


def dashboard(session: Session) -> Dashboard:
    """Every figure from the sidebar's facet counts plus a few grouped queries."""
    counts = facets(session, PhotoFilter())
    return Dashboard(
        totals=_totals(session, counts),
        per_year=tuple(
            (int(item.id) or None, item.count)
            for item in sorted(counts["years"], key=lambda y: int(y.id) or 10_000)
        ),
        top_cameras=tuple((item.label, item.count) for item in counts["cameras"][:TOP_N]),
        top_lenses=tuple((item.label, item.count) for item in counts["lenses"][:TOP_N]),
        failures=_failures(session),
    )


def _count(session: Session, *where: ColumnElement[bool]) -> int:
    return session.scalar(select(func.count()).select_from(Photo).where(*where)) or 0


def _totals(session: Session, counts: dict[str, list[FacetItem]]) -> Totals:
    by_status = stored_by_status(session)
    by_visibility = stored_counts(session, "visibility", PhotoFilter().statuses)
    return Totals(
        photos=sum(by_status.values()),
        processed=by_status.get("processed", 0),
        pending=by_status.get("pending", 0),
        failed=by_status.get("failed", 0),
        rejected=by_status.get("rejected", 0),
        public=by_visibility.get("public", 0),
        unlisted=by_visibility.get("unlisted", 0),
        private=by_visibility.get("private", 0),
        cameras=len(counts["cameras"]),
        lenses=len(counts["lenses"]),
        cities=len(counts["cities"]),
        countries=len(counts["countries"]),
        tags=len(counts["tags"]),
        collections=len(counts["collections"]),
        described_by_ai=stored_counts(session, "described", ()).get("1", 0),
        near_duplicates=_count(session, Photo.dup_group.is_not(None)),
    )


def _failures(session: Session) -> tuple[Failure, ...]:
    stmt = (
        select(Photo.id, Photo.source_path, Photo.status, Photo.reason)
        .where(rare(Photo.status.in_(("failed", "rejected"))))
        .order_by(Photo.updated_at.desc())
        .limit(MAX_FAILURES)
    )
    return tuple(Failure(*record) for record in session.execute(stmt))


__all__ = ["Dashboard", "Failure", "Totals", "dashboard"]
