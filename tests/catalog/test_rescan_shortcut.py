"""A rescan with nothing to do is answered without the pipeline (``catalog.ingest.rescan``),
exactly as the full import would answer it; anything new, changed, gone or a sidecar to
read sends ``exiftree import`` down the full import, which does it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from catalog.catalog import Catalog
from catalog.ingest import run_import
from catalog.ingest.rescan import unchanged_rescan
from catalog.jobs import ItemOutcome
from desktop.cli import main
from tests.catalog.ingest_helpers import copy_data

ROOT = Path(__file__).resolve().parents[2]
SIDECAR = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" '
    'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="3"/></rdf:RDF></x:xmpmeta>'
)


def _as_set(outcomes: list[ItemOutcome] | tuple[ItemOutcome, ...]) -> set[tuple]:
    return {(o.key, o.status, o.reason, o.photo_id) for o in outcomes}


@pytest.fixture
def imported(catalog: Catalog, tmp_path: Path) -> Path:
    """A folder of two photos, a file that failed and a file that is no photo, imported."""
    folder = tmp_path / "in"
    copy_data(folder, "Nikon_D70.jpg", "Canon_40D.jpg")
    (folder / "empty.jpg").write_bytes(b"")
    (folder / "notes.txt").write_text("not a photo")
    result = run_import(catalog, [folder], workers=1)
    assert (result.imported, result.failed) == (2, 1)
    return folder


def test_the_shortcut_answers_as_the_full_import_does(catalog: Catalog, imported: Path) -> None:
    quick = unchanged_rescan(catalog, [imported])
    assert quick is not None
    full = run_import(catalog, [imported], workers=1)
    assert full.imported == 0 and full.skipped == 4
    assert _as_set(quick) == _as_set(full.outcomes)
    assert unchanged_rescan(catalog, [imported / "Canon_40D.jpg"]) is not None  # one file


def test_anything_to_do_is_left_to_the_full_import(catalog: Catalog, imported: Path) -> None:
    photo = imported / "Nikon_D70.jpg"
    info = photo.stat()
    os.utime(photo, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
    assert unchanged_rescan(catalog, [imported]) is None  # changed: read it again
    run_import(catalog, [imported], workers=1)
    assert unchanged_rescan(catalog, [imported]) is not None

    copy_data(imported, "DSCN0010.jpg")
    assert unchanged_rescan(catalog, [imported]) is None  # new
    assert run_import(catalog, [imported], workers=1).imported == 1
    assert unchanged_rescan(catalog, [imported]) is not None

    (imported / "Canon_40D.xmp").write_text(SIDECAR)
    assert unchanged_rescan(catalog, [imported]) is None  # a sidecar to read
    run_import(catalog, [imported], workers=1)
    assert unchanged_rescan(catalog, [imported]) is not None  # read and recorded

    (imported / "DSCN0010.jpg").unlink()
    assert unchanged_rescan(catalog, [imported]) is None  # gone: the full import marks it
    run_import(catalog, [imported], workers=1)
    copy_data(imported, "DSCN0010.jpg")
    assert unchanged_rescan(catalog, [imported]) is None  # back (same path, new mtime)


def test_the_cli_rescan_says_what_the_full_import_says_and_loads_no_database_layer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    copy_data(folder, "Nikon_D70.jpg", "Canon_40D.jpg")
    args = ["--catalog", str(tmp_path / "cat"), "import", "--workers", "1", str(folder)]
    assert main(args) == 0
    assert main([*args, "--force"]) == 0  # the full import, skipping nothing
    capsys.readouterr()
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin"}
    env |= {k: os.environ[k] for k in ("HOME", "XDG_CACHE_HOME") if k in os.environ}
    probe = (
        "import json, sys\nfrom desktop.cli import main\n"
        f"assert main({args!r}) == 0\nprint(json.dumps(sorted(sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=tmp_path,
        check=True, timeout=120,
    )  # fmt: skip
    *summary, modules = done.stdout.strip().splitlines()
    heavy = [m for m in json.loads(modules) if m.split(".")[0] in ("sqlalchemy", "PIL", "numpy")]
    assert not heavy, heavy[:5]
    assert summary[0] == "imported 0, skipped 2, moved 0, duplicates 0, rejected 0, failed 0"
    assert summary[1] == "skipped 2: already in the catalog (in/Canon_40D.jpg, in/Nikon_D70.jpg)"
