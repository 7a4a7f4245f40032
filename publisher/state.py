"""The newest snapshot in brief: a digest per open row, and each photo's renditions.

Saved in ``publish_state`` in the same transaction as its publish, so it is exactly as
current as the snapshot; a full publish then diffs against this one row instead of reading
every open row back. If it is missing (an older database) or empty (an incremental publish
wrote it: publisher/incremental/ reads the open rows it needs by key), it is rebuilt from
the open rows.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from publisher.tables import publish_state
from webviewer import schema

NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "photos": ("id",),
    "cameras": ("id",),
    "lenses": ("id",),
    "cities": ("id",),
    "tags": ("id",),
    "photo_tags": ("photo_id", "tag_id"),
    "collections": ("id",),
    "collection_photos": ("collection_id", "photo_id"),
    "site": ("key",),
}
TEMPORAL = ("row_id", "valid_from", "valid_to")
COLUMNS = {
    t.name: tuple(c.name for c in t.columns if c.name not in TEMPORAL)
    for t in schema.VERSIONED_TABLES
}
_VALUES = {name: itemgetter(*columns) for name, columns in COLUMNS.items()}
Row = dict[str, Any]
RowLike = Mapping[Any, Any]  # a Row, or a SQLAlchemy RowMapping (its keys may be columns too)
Renditions = tuple[list[dict[str, Any]], str | None]  # (renditions JSON, placeholder colour)


@dataclass
class SnapshotState:
    seq: int | None  # the newest publish these rows belong to (None: nothing published)
    rows: dict[str, dict[str, tuple[int, str]]] = field(default_factory=dict)  # key -> id, digest
    renditions: dict[str, Renditions] = field(default_factory=dict)
    first_published: dict[str, datetime] = field(default_factory=dict)

    def table(self, name: str) -> dict[str, tuple[int, str]]:
        return self.rows.setdefault(name, {})


def row_key(table: str, row: RowLike) -> str:
    return "\x1f".join(str(row[k]) for k in NATURAL_KEYS[table])


def digest(table: str, row: RowLike) -> str:
    """A short fingerprint of a row's visible values (repr is stable for our value types)."""
    values = repr(_VALUES[table](row))
    return hashlib.blake2b(values.encode(), digest_size=10).hexdigest()


def newest_seq(conn: Connection) -> int | None:
    return conn.scalar(select(func.max(schema.publishes.c.seq)))


def live_seq(conn: Connection) -> int | None:
    p = schema.publishes
    return conn.scalar(select(func.max(p.c.seq)).where(p.c.state == schema.LIVE))


def load_state(conn: Connection) -> SnapshotState:
    """The saved state of the newest publish, else one rebuilt from the open rows."""
    seq = newest_seq(conn)
    if seq is None:
        return SnapshotState(None)
    text = conn.scalar(select(publish_state.c.state).where(publish_state.c.seq == seq))
    if not text:  # none saved, or an incremental publish's (its open rows are the state)
        return state_from_rows(conn, seq)
    data = json.loads(text)
    return SnapshotState(
        seq,
        {t: {k: (v[0], v[1]) for k, v in rows.items()} for t, rows in data["rows"].items()},
        {pid: (r[0], r[1]) for pid, r in data["renditions"].items()},
        {pid: datetime.fromisoformat(v) for pid, v in data["first"].items()},
    )


def state_from_rows(conn: Connection, seq: int) -> SnapshotState:
    """The slow way: read every open row (used once, when no state was saved)."""
    state = SnapshotState(seq)
    for table in schema.VERSIONED_TABLES:
        rows = state.table(table.name)
        for row in conn.execute(select(table).where(table.c.valid_to.is_(None))).mappings():
            rows[row_key(table.name, row)] = (row["row_id"], digest(table.name, row))
            if table.name == "photos":
                state.renditions[row["id"]] = (row["renditions"], row["placeholder_color"])
                state.first_published[row["id"]] = row["first_published_at"]
    return state


def stored_fingerprint(conn: Connection) -> str | None:
    """The fingerprint saved with the newest publish's state, if that publish is live."""
    seq = newest_seq(conn)
    if seq is None or seq != live_seq(conn):
        return None
    query = select(publish_state.c.fingerprint).where(publish_state.c.seq == seq)
    return conn.scalar(query)


def set_fingerprint(conn: Connection, seq: int | None, fingerprint: str | None) -> None:
    """Remember that the newest state also answers for this catalog fingerprint."""
    if seq is not None:
        conn.execute(
            update(publish_state).where(publish_state.c.seq == seq).values(fingerprint=fingerprint)
        )


def save_marker(conn: Connection, seq: int, fingerprint: str | None) -> None:
    """An incremental publish's state: no JSON (the open rows are the state), the fingerprint."""
    conn.execute(publish_state.delete())
    conn.execute(insert(publish_state).values(seq=seq, state="", fingerprint=fingerprint))


def save_state(conn: Connection, state: SnapshotState, fingerprint: str | None = None) -> None:
    """Store ``state`` for its publish and drop older ones (only the newest is ever read)."""
    data = {
        "rows": {t: {k: list(v) for k, v in rows.items()} for t, rows in state.rows.items()},
        "renditions": {pid: list(r) for pid, r in state.renditions.items()},
        "first": {pid: v.isoformat() for pid, v in state.first_published.items() if v},
    }
    conn.execute(publish_state.delete())
    conn.execute(
        insert(publish_state).values(seq=state.seq, state=json.dumps(data), fingerprint=fingerprint)
    )
