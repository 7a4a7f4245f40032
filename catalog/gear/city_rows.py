"""The owner's city edits: merge, rename and alias, re-linking every photo.

Each records a city alias (see :mod:`catalog.places.aliases`) so that re-geocoding sends
the geocoder's name for a place to the city the owner chose.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from catalog.gear.errors import GearConflictError
from catalog.gear.names import clean_text
from catalog.gear.relink import reindex_photos, relink_photos, row_by_slug
from catalog.models import City, Photo
from catalog.places.aliases import load_city_aliases, place_key, save_city_aliases
from catalog.slugs import slugify, unique_slug


def _repoint_aliases(session: Session, old_slug: str, new_slug: str, key: str) -> None:
    aliases = load_city_aliases(session)
    aliases = {k: (new_slug if v == old_slug else v) for k, v in aliases.items()}
    aliases[key] = new_slug
    save_city_aliases(session, aliases)


def merge_cities(session: Session, source_slug: str, target_slug: str) -> int:
    """Fold one city into another: photos move, and the geocoder's name for the source
    becomes an alias of the target. Returns the number of photos moved."""
    source = row_by_slug(session, City, "city", source_slug)
    target = row_by_slug(session, City, "city", target_slug)
    if source.id == target.id:
        return 0
    key = place_key(source.name, source.admin1, source.country_code)
    _repoint_aliases(session, source.slug, target.slug, key)
    ids = relink_photos(session, Photo.city_id, source.id, target.id)
    session.execute(delete(City).where(City.id == source.id))
    session.expire_all()
    reindex_photos(session, ids)
    return len(ids)


def rename_city(session: Session, slug: str, new_name: str) -> City:
    """Give a city a new name and slug; the geocoder's name still finds it (an alias)."""
    city = row_by_slug(session, City, "city", slug)
    name = clean_text(new_name)
    if not name:
        raise ValueError("a city needs a name")
    # A city is its name in its region and country: another Springfield elsewhere in the
    # country is no clash (it only takes the longer slug), the same one in the same region is.
    clash = session.scalar(
        select(City).where(
            City.name == name,
            City.admin1 == city.admin1,
            City.country_code == city.country_code,
            City.id != city.id,
        )
    )
    if clash is not None:
        raise GearConflictError("city", name, clash.slug)
    new_slug = slugify(f"{name} {city.country_code}")
    if session.scalar(select(City.id).where(City.slug == new_slug, City.id != city.id)):
        new_slug = unique_slug(
            session, City, f"{name} {city.admin1} {city.country_code}", exclude_id=city.id
        )
    key = place_key(city.name, city.admin1, city.country_code)
    _repoint_aliases(session, city.slug, new_slug, key)
    city.name, city.slug = name, new_slug
    session.flush()
    reindex_photos(session, list(session.scalars(select(Photo.id).where(Photo.city == city))))
    return city


def add_city_alias(session: Session, name: str, admin1: str, country_code: str, slug: str) -> int:
    """Send a geocoder place (name, region, country) to a city from now on; photos already
    at that place move too. Returns the number of photos moved."""
    target = row_by_slug(session, City, "city", slug)
    aliases = load_city_aliases(session)
    aliases[place_key(name, admin1, country_code)] = target.slug
    save_city_aliases(session, aliases)
    source = session.scalar(
        select(City).where(
            City.name == name, City.admin1 == admin1, City.country_code == country_code.upper()
        )
    )
    if source is None or source.id == target.id:
        session.flush()
        return 0
    return merge_cities(session, source.slug, target.slug)
