"""Catalog backups: consistent while another process writes, restorable, made before every
migration and on the owner's schedule, pruned to the last N."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import time
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from catalog.backup import (
    BEFORE_MIGRATION,
    BackupError,
    backup_due,
    list_backups,
    make_backup,
    restore,
)
from catalog.catalog import Catalog
from catalog.migrate import downgrade
from catalog.models import Photo
from desktop.cli import main
from tests.factories import add_photo

REPO = Path(__file__).resolve().parents[2]


def _titles(db: Path) -> list[str]:
    with closing(sqlite3.connect(db)) as conn:
        return [r[0] for r in conn.execute("SELECT title FROM photos ORDER BY title")]


def test_a_backup_taken_while_another_process_writes_is_consistent(catalog: Catalog) -> None:
    """Each photo is written with its EXIF row in one transaction by a separate process: a
    consistent copy never holds one without the other, and always passes integrity_check."""
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import sys
            from catalog.catalog import Catalog
            from tests.factories import add_photo
            with Catalog.open({str(catalog.root)!r}) as cat:
                for n in range(100_000):
                    add_photo(cat, title=f"w{{n}}", exif={{"iso": n}}, tags=["t"])
                    if n == 5:
                        print("writing", flush=True)
        """),
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline() == "writing\n"
        backups = [make_backup(catalog.root) for _ in range(6)]
        assert writer.poll() is None  # it was still writing all along
    finally:
        writer.kill()  # mid-write, as a crash would
        writer.wait(timeout=60)
    counts = set()
    for item in backups:
        with closing(sqlite3.connect(item.path)) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            photos = db.execute("SELECT count(*) FROM photos").fetchone()[0]
            exif = db.execute("SELECT count(*) FROM exif_data").fetchone()[0]
            tagged = db.execute("SELECT count(*) FROM photo_tags").fetchone()[0]
            assert photos == exif == tagged
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # standalone
            counts.add(photos)
    assert max(counts) > 0


def test_restore_brings_back_the_data_and_keeps_the_replaced_catalog(
    catalog: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    photo = add_photo(catalog, title="Before")
    saved = make_backup(catalog.root)
    with catalog.writing() as session:
        session.get_one(Photo, photo.id).title = "After"
    catalog.close()

    assert main(["--catalog", str(catalog.root), "restore", str(saved.path)]) == 0
    out = capsys.readouterr().out
    assert "Restored" in out and "kept as" in out

    assert _titles(catalog.db_path) == ["Before"]
    safety = [b for b in list_backups(catalog.root) if b.kind == "before-restore"]
    assert len(safety) == 1 and _titles(safety[0].path) == ["After"]
    with Catalog.open(catalog.root) as reopened, reopened.reading() as session:
        assert session.scalar(select(Photo.title)) == "Before"


def test_restore_refuses_what_is_not_a_catalog_and_changes_nothing(
    catalog: Catalog, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_photo(catalog, title="Mine")
    catalog.close()
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all" * 50)
    code = main(["--catalog", str(catalog.root), "restore", str(junk)])
    err = capsys.readouterr().err
    assert code == 2 and "nothing was restored" in err and str(junk) in err
    assert _titles(catalog.db_path) == ["Mine"]


def test_restore_refuses_while_another_process_has_the_catalog_open(catalog: Catalog) -> None:
    add_photo(catalog, title="Open elsewhere")
    saved = make_backup(catalog.root)
    catalog.close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import sys
            from sqlalchemy import text
            from catalog.catalog import Catalog
            with Catalog.open({str(catalog.root)!r}) as cat, cat.reading() as s:
                s.execute(text("SELECT count(*) FROM photos")).all()
                print("open", flush=True)
                sys.stdin.readline()
        """),
        ],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "open\n"
        with pytest.raises(BackupError, match="open in another ExifTree"):
            restore(catalog.root, saved.path)
    finally:
        holder.communicate("\n", timeout=30)
    restore(catalog.root, saved.path)  # once it has closed, it goes through


def test_a_migration_is_preceded_by_a_backup_of_the_old_schema(catalog: Catalog) -> None:
    add_photo(catalog, title="Old schema")
    catalog.close()
    downgrade(catalog.db_path, "0001")
    assert not list_backups(catalog.root)

    Catalog.open(catalog.root).close()

    made = [b for b in list_backups(catalog.root) if b.kind == BEFORE_MIGRATION]
    assert len(made) == 1
    with closing(sqlite3.connect(made[0].path)) as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
        assert db.execute("SELECT title FROM photos").fetchone()[0] == "Old schema"


def test_pruning_keeps_the_newest_n_of_a_kind_and_spares_the_others(catalog: Catalog) -> None:
    make_backup(catalog.root, BEFORE_MIGRATION)
    made = [make_backup(catalog.root, "manual", keep=3) for _ in range(6)]
    left = list_backups(catalog.root)
    assert [b.path for b in left if b.kind == "manual"] == [b.path for b in made[-3:]][::-1]
    assert [b.kind for b in left].count(BEFORE_MIGRATION) == 1


def test_the_cli_makes_the_daily_backup_once_a_day(
    catalog: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    assert backup_due(catalog.root, every_days=1)
    assert main(["--catalog", str(catalog.root), "list"]) == 0
    assert main(["--catalog", str(catalog.root), "list"]) == 0
    assert [b.kind for b in list_backups(catalog.root)] == ["daily"]
    newest = list_backups(catalog.root)[0].made_at
    assert not backup_due(catalog.root, every_days=1, now=newest + timedelta(hours=23))
    assert backup_due(catalog.root, every_days=1, now=newest + timedelta(days=1))
    assert not backup_due(catalog.root, every_days=0, now=newest + timedelta(days=9))


def test_the_owner_sets_the_schedule_from_the_cli(
    catalog: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(catalog.root)
    assert main(["--catalog", root, "backup", "--every-days", "0", "--keep", "3"]) == 0
    assert "never on a schedule; the last 3 of each kind kept" in capsys.readouterr().out
    assert main(["--catalog", root, "list"]) == 0
    assert not list_backups(catalog.root)  # no daily backup: the owner said never
    for _ in range(5):
        assert main(["--catalog", root, "backup"]) == 0
    assert len(list_backups(catalog.root)) == 3


def test_a_backup_that_cannot_be_written_warns_and_the_command_still_runs(
    catalog: Catalog,
) -> None:
    """A full disk, as RLIMIT_FSIZE makes it: the daily backup fails with a sentence, leaves
    no partial file, and the command the owner ran does its work."""
    add_photo(catalog, title="Still listed")
    catalog.close()
    limit = catalog.db_path.stat().st_size // 2  # the catalog is read; a copy cannot be written
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import resource, signal, sys
            from desktop.cli import main
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a kill
            resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
            sys.exit(main(["--catalog", {str(catalog.root)!r}, "list"]))
        """),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert "warning: the catalog could not be backed up" in run.stderr
    assert "Traceback" not in run.stderr
    assert len(run.stdout.splitlines()) == 1  # the one photo, listed
    assert not list(catalog.root.glob("backups/*"))  # no partial, no half backup


def test_processes_starting_at_once_make_one_scheduled_backup_without_errors(
    catalog: Catalog, tmp_path: Path
) -> None:
    """Six ExifTree processes open the catalog at the same moment (a script, the app and a
    command): one makes the daily backup, the others carry on; none fails."""
    add_photo(catalog, title="Kept")
    catalog.close()
    go = tmp_path / "go"
    script = textwrap.dedent(f"""
        import os, time
        from catalog.backup import scheduled_backup
        while not os.path.exists({str(go)!r}):
            time.sleep(0.001)
        scheduled_backup(__import__("pathlib").Path({str(catalog.root)!r}), 1, 7)
    """)
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", script], cwd=REPO, stderr=subprocess.PIPE, text=True
        )
        for _ in range(6)
    ]
    time.sleep(1)  # all started and waiting: they go at one moment
    go.touch()
    outcomes = [(run.wait(timeout=60), run.communicate()[1]) for run in runs]

    assert outcomes == [(0, "")] * 6
    daily = [b for b in list_backups(catalog.root) if b.kind == "daily"]
    assert len(daily) == 1
    assert _titles(daily[0].path) == ["Kept"]
    assert [p.name for p in (catalog.root / "backups").iterdir()] == [daily[0].path.name]
