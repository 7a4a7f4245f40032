""" "Keep XMP sidecars in sync": an edit in the desktop lands in FILE.xmp, off the UI thread;
its undo too; with the setting off, nothing is written."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from catalog import operations
from catalog.catalog import Catalog
from catalog.ingest.pipeline import run_import
from catalog.sidecars import read_sidecar
from desktop.context import DesktopContext
from desktop.views.settings_dialog import SettingsDialog
from tests.catalog.ingest_helpers import sha256_of
from tests.desktop.conftest import WAIT_MS


def test_the_sync_setting_writes_each_edit_and_its_undo(catalog: Catalog, tmp_path, qtbot):
    photo = tmp_path / "shots" / "boat.jpg"
    photo.parent.mkdir()
    Image.new("RGB", (80, 60), (30, 90, 160)).save(photo, "JPEG")
    digest = sha256_of(photo)
    photo_id = run_import(catalog, [photo], workers=1).outcomes[0].photo_id
    assert photo_id
    sidecar = photo.with_suffix(".xmp")
    ctx = DesktopContext(catalog)

    ctx.perform(lambda: operations.set_rating(catalog, [photo_id], 2))
    ctx.tasks.wait_for_done(WAIT_MS)
    qtbot.wait(50)
    assert not sidecar.exists()  # off by default: nothing written beside the originals

    dialog = SettingsDialog(ctx)
    dialog.sync_sidecars.setChecked(True)
    dialog.save()
    qtbot.waitUntil(lambda: ctx.settings.keep_sidecars_in_sync, timeout=WAIT_MS)

    ctx.perform(lambda: operations.set_rating(catalog, [photo_id], 4))
    qtbot.waitUntil(lambda: sidecar.exists() and read_sidecar(sidecar).rating == 4,
                    timeout=WAIT_MS)  # fmt: skip
    ctx.perform(lambda: operations.add_tags(catalog, [photo_id], ["harbour"]))
    qtbot.waitUntil(lambda: read_sidecar(sidecar).keywords == ("harbour",), timeout=WAIT_MS)
    ctx.undo()
    qtbot.waitUntil(lambda: read_sidecar(sidecar).keywords == (), timeout=WAIT_MS)
    assert read_sidecar(sidecar).rating == 4
    ctx.tasks.wait_for_done(WAIT_MS)
    assert sha256_of(photo) == digest
    assert sorted(p.name for p in Path(photo.parent).iterdir()) == ["boat.jpg", "boat.xmp"]
