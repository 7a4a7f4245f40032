"""Garbage collection, after the snapshot commit: delete objects no kept snapshot uses.

Old snapshots are kept (for rollback) with their objects, so an object a publish stops
using is deleted only when the last kept snapshot using it is pruned, and never while a
snapshot using it may still be on a visitor's screen (``REPLACED_GRACE_S``) — pages cached
by browsers and CDNs keep working meanwhile. A photo made private is the exception: its rows
are erased at once, so all its objects are deleted in the very publish that hides it.
Normally only the pruned rows' objects are examined; ``full`` (``--verify``/``--force``)
compares the whole ledger with every kept row. Objects a killed publish uploaded for a photo
that is gone by the next publish are found through the intents (:mod:`publisher.intents`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Engine

from publisher import intents
from publisher.ledger import keys_of_photos, load_ledger
from publisher.snapshot import KEEP_SNAPSHOTS, REPLACED_GRACE_S, prune_snapshots, referenced_keys
from publisher.storage import ObjectStore


@dataclass(frozen=True)
class GcResult:
    deleted_objects: int


def collect_garbage(
    engine: Engine,
    store: ObjectStore,
    *,
    keep: int = KEEP_SNAPSHOTS,
    grace_s: float = REPLACED_GRACE_S,
    purged_hashes: Iterable[str] = (),
    full: bool = False,
) -> GcResult:
    """Prune row versions older than the kept snapshots, then delete unused objects."""
    garbage = prune_snapshots(engine, keep, grace_s) | keys_of_photos(engine, purged_hashes)
    if full:
        with engine.connect() as conn:
            garbage |= set(load_ledger(engine)) - referenced_keys(conn)
    return GcResult(intents.discard(engine, store, garbage))
