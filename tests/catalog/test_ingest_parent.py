"""A pooled import leaves the image work to its workers: the parent (which commits every
photo) loads none of the imaging libraries, whose ~1 s of CPU it would otherwise take from
the workers on a two-core machine (issue 15's multi-core goal)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "tests" / "data" / "exif-samples" / "jpg"
IMAGING = ("scipy", "PIL", "imagehash", "simplejpeg", "rawpy", "pillow_heif")

_PROBE = """
import json, sys
from desktop.cli import main
code = main(["import", "--workers", "2", sys.argv[1]])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def test_a_pooled_import_keeps_the_imaging_libraries_out_of_its_parent(tmp_path: Path) -> None:
    photos = tmp_path / "photos"
    photos.mkdir()
    for sample in sorted(SAMPLES.glob("*.jpg"))[:4]:
        shutil.copy(sample, photos / sample.name)
    env = {"PYTHONPATH": str(ROOT), "EXIFTREE_HOME": str(tmp_path / "cat"), "PATH": "/usr/bin"}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(photos)],
        capture_output=True, text=True, env=env, cwd=tmp_path, check=True, timeout=300,
    )  # fmt: skip
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["code"] == 0, done.stderr
    loaded = {name.split(".")[0] for name in report["modules"]}
    assert not loaded & set(IMAGING), sorted(loaded & set(IMAGING))
    listed = subprocess.run(
        [sys.executable, "-c", "import sys; from desktop.cli import main; sys.exit(main())",
         "list", "--status", "processed"],
        capture_output=True, text=True, env=env, cwd=tmp_path, check=True, timeout=120,
    )  # fmt: skip
    assert len(listed.stdout.strip().splitlines()) == 4  # the workers did import every photo


def test_the_parents_pixel_limit_is_twice_pillows_own() -> None:
    from PIL import Image

    from catalog.ingest.tasks import DEFAULT_MAX_PIXELS, PILLOW_MAX_PIXELS

    assert PILLOW_MAX_PIXELS == Image.MAX_IMAGE_PIXELS
    assert DEFAULT_MAX_PIXELS == 2 * Image.MAX_IMAGE_PIXELS


def test_the_workers_load_neither_scipy_nor_sqlalchemy() -> None:
    """What the forkserver imports before a pooled import's first photo, and an inline
    import before its own: neither the catalog's SQL layer nor scipy's FFT (~0.4 s
    together) is any use to a worker."""
    probe = "import json, sys, catalog.ingest.worker; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin"}, timeout=120,
    )  # fmt: skip
    loaded = {name.split(".")[0] for name in json.loads(done.stdout)}
    assert "PIL" in loaded  # the probe did load the imaging side
    assert not loaded & {"scipy", "sqlalchemy"}, sorted(loaded & {"scipy", "sqlalchemy"})
