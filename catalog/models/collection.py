"""Collections: the owner's ordered sets of photos, each with a cover."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.db import Base


class Collection(Base):
    __tablename__ = "collections"

    slug: Mapped[str] = mapped_column(String(200), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(Text, nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    cover_photo_id: Mapped[str | None] = mapped_column(ForeignKey("photos.id", ondelete="SET NULL"))

    members: Mapped[list[CollectionPhoto]] = relationship(
        back_populates="collection",
        cascade="all, delete-orphan",
        order_by="CollectionPhoto.position",
    )


class CollectionPhoto(Base):
    __tablename__ = "collection_photos"
    __table_args__ = (UniqueConstraint("collection_id", "photo_id"),)

    collection_id: Mapped[str] = mapped_column(
        ForeignKey("collections.id", ondelete="CASCADE"), nullable=False, index=True
    )
    photo_id: Mapped[str] = mapped_column(
        ForeignKey("photos.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    collection: Mapped[Collection] = relationship(back_populates="members")
