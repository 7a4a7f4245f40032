"""A camera RAW goes all the way: ``exiftree import`` of a RAW alone and of a RAW+JPEG pair,
``set --public``, ``publish --with-originals`` — every rendition upright, in the snapshot
and in the media folder, with the RAW's camera in its EXIF summary."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from desktop.cli import main
from tests.catalog.raw_samples import painted, write_dng


def test_a_raw_and_a_raw_jpeg_pair_publish_upright(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "card"
    folder.mkdir()
    # a portrait RAW alone (stored sideways, orientation 6) with a full-size preview
    write_dng(folder / "DSC_0001.NEF", painted(3300, 2200), orientation=6, preview_px=3300,
              model="Z 6")  # fmt: skip
    # a pair: its JPEG is the photo's source
    write_dng(folder / "DSC_0002.NEF", painted(900, 600), preview_px=900)
    Image.fromarray(painted(900, 600)).save(folder / "DSC_0002.JPG", quality=92)
    home = ["--catalog", str(tmp_path / "cat")]
    assert main([*home, "import", "--workers", "1", str(folder)]) == 0
    capsys.readouterr()
    assert main([*home, "list", "--json"]) == 0
    rows = {Path(r["path"]).name: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    assert set(rows) == {"DSC_0001.NEF", "DSC_0002.JPG"}  # two photos, not three
    assert main([*home, "set", *(r["id"] for r in rows.values()), "--public"]) == 0
    site = tmp_path / "site"

    assert main([*home, "publish", "--to", str(site), "--with-originals"]) == 0

    with sqlite3.connect(site / "snapshot.sqlite") as db:
        live = "FROM photos WHERE valid_to IS NULL"
        published = dict(db.execute(f"SELECT id, renditions {live}"))
        cameras = dict(db.execute(f"SELECT id, camera_name {live}"))
    assert "Z 6" in cameras[rows["DSC_0001.NEF"]["id"]]  # the RAW's own EXIF, via exiv2
    raw_sizes = json.loads(published[rows["DSC_0001.NEF"]["id"]])
    assert [(r["width"], r["height"]) for r in raw_sizes] == [
        (200, 300), (534, 800), (1067, 1600), (1600, 2400)]  # fmt: skip
    for rendition in raw_sizes:  # turned: the stored red top on the right, blue on the left
        with Image.open(site / "media" / rendition["key"]) as image:
            pixels = np.asarray(image.convert("RGB"), dtype=np.int32)
        middle = pixels.shape[0] // 2
        right, left = pixels[middle, -5], pixels[middle, 5]
        assert right[0] > right[2] + 80 and left[2] > left[0] + 80, rendition
    pair_sizes = json.loads(published[rows["DSC_0002.JPG"]["id"]])
    assert [max(r["width"], r["height"]) for r in pair_sizes] == [300, 800, 900]
