"""Private by default: imports stay home until the owner says so; failed rows never go; a
publish that puts many photos online for the first time asks (``--yes`` for scripts)."""

from __future__ import annotations

import json
import os
import pty
import select
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from catalog.catalog import Catalog
from catalog.migrate import downgrade, upgrade
from desktop.cli import cli, main
from tests.catalog.ingest_helpers import copy_data
from tests.conftest import REPO
from tests.factories import add_photo
from tests.publisher.conftest import photo_with_thumbs

REAL = ["Canon_40D.jpg", "Nikon_D70.jpg", "sony-powershota5.jpg"]


def _published(site: Path) -> int:
    if not (site / "snapshot.sqlite").exists():
        return 0
    with sqlite3.connect(site / "snapshot.sqlite") as db:
        return db.execute("SELECT COUNT(*) FROM photos WHERE valid_to IS NULL").fetchone()[0]


def test_imports_are_private_and_a_failed_row_never_shows_public(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    copy_data(folder, *REAL)
    (folder / "broken.jpg").write_bytes(b"\xff\xd8 not really")
    home = ["--catalog", str(tmp_path / "cat")]
    assert main([*home, "import", "--workers", "1", str(folder)]) == 0
    capsys.readouterr()
    assert main([*home, "list", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == len(REAL) + 1
    assert {r["visibility"] for r in rows} == {"private"}
    assert [r["status"] for r in rows if r["path"].endswith("broken.jpg")] == ["failed"]
    site = tmp_path / "site"
    assert main([*home, "publish", "--to", str(site)]) == 0
    assert "0 photo(s) to add" in capsys.readouterr().out
    assert _published(site) == 0  # a first publish puts nothing online


def test_a_failed_row_the_owner_marked_public_is_still_not_published(
    catalog: Catalog, tmp_path: Path
) -> None:
    photo_with_thumbs(catalog, title="Good")
    failed = add_photo(catalog, status="failed", visibility="public", title="Broken")
    result = CliRunner().invoke(cli, ["--catalog", str(catalog.root), "list"])
    assert f"{failed.id}  failed     private" in result.output
    code = main(["--catalog", str(catalog.root), "publish", "--to", str(tmp_path / "site")])
    assert code == 0 and _published(tmp_path / "site") == 1


def _six_public(catalog: Catalog) -> None:
    for i in range(6):
        photo_with_thumbs(catalog, title=f"Photo {i}")


def test_many_first_time_photos_need_a_yes(catalog: Catalog, tmp_path: Path) -> None:
    site = tmp_path / "site"
    home = ["--catalog", str(catalog.root), "publish", "--to", str(site)]
    _six_public(catalog)
    dry = CliRunner().invoke(cli, [*home, "--dry-run"])
    assert dry.exit_code == 0 and "6 photo(s) will go public for the first time" in dry.output
    refused = CliRunner().invoke(cli, home)  # stdin is not a terminal, no --yes
    assert refused.exit_code == 1
    assert "6 photos would go public for the first time" in refused.output
    assert "nothing was published" in refused.output and "--yes" in refused.output
    assert _published(site) == 0
    done = CliRunner().invoke(cli, [*home, "--yes"])
    assert done.exit_code == 0, done.output
    assert _published(site) == 6
    for i in range(5):  # a handful more: no question
        photo_with_thumbs(catalog, title=f"Later {i}")
    later = CliRunner().invoke(cli, home)
    assert later.exit_code == 0 and "5 photo(s) will go public for the first time" in later.output
    assert _published(site) == 11


def test_a_terminal_is_asked_and_no_publishes_nothing(catalog: Catalog, tmp_path: Path) -> None:
    """The real command in a real terminal (a pty), answering the prompt (yes is --yes's path,
    tested above without a terminal)."""
    answer, published = "n", 0
    _six_public(catalog)
    site = tmp_path / "site"
    main_fd, child_fd = pty.openpty()
    args = ["--catalog", str(catalog.root), "publish", "--to", str(site)]
    process = subprocess.Popen(
        [sys.executable, "-m", "desktop.cli", *args],
        stdin=child_fd,
        stdout=child_fd,
        stderr=child_fd,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    os.close(child_fd)
    seen, answered = b"", False
    while True:
        ready, _, _ = select.select([main_fd], [], [], 60)
        if not ready:
            process.kill()
            pytest.fail(f"no prompt: {seen!r}")
        try:
            chunk = os.read(main_fd, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
        if not answered and b"for the first time? [y/N]" in seen:
            os.write(main_fd, f"{answer}\n".encode())
            answered = True
    os.close(main_fd)
    assert process.wait(timeout=60) == (0 if answer == "y" else 1)
    assert b"6 photo(s) will go public for the first time" in seen
    assert _published(site) == published


def test_migration_makes_failed_rows_private(catalog: Catalog) -> None:
    catalog.engine.dispose()
    downgrade(catalog.db_path, "0002")
    with catalog.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO photos (id, source_path, content_hash, file_size, file_mtime_ns,"
                " rating, visibility, status, rotation, created_at, updated_at) VALUES"
                " ('f1', '/x/broken.jpg', 'h1', 1, 1, 0, 'public', 'failed', 0,"
                " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),"
                " ('p1', '/x/good.jpg', 'h2', 1, 1, 0, 'public', 'processed', 0,"
                " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
    upgrade(catalog.db_path)
    with catalog.engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT id, visibility FROM photos")).all())
    assert rows == {"f1": "private", "p1": "public"}  # the owner's choice on good rows stays
    downgrade(catalog.db_path, "0002")  # reversible
    upgrade(catalog.db_path)
