"""One publish at a time per target.

Two publishes to one site, say the desktop's and a script's, would each treat the other's
freshly uploaded objects as strays and could delete what the other is about to make live.
The snapshot database holds the lock, since every publisher of a target shares it: a
session-level advisory lock on PostgreSQL, an ``flock`` on a file beside a SQLite snapshot.
A second publish fails at once with :class:`PublishBusyError` rather than waiting.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text

from publisher.errors import PublishBusyError
from publisher.snapshot import shown_url

try:
    import fcntl
except ImportError:  # Windows: a local folder is one owner's; no lock there
    fcntl = None  # type: ignore[assignment]

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
    if fcntl is None or not database or database == ":memory:":
        yield
        return
    with open(Path(database).with_name(Path(database).name + ".lock"), "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PublishBusyError(where) from None
        yield  # closing the file releases the lock, whatever happens
