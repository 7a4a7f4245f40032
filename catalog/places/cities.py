"""City rows: find-or-create from a geocoded place, slugged, the owner's aliases first."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.get_or_create import insert_once
from catalog.models import City
from catalog.places.aliases import load_city_aliases, place_key
from catalog.places.geocoder import Place
from catalog.slugs import slugify, unique_slug


def named_place(session: Session, place: Place) -> tuple[str, str | None, str]:
    """Name, region and country of the City :func:`resolve_city` would give ``place``, as
    the owner named it (alias or rename), without creating anything: what rules judge."""
    city = _existing_city(session, place)
    if city is None:
        return place.name, place.admin1, place.country_code
    return city.name, city.admin1, city.country_code


def resolve_city(session: Session, place: Place) -> City:
    """The City row for a geocoded place (the owner's alias first), created on first sight;
    a city another writer creates at the same moment is used, not duplicated."""
    for _ in range(_CREATE_ATTEMPTS):
        city = _existing_city(session, place)
        if city is not None:
            return city
        values = {"name": place.name, "admin1": place.admin1,
                  "country_code": place.country_code, "latitude": place.latitude,
                  "longitude": place.longitude}  # fmt: skip
        insert_once(session, City, {"slug": _new_slug(session, place), **values})
    # Each attempt lost its slug to another city created meanwhile: rare enough to say so.
    city = _existing_city(session, place)
    if city is None:
        raise RuntimeError(f"no free link name for the city {place.name}")
    return city


_CREATE_ATTEMPTS = 3


def _existing_city(session: Session, place: Place) -> City | None:
    target_slug = load_city_aliases(session).get(
        place_key(place.name, place.admin1, place.country_code)
    )
    if target_slug is not None:
        city = session.scalar(select(City).where(City.slug == target_slug))
        if city is not None:
            return city
    return session.scalar(
        select(City).where(
            City.name == place.name,
            City.admin1 == place.admin1,
            City.country_code == place.country_code,
        )
    )


def _new_slug(session: Session, place: Place) -> str:
    """'paris-fr'; 'springfield-illinois-us' when another Springfield took the short one."""
    short = slugify(f"{place.name} {place.country_code}")
    if session.scalar(select(City.id).where(City.slug == short)) is None:
        return short
    return unique_slug(session, City, f"{place.name} {place.admin1} {place.country_code}")
