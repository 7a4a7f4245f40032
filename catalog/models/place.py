"""Cities found by offline reverse geocoding: the only level of place ever published."""

from __future__ import annotations

from sqlalchemy import Float, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from catalog.db import Base


class City(Base):
    __tablename__ = "cities"
    __table_args__ = (UniqueConstraint("name", "admin1", "country_code"),)

    slug: Mapped[str] = mapped_column(String(200), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(Text, nullable=False)
    admin1: Mapped[str] = mapped_column(Text, nullable=False, default="")  # region / state
    country_code: Mapped[str] = mapped_column(String(2), nullable=False)
    latitude: Mapped[float] = mapped_column(Float, nullable=False)  # the city's, not a photo's
    longitude: Mapped[float] = mapped_column(Float, nullable=False)
