"""Test factories: photos in a catalog, settings, and generated JPEG files."""

from __future__ import annotations

import hashlib
import itertools
from datetime import datetime
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.catalog import Catalog
from catalog.models import Camera, City, ExifData, Lens, Photo, PhotoTag, Tag
from catalog.search import reindex
from catalog.settings import Settings
from catalog.slugs import slugify

_counter = itertools.count(1)


def _get_or_make(session: Session, table: type, slug: str, **fields: Any) -> Any:
    row = session.scalar(select(table).where(table.slug == slug))
    if row is None:
        row = table(slug=slug, **fields)
        session.add(row)
        session.flush()
    return row


def add_photo(
    catalog: Catalog,
    *,
    camera: str | None = "Nikon D70",
    lens: str | None = None,
    city: tuple[str, str, str] | None = None,  # (name, admin1, country_code)
    tags: tuple[str, ...] | list[str] = (),
    exif: dict[str, Any] | None = None,
    **fields: Any,
) -> Photo:
    """A processed photo row (no file on disk) with its EXIF, gear, city and tags."""
    n = next(_counter)
    values: dict[str, Any] = {
        "source_path": f"/photos/IMG_{n:05d}.jpg",
        "content_hash": hashlib.sha256(f"photo-{n}".encode()).hexdigest(),
        "file_size": 1000 + n,
        "file_mtime_ns": n,
        "format": "JPEG",
        "width": 1600,
        "height": 1067,
        "orientation": 1,
        "date_taken": datetime(2020, 1, 1, 12, 0) if "date_taken" not in fields else None,
        "phash": f"{n:016x}",
        "status": "processed",
        "visibility": "public",
    }
    values.update(fields)
    with catalog.writing() as session:
        photo = Photo(**values)
        if camera:
            make, _, model = camera.partition(" ")
            photo.camera = _get_or_make(
                session, Camera, slugify(camera), make=make, model=model, name=camera
            )
        if lens:
            photo.lens = _get_or_make(session, Lens, slugify(lens), model=lens, name=lens)
        if city:
            name, admin1, cc = city
            photo.city = _get_or_make(
                session,
                City,
                slugify(f"{name} {admin1} {cc}"),
                name=name,
                admin1=admin1,
                country_code=cc,
                latitude=0.0,
                longitude=0.0,
            )
        photo.exif = ExifData(**{"raw": "{}", **(exif or {})})
        session.add(photo)
        session.flush()
        for tag in tags:
            row = _get_or_make(session, Tag, slugify(tag), name=tag)
            session.add(PhotoTag(photo_id=photo.id, tag_id=row.id, source="owner"))
        session.flush()
        reindex(session, [photo.id])
    return photo


def make_settings(**overrides: Any) -> Settings:
    return Settings().replace(**overrides)


def make_jpeg(
    path: Path,
    size: tuple[int, int] = (640, 480),
    *,
    exif: dict[int, Any] | None = None,
    seed: int = 0,
    quality: int = 90,
) -> Path:
    """A JPEG with real detail (shapes, not flat colour) and optional EXIF tags."""
    image = Image.new("RGB", size, (40 + seed * 37 % 200, 90, 140))
    draw = ImageDraw.Draw(image)
    w, h = size
    for i in range(12):
        k = (seed * 131 + i * 71) % 997
        box = (k * w // 997, (k * 7 % 997) * h // 997, w - i * w // 30, h - i * h // 40)
        x0, x1 = sorted((box[0], box[2]))
        y0, y1 = sorted((box[1], box[3]))
        draw.ellipse(
            (x0, y0, x1, y1),
            outline=((k * 3) % 255, (k * 5) % 255, (k * 11) % 255),
            width=max(1, w // 100),
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    exif_block = Image.Exif()
    for tag, value in (exif or {}).items():
        exif_block[tag] = value
    image.save(path, "JPEG", quality=quality, exif=exif_block.tobytes())
    return path
