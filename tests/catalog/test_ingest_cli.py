"""``exiftree import`` / ``reprocess`` from the command line, and a kill -9 in mid-import."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.cli import main
from tests.catalog.ingest_helpers import DATA, copy_data
from tests.factories import make_jpeg

EXIFTREE = str(Path(sys.executable).parent / "exiftree")


def test_import_prints_a_summary_with_each_failure(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "in"
    copy_data(folder, "Nikon_D70.jpg", "Canon_40D.jpg")
    (folder / "empty.jpg").write_bytes(b"")
    args = ["--catalog", str(tmp_path / "cat"), "import", "--workers", "1", str(folder)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "imported 2, skipped 0, moved 0, duplicates 0, rejected 0, failed 1" in out
    assert f"failed: {folder / 'empty.jpg'}: empty file (0 bytes)" in out
    (folder / "README").write_text("not a photo")
    (folder / "notes.txt").write_text("nor this")
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "imported 0, skipped 5," in out
    assert "skipped 2: not a photo file type" not in out  # each suffix is its own reason
    assert "skipped 1: not a photo file type (no suffix) (in/README)" in out
    assert "skipped 1: not a photo file type (.txt) (in/notes.txt)" in out


def test_reprocess_failed_command(tmp_path: Path, capsys) -> None:
    photo = tmp_path / "in" / "fixme.jpg"
    photo.parent.mkdir()
    photo.write_bytes(b"")
    home = ["--catalog", str(tmp_path / "cat")]
    assert main([*home, "import", "--workers", "1", str(photo)]) == 0
    photo.write_bytes((DATA / "Canon_40D.jpg").read_bytes())
    assert main([*home, "reprocess", "--failed", "--workers", "1"]) == 0
    assert "imported 1," in capsys.readouterr().out.splitlines()[-1]


def test_reprocess_takes_id_prefixes_and_refuses_unknown_ids(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "in"
    copy_data(folder, "Canon_40D.jpg")
    (folder / "broken.jpg").write_bytes(b"")
    home = ["--catalog", str(tmp_path / "cat")]
    assert main([*home, "import", "--workers", "1", str(folder)]) == 0
    capsys.readouterr()
    assert main([*home, "import", "--workers", "1", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "skipped 1: failed before and unchanged since (exiftree reprocess --failed" in out
    assert main([*home, "list", "--json"]) == 0
    good = next(
        row["id"]
        for line in capsys.readouterr().out.splitlines()
        if (row := json.loads(line))["status"] == "processed"
    )

    assert main([*home, "reprocess", "--workers", "1", good[:8]]) == 0
    assert "imported 1," in capsys.readouterr().out
    assert main([*home, "reprocess", "no-such-photo"]) != 0
    assert "no photo 'no-such-photo'" in capsys.readouterr().err


def _count(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM photos").fetchone()[0]
    except sqlite3.OperationalError:
        return 0  # not created or not migrated yet


@pytest.mark.slow
def test_kill_9_mid_import_then_rerun_finishes_cleanly(tmp_path: Path) -> None:
    total = 240
    photos = tmp_path / "photos"
    for i in range(total):
        make_jpeg(photos / f"d{i // 40}" / f"p{i:04d}.jpg", (320, 240), seed=i,
                  exif={0x010E: f"photo {i}"})  # fmt: skip
    home = tmp_path / "cat"
    command = [EXIFTREE, "--catalog", str(home), "import", "--workers", "2", str(photos)]
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 120
    while _count(home / "catalog.sqlite") < 20 and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)  # the CLI and its worker processes, mid-write
    process.wait(timeout=30)
    killed_at = _count(home / "catalog.sqlite")
    assert 0 < killed_at < total, "the import was not interrupted mid-way"
    with sqlite3.connect(home / "catalog.sqlite") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert "failed 0" in rerun.stdout
    with sqlite3.connect(home / "catalog.sqlite") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = conn.execute("SELECT source_path, content_hash, status FROM photos").fetchall()
    assert len(rows) == total
    assert len({r[0] for r in rows}) == total and len({r[1] for r in rows}) == total
    assert {r[2] for r in rows} == {"processed"}


def test_a_bad_rules_file_stops_the_command_with_its_line(tmp_path: Path, capsys) -> None:
    home = tmp_path / "cat"
    home.mkdir()
    (home / "rules.toml").write_text("[reject]\nyears = 2004 2005\n")
    copy_data(tmp_path / "in", "Canon_40D.jpg")
    assert main(["--catalog", str(home), "import", str(tmp_path / "in")]) == 2
    assert "rules.toml, line" in capsys.readouterr().err


def test_other_files_beside_photos_are_reported_once_per_kind(tmp_path: Path, capsys) -> None:
    """A card or a Lightroom folder holds videos, notes and sidecars beside the photos: one
    summary line per kind (the suffix's case makes no second kind), and a photo's own
    sidecar is read with it, not reported."""
    folder = tmp_path / "in"
    copy_data(folder, "Nikon_D70.jpg")
    for name in ("a.mp4", "B.MP4", "clip.mov", "notes.txt", "sub/more.TXT", "orphan.xmp"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("not a photo")
    (folder / "Nikon_D70.xmp").write_text(
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
        '22-rdf-syntax-ns#"><rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
        'xmp:Rating="3"/></rdf:RDF></x:xmpmeta>'
    )
    args = ["--catalog", str(tmp_path / "cat"), "import", "--workers", "1", str(folder)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "imported 1, skipped 6," in out
    skipped = [line for line in out.splitlines() if line.startswith("skipped ")]
    assert skipped == [
        "skipped 2: a video (.mp4): ExifTree catalogs photos only (in/B.MP4, in/a.mp4)",
        "skipped 1: a video (.mov): ExifTree catalogs photos only (in/clip.mov)",
        "skipped 2: not a photo file type (.txt) (in/notes.txt, sub/more.TXT)",
        "skipped 1: an XMP sidecar with no photo of its name beside it (.xmp) (in/orphan.xmp)",
    ]
