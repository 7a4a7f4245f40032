"""A publish with nothing to do answers from the files alone (``publisher.noop``), and says
"changed" whenever the full publish would do something: an edit, new settings, a rolled-back
site, a killed publish's leftovers."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from click.testing import CliRunner

from catalog.catalog import Catalog
from catalog.models import (
    Camera,
    City,
    Collection,
    CollectionPhoto,
    ExifData,
    Lens,
    Photo,
    PhotoTag,
    Tag,
)
from catalog.settings import load_settings, save_settings
from desktop.cli import cli
from publisher import fingerprint, noop, targets
from tests.publisher.conftest import photo_with_thumbs
from tests.publisher.helpers import set_fields
from webviewer import schema

ROOT = Path(__file__).resolve().parents[2]


def _publish(catalog: Catalog, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--catalog", str(catalog.root), "publish", *args])
    assert result.exit_code == 0, result.output
    return result.output


def _current(catalog: Catalog) -> bool:
    return noop.folder_site_is_current(catalog.db_path, catalog.root / "site")


def test_the_shortcut_knows_the_contract_it_reads() -> None:
    assert (noop.SCHEMA_VERSION, noop.LIVE) == (schema.SCHEMA_VERSION, schema.LIVE)
    assert (noop.SNAPSHOT_FILE, noop.MEDIA_DIR) == (targets.SNAPSHOT_FILE, targets.MEDIA_DIR)
    shown = (Photo, ExifData, Camera, Lens, City, Tag, PhotoTag, Collection, CollectionPhoto)
    assert tuple(model.__tablename__ for model in shown) == fingerprint.TABLES


def test_nothing_changed_is_answered_until_something_does(catalog: Catalog) -> None:
    photo = photo_with_thumbs(catalog, title="First")
    assert not _current(catalog)  # never published
    assert "Published snapshot 1" in _publish(catalog, "--yes")
    assert _current(catalog)
    assert "Nothing changed" in _publish(catalog, "--yes")

    set_fields(catalog, photo.id, title="Second")
    assert not _current(catalog)
    assert "Published snapshot 2" in _publish(catalog, "--yes")
    assert _current(catalog)

    with catalog.writing() as session:
        save_settings(session, load_settings(session).replace(site_title="Elsewhere"))
    assert not _current(catalog)
    assert "Published snapshot 3" in _publish(catalog, "--yes")
    assert _current(catalog)
    assert not noop.folder_site_is_current(  # the 2,400 px downloads were never published
        catalog.db_path, catalog.root / "site", with_originals=True
    )

    assert "snapshot 2 is live again" in _publish(catalog, "--rollback")
    assert not _current(catalog)  # the live site is not the newest publish
    assert "Published snapshot" in _publish(catalog, "--yes")
    assert _current(catalog)

    snapshot = catalog.root / "site" / "snapshot.sqlite"
    with closing(sqlite3.connect(snapshot)) as db, db:
        db.execute("INSERT INTO publish_intents (key) VALUES ('photos/stray.jpg')")
    assert not _current(catalog)  # a killed publish left intents: the full path settles them
    _publish(catalog, "--yes")
    assert _current(catalog)


def test_a_publish_with_nothing_to_do_loads_no_database_layer(catalog: Catalog) -> None:
    photo_with_thumbs(catalog)
    _publish(catalog, "--yes")
    probe = (
        "import json, sys\nfrom desktop.cli import main\n"
        f"assert main(['--catalog', {str(catalog.root)!r}, 'publish', '--yes']) == 0\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin"}
    env |= {k: os.environ[k] for k in ("HOME", "XDG_CACHE_HOME") if k in os.environ}
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env,
        cwd=catalog.root, check=True, timeout=120,
    )  # fmt: skip
    assert "Nothing changed" in done.stdout
    modules = json.loads(done.stdout.strip().splitlines()[-1])
    heavy = [m for m in modules if m.split(".")[0] in ("sqlalchemy", "boto3", "alembic")]
    assert not heavy, heavy[:5]
