"""Database plumbing: engine, SQLite pragmas, the declarative base and column helpers.

Kept apart from the photo concepts in ``catalog.models`` (as beets splits ``dbcore`` from
``library``): nothing here knows what a photo is.
"""

from __future__ import annotations

import contextlib
import sqlite3
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Engine, String, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def new_id() -> str:
    """A new UUID primary key, as its canonical 36-character string."""
    return str(uuid.uuid4())


def utcnow() -> datetime:
    """Timestamps are stored naive, in UTC."""
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    """Every catalog table: a UUID primary key and created/updated timestamps."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow, nullable=False
    )


BUSY_TIMEOUT_S = 10.0  # how long a write waits for another writer before "busy"


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:  # DBAPI objects: untyped
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
    # Switching to WAL needs the database to itself, and fails at once (no busy wait) while
    # another process writes: switch only a catalog not in WAL yet, and if another process
    # holds it right now, a later connection switches it.
    if str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
        with contextlib.suppress(sqlite3.OperationalError):
            cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable across app crashes
    cursor.close()


def make_engine(db_path: Path) -> Engine:
    """An engine on the catalog's SQLite file in WAL mode, foreign keys enforced."""
    engine = create_engine(
        f"sqlite:///{db_path}",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_S},
    )
    event.listen(engine, "connect", _set_sqlite_pragmas)
    return engine


def is_busy(error: BaseException) -> bool:
    """Whether ``error`` means another writer holds the catalog (SQLite's "database is
    locked"), so a front end can say "busy, try again" without knowing the driver."""
    from sqlalchemy.exc import OperationalError

    return isinstance(error, OperationalError) and "locked" in str(error.orig)


def damage_of(error: BaseException) -> str | None:
    """What SQLite said when ``error`` means the catalog file is damaged (found while
    reading, past the checks made at open), else None."""
    from sqlalchemy.exc import DatabaseError

    if not isinstance(error, DatabaseError):
        return None
    said = str(error.orig)
    return said if "malformed" in said or "not a database" in said else None
