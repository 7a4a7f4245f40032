"""Canonical cameras and lenses, each with the raw EXIF strings that map to it."""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.db import Base


class Camera(Base):
    __tablename__ = "cameras"

    slug: Mapped[str] = mapped_column(String(200), unique=True, nullable=False)
    make: Mapped[str] = mapped_column(Text, nullable=False)  # "Nikon"
    model: Mapped[str] = mapped_column(Text, nullable=False)  # "D70"
    name: Mapped[str] = mapped_column(Text, nullable=False)  # "Nikon D70"

    aliases: Mapped[list[CameraAlias]] = relationship(
        back_populates="camera", cascade="all, delete-orphan"
    )


class CameraAlias(Base):
    """One raw (Make, Model) pair as cameras write it, and the camera it means."""

    __tablename__ = "camera_aliases"
    __table_args__ = (UniqueConstraint("raw_make", "raw_model"),)

    camera_id: Mapped[str] = mapped_column(
        ForeignKey("cameras.id", ondelete="CASCADE"), nullable=False, index=True
    )
    raw_make: Mapped[str] = mapped_column(Text, nullable=False, default="")
    raw_model: Mapped[str] = mapped_column(Text, nullable=False, default="")

    camera: Mapped[Camera] = relationship(back_populates="aliases")


class Lens(Base):
    __tablename__ = "lenses"

    slug: Mapped[str] = mapped_column(String(200), unique=True, nullable=False)
    make: Mapped[str | None] = mapped_column(Text)
    model: Mapped[str] = mapped_column(Text, nullable=False)
    name: Mapped[str] = mapped_column(Text, nullable=False)
    focal_min_mm: Mapped[float | None] = mapped_column(Float)
    focal_max_mm: Mapped[float | None] = mapped_column(Float)
    max_aperture: Mapped[float | None] = mapped_column(Float)  # widest f-number

    aliases: Mapped[list[LensAlias]] = relationship(
        back_populates="lens", cascade="all, delete-orphan"
    )


class LensAlias(Base):
    __tablename__ = "lens_aliases"
    __table_args__ = (UniqueConstraint("raw_make", "raw_model"),)

    lens_id: Mapped[str] = mapped_column(
        ForeignKey("lenses.id", ondelete="CASCADE"), nullable=False, index=True
    )
    raw_make: Mapped[str] = mapped_column(Text, nullable=False, default="")
    raw_model: Mapped[str] = mapped_column(Text, nullable=False, default="")

    lens: Mapped[Lens] = relationship(back_populates="aliases")
