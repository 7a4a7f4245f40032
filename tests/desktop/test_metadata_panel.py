"""The inspector's full metadata and location panels, on a real camera file imported."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtWidgets import QInputDialog

from tests.desktop.conftest import WAIT_MS, wait_for_grid

DATA = Path(__file__).parent.parent / "data"


def _imported(window, qtbot, import_folder, tmp_path, name: str):
    folder = tmp_path / "card"
    folder.mkdir()
    shutil.copy(DATA / name, folder / name)
    import_folder(window, folder)
    wait_for_grid(window, qtbot, lambda ids: len(ids) == 1)
    photo_id = window.model.ids[0]
    window.grid.select_ids([photo_id], photo_id)
    inspector = window.inspector
    qtbot.waitUntil(lambda: inspector.current_row() is not None, timeout=WAIT_MS)
    return inspector


def test_the_metadata_section_lists_parsed_fields_then_the_raw_tree_searchable(
    window, qtbot, import_folder, tmp_path
):
    inspector = _imported(window, qtbot, import_folder, tmp_path, "Canon_40D.jpg")
    panel = inspector.metadata
    assert panel.body.isHidden()  # collapsed until asked for

    panel.toggle.click()
    qtbot.waitUntil(lambda: panel.tree.topLevelItemCount() == 2, timeout=WAIT_MS)
    fields = dict(panel.visible_fields())
    assert fields["File name"] == "Canon_40D.jpg"
    assert "×" in fields["Dimensions"] and "MP" in fields["Dimensions"]
    assert fields["File size"].endswith("KB")
    assert fields["Camera"].startswith("Canon")
    # the 40D's sensor (APS-C, crop 1.6) gives the 35 mm equivalent even in this 100 px copy
    assert fields["Focal length"] == "135 mm (218 mm in 35 mm)"
    raw = panel.tree.topLevelItem(1)
    assert raw.childCount() > 0  # the stored EXIF groups

    panel.search.setText("canon")
    shown = panel.visible_fields()
    assert shown and all("canon" in (k + v).casefold() for k, v in shown)
    assert len(shown) < len(fields) + raw.childCount()  # narrowed
    panel.search.clear()
    assert len(panel.visible_fields()) > len(shown)


def test_the_location_panel_shows_the_place_and_fixes_it(
    window, qtbot, import_folder, tmp_path, monkeypatch
):
    inspector = _imported(window, qtbot, import_folder, tmp_path, "DSCN0010.jpg")
    location = inspector.location
    lines = location.place_text()
    assert any("° N" in line and "° E" in line for line in lines), lines
    assert len(lines) >= 2  # a place name above the coordinates

    monkeypatch.setattr(
        QInputDialog, "getText", staticmethod(lambda *a, **k: ("51.50070, -0.12460", True))
    )
    location.fix.click()
    qtbot.waitUntil(
        lambda: any("51.50070° N, 0.12460° W" in line for line in location.place_text()),
        timeout=WAIT_MS,
    )
