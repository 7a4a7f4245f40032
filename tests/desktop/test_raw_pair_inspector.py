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
