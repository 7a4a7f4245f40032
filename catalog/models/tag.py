"""Tags, and which of a photo's tags the owner chose and which the AI suggested."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.db import Base

if TYPE_CHECKING:
    from catalog.models.photo import Photo


class Tag(Base):
    __tablename__ = "tags"

    slug: Mapped[str] = mapped_column(String(200), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(Text, nullable=False)


class PhotoTag(Base):
    __tablename__ = "photo_tags"
    __table_args__ = (UniqueConstraint("photo_id", "tag_id"),)

    photo_id: Mapped[str] = mapped_column(
        ForeignKey("photos.id", ondelete="CASCADE"), nullable=False, index=True
    )
    tag_id: Mapped[str] = mapped_column(
        ForeignKey("tags.id", ondelete="CASCADE"), nullable=False, index=True
    )
    source: Mapped[str] = mapped_column(String(8), nullable=False, default="owner")  # ai | owner

    photo: Mapped[Photo] = relationship(back_populates="tags")
    tag: Mapped[Tag] = relationship()
