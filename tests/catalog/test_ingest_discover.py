"""Discovery: what is a candidate, what is passed over, what is reported."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from catalog.ingest.discover import Candidate, Unusable, discover
from tests.factories import make_jpeg

REPO = Path(__file__).resolve().parents[2]


def _by_name(found: list) -> dict[str, Candidate | Unusable]:
    return {item.path.name: item for item in found}


def test_finds_photos_recursively_and_reports_other_files(tmp_path: Path) -> None:
    make_jpeg(tmp_path / "a.jpg")
    make_jpeg(tmp_path / "deep" / "er" / "b.JPEG")
    (tmp_path / "notes.txt").write_text("hello")
    found = _by_name(list(discover([tmp_path])))
    assert isinstance(found["a.jpg"], Candidate)
    assert isinstance(found["b.JPEG"], Candidate)
    notes = found["notes.txt"]
    assert isinstance(notes, Unusable) and notes.status == "skipped"
    assert notes.reason == "not a photo file type (.txt)"


def test_hidden_and_system_files_are_passed_over_silently(tmp_path: Path) -> None:
    make_jpeg(tmp_path / ".hidden.jpg")
    make_jpeg(tmp_path / ".cache" / "c.jpg")
    make_jpeg(tmp_path / "@eaDir" / "d.jpg")
    (tmp_path / "Thumbs.db").write_bytes(b"x")
    make_jpeg(tmp_path / "visible.jpg")
    assert [item.path.name for item in discover([tmp_path])] == ["visible.jpg"]


def test_broken_link_is_a_failure_and_the_walk_goes_on(tmp_path: Path) -> None:
    (tmp_path / "gone.jpg").symlink_to(tmp_path / "nowhere.jpg")
    make_jpeg(tmp_path / "ok.jpg")
    found = _by_name(list(discover([tmp_path])))
    assert found["gone.jpg"].status == "failed"
    assert found["gone.jpg"].reason.startswith("broken link to ")
    assert isinstance(found["ok.jpg"], Candidate)


def test_link_loops_and_repeated_paths_are_visited_once(tmp_path: Path) -> None:
    make_jpeg(tmp_path / "sub" / "a.jpg")
    (tmp_path / "sub" / "loop").symlink_to(tmp_path, target_is_directory=True)
    found = list(discover([tmp_path, tmp_path / "sub", tmp_path / "sub" / "a.jpg"]))
    assert [item.path.name for item in found] == ["a.jpg"]


def test_missing_path_is_reported(tmp_path: Path) -> None:
    (item,) = discover([tmp_path / "absent"])
    assert item == Unusable(tmp_path / "absent", "failed", "no such file or folder")


def _without_root_powers() -> list[str]:
    """Root reads every folder; ``setpriv`` drops the capabilities that let it."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: cannot make a folder unreadable")
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search"]


_IMPORT = """
import sys
from pathlib import Path
from catalog.catalog import Catalog
from catalog.ingest import run_import
with Catalog.open(Path(sys.argv[1])) as catalog:
    result = run_import(catalog, [Path(sys.argv[2])], workers=1)
for outcome in result.outcomes:
    print(outcome.status, outcome.key, outcome.reason, sep="|")
"""


def test_unreadable_folder_is_reported_and_the_batch_goes_on(tmp_path: Path) -> None:
    make_jpeg(tmp_path / "photos" / "ok.jpg")
    make_jpeg(tmp_path / "photos" / "locked" / "secret.jpg")
    locked = tmp_path / "photos" / "locked"
    locked.chmod(0o000)
    command = [sys.executable, "-c", _IMPORT, str(tmp_path / "cat"), str(tmp_path / "photos")]
    try:
        result = subprocess.run(
            [*_without_root_powers(), *command],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        locked.chmod(0o755)
    assert result.returncode == 0, result.stderr
    lines = set(result.stdout.splitlines())
    assert f"imported|{tmp_path / 'photos' / 'ok.jpg'}|None" in lines
    assert f"failed|{locked}|folder cannot be read: Permission denied" in lines
    assert len(lines) == 2
