"""Re-geocoding photos that have GPS: after the owner fixed coordinates, merged cities or
changed the place rules. Batched through the one geocoder; rules applied as at import."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import select

from catalog.catalog import Catalog
from catalog.gear.relink import reindex_photos
from catalog.jobs import Cancel, JobObserver, Progress
from catalog.models import ExifData, Photo, Status
from catalog.places.cities import resolve_city
from catalog.places.geocoder import reverse_geocode
from catalog.rules import Verdict, apply_verdict, load_rules

BATCH = 500


@dataclass(frozen=True)
class GeocodeResult:
    """How many photos with GPS were looked at, how many changed city, how many rules hit."""

    geocoded: int
    changed: int
    rejected: int
    cancelled: bool = False


def _located(catalog: Catalog, photo_ids: Sequence[str] | None) -> list[tuple[str, float, float]]:
    query = (
        select(Photo.id, ExifData.gps_latitude, ExifData.gps_longitude)
        .join(ExifData, ExifData.photo_id == Photo.id)
        .where(Photo.status == Status.PROCESSED.value)
        .where(ExifData.gps_latitude.is_not(None), ExifData.gps_longitude.is_not(None))
        .order_by(Photo.id)
    )
    wanted = set(photo_ids) if photo_ids is not None else None  # no IN-list size limit
    with catalog.reading() as session:
        rows = session.execute(query).all()
        return [
            (pid, lat, lon)
            for pid, lat, lon in rows
            if lat is not None and lon is not None and (wanted is None or pid in wanted)
        ]


def geocode_photos(
    catalog: Catalog,
    photo_ids: Sequence[str] | None = None,
    *,
    observer: JobObserver | None = None,
    cancel: Cancel | None = None,
) -> GeocodeResult:
    """Give every processed photo with coordinates the city they point to (rules applied)."""
    observer = observer or JobObserver()
    rules = load_rules(catalog.rules_path)
    located = _located(catalog, photo_ids)
    observer.started(len(located))
    done = changed = rejected = 0
    for batch in _chunks(located, BATCH):
        if cancel is not None and cancel.is_set():
            return GeocodeResult(done, changed, rejected, cancelled=True)
        places = reverse_geocode([(lat, lon) for _, lat, lon in batch])
        with catalog.writing() as session:
            photos = {
                p.id: p
                for p in session.scalars(select(Photo).where(Photo.id.in_([b[0] for b in batch])))
            }
            touched = []
            for (pid, _, _), place in zip(batch, places, strict=True):
                photo = photos[pid]
                verdict: Verdict = rules.check(
                    photo.date_taken, place.country_code, place.name, place.admin1
                )
                city = None if verdict.drop_place else resolve_city(session, place)
                locality = None if verdict.drop_place else place.locality
                new_city = city.id if city else None
                if photo.city_id != new_city or photo.locality != locality or verdict.is_change:
                    photo.city, photo.locality = city, locality
                    apply_verdict(photo, verdict)
                    touched.append(pid)
                    rejected += verdict.reject_reason is not None
            session.flush()
            reindex_photos(session, touched)
        changed += len(touched)
        done += len(batch)
        observer.progressed(Progress(done, len(located)))
    return GeocodeResult(done, changed, rejected)


def _chunks(
    items: list[tuple[str, float, float]], size: int
) -> Iterator[list[tuple[str, float, float]]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
