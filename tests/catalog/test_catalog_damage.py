"""A damaged or unwritable catalog is refused with a sentence that says what to do; it is
never silently replaced by a new, empty catalog the owner might import over."""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import tempfile
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import select

from catalog.backup import list_backups, make_backup
from catalog.catalog import Catalog
from catalog.errors import DamagedCatalogError
from catalog.models import Photo
from desktop.cli import main
from tests.factories import add_photo


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    return code, captured.err


def test_a_truncated_catalog_is_refused_and_the_backup_named(
    catalog: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    add_photo(catalog, title="Kept in the backup")
    saved = make_backup(catalog.root)
    catalog.close()
    catalog.db_path.write_bytes(b"")  # truncated to 0 bytes

    code, err = _run(capsys, "--catalog", str(catalog.root), "list")

    assert code == 2
    assert str(catalog.db_path) in err and "empty (0 bytes)" in err
    assert f"exiftree restore {saved.path}" in err
    assert catalog.db_path.stat().st_size == 0  # not re-created as an empty catalog


def test_a_garbage_catalog_is_refused_without_a_backup_to_offer(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "catalog.sqlite").write_bytes(b"\x00garbage" * 100)
    with pytest.raises(DamagedCatalogError, match="No backup of it was found"):
        Catalog.open(tmp_path / "c")
    assert (tmp_path / "c" / "catalog.sqlite").read_bytes() == b"\x00garbage" * 100


def test_a_foreign_sqlite_file_is_not_taken_over(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    with sqlite3.connect(tmp_path / "c" / "catalog.sqlite") as db:
        db.execute("CREATE TABLE notes (body TEXT)")
    with pytest.raises(DamagedCatalogError, match="not an ExifTree catalog"):
        Catalog.open(tmp_path / "c")


def test_a_deleted_catalog_with_backups_left_is_not_started_afresh(catalog: Catalog) -> None:
    add_photo(catalog)
    make_backup(catalog.root)
    catalog.close()
    catalog.db_path.unlink()
    with pytest.raises(DamagedCatalogError, match="is missing") as raised:
        Catalog.open(catalog.root)
    assert "exiftree restore" in str(raised.value)
    assert not catalog.db_path.exists()


def test_a_new_folder_still_becomes_a_new_catalog(tmp_path: Path) -> None:
    with Catalog.open(tmp_path / "new") as fresh:
        assert fresh.db_path.stat().st_size > 0


def _as_unprivileged(action: object, *args: str) -> tuple[int, str]:
    """Run the CLI as a user who may not write the folder: as root (which ignores file
    modes), a forked child that drops to ``nobody`` after every module is loaded."""
    if os.geteuid() != 0:
        import io
        from contextlib import redirect_stderr

        err = io.StringIO()
        with redirect_stderr(err):
            code = main(list(args))
        return code, err.getvalue()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            os.setgid(65534)
            os.setuid(65534)
            sys.stderr = os.fdopen(write_end, "w")  # pytest's capture is not fd 2
            code = main(list(args))
            sys.stderr.flush()
        except BaseException:  # noqa: BLE001 - report through the exit status
            code = 99
        os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        err = pipe.read()
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), err


@pytest.mark.parametrize("existing", [False, True], ids=["new-catalog", "existing-catalog"])
def test_a_read_only_catalog_folder_says_so(
    _migrated_catalog: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], existing: bool
) -> None:
    main(["--catalog", str(tmp_path / "warm"), "list"])  # load every module the child needs
    capsys.readouterr()
    base = Path(tempfile.mkdtemp(prefix="exiftree-ro-"))  # reachable by "nobody"
    try:
        folder = base / "catalog"
        if existing:
            shutil.copytree(_migrated_catalog, folder)
        else:
            folder.mkdir()
        for path in (base, *folder.rglob("*"), folder):
            path.chmod(0o755 if path.is_dir() else 0o644)
        folder.chmod(0o555)

        code, err = _as_unprivileged(main, "--catalog", str(folder), "list")

        assert code == 2, err
        assert "read-only" in err and str(folder) in err and "unable to open" not in err
        assert "Traceback" not in err
    finally:
        folder.chmod(0o755)
        shutil.rmtree(base)


def test_damage_found_while_reading_is_a_sentence_not_a_traceback(
    catalog: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    for _ in range(300):
        add_photo(catalog, title="x" * 500)
    catalog.close()
    with closing(sqlite3.connect(catalog.db_path)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = catalog.db_path.stat().st_size
    with open(catalog.db_path, "r+b") as file:  # pages in the middle overwritten
        file.seek(size // 2)
        file.write(b"\xff" * 32768)

    code, err = _run(capsys, "--catalog", str(catalog.root), "list")

    assert code == 2
    assert "the catalog is damaged" in err and "exiftree restore" in err
    assert not [b for b in list_backups(catalog.root) if b.kind == "daily"]  # none of damage


def test_restoring_over_a_garbage_catalog_keeps_the_garbage_aside(
    catalog: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    add_photo(catalog, title="Good")
    saved = make_backup(catalog.root)
    catalog.close()
    catalog.db_path.write_bytes(b"garbage" * 100)

    assert _run(capsys, "--catalog", str(catalog.root), "restore", str(saved.path))[0] == 0

    with Catalog.open(catalog.root) as back, back.reading() as session:
        assert session.scalar(select(Photo.title)) == "Good"
    kept = list((catalog.root / "backups").glob("damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == b"garbage" * 100
