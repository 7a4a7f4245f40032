"""What a worker needs to describe one photo, read in one query as plain values."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.ai.errors import PhotoSkipped
from catalog.ai.prompt import PhotoFacts
from catalog.models import Camera, City, ExifData, Lens, Photo, Status
from catalog.places.zones import Zone
from catalog.privacy import place_may_leave


@dataclass(frozen=True)
class PhotoJob:
    photo_id: str
    content_hash: str
    facts: PhotoFacts


def load_job(session: Session, photo_id: str, zones: tuple[Zone, ...] = ()) -> PhotoJob:
    """The photo's hash and facts; raises PhotoSkipped for one that is not to be described.
    A photo inside a privacy zone is described without its place: the endpoint is not
    this machine, and what it writes would name the place on the site."""
    row = session.execute(
        select(
            Photo.content_hash,
            Photo.status,
            Photo.date_taken,
            Camera.name.label("camera"),
            Lens.name.label("lens"),
            City.name.label("city"),
            City.admin1,
            City.country_code,
            City.latitude,
            City.longitude,
            ExifData.gps_latitude,
            ExifData.gps_longitude,
        )
        .outerjoin(Camera, Camera.id == Photo.camera_id)
        .outerjoin(Lens, Lens.id == Photo.lens_id)
        .outerjoin(City, City.id == Photo.city_id)
        .outerjoin(ExifData, ExifData.photo_id == Photo.id)
        .where(Photo.id == photo_id)
    ).one_or_none()
    if row is None:
        raise PhotoSkipped(photo_id, "no such photo")
    if row.status != Status.PROCESSED.value:
        raise PhotoSkipped(photo_id, f"photo is {row.status}")
    points = ((row.latitude, row.longitude), (row.gps_latitude, row.gps_longitude))
    hidden = not place_may_leave(points, zones)
    facts = PhotoFacts(
        camera=row.camera,
        lens=row.lens,
        date_taken=row.date_taken,
        city=None if hidden else row.city,
        region=None if hidden else row.admin1 or None,
        country_code=None if hidden else row.country_code,
        latitude=None if hidden else row.latitude,
    )
    return PhotoJob(photo_id=photo_id, content_hash=row.content_hash, facts=facts)
