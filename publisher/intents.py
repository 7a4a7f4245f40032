"""Write-ahead intents: the objects a publish is about to upload, written down before it does.

The ledger learns of uploads after the fact, in batches (``upload.LEDGER_FLUSH_S``), so a
publish killed in between leaves objects in the store that no table knows. If their photo is
then made private, or removed, before the next publish, nothing would ever delete them: a
photo the owner hid would stay in the bucket, at an address nobody was given but that still
answers. Writing each planned key down first closes that gap. The next publish that gets as
far as its snapshot sweeps every leftover intent: objects the site it publishes does not
use, and that no kept snapshot uses either, are deleted; intents whose upload the ledger now
records are settled. Keys, not photos, decide: a photo removed and imported again is a new
id with the same keys.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, Engine, delete, insert, select

from publisher.ledger import forget_keys, lookup_objects
from publisher.snapshot import keys_in_use
from publisher.storage import ObjectStore, store_call
from publisher.tables import publish_intents

_CHUNK = 500


def announce(engine: Engine, keys: Iterable[str]) -> None:
    """Record that these objects are about to be uploaded."""
    with engine.begin() as conn:
        _write_down(conn, keys)


def discard(engine: Engine, store: ObjectStore, keys: Iterable[str]) -> int:
    """Delete objects so that no kill can leave the ledger claiming one the store lost: the
    ledger forgets them and the intents take them, in one transaction; then the store
    deletes them; then the intents let go. Killed in between, the next sweep finishes."""
    doomed = sorted(set(keys))
    if not doomed:
        return 0
    with engine.begin() as conn:
        forget_keys(conn, doomed)
        _write_down(conn, doomed)
    store_call(doomed[0], lambda: store.delete(doomed))
    _let_go(engine, doomed)
    return len(doomed)


def _write_down(conn: Connection, keys: Iterable[str]) -> None:
    wanted = sorted(set(keys))
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        known = set(
            conn.scalars(select(publish_intents.c.key).where(publish_intents.c.key.in_(chunk)))
        )
        fresh = [{"key": key} for key in chunk if key not in known]
        if fresh:
            conn.execute(insert(publish_intents), fresh)


def _let_go(engine: Engine, keys: list[str]) -> None:
    with engine.begin() as conn:
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start : start + _CHUNK]
            conn.execute(delete(publish_intents).where(publish_intents.c.key.in_(chunk)))


def outstanding(conn: Connection) -> bool:
    """Whether a publish left intents to settle (one indexed probe)."""
    return conn.execute(select(publish_intents.c.key).limit(1)).first() is not None


def sweep(engine: Engine, store: ObjectStore, site_keys: Iterable[str]) -> int:
    """Settle leftover intents; return how many stray objects were deleted.

    ``site_keys`` are the objects of the site this publish puts live. Any other intent is a
    stray unless a kept snapshot (a rollback target) still shows it.
    """
    with engine.connect() as conn:
        intents = set(conn.scalars(select(publish_intents.c.key)))
    if not intents:
        return 0
    wanted = intents & set(site_keys)
    elsewhere = intents - wanted
    if elsewhere:
        with engine.connect() as conn:
            elsewhere -= keys_in_use(conn, elsewhere)  # what a rollback target shows stays
    stray = sorted(elsewhere)
    if stray:  # already written down: forget, delete, then let go (see discard)
        with engine.begin() as conn:
            forget_keys(conn, stray)
        store_call(stray[0], lambda: store.delete(stray))
    unsettled = wanted - set(lookup_objects(engine, wanted))  # failed uploads: keep watching
    _let_go(engine, sorted(intents - unsettled))
    return len(stray)
