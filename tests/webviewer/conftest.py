"""Viewer fixtures: a realistic snapshot in SQLite and in the real PostgreSQL, and clients."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from starlette.testclient import TestClient

from tests.webviewer.snapshot_data import Facts, make_media, write_snapshot
from webviewer.app import create_app
from webviewer.settings import ViewerSettings

PAGE_SIZE = 10


@dataclass
class Snap:
    """A written snapshot: where it is and what it holds."""

    url: str
    media_dir: Path
    facts: Facts
    backend: str

    def settings(self, **overrides: Any) -> ViewerSettings:
        values: dict[str, Any] = {
            "database_url": self.url,
            "media_url": "/media/",
            "media_dir": self.media_dir,
            "page_size": PAGE_SIZE,
            "publish_check_s": 0.0,
        }
        values.update(overrides)
        return ViewerSettings(**values)


@pytest.fixture(scope="session")
def media(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list]:
    folder = tmp_path_factory.mktemp("published") / "media"
    return folder, make_media(folder)


@pytest.fixture(scope="session")
def sqlite_snap(media: tuple[Path, list]) -> Snap:
    folder, renditions = media
    path = folder.parent / "snapshot.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    facts = write_snapshot(engine, renditions)
    engine.dispose()
    return Snap(f"sqlite:///{path}", folder, facts, "sqlite")


@pytest.fixture(scope="session")
def postgres_snap(media: tuple[Path, list], postgres_server_url: str) -> Iterator[Snap]:
    """One database for the session: the viewer only reads, so tests cannot disturb it
    (tests that do change the snapshot use ``postgres_url``, a fresh database each)."""
    folder, renditions = media
    name = f"exiftree_viewer_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(postgres_server_url).set(database=name).render_as_string(hide_password=False)
    engine = create_engine(url)
    facts = write_snapshot(engine, renditions)
    engine.dispose()
    yield Snap(url, folder, facts, "postgres")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def fresh_postgres_snap(media: tuple[Path, list], postgres_url: str) -> Snap:
    """A snapshot in a database of its own, for tests that change or break it."""
    folder, renditions = media
    engine = create_engine(postgres_url)
    facts = write_snapshot(engine, renditions)
    engine.dispose()
    return Snap(postgres_url, folder, facts, "postgres")


@pytest.fixture(params=["sqlite", "postgres"])
def snap(request: pytest.FixtureRequest) -> Snap:
    """The same snapshot in both backends."""
    return request.getfixturevalue(f"{request.param}_snap")


@pytest.fixture
def client(snap: Snap) -> Iterator[TestClient]:
    with TestClient(create_app(snap.settings())) as test_client:
        yield test_client


@pytest.fixture
def facts(snap: Snap) -> Facts:
    return snap.facts
