"""Read replicas: the viewer reads from a replica, and from the primary when it is away.

Two real databases on the test server stand in for a primary and its streaming replica
(the replica a copy made with CREATE DATABASE … TEMPLATE, then marked so a test can tell
which one answered)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from starlette.testclient import TestClient

from tests.webviewer.conftest import Snap
from webviewer.app import create_app
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
