"""Typed rows the views hand to templates: plain frozen dataclasses, no live DB objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple


class Rendition(NamedTuple):
    """One published size of a photo (a tuple: a grid card builds three per photo, and a
    frozen dataclass costs twice as much to make)."""

    size: int
    key: str
    width: int
    height: int
    bytes: int = 0


@dataclass(frozen=True)
class Card:
    """What a grid card shows."""

    id: str
    title: str | None
    description: str | None
    width: int
    height: int
    color: str
    renditions: tuple[Rendition, ...]
    camera_name: str | None = None
    focal_length_mm: float | None = None
    aperture: float | None = None
    date_taken: datetime | None = None
    first_published_at: datetime | None = None
    city_id: str | None = None

    @property
    def alt(self) -> str:
        return self.title or self.description or "Photo"

    def headline(self, city: str | None = None) -> str:
        """The title, else one made of what is known: "Canon EOS 40D · Arezzo · 2008"."""
        if self.title:
            return self.title
        year = str(self.date_taken.year) if self.date_taken else None
        return " · ".join(x for x in (self.camera_name, city, year) if x) or "Photo"

    @property
    def ratio(self) -> float:
        return self.width / self.height if self.height else 1.5

    def rendition(self, at_least: int) -> Rendition | None:
        """The smallest rendition at least ``at_least`` px on its long side, else the largest."""
        if not self.renditions:
            return None
        for rendition in self.renditions:
            if rendition.size >= at_least:
                return rendition
        return self.renditions[-1]


@dataclass(frozen=True)
class Link:
    """A named thing with its page (camera, lens, city, tag, collection)."""

    slug: str
    name: str
    count: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PhotoDetail:
    """Everything the photo page shows."""

    card: Card
    listed: bool
    exposure: str | None
    iso: int | None
    focal_length_35mm: float | None
    lens_name: str | None
    year: int | None
    camera: Link | None
    lens: Link | None
    city: Link | None
    tags: tuple[Link, ...]
    collections: tuple[Link, ...]


def renditions_from(value: Any) -> tuple[Rendition, ...]:
    """Parse the snapshot's renditions JSON, smallest first; tolerate junk entries."""
    try:  # the publisher's own entries: one pass
        out = [
            Rendition(
                int(item["size"]),
                str(item["key"]),
                int(item["width"]),
                int(item["height"]),
                int(item.get("bytes") or 0),
            )
            for item in value or ()
        ]
    except (KeyError, TypeError, ValueError, AttributeError):
        out = [r for item in value for r in _rendition(item)]
    out.sort(key=_size)
    return tuple(out)


def _rendition(item: Any) -> list[Rendition]:
    """One entry, or none if it is junk."""
    try:
        return [
            Rendition(
                size=int(item["size"]),
                key=str(item["key"]),
                width=int(item["width"]),
                height=int(item["height"]),
                bytes=int(item.get("bytes") or 0),
            )
        ]
    except (KeyError, TypeError, ValueError, AttributeError):
        return []


def _size(rendition: Rendition) -> int:
    return rendition.size
