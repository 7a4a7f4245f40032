"""The viewer follows the live publish and survives the database going away."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text, update
from sqlalchemy.engine import make_url
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.testclient import TestClient

from tests.webviewer.conftest import Snap
from tests.webviewer.snapshot_data import OLD_TITLE
from webviewer import schema
from webviewer.app import create_app
from webviewer.context import Context
from webviewer.db import SnapshotDB, make_engine
from webviewer.errors import NotFound
from webviewer.settings import ViewerSettings
from webviewer.snapshot import Snapshot


def test_rolling_back_shows_the_previous_publish(fresh_postgres_snap: Snap) -> None:
    snap = fresh_postgres_snap
    edited = snap.facts.versioned_photo
    with TestClient(create_app(snap.settings())) as client:
        assert OLD_TITLE not in client.get(f"/photos/{edited}/").text
        engine = create_engine(snap.url)
        with engine.begin() as conn:
            conn.execute(
                update(schema.publishes)
                .where(schema.publishes.c.seq == 2)
                .values(state=schema.ROLLED_BACK)
            )
        engine.dispose()
        assert OLD_TITLE in client.get(f"/photos/{edited}/").text  # cache followed the publish


def test_database_outage_gives_503_then_recovers(
    fresh_postgres_snap: Snap, postgres_server_url: str
) -> None:
    snap = fresh_postgres_snap
    name = make_url(snap.url).database
    admin = create_engine(postgres_server_url, isolation_level="AUTOCOMMIT")

    def kick_everyone(allow: bool) -> None:
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(allow).lower()}'))
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )

    try:
        with TestClient(create_app(snap.settings())) as client:
            assert client.get("/tags/").status_code == 200
            first, second, third = snap.facts.listed[:3]
            assert client.get(f"/photos/{first}/").status_code == 200
            kick_everyone(allow=True)  # a restart: pooled connections are dead
            assert client.get("/tags/").status_code == 200  # a dead connection is retried
            # The photo page reads on psycopg's own cursor: a dead connection there too is
            # retried on a fresh one, not shown to the visitor.
            kick_everyone(allow=True)
            again = client.get(f"/photos/{second}/")
            assert again.status_code == 200 and snap.facts.titles[second] in again.text
            kick_everyone(allow=False)  # the server is away
            down = client.get("/tags/")
            assert down.status_code == 503 and "Back in a moment" in down.text
            photo_down = client.get(f"/photos/{third}/")
            assert photo_down.status_code == 503 and "Back in a moment" in photo_down.text
            assert down.headers["retry-after"]
            assert client.get("/health").status_code == 200
            kick_everyone(allow=True)
            assert client.get("/tags/").status_code == 200  # no restart needed
    finally:
        kick_everyone(allow=True)
        admin.dispose()


def test_before_the_first_publish_visitors_get_503(tmp_path: Path) -> None:
    path = tmp_path / "snapshot.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    schema.metadata.create_all(engine)
    engine.dispose()
    with TestClient(create_app(ViewerSettings(database_url=f"sqlite:///{path}"))) as client:
        response = client.get("/")
        assert response.status_code == 503 and "Back in a moment" in response.text


def test_an_unexpected_error_gets_the_friendly_500(sqlite_snap: Snap) -> None:
    async def broken(request: Request) -> Response:
        raise RuntimeError("a bug")

    app = create_app(sqlite_snap.settings())
    app.router.routes.append(Route("/broken", broken))
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/broken")
    assert response.status_code == 500
    assert "Something went wrong" in response.text and "a bug" not in response.text


def test_junk_urls_cannot_evict_what_every_page_needs(sqlite_snap: Snap) -> None:
    """Unknown slugs are a visitor's to choose: cached, they pushed the listing out of the
    cache, and the next page paid for reloading and re-sorting every photo of the site."""
    settings = sqlite_snap.settings()
    db = SnapshotDB(make_engine(settings.database_url, settings.statement_timeout_ms))
    snapshot = Snapshot(db, settings.seeds, cache_bytes=8 * 1024)
    publish = snapshot.publish()
    listing = snapshot.listing(publish)

    for i in range(50):
        with pytest.raises(NotFound):
            snapshot.subject(publish, Context("tag", f"junk-{i}"))

    assert snapshot.listing(publish) is listing  # not reloaded
