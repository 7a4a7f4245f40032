"""Read-only access to the snapshot: read-only is a property of the connection.

SQLite snapshots are opened with ``mode=ro``; PostgreSQL sessions start with
``default_transaction_read_only`` and a ``statement_timeout``. The live publish is looked
up at most once per ``publish_check_s`` so a request normally costs no extra round trip.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import Connection, Engine, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from webviewer import schema
from webviewer.dialects import UnsupportedDatabase, dialect_of
from webviewer.errors import SnapshotUnavailable, UnknownSnapshotVersion

T = TypeVar("T")
log = logging.getLogger("webviewer")


@dataclass(frozen=True)
class Publish:
    """The live publish: ``seq`` selects rows, ``id`` seeds ETags and caches."""

    seq: int
    id: str


def make_engine(url: str, statement_timeout_ms: int, pool_timeout_s: float = 5) -> Engine:
    """An engine whose every connection is read-only; a read that waits ``pool_timeout_s``
    for a free connection gives up (a 503, see ``SnapshotDB.run``)."""
    try:
        dialect = dialect_of(url)
        return dialect.reader_engine(make_url(url), statement_timeout_ms, pool_timeout_s)
    except (UnsupportedDatabase, FileNotFoundError) as exc:
        raise SnapshotUnavailable(str(exc)) from exc


class SnapshotDB:
    """The engine plus the cached live publish; every read goes through ``read()``.

    With read replicas, ``fallbacks`` are the other databases in order (replicas, then the
    primary). A process reads from ONE database at a time: the live publish it caches and
    the rows it reads must come from the same server, or a replica that lags would be
    asked for rows of a publish it has not received yet. Each worker process starts on a
    replica of its own (by process id), so N workers spread over the replicas; when the
    current database is unavailable, the process moves to the next one and stays there.
    """

    def __init__(
        self, engine: Engine, publish_check_s: float = 1.0, fallbacks: Sequence[Engine] = ()
    ) -> None:
        self._engines = [engine, *fallbacks]
        replicas = max(1, len(self._engines) - 1)  # the primary (last) is the last resort
        self._current = os.getpid() % replicas if fallbacks else 0
        self.engine = self._engines[self._current]
        self.dialect = dialect_of(engine)
        self._publish_check_s = publish_check_s
        self._live: tuple[float, Publish] | None = None
        # The publish the latest lookup found live (kept across a move to another server):
        # what the per-publish caches keep; a request still reading an earlier one is not.
        self.last_live: Publish | None = None
        self._lock = threading.Lock()
        self._switch_lock = threading.Lock()

    def run(self, work: Callable[[Connection], T]) -> T:
        """``work`` on the current database; when it is unavailable, on the next one."""
        for _ in range(len(self._engines) - 1):
            engine = self.engine
            try:
                return self._run_on(engine, work)
            except SnapshotUnavailable as exc:
                log.warning("snapshot database unavailable (%s): trying the next", exc)
                with self._switch_lock:  # not _lock: live_publish holds it while reading
                    if self.engine is engine:  # another thread may have moved already
                        self._current = (self._current + 1) % len(self._engines)
                        self.engine = self._engines[self._current]
                        self._live = None  # the next server's live publish may differ
        return self._run_on(self.engine, work)

    def _run_on(self, engine: Engine, work: Callable[[Connection], T]) -> T:
        """``work`` in a read-only transaction; a lost server is retried once, then a 503."""
        for attempt in (1, 2):
            try:
                with engine.connect() as conn:
                    try:
                        return work(conn)
                    finally:
                        conn.rollback()
            except PoolTimeout as exc:  # every connection busy for pool_timeout: overloaded
                raise SnapshotUnavailable("no free snapshot connection") from exc
            except DBAPIError as exc:
                if not _is_unavailable(exc):
                    raise  # a bug, not an outage: the 500 page, and a log entry
                if not _is_disconnect(exc) or attempt == 2:
                    raise SnapshotUnavailable(_describe(exc)) from exc
                engine.dispose()
        raise SnapshotUnavailable("unreachable")  # pragma: no cover

    def fresh_publish(self) -> Publish | None:
        """The cached live publish if still trusted (no I/O: safe on the event loop)."""
        cached = self._live
        if cached is not None and time.monotonic() - cached[0] < self._publish_check_s:
            return cached[1]
        return None

    def live_publish(self) -> Publish:
        """The newest live publish, trusted for ``publish_check_s``."""
        with self._lock:  # one lookup at a time; the others then find it fresh
            publish = self.fresh_publish()
            if publish is None:
                publish = self._query_live()
                self._live = (time.monotonic(), publish)
                self.last_live = publish
        return publish

    def _query_live(self) -> Publish:
        p = schema.publishes
        query = (
            select(p.c.seq, p.c.id, p.c.schema_version)
            .where(p.c.state == schema.LIVE)
            .order_by(p.c.seq.desc())
            .limit(1)
        )
        row = self.run(lambda conn: conn.execute(query).first())
        if row is None:
            raise SnapshotUnavailable("nothing has been published yet")
        if row.schema_version != schema.SCHEMA_VERSION:
            raise UnknownSnapshotVersion(row.schema_version, schema.SCHEMA_VERSION)
        return Publish(seq=row.seq, id=row.id)


def snapshot_version_problem(url: str) -> str | None:
    """At startup: why this snapshot cannot be served by this viewer, or None. A snapshot
    that is not there yet (or a server that is down) is not refused: pages say 503 until
    it is, as before."""
    try:
        engine = make_engine(url, statement_timeout_ms=5000)
    except SnapshotUnavailable:
        return None
    try:
        SnapshotDB(engine).live_publish()
    except UnknownSnapshotVersion as exc:
        return exc.cause
    except SnapshotUnavailable:
        return None
    finally:
        engine.dispose()
    return None


def _describe(exc: DBAPIError) -> str:
    """For the log (visitors see a generic page)."""
    orig = exc.orig or exc
    return f"{type(orig).__name__}: {str(orig).strip().splitlines()[0][:200]}"


def _is_unavailable(exc: DBAPIError) -> bool:
    """The server is away, slow, or holds no snapshot tables yet."""
    text = str(exc.orig or exc).lower()
    return (
        isinstance(exc, (OperationalError, InterfaceError))
        or exc.connection_invalidated
        or ("relation" in text and "does not exist" in text)
        or "no such table" in text
    )


def _is_disconnect(exc: DBAPIError) -> bool:
    """Worth one retry: the connection died under us (pre-ping catches the stale ones)."""
    return bool(exc.connection_invalidated)
