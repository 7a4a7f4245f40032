"""Write-ahead intents: the objects a publish is about to upload, written down before it does.

The ledger learns of uploads after the fact, in batches (``upload.LEDGER_FLUSH_S``), so a
publish killed in between leaves objects in the store that no table knows. If their photo is
then made private, or removed, before the next publish, nothing would ever delete them: a
photo the owner hid would stay in the bucket, at an address nobody was given but that still
answers. Writing each planned key down first closes that gap. The next publish that gets as
far as its snapshot sweeps every leftover intent: objects of photos it no longer publishes,
and that no kept snapshot uses, are deleted; intents whose upload the ledger now records are
settled. Both cost O(what the killed publish had planned), never a listing of the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import Connection, Engine, delete, insert, select

from publisher.ledger import forget_objects, lookup_objects
from publisher.snapshot import referenced_keys
from publisher.storage import ObjectStore, with_retries
from publisher.tables import publish_intents

_CHUNK = 500


def announce(engine: Engine, keys: Mapping[str, str]) -> None:
    """Record that these objects (key -> photo id) are about to be uploaded."""
    wanted = sorted(keys)
    with engine.begin() as conn:
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            known = set(
                conn.scalars(select(publish_intents.c.key).where(publish_intents.c.key.in_(chunk)))
            )
            fresh = [{"key": k, "photo_id": keys[k]} for k in chunk if k not in known]
            if fresh:
                conn.execute(insert(publish_intents), fresh)


def outstanding(conn: Connection) -> bool:
    """Whether a publish left intents to settle (one indexed probe)."""
    return conn.execute(select(publish_intents.c.key).limit(1)).first() is not None


def sweep(engine: Engine, store: ObjectStore, published_ids: Iterable[str]) -> int:
    """Settle leftover intents; return how many stray objects were deleted.

    ``published_ids`` are the photos this publish puts on the site. An intent for any other
    photo is stray unless a kept snapshot (rollback) still shows that object.
    """
    with engine.connect() as conn:
        intents: dict[str, str] = {key: pid for key, pid in conn.execute(select(publish_intents))}
    if not intents:
        return 0
    published = set(published_ids)
    stale = {key: pid for key, pid in intents.items() if pid not in published}
    with engine.connect() as conn:
        in_use = referenced_keys(conn, set(stale.values())) if stale else set()
    stray = sorted(set(stale) - in_use)
    if stray:
        with_retries(stray[0], lambda: store.delete(stray))
        forget_objects(engine, stray)
    recorded = lookup_objects(engine, [key for key in intents if key not in stale])
    settled = sorted(set(stale) | set(recorded))  # the rest failed to upload: keep watching
    with engine.begin() as conn:
        for start in range(0, len(settled), _CHUNK):
            chunk = settled[start : start + _CHUNK]
            conn.execute(delete(publish_intents).where(publish_intents.c.key.in_(chunk)))
    return len(stray)
