"""One publish at a time per target.

Two publishes to one site, say the desktop's and a script's, would each treat the other's
freshly uploaded objects as strays and could delete what the other is about to make live.
The snapshot database holds the lock, since every publisher of a target shares it: a
session-level advisory lock on PostgreSQL, a lock file beside a SQLite snapshot (filelock:
``flock`` on POSIX, ``msvcrt.locking`` on Windows; see ``webviewer.dialects``). A second
publish fails at once with :class:`PublishBusyError` rather than waiting.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine

from publisher.errors import PublishBusyError
from publisher.snapshot import shown_url
from webviewer.dialects import dialect_of


@contextmanager
def exclusive(engine: Engine) -> Iterator[None]:
    """Hold the target's publish lock for the block, or raise PublishBusyError."""
    with dialect_of(engine).publish_lock(engine) as held:
        if not held:
            raise PublishBusyError(shown_url(engine.url))
        yield
