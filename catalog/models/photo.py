"""The Photo aggregate: one row per distinct image content, and its parsed EXIF."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    BigInteger,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.db import Base
from catalog.states import Status, Visibility

if TYPE_CHECKING:
    from catalog.models.gear import Camera, Lens
    from catalog.models.place import City
    from catalog.models.tag import PhotoTag


class Photo(Base):
    __tablename__ = "photos"

    source_path: Mapped[str] = mapped_column(Text, nullable=False)
    # A RAW+JPEG pair is one photo: source_path is the JPEG (thumbnails and renditions come
    # from it), companion_path the camera RAW shot with it, in the same folder (the other
    # way round when the RAW was a photo before its JPEG arrived).
    companion_path: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    file_size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    file_mtime_ns: Mapped[int] = mapped_column(BigInteger, nullable=False)
    format: Mapped[str | None] = mapped_column(String(16))
    width: Mapped[int | None] = mapped_column(Integer)  # as displayed (after orientation)
    height: Mapped[int | None] = mapped_column(Integer)
    orientation: Mapped[int | None] = mapped_column(Integer)  # the camera's (EXIF or HEIF)
    # The owner's correction on top of it, in clockwise quarter turns (0-3): thumbnails,
    # width and height already include it; the original is never rewritten.
    rotation: Mapped[int] = mapped_column(Integer, default=0, server_default="0", nullable=False)
    date_taken: Mapped[datetime | None] = mapped_column(DateTime)  # local time as the camera said
    date_taken_offset: Mapped[str | None] = mapped_column(String(8))  # "+02:00" when EXIF has it
    # "day" when the file gave a day without a time (XMP/IPTC): date_taken is then midnight,
    # where it sorts, and is shown without a time; NULL: as precise as the camera wrote it
    date_taken_precision: Mapped[str | None] = mapped_column(String(8))
    phash: Mapped[str | None] = mapped_column(String(16))  # 64-bit perceptual hash, hex
    dup_group: Mapped[str | None] = mapped_column(String(36))  # near-duplicate group for review

    title: Mapped[str | None] = mapped_column(Text)
    title_source: Mapped[str | None] = mapped_column(String(8))
    description: Mapped[str | None] = mapped_column(Text)
    description_source: Mapped[str | None] = mapped_column(String(8))
    ai_model: Mapped[str | None] = mapped_column(String(200))
    ai_prompt_version: Mapped[str | None] = mapped_column(String(64))
    ai_described_at: Mapped[datetime | None] = mapped_column(DateTime)
    ai_review: Mapped[str | None] = mapped_column(String(16))  # None | "pending" | "approved"
    ai_error: Mapped[str | None] = mapped_column(Text)
    # JSON list of the tag slugs the owner removed: a later describe never adds them back.
    ai_tags_refused: Mapped[str | None] = mapped_column(Text)

    rating: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    visibility: Mapped[str] = mapped_column(
        String(10),
        default=Visibility.PRIVATE.value,
        nullable=False,  # nothing leaves unasked
    )
    status: Mapped[str] = mapped_column(String(10), default=Status.PENDING.value, nullable=False)
    reason: Mapped[str | None] = mapped_column(Text)  # human-readable, for failed/rejected
    # When the original was found gone (drive unplugged, folder renamed); None: it is there.
    # Orthogonal to ``status``: a missing photo keeps its edits and publishes from thumbnails.
    missing_since: Mapped[datetime | None] = mapped_column(DateTime)

    camera_id: Mapped[str | None] = mapped_column(ForeignKey("cameras.id", ondelete="SET NULL"))
    lens_id: Mapped[str | None] = mapped_column(ForeignKey("lenses.id", ondelete="SET NULL"))
    city_id: Mapped[str | None] = mapped_column(ForeignKey("cities.id", ondelete="SET NULL"))
    # the nearest populated place when finer than the city ("Vanves" in Paris): never published
    locality: Mapped[str | None] = mapped_column(String(128))
    location_flag: Mapped[str | None] = mapped_column(String(64))  # e.g. "missing GPS ref"

    exif: Mapped[ExifData | None] = relationship(
        back_populates="photo", uselist=False, cascade="all, delete-orphan"
    )
    camera: Mapped[Camera | None] = relationship()
    lens: Mapped[Lens | None] = relationship()
    city: Mapped[City | None] = relationship()
    tags: Mapped[list[PhotoTag]] = relationship(
        back_populates="photo", cascade="all, delete-orphan"
    )

    __table_args__ = (
        Index("ix_photos_source_path", "source_path"),
        Index("ix_photos_status", "status"),
        Index("ix_photos_visibility", "visibility"),
        Index("ix_photos_date_taken", "date_taken", "id"),
        Index("ix_photos_created_at", "created_at", "id"),
        Index("ix_photos_camera", "camera_id"),
        Index("ix_photos_lens", "lens_id"),
        Index("ix_photos_city", "city_id"),
        Index("ix_photos_phash", "phash"),
        Index("ix_photos_dup_group", "dup_group"),
    )


class ExifData(Base):
    """Raw EXIF kept as JSON beside the parsed fields, so parsing can be redone later."""

    __tablename__ = "exif_data"

    photo_id: Mapped[str] = mapped_column(
        ForeignKey("photos.id", ondelete="CASCADE"), unique=True, nullable=False
    )
    raw: Mapped[str] = mapped_column(Text, nullable=False, default="{}")  # JSON object
    make: Mapped[str | None] = mapped_column(Text)
    model: Mapped[str | None] = mapped_column(Text)
    lens_make: Mapped[str | None] = mapped_column(Text)
    lens_model: Mapped[str | None] = mapped_column(Text)
    focal_length_mm: Mapped[float | None] = mapped_column(Float)
    focal_length_35mm: Mapped[float | None] = mapped_column(Float)
    aperture: Mapped[float | None] = mapped_column(Float)  # f-number
    exposure_time_s: Mapped[float | None] = mapped_column(Float)
    exposure_display: Mapped[str | None] = mapped_column(String(32))  # "1/250", "2.5s"
    iso: Mapped[int | None] = mapped_column(Integer)
    date_taken: Mapped[datetime | None] = mapped_column(DateTime)
    offset_time: Mapped[str | None] = mapped_column(String(8))
    gps_latitude: Mapped[float | None] = mapped_column(Float)
    gps_longitude: Mapped[float | None] = mapped_column(Float)
    gps_altitude_m: Mapped[float | None] = mapped_column(Float)
    gps_latitude_ref: Mapped[str | None] = mapped_column(String(16))  # raw, as in the file
    gps_longitude_ref: Mapped[str | None] = mapped_column(String(16))
    gps_altitude_ref: Mapped[str | None] = mapped_column(String(16))

    photo: Mapped[Photo] = relationship(back_populates="exif")
