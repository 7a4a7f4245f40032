"""Read replicas: the viewer reads from a replica, and from the primary when it is away.

Two real databases on the test server stand in for a primary and its streaming replica
(the replica a copy made with CREATE DATABASE … TEMPLATE, then marked so a test can tell
which one answered)."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from starlette.testclient import TestClient

from tests.webviewer.conftest import Snap
from webviewer.app import create_app
from webviewer.dialects import PG_READERS
from webviewer.settings import settings_from_env

pytestmark = pytest.mark.postgres
REPLICA_TITLE = "Seen on the replica"


@pytest.fixture
def replica(fresh_postgres_snap: Snap, postgres_server_url: str) -> Iterator[str]:
    """A copy of the primary's snapshot in a second database, one title changed."""
    primary = make_url(fresh_postgres_snap.url).database
    name = f"exiftree_replica_{uuid.uuid4().hex[:10]}"
    admin = create_engine(postgres_server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{primary}"'))
    url = make_url(postgres_server_url).set(database=name).render_as_string(hide_password=False)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE photos SET title = :t WHERE id = :id"),
            {"t": REPLICA_TITLE, "id": fresh_postgres_snap.facts.listed[0]},
        )
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_pages_are_read_from_the_replica_then_the_primary_when_it_is_away(
    fresh_postgres_snap: Snap, replica: str, postgres_server_url: str
) -> None:
    snap = fresh_postgres_snap
    first, second = snap.facts.listed[0], snap.facts.listed[1]
    settings = snap.settings(replica_urls=(replica,))
    admin = create_engine(postgres_server_url, isolation_level="AUTOCOMMIT")
    name = make_url(replica).database
    try:
        with TestClient(create_app(settings)) as client:
            page = client.get(f"/photos/{first}/")
            assert page.status_code == 200 and REPLICA_TITLE in page.text
            with admin.connect() as conn:  # the replica goes away
                conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
                conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = :name"
                    ),
                    {"name": name},
                )
            # The primary answers: the visitor sees no error, and the primary's own rows.
            other = client.get(f"/photos/{second}/")
            assert other.status_code == 200 and snap.facts.titles[second] in other.text
            assert client.get("/tags/").status_code == 200
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        admin.dispose()


def test_the_primary_answers_the_page_it_holds_when_the_replica_is_away_from_the_start(
    fresh_postgres_snap: Snap,
) -> None:
    snap = fresh_postgres_snap
    absent = make_url(snap.url).set(database="exiftree_no_such_replica")
    settings = snap.settings(replica_urls=(absent.render_as_string(hide_password=False),))
    with TestClient(create_app(settings)) as client:
        first = snap.facts.listed[0]
        page = client.get(f"/photos/{first}/")
        assert page.status_code == 200 and snap.facts.titles[first] in page.text


def test_replica_urls_come_from_the_environment() -> None:
    settings = settings_from_env(
        {
            "EXIFTREE_VIEWER_DATABASE_URL": "postgres://primary/site",
            "EXIFTREE_VIEWER_DATABASE_REPLICA_URLS": "postgres://r1/site, postgres://r2/site",
            "EXIFTREE_VIEWER_SITE_URL": "https://photos.example.org",
        }
    )
    assert settings.replica_urls == (
        "postgresql+psycopg://r1/site",
        "postgresql+psycopg://r2/site",
    )


def test_a_replica_that_stops_answering_does_not_hang_the_site(
    fresh_postgres_snap: Snap, replica: str, postgres_server_url: str
) -> None:
    """A replica whose reads block (here: a lock on its photos; in life a stalled server
    or a network that drops packets, where no statement timeout ever arrives) is given up
    once every connection to it has been busy for the pool timeout, and pages come from
    the primary; they must not queue behind the stuck reads."""
    snap = fresh_postgres_snap
    settings = snap.settings(replica_urls=(replica,), statement_timeout_ms=300_000)
    blocker = create_engine(replica)
    pages = [f"/photos/{photo_id}/" for photo_id in snap.facts.listed[:24]]
    answered: list[int] = []
    with TestClient(create_app(settings)) as client, blocker.connect() as stall:
        assert client.get("/tags/").status_code == 200  # read from the replica
        stall.execute(text("LOCK TABLE photos IN ACCESS EXCLUSIVE MODE"))  # until rollback

        def visit(path: str) -> None:
            answered.append(client.get(path).status_code)

        visitors = [threading.Thread(target=visit, args=(path,)) for path in pages]
        for visitor in visitors:
            visitor.start()
        waited = 0.0
        while len(answered) < len(pages) - PG_READERS and waited < 60:  # a safety net only
            time.sleep(0.5)
            waited += 0.5
        served_while_stuck = list(answered)
        stall.rollback()  # the replica answers again: the stuck visitors are served too
        for visitor in visitors:
            visitor.join()
    blocker.dispose()
    assert len(served_while_stuck) >= len(pages) - PG_READERS, served_while_stuck
    assert set(served_while_stuck) == {200}  # from the primary, not an error page
