"""Catalog-scoped settings (never secrets): key → JSON value."""

from __future__ import annotations

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from catalog.db import Base


class Setting(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(200), unique=True, nullable=False)
    value: Mapped[str] = mapped_column(Text, nullable=False)  # JSON


class AiCacheEntry(Base):
    """An AI answer keyed by what produced it, so the same image is never paid for twice."""

    __tablename__ = "ai_cache"

    content_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    model: Mapped[str] = mapped_column(String(200), nullable=False)
    prompt_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    result: Mapped[str] = mapped_column(Text, nullable=False)  # JSON

    __table_args__ = (UniqueConstraint("content_hash", "model", "prompt_hash"),)
