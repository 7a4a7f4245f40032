"""Full-text search: PostgreSQL ``tsvector`` over ``search_text``, SQLite FTS5 for a local file.

PostgreSQL uses the expression ``to_tsvector('simple', coalesce(search_text, ''))`` so a GIN
index on that expression serves it. A SQLite snapshot is opened read-only, so its FTS5
index is built in memory once per publish.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from typing import Any

from sqlalchemy import ColumnElement, Connection, func, literal_column, select

from webviewer import schema as s
from webviewer.queries import listed_photos

MAX_RESULTS = 5000
_SIMPLE: ColumnElement[Any] = literal_column("'simple'::regconfig")
_WORD = re.compile(r"\w+", re.UNICODE)


def words(q: str) -> list[str]:
    """The query's words, lower-cased; punctuation is dropped (it carries no search meaning)."""
    return [w.lower() for w in _WORD.findall(q)][:12]


def tsvector_expression() -> ColumnElement[Any]:
    """The indexed expression (keep in step with the GIN index in schema.py)."""
    return func.to_tsvector(_SIMPLE, func.coalesce(s.photos.c.search_text, literal_column("''")))


def postgres_matches(conn: Connection, seq: int, q: str) -> list[str]:
    """Listed photo ids whose text holds every word (as a prefix)."""
    terms = words(q)
    if not terms:
        return []
    tsquery = " & ".join(f"{term}:*" for term in terms)
    match = tsvector_expression().op("@@")(func.to_tsquery(_SIMPLE, tsquery))
    query = (  # ordered, so every worker and every page of the results cuts at the same place
        select(s.photos.c.id).where(listed_photos(seq), match).order_by(s.photos.c.id)
    ).limit(MAX_RESULTS)
    return list(conn.execute(query).scalars())


class MemoryIndex:
    """An in-memory FTS5 table of one publish's listed photos (for SQLite snapshots)."""

    def __init__(self, conn: Connection, seq: int) -> None:
        query = select(s.photos.c.id, s.photos.c.search_text).where(listed_photos(seq))
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._lock = threading.Lock()
        self._db.execute("CREATE VIRTUAL TABLE fts USING fts5(id UNINDEXED, body)")
        self._db.executemany(
            "INSERT INTO fts (id, body) VALUES (?, ?)",
            ((row.id, row.search_text or "") for row in conn.execute(query)),
        )

    def matches(self, q: str) -> list[str]:
        terms = words(q)
        if not terms:
            return []
        expression = " ".join(f'"{term}"*' for term in terms)
        with self._lock:
            rows = self._db.execute(
                "SELECT id FROM fts WHERE fts MATCH ? LIMIT ?", (expression, MAX_RESULTS)
            ).fetchall()
        return [row[0] for row in rows]
