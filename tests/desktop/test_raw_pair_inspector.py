"""A RAW+JPEG pair imported through the window is one photo the inspector marks "RAW + JPEG"."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from tests.catalog.raw_samples import painted, write_dng
from tests.desktop.conftest import wait_for_grid


def test_inspector_shows_raw_plus_jpeg_for_a_pair(window, qtbot, import_folder, tmp_path):
    folder = tmp_path / "card"
    folder.mkdir()
    raw = write_dng(folder / "DSC_0001.NEF", painted(640, 426), model="NIKON D750")
    Image.fromarray(painted(640, 426)).save(folder / "DSC_0001.JPG", "JPEG", quality=90)

    import_folder(window, folder)

    wait_for_grid(window, qtbot, lambda ids: len(ids) == 1)  # one photo, not two
    window.grid.go_to_row(0)
    qtbot.waitUntil(lambda: window.inspector.current_row() is not None)
    label = window.inspector.file_kind
    assert label.isVisible() and label.text() == "RAW + JPEG"
    assert str(raw) in label.toolTip()
    assert Path(window.inspector.path.text()).name == "DSC_0001.JPG"


def test_the_owner_switches_a_pairs_source_from_the_window_and_undoes_it(
    window, qtbot, import_folder, tmp_path
):
    from PySide6.QtCore import Qt

    from catalog.rows import load_rows

    folder = tmp_path / "card"
    folder.mkdir()
    raw = write_dng(folder / "DSC_0001.NEF", painted(640, 426), model="NIKON D750")
    Image.fromarray(painted(640, 426)).save(folder / "DSC_0001.JPG", "JPEG", quality=90)
    Image.fromarray(painted(320, 200)).save(folder / "ALONE.JPG", "JPEG", quality=90)
    import_folder(window, folder)
    wait_for_grid(window, qtbot, lambda ids: len(ids) == 2)

    def stored(photo_id):
        with window.ctx.catalog.reading() as session:
            (row,) = load_rows(session, [photo_id])
        return row

    def select(name):
        (photo_id,) = [i for i in window.model.ids if Path(stored(i).source_path).name == name]
        window.grid.select_ids([photo_id], photo_id)
        qtbot.waitUntil(lambda: getattr(window.inspector.current_row(), "id", None) == photo_id)
        return photo_id

    menus, inspector = window.menus, window.inspector
    select("ALONE.JPG")  # one file: nothing to switch
    menus.photo.aboutToShow.emit()
    assert not menus.use_raw.isEnabled() and not menus.use_jpeg.isEnabled()
    assert inspector.pair_source.isHidden()

    pair = select("DSC_0001.JPG")
    menus.photo.aboutToShow.emit()
    assert menus.use_raw.isEnabled() and not menus.use_jpeg.isEnabled()  # the JPEG is in use
    assert not inspector.pair_source.isHidden()
    assert inspector.pair_source.text() == "Use RAW as source"
    jpeg_hash = stored(pair).content_hash

    with qtbot.waitSignal(window.ctx.events.catalog_changed, timeout=60_000):
        menus.use_raw.trigger()
    row = stored(pair)
    assert row.source_path == str(raw) and Path(row.companion_path).name == "DSC_0001.JPG"
    assert row.content_hash != jpeg_hash  # its pictures now come from the RAW
    assert window.undo_action.text() == "Undo Use RAW as source (1 photo)"
    qtbot.waitUntil(lambda: Path(inspector.path.text()).name == "DSC_0001.NEF")
    assert inspector.pair_source.text() == "Use JPEG as source"
    menus.photo.aboutToShow.emit()
    assert menus.use_jpeg.isEnabled() and not menus.use_raw.isEnabled()

    window.grid.setFocus()
    with qtbot.waitSignal(window.ctx.events.catalog_changed, timeout=60_000):
        qtbot.keyClick(window.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    row = stored(pair)
    assert Path(row.source_path).name == "DSC_0001.JPG" and row.content_hash == jpeg_hash
    qtbot.waitUntil(lambda: inspector.pair_source.text() == "Use RAW as source")

    with qtbot.waitSignal(window.ctx.events.catalog_changed, timeout=60_000):
        inspector.pair_source.click()  # the inspector's own button does the same
    assert stored(pair).source_path == str(raw)
