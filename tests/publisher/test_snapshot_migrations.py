"""Publishing over a snapshot an older ExifTree wrote migrates it in place; the viewer,
which reads one contract version only, then serves (and searches) it again."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text, update
from starlette.testclient import TestClient

from catalog.catalog import Catalog
from publisher.errors import SnapshotDatabaseError
from publisher.publish import publish
from tests.publisher.conftest import Site, photo_with_thumbs
from webviewer import schema
from webviewer.app import create_app
from webviewer.db import snapshot_version_problem
from webviewer.settings import ViewerSettings

# What version 1 had instead of version 2's search index.
_VERSION_1 = {
    "sqlite": [
        "DROP TRIGGER photos_fts_insert",
        "DROP TRIGGER photos_fts_delete",
        "DROP TRIGGER photos_fts_update",
        "DROP TABLE photos_fts",
    ],
    "postgresql": [
        "DROP INDEX ix_photos_search_fts",
        "CREATE INDEX ix_photos_search_fts ON photos USING gin "
        "(to_tsvector('simple'::regconfig, coalesce(search_text, '')))",
    ],
}


def _as_version_1(site: Site) -> None:
    """Turn the snapshot into what ExifTree's contract version 1 left."""
    engine = site.engine()
    with engine.begin() as conn:
        for statement in _VERSION_1[engine.dialect.name]:
            conn.execute(text(statement))
        conn.execute(update(schema.publishes).values(schema_version=1))
    engine.dispose()


def _versions(site: Site) -> set[int]:
    engine = site.engine()
    with engine.connect() as conn:
        versions = set(conn.scalars(select(schema.publishes.c.schema_version)))
    engine.dispose()
    return versions


def _viewer(site: Site) -> TestClient:
    media_dir = site.target.store.root if site.kind == "local" else None  # type: ignore[attr-defined]
    settings = ViewerSettings(
        database_url=site.target.database_url, media_dir=media_dir, publish_check_s=0.0
    )
    return TestClient(create_app(settings))


def test_publishing_over_a_version_1_snapshot_migrates_it(catalog: Catalog, site: Site) -> None:
    before = photo_with_thumbs(catalog, title="Golden canal 18-70mm")
    assert publish(catalog, site.target).seq is not None
    _as_version_1(site)
    problem = snapshot_version_problem(site.target.database_url)
    assert problem and "version 1" in problem and "publish again" in problem

    after = photo_with_thumbs(catalog, title="Golden mill")
    result = publish(catalog, site.target)

    assert result.seq is not None and not result.failed
    assert _versions(site) == {schema.SCHEMA_VERSION}  # every kept publish, the old one too
    assert snapshot_version_problem(site.target.database_url) is None
    with _viewer(site) as client:
        golden = client.get("/search/?q=golden")
        lens = client.get("/search/?q=18-70mm")
    assert golden.status_code == 200 and before.id in golden.text and after.id in golden.text
    assert before.id in lens.text and after.id not in lens.text


def test_a_publish_with_nothing_new_still_migrates(catalog: Catalog, site: Site) -> None:
    photo = photo_with_thumbs(catalog, title="Quiet harbour")
    publish(catalog, site.target)
    _as_version_1(site)
    assert publish(catalog, site.target).seq is None  # nothing changed: no new publish
    assert _versions(site) == {schema.SCHEMA_VERSION}
    with _viewer(site) as client:
        assert photo.id in client.get("/search/?q=harbour").text


@pytest.mark.parametrize("site", ["local"], indirect=True)
def test_a_snapshot_from_a_newer_exiftree_is_not_published_over(
    catalog: Catalog, site: Site
) -> None:
    photo_with_thumbs(catalog, title="Old mill")
    publish(catalog, site.target)
    engine = site.engine()
    with engine.begin() as conn:
        conn.execute(update(schema.publishes).values(schema_version=schema.SCHEMA_VERSION + 1))
    engine.dispose()
    photo_with_thumbs(catalog, title="New mill")
    with pytest.raises(SnapshotDatabaseError, match="newer ExifTree.*upgrade ExifTree"):
        publish(catalog, site.target)
    assert _versions(site) == {schema.SCHEMA_VERSION + 1}  # left as it was


@pytest.mark.parametrize("site", ["s3"], indirect=True)
def test_a_version_2_postgresql_snapshot_gets_the_listing_index(
    catalog: Catalog, site: Site
) -> None:
    """Version 3: the viewer's listing of a big site reads one covering index, not the
    table (1,000,000 photos: 2.3 s, past the viewer's statement timeout, against 0.27 s)."""
    photo = photo_with_thumbs(catalog, title="Listed mill")
    publish(catalog, site.target)
    engine = site.engine()
    with engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_photos_listing"))
        conn.execute(update(schema.publishes).values(schema_version=2))
    photo_with_thumbs(catalog, title="Second mill")
    assert publish(catalog, site.target).seq is not None
    with engine.connect() as conn:
        found = conn.scalar(
            text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_photos_listing'")
        )
    engine.dispose()
    assert found and "INCLUDE (shuffle_key, valid_from, valid_to)" in found
    assert _versions(site) == {schema.SCHEMA_VERSION}
    with _viewer(site) as client:
        assert photo.id in client.get("/").text
