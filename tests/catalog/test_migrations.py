"""Every migration is reversible on a populated catalog, and the catalog opens in WAL mode."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from catalog.catalog import Catalog
from catalog.migrate import downgrade, upgrade
from catalog.models import Photo
from tests.factories import add_photo


def test_upgrade_downgrade_upgrade_on_a_populated_catalog(catalog: Catalog) -> None:
    add_photo(catalog, title="Harbour at dusk", tags=["sea"], city=("Lisbon", "Lisbon", "PT"))
    catalog.engine.dispose()

    downgrade(catalog.db_path, "base")
    with catalog.engine.connect() as conn:
        tables = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master"))}
    assert "photos" not in tables and "photo_search" not in tables

    upgrade(catalog.db_path)
    add_photo(catalog, title="Again")
    with catalog.reading() as session:
        assert session.scalar(select(func.count()).select_from(Photo)) == 1


def test_the_rotation_step_keeps_every_photo_and_what_points_at_it(catalog: Catalog) -> None:
    """0002 adds and drops one column in place: no table copy that foreign keys cascade from."""
    photo = add_photo(catalog, title="Kept", tags=["sea"], exif={"iso": 200})
    catalog.engine.dispose()
    downgrade(catalog.db_path, "0001")
    with catalog.engine.connect() as conn:
        assert conn.execute(text("SELECT title FROM photos")).scalars().all() == ["Kept"]
        assert conn.execute(text("SELECT iso FROM exif_data")).scalars().all() == [200]
        assert conn.execute(text("SELECT count(*) FROM photo_tags")).scalar() == 1
    upgrade(catalog.db_path)
    with catalog.reading() as session:
        assert session.get(Photo, photo.id).rotation == 0


def test_catalog_uses_wal_and_foreign_keys(catalog: Catalog) -> None:
    with catalog.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_reopening_keeps_photos(tmp_path) -> None:
    with Catalog.open(tmp_path / "c") as first:
        add_photo(first, title="kept")
    with Catalog.open(tmp_path / "c") as second, second.reading() as session:
        assert session.scalar(select(Photo.title)) == "kept"


def test_the_quick_head_check_agrees_with_alembic(catalog: Catalog) -> None:
    from alembic.script import ScriptDirectory

    from catalog.migrate import alembic_config, current_revision, head_revision

    assert (
        head_revision()
        == ScriptDirectory.from_config(alembic_config(catalog.db_path)).get_current_head()
    )
    assert current_revision(catalog.db_path) == head_revision()
    downgrade(catalog.db_path, "base")
    assert current_revision(catalog.db_path) is None
    upgrade(catalog.db_path)  # not skipped: the catalog was behind
    assert current_revision(catalog.db_path) == head_revision()


def test_a_new_migration_is_seen_though_the_head_is_remembered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The remembered head must never hide a migration added later (an upgrade skipped)."""
    from catalog import migrate

    migrations = tmp_path / "migrations"
    shutil.copytree(
        migrate.MIGRATIONS_DIR, migrations, ignore=shutil.ignore_patterns("__pycache__")
    )
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", migrations)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    migrate.head_revision.cache_clear()
    old = migrate.head_revision()
    assert (tmp_path / "cache" / "exiftree" / "migrations-head.json").is_file()
    (migrations / "versions" / "9999_later.py").write_text(
        f'revision = "9999"\ndown_revision = "{old}"\n\n\n'
        "def upgrade() -> None:\n    pass\n\n\ndef downgrade() -> None:\n    pass\n"
    )
    migrate.head_revision.cache_clear()
    try:
        assert migrate.head_revision() == "9999"
        assert migrate.is_known(old) and not migrate.is_known("ffff9999")
    finally:
        migrate.head_revision.cache_clear()


def test_the_locality_step_goes_down_and_up_keeping_photos(catalog: Catalog) -> None:
    photo = add_photo(catalog, title="Kept")
    catalog.engine.dispose()
    downgrade(catalog.db_path, "0002")
    with catalog.engine.connect() as conn:
        columns = [row[1] for row in conn.exec_driver_sql("PRAGMA table_info(photos)")]
        assert "locality" not in columns
        assert conn.execute(text("SELECT title FROM photos")).scalars().all() == ["Kept"]
    upgrade(catalog.db_path)
    with catalog.reading() as session:
        assert session.get(Photo, photo.id).locality is None


def test_installs_sharing_the_cache_folder_each_keep_their_remembered_head(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two checkouts (or the app beside a checkout) use one cache folder: neither may
    evict the other's head, or every command of both would load Alembic again."""
    from catalog import migrate

    copies = [tmp_path / "one", tmp_path / "two"]
    for stamp, copy in enumerate(copies, start=1):
        shutil.copytree(migrate.MIGRATIONS_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
        first = sorted((copy / "versions").glob("*.py"))[0]
        os.utime(first, ns=(stamp, stamp))  # the copies differ, as two checkouts do
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    heads = []
    try:
        for copy in copies:
            monkeypatch.setattr(migrate, "MIGRATIONS_DIR", copy)
            migrate.head_revision.cache_clear()
            heads.append(migrate.head_revision())

        def no_alembic() -> None:
            raise AssertionError("Alembic was asked though the head was remembered")

        monkeypatch.setattr(migrate, "_script", no_alembic)
        for copy, head in zip(copies, heads, strict=True):
            monkeypatch.setattr(migrate, "MIGRATIONS_DIR", copy)
            migrate.head_revision.cache_clear()
            assert migrate.head_revision() == head
    finally:
        migrate.head_revision.cache_clear()
