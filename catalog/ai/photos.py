"""What a worker needs to describe one photo, read in one query as plain values."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.ai.errors import PhotoSkipped
from catalog.ai.prompt import PhotoFacts
from catalog.models import Camera, City, Lens, Photo, Status


@dataclass(frozen=True)
class PhotoJob:
    photo_id: str
    content_hash: str
    facts: PhotoFacts


def load_job(session: Session, photo_id: str) -> PhotoJob:
    """The photo's hash and facts; raises PhotoSkipped for one that is not to be described."""
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
        )
        .outerjoin(Camera, Camera.id == Photo.camera_id)
        .outerjoin(Lens, Lens.id == Photo.lens_id)
        .outerjoin(City, City.id == Photo.city_id)
        .where(Photo.id == photo_id)
    ).one_or_none()
    if row is None:
        raise PhotoSkipped(photo_id, "no such photo")
    if row.status != Status.PROCESSED.value:
        raise PhotoSkipped(photo_id, f"photo is {row.status}")
    facts = PhotoFacts(
        camera=row.camera,
        lens=row.lens,
        date_taken=row.date_taken,
        city=row.city,
        region=row.admin1 or None,
        country_code=row.country_code,
        latitude=row.latitude,
    )
    return PhotoJob(photo_id=photo_id, content_hash=row.content_hash, facts=facts)
