"""Small values the catalog remembers between runs (the last publish, for the dashboard),
kept in the ``settings`` table under their own keys, apart from the owner's settings."""

from __future__ import annotations

from sqlalchemy import select

from catalog.catalog import Catalog
from catalog.models import Setting


def read_note(catalog: Catalog, key: str) -> str | None:
    """The value stored under ``key``, or None."""
    with catalog.reading() as session:
        return session.scalar(select(Setting.value).where(Setting.key == key))


def write_note(catalog: Catalog, key: str, value: str) -> None:
    """Store ``value`` under ``key``, replacing what was there."""
    with catalog.writing() as session:
        row = session.scalar(select(Setting).where(Setting.key == key))
        if row is None:
            session.add(Setting(key=key, value=value))
        else:
            row.value = value
