"""Loupe zoom driven with keys and the mouse: fit ↔ 1:1, centred on the click, pan by drag,
the full original decoded off the UI thread."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from tests.catalog.ai_fixtures import add_photo_with_thumb
from tests.desktop.conftest import WAIT_MS, wait_for_grid
from tests.factories import make_jpeg

SIZE = (3000, 2000)


def _open_loupe(catalog, window, qtbot, tmp_path):
    original = tmp_path / "DSC_0001.jpg"
    make_jpeg(original, SIZE)
    photo = add_photo_with_thumb(
        catalog, thumb_px=1600, source_path=str(original), width=SIZE[0], height=SIZE[1]
    )
    window.resize(1000, 700)
    window.reload_ids()
    wait_for_grid(window, qtbot, lambda ids: photo.id in ids)
    window.grid.select_ids([photo.id], photo.id)
    window.grid.setFocus()
    qtbot.keyClick(window.grid, Qt.Key.Key_Return)
    loupe = window.loupe
    qtbot.waitUntil(lambda: loupe.photo_id == photo.id, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: loupe.zoom_scale() < 0.5, timeout=WAIT_MS)  # fitted: well under 1:1
    return loupe


def test_z_zooms_to_one_to_one_from_the_original_and_back_to_fit(catalog, window, qtbot, tmp_path):
    loupe = _open_loupe(catalog, window, qtbot, tmp_path)
    ratio = loupe.devicePixelRatioF()

    qtbot.keyClick(loupe, Qt.Key.Key_Z)
    assert loupe.one_to_one
    assert abs(loupe.zoom_scale() - 1 / ratio) < 0.01  # at once, from the enlarged thumbnail
    qtbot.waitUntil(lambda: loupe.original_full_size, timeout=WAIT_MS)  # then the original
    assert abs(loupe.zoom_scale() - 1 / ratio) < 0.01

    qtbot.keyClick(loupe, Qt.Key.Key_Space)
    assert not loupe.one_to_one and loupe.zoom_scale() < 0.5
    assert window.stack.currentWidget() is loupe  # Space zooms; it no longer leaves the loupe


def test_a_click_zooms_centred_on_it_and_a_drag_pans(catalog, window, qtbot, tmp_path):
    loupe = _open_loupe(catalog, window, qtbot, tmp_path)
    centre = loupe.rect().center()
    click = QPoint(centre.x() - 150, centre.y() - 100)  # up and left of the middle

    qtbot.mouseClick(loupe, Qt.MouseButton.LeftButton, pos=click)
    assert loupe.one_to_one
    assert loupe.centre.x() < 0.45 and loupe.centre.y() < 0.45
    before = loupe.centre

    qtbot.mousePress(loupe, Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseMove(loupe, QPoint(centre.x() - 120, centre.y() - 80))
    qtbot.mouseMove(loupe, QPoint(centre.x() - 240, centre.y() - 160))
    qtbot.mouseRelease(
        loupe, Qt.MouseButton.LeftButton, pos=QPoint(centre.x() - 240, centre.y() - 160)
    )
    assert loupe.one_to_one  # a drag pans; it does not zoom out
    assert loupe.centre.x() > before.x() and loupe.centre.y() > before.y()  # dragged left/up

    qtbot.mouseClick(loupe, Qt.MouseButton.LeftButton, pos=centre)
    assert not loupe.one_to_one
