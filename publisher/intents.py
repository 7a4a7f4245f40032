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

from publisher.ledger import forget_objects, lookup_objects
from publisher.snapshot import referenced_keys
from publisher.storage import ObjectStore, with_retries
from publisher.tables import publish_intents

_CHUNK = 500


def announce(engine: Engine, keys: Iterable[str]) -> None:
    """Record that these objects are about to be uploaded."""
    wanted = sorted(set(keys))
    with engine.begin() as conn:
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            known = set(
                conn.scalars(select(publish_intents.c.key).where(publish_intents.c.key.in_(chunk)))
            )
            fresh = [{"key": key} for key in chunk if key not in known]
            if fresh:
                conn.execute(insert(publish_intents), fresh)


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
        with engine.connect() as conn:  # only after a killed publish: a full read is fine
            elsewhere -= referenced_keys(conn)  # what a rollback target shows stays
    stray = sorted(elsewhere)
    if stray:
        with_retries(stray[0], lambda: store.delete(stray))
        forget_objects(engine, stray)
    unsettled = wanted - set(lookup_objects(engine, wanted))  # failed uploads: keep watching
    settled = sorted(intents - unsettled)
    with engine.begin() as conn:
        for start in range(0, len(settled), _CHUNK):
            chunk = settled[start : start + _CHUNK]
            conn.execute(delete(publish_intents).where(publish_intents.c.key.in_(chunk)))
    return len(stray)
