"""One publish at a time per target.

Two publishes to one site, say the desktop's and a script's, would each treat the other's
freshly uploaded objects as strays and could delete what the other is about to make live.
The snapshot database holds the lock, since every publisher of a target shares it: a
session-level advisory lock on PostgreSQL, a lock file beside a SQLite snapshot (filelock:
``flock`` on POSIX, ``msvcrt.locking`` on Windows).
A second publish fails at once with :class:`PublishBusyError` rather than waiting.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout
from sqlalchemy import Engine, text

from publisher.errors import PublishBusyError
from publisher.snapshot import shown_url

_ADVISORY_KEY = 7306  # write_snapshot's transaction lock is 7305


@contextmanager
def exclusive(engine: Engine) -> Iterator[None]:
    """Hold the target's publish lock for the block, or raise PublishBusyError."""
    url = engine.url
    where = shown_url(url)
    if url.get_backend_name() == "postgresql":
        with engine.connect() as conn:
            if not conn.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": _ADVISORY_KEY}):
                raise PublishBusyError(where)
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _ADVISORY_KEY})
                conn.commit()
        return
    database = url.database
    if not database or database == ":memory:":
        yield
        return
    file_lock = FileLock(Path(database).with_name(Path(database).name + ".lock"), timeout=0)
    try:
        file_lock.acquire()
    except Timeout:
        raise PublishBusyError(where) from None
    try:
        yield
    finally:
        file_lock.release()
