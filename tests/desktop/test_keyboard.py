"""Keys as a Lightroom user expects them: Delete in a collection, Ctrl+D, undoable removal,
and every shortcut listed in the menus and the "Keyboard shortcuts" sheet."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from catalog import collections as colls
from catalog.operations import collections as coll_ops
from catalog.rows import load_rows
from desktop.views.shortcuts_sheet import shortcut_rows, show_shortcuts
from tests.desktop.conftest import wait_for_grid
from tests.desktop.test_browse import click_sidebar
from tests.factories import add_photo

WAIT_MS = 30_000
CTRL = Qt.KeyboardModifier.ControlModifier


def members(catalog, coll_id):
    with catalog.reading() as session:
        return colls.collection_photo_ids(session, coll_id)


def in_catalog(catalog, ids):
    with catalog.reading() as session:
        return [r.id for r in load_rows(session, ids)]


def refuse_questions(monkeypatch):
    def question(*_args, **_kwargs):
        raise AssertionError("nothing should be asked")

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))


def test_delete_in_a_collection_takes_the_photo_out_of_it_only(catalog, window, qtbot, monkeypatch):
    ids = [add_photo(catalog).id for _ in range(3)]
    coll_id = next(iter(coll_ops.create_collection(catalog, "Trip", ids=ids[:2]).collection_ids))
    window.sidebar.reload()
    key = f"collection:{coll_id}"
    qtbot.waitUntil(lambda: window.sidebar.sidebar_model.find_key(key) is not None)
    click_sidebar(window, qtbot, f"collection:{coll_id}")
    wait_for_grid(window, qtbot, lambda shown: shown == ids[:2])
    refuse_questions(monkeypatch)
    window.grid.select_ids([ids[0]], ids[0])

    qtbot.keyClick(window.grid, Qt.Key.Key_Delete)
    wait_for_grid(window, qtbot, lambda shown: shown == [ids[1]])
    assert members(catalog, coll_id) == [ids[1]]
    assert (
        in_catalog(catalog, ids) == in_catalog(catalog, ids) and len(in_catalog(catalog, ids)) == 3
    )
    assert window.undo_action.text() == "Undo Remove from collection (1 photo)"
    assert window.selected_ids() == [ids[1]]  # the next photo, ready for another Delete

    qtbot.keyClick(window.grid, Qt.Key.Key_Z, CTRL)
    wait_for_grid(window, qtbot, lambda shown: shown == ids[:2])
    assert members(catalog, coll_id) == ids[:2]


def test_removal_from_the_catalog_asks_and_can_be_undone(catalog, window, qtbot, monkeypatch):
    victim = add_photo(catalog, rating=4, title="Keep me", tags=["sea"]).id
    add_photo(catalog)
    window.reload_ids()
    wait_for_grid(window, qtbot, lambda shown: len(shown) == 2)
    asked: list[str] = []

    def question(_parent, _title, text, *args, **kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    window.grid.select_ids([victim], victim)
    qtbot.keyClick(window.grid, Qt.Key.Key_Delete)
    wait_for_grid(window, qtbot, lambda shown: victim not in shown)
    assert len(asked) == 1 and "Undo" in asked[0]
    assert in_catalog(catalog, [victim]) == []

    window.undo_action.trigger()
    wait_for_grid(window, qtbot, lambda shown: victim in shown)
    with catalog.reading() as session:
        (row,) = load_rows(session, [victim])
    assert (row.rating, row.title, list(row.tags)) == (4, "Keep me", ["sea"])


def test_ctrl_d_selects_none(catalog, window, qtbot):
    for _ in range(3):
        add_photo(catalog)
    window.reload_ids()
    wait_for_grid(window, qtbot, lambda shown: len(shown) == 3)
    window.activateWindow()
    window.grid.setFocus()
    qtbot.keyClick(window.grid, Qt.Key.Key_A, CTRL)
    assert len(window.selected_ids()) == 3

    qtbot.keyClick(window.grid, Qt.Key.Key_D, CTRL)
    assert window.selected_ids() == []


def test_every_shortcut_is_in_a_menu_and_on_the_sheet(window, qtbot):
    rows = shortcut_rows(window)
    keys = {(keys, does) for _where, keys, does in rows}
    for stars in range(6):
        assert any(k == str(stars) for k, _does in keys), stars
    for key in ("P", "U", "X", "Del"):
        assert any(k == key for k, _does in keys), key
    assert any(does.startswith("Undo") and "Z" in k for k, does in keys)
    assert any(does == "Select none" and "D" in k for k, does in keys)

    sheet = show_shortcuts(window)
    qtbot.addWidget(sheet)
    assert sheet.isVisible()


def test_the_sheet_names_undo_and_redo_not_the_step_they_would_take(catalog, window, qtbot):
    add_photo(catalog)
    window.reload_ids()
    wait_for_grid(window, qtbot, lambda shown: len(shown) == 1)
    window.grid.select_ids(window.model.ids, window.model.ids[0])
    qtbot.keyClick(window.grid, Qt.Key.Key_3)
    qtbot.waitUntil(lambda: window.undo_action.isEnabled(), timeout=30_000)
    assert window.undo_action.text() == "Undo Set rating (1 photo)"
    does = [d for _w, _k, d in shortcut_rows(window)]
    assert "Undo" in does and "Redo" in does
    assert not any("Set rating" in d for d in does)
