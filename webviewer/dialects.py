"""Where a SQLite snapshot and a PostgreSQL one differ, in one place.

The snapshot contract (``webviewer/schema.py``) is the same on both; what differs is how a
connection is opened (the viewer's read-only pools, the publisher's writer), how writers
take turns, and how full-text search is indexed and asked. Everything else in the viewer
and the publisher is dialect-free SQLAlchemy and asks :func:`dialect_of` when it must.
The publisher may import this module and ``schema`` only (see pyproject's import-linter).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import (
    ARRAY,
    Connection,
    Engine,
    Integer,
    String,
    any_,
    bindparam,
    create_engine,
    event,
    func,
    literal_column,
    select,
    text,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import QueuePool
from sqlalchemy.sql import Select
from sqlalchemy.sql.elements import ColumnElement

from webviewer import schema as s

MAX_RESULTS = 5000
_WORD = re.compile(r"[^\W_]+")  # letters and digits: the words both indexes hold
# Renders run on at most 16 threads (webviewer.views.base.RENDER_THREADS) and the few other
# reads in anyio's threadpool (at most 40 at once): with as many pooled SQLite connections
# no request waits for one.
SQLITE_READERS = 40
# PostgreSQL connections per worker process: enough that threads rarely queue for one on
# a page of one or two queries, few enough that N workers × PG_READERS stays well under the
# server's max_connections (100 by default).
PG_READERS = 12
_PUBLISH_LOCK_KEY = 7306  # session lock of a whole publish (pg_advisory_lock)
_WRITE_LOCK_KEY = 7305  # transaction lock of a snapshot write (pg_advisory_xact_lock)
_COMPILED: dict[Select[Any], tuple[str, dict]] = {}  # statement → its PostgreSQL text, values
_RAW_DECODE = json.JSONDecoder().raw_decode


class UnsupportedDatabase(ValueError):
    """A snapshot URL for a database other than SQLite or PostgreSQL."""


def words(q: str) -> list[str]:
    """A query's words, lower-cased; punctuation is dropped (it carries no search meaning).
    Both dialects search for these words, each as a prefix, all of them."""
    return [w.lower() for w in _WORD.findall(q)][:12]


def normalise_url(url: str) -> str:
    """Hosts hand out ``postgres://``; SQLAlchemy wants a driver name."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Dialect:
    """What one kind of snapshot database does its own way."""

    name: ClassVar[str]
    has_password: ClassVar[bool] = False  # a server login, kept in the keyring

    def is_missing(self, url: URL) -> bool:
        """Nothing was ever published there (a file that does not exist yet)."""
        return False

    def reader_engine(self, url: URL, statement_timeout_ms: int, pool_timeout_s: float) -> Engine:
        """The viewer's engine: every connection read-only."""
        raise NotImplementedError

    def writer_engine(self, url: URL) -> Engine:
        """The publisher's engine."""
        raise NotImplementedError

    def first(self, conn: Connection, statement: Select[Any], params: dict[str, Any]) -> Any:
        """The first row of a prebuilt ``statement`` (None if none): the hot reads of cold
        pages. Rows have attributes named as the statement's columns."""
        return conn.execute(statement, params).first()

    def rows(self, conn: Connection, statement: Select[Any], params: dict[str, Any]) -> list:
        """Every row of a prebuilt ``statement``, as ``first`` reads them."""
        return list(conn.execute(statement, params).all())

    def any_of(self, column: Any, name: str) -> ColumnElement[bool]:
        """``column`` is one of the list bound as ``name`` (a statement built once)."""
        return column.in_(bindparam(name, expanding=True))

    def create_search_index(self, conn: Connection) -> None:
        """Create (if missing) and fill the full-text index of ``photos.search_text``."""
        raise NotImplementedError

    def text_matches(self, conn: Connection, seq: int, q: str) -> list[str]:
        """Listed photo ids of publish ``seq`` whose text holds every word of ``q`` as a
        prefix, ordered by id (so every worker and every page cuts at the same place)."""
        raise NotImplementedError

    def lock_writes(self, conn: Connection) -> None:
        """Within a write transaction: one snapshot writer at a time."""

    @contextmanager
    def publish_lock(self, engine: Engine) -> Iterator[bool]:
        """Hold the target's publish lock for the block: yields False if another holds it."""
        yield True

    def _listed_ids(self, match: ColumnElement[Any], seq: int | ColumnElement[int]) -> Any:
        listed = s.visible_in(s.photos, seq) & s.photos.c.listed.is_(True)
        return select(s.photos.c.id).where(listed, match).order_by(s.photos.c.id).limit(MAX_RESULTS)


class SQLiteDialect(Dialect):
    """A snapshot file: the local target and ``exiftree serve``."""

    name = "sqlite"

    def is_missing(self, url: URL) -> bool:
        return not Path(url.database or "").exists()

    def reader_engine(self, url: URL, statement_timeout_ms: int, pool_timeout_s: float) -> Engine:
        """A pool of read-only connections, each used by one thread at a time.

        A ``QueuePool`` hands a connection to one thread until it is returned. (The engine
        this replaces had SQLAlchemy's default for a ``creator`` on ``sqlite://``, a
        ``SingletonThreadPool`` of 5: with more threads than that it closed connections other
        threads were still reading from, and ``exiftree serve`` segfaulted in libsqlite3 under
        32 concurrent visitors.) ``mode=ro`` makes read-only a property of the file handle;
        ``immutable=1`` is not used because a publish rewrites the same file in place while
        the preview runs, and an immutable connection would never see it change.
        """
        path = Path(url.database or "")
        if not path.is_file():
            raise FileNotFoundError(f"no snapshot file at {path}")
        uri = f"{path.resolve().as_uri()}?mode=ro"

        def connect() -> sqlite3.Connection:
            # check_same_thread=False only lets the pool hand a connection to the next
            # thread; the pool guarantees one thread uses it at a time.
            conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            conn.execute("PRAGMA query_only = ON")
            return conn

        return create_engine(
            "sqlite://",
            creator=connect,
            poolclass=QueuePool,
            pool_size=SQLITE_READERS,
            max_overflow=8,
            pool_timeout=pool_timeout_s,
        )

    def writer_engine(self, url: URL) -> Engine:
        Path(url.database or "").parent.mkdir(parents=True, exist_ok=True)
        return create_engine(url, connect_args={"timeout": 30})  # SQLite serialises writers

    def create_search_index(self, conn: Connection) -> None:
        for statement in s.SQLITE_SEARCH_DDL:
            conn.execute(text(statement))
        conn.execute(text("INSERT INTO photos_fts (photos_fts) VALUES ('rebuild')"))

    def text_matches(self, conn: Connection, seq: int, q: str) -> list[str]:
        terms = words(q)
        if not terms:
            return []
        expression = " ".join(f'"{term}"*' for term in terms)  # FTS5: all, each a prefix
        matching = text("SELECT rowid FROM photos_fts WHERE photos_fts MATCH :q").bindparams(
            q=expression
        )
        match = s.photos.c.row_id.in_(matching.columns(literal_column("rowid")))
        return list(conn.execute(self._listed_ids(match, seq)).scalars())

    @contextmanager
    def publish_lock(self, engine: Engine) -> Iterator[bool]:
        """A lock file beside the snapshot (filelock: ``flock`` on POSIX, ``msvcrt.locking``
        on Windows; imported here, since only the publisher takes this lock)."""
        from filelock import FileLock, Timeout

        database = engine.url.database
        if not database or database == ":memory:":
            yield True
            return
        lock = FileLock(Path(database).with_name(Path(database).name + ".lock"), timeout=0)
        try:
            lock.acquire()
        except Timeout:
            yield False
            return
        try:
            yield True
        finally:
            lock.release()


class PostgresDialect(Dialect):
    """A PostgreSQL server: production."""

    name = "postgresql"
    has_password = True
    _SIMPLE: ClassVar[ColumnElement[Any]] = literal_column("'simple'::regconfig")

    def reader_engine(self, url: URL, statement_timeout_ms: int, pool_timeout_s: float) -> Engine:
        options = f"-c default_transaction_read_only=on -c statement_timeout={statement_timeout_ms}"
        # Autocommit saves the BEGIN and ROLLBACK round trips; every implicit transaction is
        # still read-only, and a request needs no multi-statement snapshot: rows visible at
        # a publish seq never change (a publish only closes rows at a newer seq).
        # No pre-ping: it was a round trip per checkout (9 % of a cold photo page's CPU);
        # a connection found dead is retried once by SnapshotDB.run instead. A steady pool
        # (no overflow churn: each overflow connection was a new backend, closed on return)
        # keeps psycopg's prepared statements, so PostgreSQL plans each query once per
        # connection rather than per request.
        engine = create_engine(
            url,
            isolation_level="AUTOCOMMIT",
            pool_size=PG_READERS,
            max_overflow=0,
            pool_timeout=pool_timeout_s,
            connect_args={"options": options, "connect_timeout": 5},
        )
        event.listen(engine, "connect", _read_json_fast)
        return engine

    def writer_engine(self, url: URL) -> Engine:
        return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 5})

    def first(self, conn: Connection, statement: Select[Any], params: dict[str, Any]) -> Any:
        """On psycopg's own cursor: SQLAlchemy's execution and row processing cost more CPU
        (~0.3 ms a photo page) than the rest of the read."""
        return self._raw(conn, statement, params, lambda cursor: cursor.fetchone())

    def rows(self, conn: Connection, statement: Select[Any], params: dict[str, Any]) -> list:
        return self._raw(conn, statement, params, lambda cursor: cursor.fetchall())

    def any_of(self, column: Any, name: str) -> ColumnElement[bool]:
        """``= ANY(array)``: one statement text for any number of ids (``IN`` expands)."""
        return column == any_(bindparam(name, type_=ARRAY(String)))

    def _raw(
        self, conn: Connection, statement: Select[Any], params: dict[str, Any], fetch: Any
    ) -> Any:
        """The statement compiled once, run on the DBAPI cursor. An error is raised as
        SQLAlchemy would (a lost server invalidates the connection), so ``SnapshotDB.run``
        retries and answers 503 the same way."""
        from psycopg import Error
        from psycopg.rows import namedtuple_row

        found = _COMPILED.get(statement)
        if found is None:
            compiled = statement.compile(dialect=conn.dialect)
            found = _COMPILED[statement] = (compiled.string, compiled.params)  # e.g. a LIMIT
        sql, fixed = found
        raw: Any = conn.connection.dbapi_connection  # a psycopg.Connection
        try:
            with raw.cursor(row_factory=namedtuple_row) as cursor:
                cursor.execute(sql, {**fixed, **params})
                return fetch(cursor)
        except Error as exc:
            lost = conn.dialect.is_disconnect(exc, raw, None)  # type: ignore[arg-type]
            if lost:
                conn.invalidate(exc)
            raise DBAPIError.instance(
                sql, params, exc, Error, connection_invalidated=lost, dialect=conn.dialect
            ) from exc

    def create_search_index(self, conn: Connection) -> None:
        """(Re)made: version 1 indexed another expression under the same name."""
        conn.execute(text("DROP INDEX IF EXISTS ix_photos_search_fts"))
        for index in s.photos.indexes:
            if index.name == "ix_photos_search_fts":
                index.create(conn)

    def text_matches(self, conn: Connection, seq: int, q: str) -> list[str]:
        terms = words(q)
        if not terms:
            return []
        tsquery = " & ".join(f"{term}:*" for term in terms)
        rows = self.rows(conn, _PG_TEXT_MATCHES, {"seq": seq, "tsquery": tsquery})
        return [row[0] for row in rows]

    def lock_writes(self, conn: Connection) -> None:
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _WRITE_LOCK_KEY})

    @contextmanager
    def publish_lock(self, engine: Engine) -> Iterator[bool]:
        """A session-level advisory lock, held by one connection for the block."""
        with engine.connect() as conn:
            key = {"key": _PUBLISH_LOCK_KEY}
            if not conn.scalar(text("SELECT pg_try_advisory_lock(:key)"), key):
                yield False
                return
            try:
                yield True
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), key)
                conn.commit()


def _json_loads(data: str | bytes) -> Any:
    """``json.loads`` without its per-call encoding sniffing and whitespace regex (a third
    of decoding a grid card's renditions); PostgreSQL hands over valid JSON text."""
    text = data if isinstance(data, str) else data.decode()
    try:
        return _RAW_DECODE(text)[0]
    except ValueError:  # e.g. leading whitespace, kept by the json type: the full parser
        return json.loads(text)


def _read_json_fast(dbapi_connection: Any, _record: Any) -> None:
    """Each reader connection decodes json/jsonb with ``_json_loads``."""
    from psycopg.types.json import set_json_loads

    set_json_loads(_json_loads, dbapi_connection)


_PG_TEXT_MATCHES = Dialect()._listed_ids(
    s.POSTGRES_SEARCH_DOCUMENT.op("@@")(
        func.to_tsquery(PostgresDialect._SIMPLE, bindparam("tsquery", type_=String))
    ),
    bindparam("seq", type_=Integer),
)

DIALECTS: dict[str, Dialect] = {d.name: d for d in (SQLiteDialect(), PostgresDialect())}


def dialect_of(where: str | URL | Engine | Connection) -> Dialect:
    """The dialect of a snapshot URL, engine or connection."""
    if isinstance(where, (Engine, Connection)):
        name = where.dialect.name
    else:
        name = make_url(where).get_backend_name()
    try:
        return DIALECTS[name]
    except KeyError:
        raise UnsupportedDatabase(
            f"the snapshot database must be PostgreSQL or SQLite, not {name}"
        ) from None
