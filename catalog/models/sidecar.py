"""Which XMP sidecar a photo's owner values were last read from, and what of it the
catalog has no column for (hierarchical keywords, colour label, pick and reject flags)."""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from catalog.db import Base


class PhotoSidecar(Base):
    """One per photo that has (or had) a sidecar. ``size`` and ``mtime_ns`` are the
    sidecar's when it was last read or written: an import reads it again only when they
    differ, so the owner's later edits in ExifTree are never overwritten by an unchanged
    sidecar."""

    __tablename__ = "photo_sidecars"

    photo_id: Mapped[str] = mapped_column(
        ForeignKey("photos.id", ondelete="CASCADE"), unique=True, nullable=False
    )
    path: Mapped[str] = mapped_column(Text, nullable=False)
    size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    mtime_ns: Mapped[int] = mapped_column(BigInteger, nullable=False)
    # JSON: {"hierarchies": [...], "label": ..., "picked": bool, "rejected": bool}
    extras: Mapped[str] = mapped_column(Text, nullable=False, default="{}")
