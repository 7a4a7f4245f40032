"""Read-only is a property of the connection, on both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tests.webviewer.conftest import Snap
from webviewer.db import SnapshotDB, make_engine
from webviewer.errors import SnapshotUnavailable


def test_the_viewer_connection_cannot_write(snap: Snap) -> None:
    db = SnapshotDB(make_engine(snap.url, statement_timeout_ms=2000))
    assert db.live_publish().seq == 2  # seq 3 was rolled back
    for statement in ("DELETE FROM photos", "CREATE TABLE intruder (a integer)"):
        with pytest.raises((DBAPIError, SnapshotUnavailable), match="(?i)read-only|readonly"):
            db.run(lambda conn, sql=statement: conn.execute(text(sql)))
    count = db.run(lambda conn: conn.execute(text("SELECT count(*) FROM photos")).scalar())
    assert count > 0
    db.engine.dispose()


def test_postgres_statements_time_out(postgres_snap: Snap) -> None:
    db = SnapshotDB(make_engine(postgres_snap.url, statement_timeout_ms=100))
    with pytest.raises(SnapshotUnavailable, match="(?i)timeout|cancel"):
        db.run(lambda conn: conn.execute(text("SELECT pg_sleep(2)")))
    db.engine.dispose()


def test_a_read_that_finds_every_connection_busy_is_a_503_not_a_crash(snap: Snap) -> None:
    engine = make_engine(snap.url, statement_timeout_ms=2000, pool_timeout_s=0.2)
    db = SnapshotDB(engine)
    held = []
    try:
        with pytest.raises(SnapshotUnavailable, match="no free snapshot connection"):
            while len(held) < 100:  # the pool's size plus its overflow, whatever they are
                held.append(engine.connect())
                db.run(lambda conn: conn.execute(text("SELECT 1")).scalar())
        held.pop().close()  # one visitor's read finishes: the next read gets its connection
        assert db.run(lambda conn: conn.execute(text("SELECT 1")).scalar()) == 1
    finally:
        for conn in held:
            conn.close()
        engine.dispose()
