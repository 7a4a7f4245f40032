"""The publish ledger: which objects the store holds, kept in the snapshot database.

It lives beside the viewer's tables (with its own MetaData: the viewer never reads it), so a
no-change publish learns what is uploaded with one query instead of one request per object.
``--verify`` reconciles it with a listing of the store (keys and sizes).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, delete, insert, select

from publisher.storage import ObjectStore, store_call
from publisher.tables import publish_objects as published_objects


@dataclass(frozen=True)
class LedgerEntry:
    key: str
    content_hash: str
    size: int
    width: int
    height: int
    bytes: int
    placeholder_color: str | None
    uploaded_at: datetime


def load_ledger(engine: Engine) -> dict[str, LedgerEntry]:
    """Every object the store is known to hold, by key."""
    with engine.connect() as conn:
        rows = conn.execute(select(published_objects)).all()
    return {row.key: LedgerEntry(**row._asdict()) for row in rows}


def record_objects(engine: Engine, entries: Iterable[LedgerEntry]) -> None:
    """Remember uploaded objects (idempotent: a key already recorded is left alone)."""
    batch = [e.__dict__ for e in entries]
    if not batch:
        return
    with engine.begin() as conn:
        known = set(
            conn.scalars(
                select(published_objects.c.key).where(
                    published_objects.c.key.in_([e["key"] for e in batch])
                )
            )
        )
        fresh = [e for e in batch if e["key"] not in known]
        if fresh:
            conn.execute(insert(published_objects), fresh)


def lookup_objects(engine: Engine, keys: Iterable[str]) -> dict[str, LedgerEntry]:
    """The ledger entries for just these keys (the common, small case)."""
    wanted = sorted(set(keys))
    found: dict[str, LedgerEntry] = {}
    with engine.connect() as conn:
        for start in range(0, len(wanted), 500):
            query = select(published_objects).where(
                published_objects.c.key.in_(wanted[start : start + 500])
            )
            found.update((r.key, LedgerEntry(**r._asdict())) for r in conn.execute(query))
    return found


def keys_of_photos(engine: Engine, content_hashes: Iterable[str]) -> set[str]:
    """Every recorded object of these photos, whatever snapshot (or none) uses it."""
    hashes = sorted(set(content_hashes))
    keys: set[str] = set()
    with engine.connect() as conn:
        for start in range(0, len(hashes), 500):
            query = select(published_objects.c.key).where(
                published_objects.c.content_hash.in_(hashes[start : start + 500])
            )
            keys.update(conn.scalars(query))
    return keys


def forget_objects(engine: Engine, keys: Iterable[str]) -> None:
    """Drop keys the store no longer holds (found missing by --verify)."""
    with engine.begin() as conn:
        forget_keys(conn, keys)


def forget_keys(conn: Connection, keys: Iterable[str]) -> None:
    """Drop keys from the ledger, inside the caller's transaction."""
    batch = list(keys)
    for start in range(0, len(batch), 500):
        chunk = batch[start : start + 500]
        conn.execute(delete(published_objects).where(published_objects.c.key.in_(chunk)))


def verify_ledger(engine: Engine, store: ObjectStore) -> tuple[list[str], list[str]]:
    """Forget ledger entries the store does not hold intact (absent, or of another size than
    was uploaded: an upload cut short), so they are uploaded again; return (missing, damaged).
    """
    present = store_call(store.description, store.list_objects)
    ledger = load_ledger(engine)
    missing = sorted(set(ledger) - set(present))
    damaged = sorted(k for k, e in ledger.items() if k in present and present[k] != e.bytes)
    forget_objects(engine, missing + damaged)
    return missing, damaged
