"""A big view through the real window: its first screenful shows before its whole id list,
the whole list fills in the rest without losing the selection, and the end is reachable.

The whole list is held back by a gate (a worker waits on it), so the tests see the window
between the two steps exactly as an owner of a million photos would for a second or two.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt

from catalog import query
from catalog.query import PhotoFilter
from desktop.models import grid_ids
from tests.factories import add_photo

PHOTOS = 30
FIRST = 8


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """While unset, reading a view's whole id list waits (in its worker thread)."""
    event = threading.Event()
    read = grid_ids.read_whole_list

    def held(*args: object) -> grid_ids.WholeList:
        event.wait(30)
        return read(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(grid_ids, "read_whole_list", held)
    yield event
    event.set()  # never leave a worker waiting


def by_title(catalog: object) -> list[str]:
    with catalog.reading() as session:  # type: ignore[attr-defined]
        return query.photo_ids(session, PhotoFilter(), "title", descending=False)


def show_by_title(window: object, qtbot: object, gate: threading.Event) -> list[str]:
    """Switch the grid to a new view (titles A→Z) with the whole list held back."""
    catalog = window.ctx.catalog  # type: ignore[attr-defined]
    for i in range(PHOTOS):
        add_photo(catalog, title=f"Photo {i:02d}")
    window.first_screen_ids = FIRST  # type: ignore[attr-defined]
    window.sort.setCurrentIndex(window.sort.findData("title"))  # type: ignore[attr-defined]
    window.descending.setChecked(False)  # type: ignore[attr-defined]
    model = window.model  # type: ignore[attr-defined]
    wait: Callable[..., None] = qtbot.waitUntil  # type: ignore[attr-defined]
    wait(lambda: model.rowCount() == PHOTOS and len(model.ids) == FIRST, timeout=30_000)
    return by_title(catalog)


def test_the_first_photos_show_before_the_whole_id_list(catalog, window, qtbot, gate):
    expected = show_by_title(window, qtbot, gate)
    model = window.model

    assert model.ids == expected[:FIRST]
    assert not model.is_complete
    # the first cells fill in with their rows while the rest of the list is still read
    qtbot.waitUntil(lambda: model.row_at(0) is not None, timeout=30_000)
    assert model.row_at(0).title == "Photo 00"
    # the count and the scroll bar already speak for every photo of the view
    assert window.count_label.text().startswith(f"{PHOTOS} photos")
    bar = window.grid.verticalScrollBar()
    rows_of_cells = -(-PHOTOS // window.grid.columns())
    assert bar.maximum() == max(
        rows_of_cells * window.grid.gridSize().height() - window.grid.viewport().height(), 0
    )

    gate.set()
    qtbot.waitUntil(lambda: model.is_complete, timeout=30_000)
    assert model.ids == expected
    # scrolled to the end, the last cell shows the last photo
    bar.setValue(bar.maximum())
    first, last = window.grid.visible_rows()
    assert last == PHOTOS - 1
    qtbot.waitUntil(lambda: model.row_at(PHOTOS - 1) is not None, timeout=30_000)
    assert model.row_at(PHOTOS - 1).title == f"Photo {PHOTOS - 1:02d}"


def test_a_selection_across_the_first_screen_keeps_every_photo(catalog, window, qtbot, gate):
    expected = show_by_title(window, qtbot, gate)
    window.activateWindow()
    window.grid.setFocus()
    window.grid.go_to_row(5)
    qtbot.keyClick(window.grid, Qt.Key.Key_End, Qt.KeyboardModifier.ShiftModifier)
    assert window.grid.selected_count() == PHOTOS - 5  # rows whose ids are still coming too
    assert window.count_label.text().endswith(f"{PHOTOS - 5} selected")

    gate.set()
    qtbot.waitUntil(lambda: window.model.is_complete, timeout=30_000)
    assert window.selected_ids() == expected[5:]
    assert window.grid.current_id() == expected[-1]


def test_arrows_move_through_the_cells_row_by_row(catalog, window, qtbot):
    for i in range(12):
        add_photo(catalog, title=f"Photo {i:02d}")
    window.sort.setCurrentIndex(window.sort.findData("title"))
    window.descending.setChecked(False)
    qtbot.waitUntil(lambda: len(window.model.ids) == 12, timeout=30_000)
    ids = window.model.ids
    window.activateWindow()
    window.grid.setFocus()
    window.grid.go_to_row(0)
    columns = window.grid.columns()

    qtbot.keyClick(window.grid, Qt.Key.Key_Right)
    assert window.grid.current_id() == ids[1]
    qtbot.keyClick(window.grid, Qt.Key.Key_Down)
    assert window.grid.current_id() == ids[min(1 + columns, 11)]
    qtbot.keyClick(window.grid, Qt.Key.Key_End)
    assert window.grid.current_id() == ids[-1]
    assert window.selected_ids() == [ids[-1]]
    qtbot.keyClick(window.grid, Qt.Key.Key_Home)
    assert window.grid.current_id() == ids[0]


def test_a_click_selects_the_photo_under_the_pointer(catalog, window, qtbot):
    for i in range(6):
        add_photo(catalog, title=f"Photo {i:02d}")
    window.reload_ids()
    qtbot.waitUntil(lambda: len(window.model.ids) == 6, timeout=30_000)
    grid = window.grid
    target = grid.visualRect(window.model.index(3)).center()
    qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=target)
    assert window.selected_ids() == [window.model.ids[3]]


def test_a_letter_typed_into_the_grid_fetches_nothing(catalog, window, qtbot, gate):
    """Qt's type-ahead would read every row's title: at a million photos, a million rows."""
    show_by_title(window, qtbot, gate)
    gate.set()
    qtbot.waitUntil(lambda: window.model.is_complete, timeout=30_000)
    window.grid.go_to_row(0)
    asked: list[str] = []
    window.model._want = asked.append  # type: ignore[method-assign]
    qtbot.keyClick(window.grid, Qt.Key.Key_Q)
    assert asked == []
    assert window.grid.current_id() == window.model.ids[0]


def test_an_edit_deep_in_a_big_view_keeps_the_place_and_the_selection(catalog, window, qtbot, gate):
    """The refresh after an edit reads the whole list again; unchanged, nothing moves."""
    expected = show_by_title(window, qtbot, gate)
    gate.set()
    qtbot.waitUntil(lambda: window.model.is_complete, timeout=30_000)
    bar = window.grid.verticalScrollBar()
    bar.setValue(bar.maximum())
    window.activateWindow()
    window.grid.setFocus()
    window.grid.select_ids([expected[25]], expected[25])
    resets: list[int] = []
    window.model.modelReset.connect(lambda: resets.append(1))
    loaded = window.ids_loaded_count

    qtbot.keyClick(window.grid, Qt.Key.Key_3)
    qtbot.waitUntil(lambda: window.ids_loaded_count > loaded, timeout=30_000)
    qtbot.waitUntil(lambda: getattr(window.model.row_at(25), "rating", 0) == 3, timeout=30_000)
    assert resets == []
    assert bar.value() == bar.maximum()
    assert window.selected_ids() == [expected[25]]
