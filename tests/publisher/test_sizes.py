"""Never upscale: a small original gets only the renditions smaller than it plus itself, so
the snapshot (and the viewer's srcset) holds each width once."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from PIL import Image

from catalog.catalog import Catalog
from desktop.cli import main
from publisher.publish import publish
from publisher.targets import local_target
from tests.catalog.ingest_helpers import copy_data
from tests.publisher.conftest import photo_with_thumbs

# real camera files (tests/data): long side 1024, 640 and 100 px
EXPECTED = {
    "sony-powershota5.jpg": [300, 800, 1024],
    "DSCN0010.jpg": [300, 640],
    "Canon_40D.jpg": [100],
}


def test_small_originals_get_each_width_once_and_never_an_upscale(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    copy_data(folder, *EXPECTED)
    home = ["--catalog", str(tmp_path / "cat")]
    assert main([*home, "import", "--workers", "1", str(folder)]) == 0
    capsys.readouterr()
    assert main([*home, "list", "--json"]) == 0
    names = {
        r["id"]: Path(r["path"]).name
        for r in map(json.loads, capsys.readouterr().out.split("\n")[:-1])
    }
    assert main([*home, "set", *names, "--public"]) == 0
    site = tmp_path / "site"
    assert main([*home, "publish", "--to", str(site), "--with-originals"]) == 0
    with sqlite3.connect(site / "snapshot.sqlite") as db:
        rows = db.execute("SELECT id, renditions FROM photos WHERE valid_to IS NULL").fetchall()
    assert len(rows) == len(EXPECTED)
    for photo_id, renditions in rows:
        name = names[photo_id]
        items = json.loads(renditions)
        long_sides = [max(r["width"], r["height"]) for r in items]
        assert long_sides == EXPECTED[name], name  # each once, none past the original
        for r in items:  # the files are what the rows say
            with Image.open(site / "media" / r["key"]) as image:
                assert image.size == (r["width"], r["height"])
    assert len(list((site / "media").rglob("*.jpg"))) == sum(map(len, EXPECTED.values()))


def test_large_originals_keep_every_size(catalog: Catalog, tmp_path: Path) -> None:
    photo = photo_with_thumbs(catalog, width=6000, height=4000)
    result = publish(catalog, local_target(tmp_path / "site"))
    assert result.plan is not None and not result.failed
    assert sorted(result.plan.keys[photo.id]) == [300, 800, 1600]
