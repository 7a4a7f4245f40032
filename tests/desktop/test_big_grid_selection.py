"""A selection in a big view acts on every photo it holds, even before the view's whole id
list has arrived; it survives the list landing; and it is built the way the owner drew it.

The whole list is held back by the ``gate`` of test_big_grid (a worker waits on it), so the
window is seen between a new view's first screen and its whole list, as an owner of a
million photos sees it for a second or two.
"""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QAccessible, QDrag
from PySide6.QtWidgets import QInputDialog, QMessageBox
from sqlalchemy import select

from catalog.models.photo import Photo
from catalog.rows import load_rows
from desktop.models.photo_grid import PHOTO_IDS_MIME
from desktop.views.grid import PhotoGridView, ids_of_spans
from tests.desktop.test_big_grid import FIRST, PHOTOS, by_title, gate, show_by_title
from tests.factories import add_photo

__all__ = ["gate"]  # the fixture, imported for pytest

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def column(catalog: object, field: str) -> list[object]:
    with catalog.reading() as session:  # type: ignore[attr-defined]
        return [v for (v,) in session.execute(select(getattr(Photo, field)))]


def select_all_on_first_screen(window: object, qtbot: object, gate: threading.Event) -> None:
    show_by_title(window, qtbot, gate)
    window.activateWindow()  # type: ignore[attr-defined]
    window.grid.setFocus()  # type: ignore[attr-defined]
    qtbot.keyClick(window.grid, Qt.Key.Key_A, CTRL)  # type: ignore[attr-defined]
    assert window.count_label.text().endswith(f"{PHOTOS} selected")  # type: ignore[attr-defined]


def land_whole_list(window: object, qtbot: object, gate: threading.Event) -> None:
    gate.set()
    qtbot.waitUntil(lambda: window.model.is_complete, timeout=30_000)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("key", "field", "value"),
    [(Qt.Key.Key_X, "visibility", "private"), (Qt.Key.Key_5, "rating", 5)],
)
def test_select_all_then_a_key_on_the_first_screen_changes_every_photo(
    catalog, window, qtbot, gate, key, field, value
):
    """The owner selects all and presses X: every photo goes private, not the loaded ones."""
    select_all_on_first_screen(window, qtbot, gate)
    qtbot.keyClick(window.grid, key)
    assert window.statusBar().currentMessage().startswith("Loading all photos")
    assert value not in column(catalog, field)  # nothing changed in part meanwhile

    land_whole_list(window, qtbot, gate)
    qtbot.waitUntil(lambda: column(catalog, field).count(value) == PHOTOS, timeout=30_000)
    assert window.statusBar().currentMessage() == ""


def test_tags_from_the_menu_wait_for_the_whole_selection(catalog, window, qtbot, gate, monkeypatch):
    """Tags from the Photo menu reach all 30 photos."""
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("sea", True)))
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    )
    select_all_on_first_screen(window, qtbot, gate)
    window.photo_actions.add_tags()
    land_whole_list(window, qtbot, gate)
    qtbot.waitUntil(lambda: tagged(catalog, "sea") == PHOTOS, timeout=30_000)


def tagged(catalog: object, tag: str) -> int:
    with catalog.reading() as session:  # type: ignore[attr-defined]
        rows = load_rows(session, [str(i) for i in column(catalog, "id")])
    return sum(tag in row.tags for row in rows)


def test_delete_of_select_all_on_the_first_screen_removes_every_photo(
    catalog, window, qtbot, gate, monkeypatch
):
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    )
    select_all_on_first_screen(window, qtbot, gate)
    qtbot.keyClick(window.grid, Qt.Key.Key_Delete)
    assert len(column(catalog, "id")) == PHOTOS
    land_whole_list(window, qtbot, gate)
    qtbot.waitUntil(lambda: column(catalog, "id") == [], timeout=30_000)


def test_an_inspector_edit_of_select_all_reaches_every_photo(catalog, window, qtbot, gate):
    select_all_on_first_screen(window, qtbot, gate)
    qtbot.waitUntil(lambda: window.inspector._row is not None, timeout=30_000)
    window.inspector._rating_chosen(4)
    land_whole_list(window, qtbot, gate)
    qtbot.waitUntil(lambda: column(catalog, "rating").count(4) == PHOTOS, timeout=30_000)


def test_a_waiting_action_is_dropped_when_the_view_changes(catalog, window, qtbot, gate):
    """Photos that came in meanwhile make the rows mean other photos: nothing is changed,
    and the owner is told, rather than guessing which photos were meant."""
    select_all_on_first_screen(window, qtbot, gate)
    qtbot.keyClick(window.grid, Qt.Key.Key_X)
    add_photo(window.ctx.catalog, title="Photo 99")  # e.g. an import landing meanwhile
    land_whole_list(window, qtbot, gate)
    assert window.model.rowCount() == PHOTOS + 1
    qtbot.waitUntil(lambda: "nothing was changed" in window.statusBar().currentMessage())
    assert "private" not in column(catalog, "visibility")


def test_select_all_on_the_first_screen_stays_whole_when_the_list_lands(
    catalog, window, qtbot, gate
):
    """The fill-in keeps the selected rows; it used to rebuild them from the loaded ids."""
    for i in range(PHOTOS):
        add_photo(catalog, title=f"Photo {i:02d}")
    gate.set()
    window.reload_ids()
    qtbot.waitUntil(lambda: window.model.is_complete and window.model.rowCount() == PHOTOS)
    gate.clear()
    last = by_title(catalog)[-1]
    window.grid.select_ids([last], last)  # carried into the next view, far down in it
    window.first_screen_ids = FIRST
    window.sort.setCurrentIndex(window.sort.findData("title"))
    window.descending.setChecked(False)
    qtbot.waitUntil(lambda: len(window.model.ids) == FIRST, timeout=30_000)
    window.activateWindow()
    window.grid.setFocus()
    qtbot.keyClick(window.grid, Qt.Key.Key_A, CTRL)
    assert window.grid.selected_count() == PHOTOS

    land_whole_list(window, qtbot, gate)
    assert window.grid.selected_count() == PHOTOS
    assert window.selected_ids() == by_title(catalog)


def test_a_selection_past_the_first_screen_survives_photos_arriving(catalog, window, qtbot, gate):
    """Shift+End on the first screen, then an import adds a photo before the whole list
    lands: the selection still runs to the end."""
    show_by_title(window, qtbot, gate)
    window.activateWindow()
    window.grid.setFocus()
    window.grid.go_to_row(5)
    qtbot.keyClick(window.grid, Qt.Key.Key_End, SHIFT)
    assert window.grid.selected_count() == PHOTOS - 5
    add_photo(catalog, title="Photo 99")

    land_whole_list(window, qtbot, gate)
    ids = by_title(catalog)
    assert len(ids) == PHOTOS + 1
    assert window.selected_ids() == ids[5:]


def grid_of(catalog: object, window: object, qtbot: object, n: int) -> list[str]:
    for i in range(n):
        add_photo(catalog, title=f"Photo {i:02d}")
    window.sort.setCurrentIndex(window.sort.findData("title"))  # type: ignore[attr-defined]
    window.descending.setChecked(False)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: len(window.model.ids) == n, timeout=30_000)  # type: ignore[attr-defined]
    window.activateWindow()  # type: ignore[attr-defined]
    window.grid.setFocus()  # type: ignore[attr-defined]
    return list(window.model.ids)  # type: ignore[attr-defined]


def short_last_row(window: object) -> tuple[int, int]:
    """(columns, column of the last photo), checked to leave the last row short."""
    cols = window.grid.columns()  # type: ignore[attr-defined]
    last_col = (PHOTOS - 1) % cols
    assert last_col < cols - 1, "the window's width gives no short last row"
    return cols, last_col


def test_shift_end_from_right_of_a_short_last_row_selects_to_the_end(catalog, window, qtbot):
    ids = grid_of(catalog, window, qtbot, PHOTOS)
    cols, _ = short_last_row(window)
    window.grid.go_to_row(cols - 1)  # the first row's rightmost cell
    qtbot.keyClick(window.grid, Qt.Key.Key_End, SHIFT)
    assert window.selected_ids() == ids[cols - 1 :]


def test_shift_click_after_a_cell_right_of_the_last_photo_selects_to_the_end(
    catalog, window, qtbot
):
    ids = grid_of(catalog, window, qtbot, PHOTOS)
    cols, last_col = short_last_row(window)
    grid = window.grid
    grid.go_to_row(cols - 1)
    target = grid.visualRect(window.model.index(PHOTOS - 1)).center()
    qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, SHIFT, pos=target)
    assert window.selected_ids() == ids[cols - 1 :]


def test_shift_right_into_a_short_last_row_selects_both_photos(catalog, window, qtbot):
    ids = grid_of(catalog, window, qtbot, PHOTOS)
    cols, _ = short_last_row(window)
    start = (PHOTOS - 1) // cols * cols - 1  # the rightmost cell of the row above the last
    window.grid.go_to_row(start)
    qtbot.keyClick(window.grid, Qt.Key.Key_Right, SHIFT)
    assert window.selected_ids() == ids[start : start + 2]


def test_ids_of_overlapping_runs_are_named_once_in_order():
    ids = [f"p{i}" for i in range(10)]
    assert ids_of_spans(ids, [(0, 2), (1, 4), (8, 12)]) == [
        "p0",
        "p1",
        "p2",
        "p3",
        "p4",
        "p8",
        "p9",
    ]


def test_the_grid_names_the_current_photo_to_assistive_tech(catalog, window, qtbot):
    ids = grid_of(catalog, window, qtbot, 6)
    grid = window.grid
    iface = QAccessible.queryAccessibleInterface(grid)
    assert iface.text(QAccessible.Text.Name) == "Photos"
    grid.go_to_row(0)
    qtbot.keyClick(grid, Qt.Key.Key_Right)
    assert grid.current_id() == ids[1]
    qtbot.waitUntil(
        lambda: iface.text(QAccessible.Text.Description) == "Photo 01, photo 2 of 6",
        timeout=30_000,
    )


def test_a_drag_of_a_big_selection_carries_every_id_without_asking_each_row(
    catalog, window, qtbot, monkeypatch
):
    """Qt's drag asks isIndexHidden of every selected row (seconds at a million)."""
    ids = grid_of(catalog, window, qtbot, 3)
    many = [*ids, *(f"id-{i}" for i in range(20_000))]
    model = window.model
    model.set_ids(many)
    window.grid.selectAll()
    asked: list[int] = []
    monkeypatch.setattr(
        PhotoGridView, "isIndexHidden", lambda self, index: asked.append(1) or False
    )
    dragged: list[QMimeData] = []

    def exec_(self: QDrag, *args: object) -> Qt.DropAction:
        dragged.append(self.mimeData())
        return Qt.DropAction.IgnoreAction

    monkeypatch.setattr(QDrag, "exec", exec_)
    window.grid.startDrag(Qt.DropAction.CopyAction)
    assert len(asked) < 100
    assert bytes(dragged[0].data(PHOTO_IDS_MIME)).decode().split("\n") == many


def test_a_drag_before_the_whole_list_is_refused_not_cut(catalog, window, qtbot, gate, monkeypatch):
    select_all_on_first_screen(window, qtbot, gate)
    dragged: list[QMimeData] = []
    monkeypatch.setattr(QDrag, "exec", lambda self, *a: dragged.append(self.mimeData()))
    window.grid.startDrag(Qt.DropAction.CopyAction)
    assert dragged == []
    assert window.statusBar().currentMessage().startswith("Loading all photos")
