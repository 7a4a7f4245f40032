"""A real ``exiftree import`` under faults: a full disk, kill -9, Ctrl-C, a file being copied.

Each runs the command line in its own process session, as a terminal would, so that the
test can see every process the import started (``/proc/<pid>/stat``'s session id).
"""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from catalog.catalog import Catalog
from catalog.ingest import run_import
from catalog.jobs import JobObserver
from tests.catalog.ingest_helpers import copy_data
from tests.factories import make_jpeg

EXIFTREE = str(Path(sys.executable).parent / "exiftree")
pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")


def _session(sid: int) -> list[int]:
    """Live processes of session ``sid``: the import and everything it started."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        state, _, _, session = stat[stat.rindex(")") + 2 :].split()[:4]
        if int(session) == sid and state != "Z":
            found.append(int(entry))
    return found


def _gone(sid: int, patience_s: float = 30.0) -> list[int]:
    """Poll until session ``sid`` has no process left (or patience ends); what is left."""
    deadline = time.monotonic() + patience_s
    while (left := _session(sid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def _count(db: Path, status: str | None = None) -> int:
    query = "SELECT count(*) FROM photos" + (" WHERE status = ?" if status else "")
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return int(conn.execute(query, (status,) if status else ()).fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def _photos(folder: Path, count: int, size: tuple[int, int] = (1200, 900)) -> Path:
    """``count`` distinct JPEGs; 1200 x 900 keeps each worker busy for a moment."""
    for i in range(count):
        make_jpeg(folder / f"p{i:03d}.jpg", size, seed=i)
    return folder


def _new_catalog(home: Path) -> Path:
    subprocess.run([EXIFTREE, "--catalog", str(home), "where"], check=True, capture_output=True)
    return home / "catalog.sqlite"


def _wait_for(condition: Callable[[], bool], patience_s: float = 120.0) -> None:
    deadline = time.monotonic() + patience_s
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)


@pytest.mark.slow
def test_a_full_disk_stops_the_batch_with_one_sentence_and_the_rerun_finishes(
    tmp_path: Path,
) -> None:
    photos = _photos(tmp_path / "photos", 16, (800, 600))
    db = _new_catalog(tmp_path / "cat")
    command = [EXIFTREE, "--catalog", str(tmp_path / "cat"), "import", "--workers", "2",
               str(photos)]  # fmt: skip
    limit = db.stat().st_size + 96_000  # the WAL and the thumbnails soon outgrow it

    def small_disk() -> None:  # a write past the limit fails with EFBIG, as on a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    full = subprocess.Popen(command, preexec_fn=small_disk, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)  # fmt: skip
    out, err = full.communicate(timeout=300)

    assert full.returncode == 2, out + err
    errors = [line for line in err.splitlines() if line.strip()]
    assert len(errors) == 1 and "full" in errors[0] and "run the same import again" in errors[0]
    assert "failed 0" in out and "Errno" not in out + err
    assert _count(db, "failed") == 0
    assert _count(db) < 16, "the limit did not bite: nothing was tested"
    assert _gone(full.pid) == []  # no worker outlives the stopped import

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert "failed 0" in rerun.stdout
    assert _count(db, "processed") == 16 == _count(db)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.slow
def test_kill_9_of_the_import_leaves_no_process_running(tmp_path: Path) -> None:
    photos = _photos(tmp_path / "photos", 24)
    db = _new_catalog(tmp_path / "cat")
    process = subprocess.Popen(
        [EXIFTREE, "--catalog", str(tmp_path / "cat"), "import", "--workers", "2", str(photos)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    _wait_for(lambda: _count(db) >= 2)
    helpers = [pid for pid in _session(process.pid) if pid != process.pid]
    assert helpers, "the import started no worker processes: nothing was tested"
    assert _count(db) < 24, "the import finished before it could be killed"

    os.kill(process.pid, signal.SIGKILL)  # only the import itself, as a crash would
    process.wait(timeout=30)

    assert _gone(process.pid) == []


@pytest.mark.slow
def test_ctrl_c_keeps_what_is_done_and_fails_nothing(tmp_path: Path) -> None:
    photos = _photos(tmp_path / "photos", 24)
    db = _new_catalog(tmp_path / "cat")
    command = [EXIFTREE, "--catalog", str(tmp_path / "cat"), "import", "--workers", "2",
               str(photos)]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, start_new_session=True)  # fmt: skip
    _wait_for(lambda: _count(db) >= 2)
    os.killpg(process.pid, signal.SIGINT)  # what the terminal sends every process of the job
    out, _ = process.communicate(timeout=120)

    assert process.returncode == 130
    assert "(cancelled)" in out and "failed 0" in out
    assert _count(db, "failed") == 0 and _count(db) < 24
    assert _gone(process.pid) == []
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0 and "failed 0" in rerun.stdout
    assert _count(db, "processed") == 24


def test_a_file_gone_mid_import_is_not_remembered_as_failed(tmp_path: Path) -> None:
    """Moved away between the folder scan and the read (a folder renamed mid-import): this
    import says so, no ``failed`` photo stays behind, and the next import takes it."""
    [photo] = copy_data(tmp_path / "photos", "Canon_40D.jpg")
    moved = tmp_path / "elsewhere.jpg"

    class MovesTheFile(JobObserver):
        def started(self, total: int | None) -> None:  # after the scan, before any read
            photo.rename(moved)

    with Catalog.open(tmp_path / "cat") as catalog:
        first = run_import(catalog, [photo.parent], workers=1, observer=MovesTheFile())
        assert [o.status for o in first.outcomes] == ["failed"]
        assert "next import" in (first.outcomes[0].reason or "")
        assert _count(catalog.db_path) == 0
        moved.rename(photo)
        second = run_import(catalog, [photo.parent], workers=1)
        assert second.imported == 1 and _count(catalog.db_path, "processed") == 1
