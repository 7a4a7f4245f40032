"""Browsing and curating in the real window: sidebar, search, selection, keys, loupe."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from catalog import search
from catalog.catalog import THUMB_SIZES_PX
from catalog.rows import load_rows
from desktop.models.photo_grid import PHOTO_IDS_MIME
from desktop.models.sidebar import COUNT_ROLE, KEY_ROLE
from tests.desktop.conftest import wait_for_grid
from tests.factories import add_photo, make_jpeg


def reindexed(catalog) -> None:
    with catalog.writing() as session:
        search.reindex(session)


def rows(catalog, ids):
    with catalog.reading() as session:
        return {r.id: r for r in load_rows(session, ids)}


def click_sidebar(window, qtbot, key):
    item = window.sidebar.sidebar_model.find_key(key)
    assert item is not None, key
    rect = window.sidebar.visualRect(item.index())
    qtbot.mouseClick(window.sidebar.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def drag_and_drop(target, point: QPoint, mime: QMimeData) -> None:
    """What a drag from the grid delivers: enter, move, then drop at ``point``."""
    for kind in (QDragEnterEvent, QDragMoveEvent):
        QApplication.sendEvent(
            target,
            kind(
                point,
                Qt.DropAction.CopyAction,
                mime,
                Qt.MouseButton.LeftButton,
                Qt.KeyboardModifier.NoModifier,
            ),
        )
    QApplication.sendEvent(
        target,
        QDropEvent(
            QPointF(point),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        ),
    )


def library(catalog, window, qtbot):
    nikon = [add_photo(catalog, camera="Nikon D70", title=f"Nikon {i}").id for i in range(2)]
    canon = [add_photo(catalog, camera="Canon EOS 40D", tags=["harbour"]).id for _ in range(3)]
    reindexed(catalog)
    window.sidebar.reload()
    window.reload_ids()
    wait_for_grid(window, qtbot, lambda ids: len(ids) == 5)
    qtbot.waitUntil(lambda: window.sidebar.sidebar_model.find_key("section:cameras") is not None)
    return nikon, canon


def test_clicking_a_camera_in_the_sidebar_filters_the_grid(catalog, window, qtbot):
    nikon, _canon = library(catalog, window, qtbot)
    camera_id = rows(catalog, nikon)[nikon[0]].camera_id

    click_sidebar(window, qtbot, f"camera:{camera_id}")

    wait_for_grid(window, qtbot, lambda ids: sorted(ids) == sorted(nikon))
    item = window.sidebar.sidebar_model.find_key(f"camera:{camera_id}")
    assert item.data(COUNT_ROLE) == 2  # the count beside it


def test_search_combines_with_the_sidebar(catalog, window, qtbot):
    nikon, canon = library(catalog, window, qtbot)

    qtbot.keyClicks(window.search, "harbour")
    wait_for_grid(window, qtbot, lambda ids: sorted(ids) == sorted(canon))

    camera_id = rows(catalog, nikon)[nikon[0]].camera_id
    click_sidebar(window, qtbot, f"camera:{camera_id}")
    wait_for_grid(window, qtbot, lambda ids: ids == [])
    window.search.clear()
    wait_for_grid(window, qtbot, lambda ids: sorted(ids) == sorted(nikon))


def test_multi_select_and_make_private_with_a_key(catalog, window, qtbot):
    library(catalog, window, qtbot)
    chosen = window.model.ids[:3]
    window.grid.select_ids(chosen, chosen[0])
    window.grid.setFocus()

    qtbot.keyClick(window.grid, Qt.Key.Key_X)

    qtbot.waitUntil(lambda: all(r.visibility == "private" for r in rows(catalog, chosen).values()))
    others = [i for i in window.model.ids if i not in chosen]
    assert all(r.visibility == "public" for r in rows(catalog, others).values())
    # the grid's cached rows refresh, so the PRIVATE badge shows
    qtbot.waitUntil(
        lambda: all(
            (r := window.model.cached_row(i)) is not None and r.visibility == "private"
            for i in chosen
        )
    )


def test_rotate_right_turns_the_grid_thumbnail(catalog, window, qtbot):
    photo = add_photo(catalog, title="Sideways")
    for size in THUMB_SIZES_PX:  # landscape thumbnails where ingest puts them
        make_jpeg(catalog.thumb_path(photo.content_hash, size), (size, size * 2 // 3))
    window.reload_ids()
    wait_for_grid(window, qtbot, lambda ids: ids == [photo.id])
    qtbot.waitUntil(lambda: window.thumbs.pixmap(photo.content_hash) is not None)
    shown = window.thumbs.pixmap(photo.content_hash)
    assert shown.width() > shown.height()  # landscape, as imported
    window.grid.select_ids([photo.id], photo.id)
    window.grid.setFocus()

    qtbot.keyClick(window.grid, Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier)

    qtbot.waitUntil(lambda: rows(catalog, [photo.id])[photo.id].rotation == 1)
    turned = lambda: window.thumbs.pixmap(photo.content_hash)  # noqa: E731
    qtbot.waitUntil(lambda: (p := turned()) is not None and p.height() > p.width())
    row = rows(catalog, [photo.id])[photo.id]
    assert (row.width, row.height) == (1067, 1600)


def test_rating_keys_and_ctrl_a(catalog, window, qtbot):
    library(catalog, window, qtbot)
    window.grid.setFocus()
    qtbot.keyClick(window.grid, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(window.selected_ids()) == 5

    qtbot.keyClick(window.grid, Qt.Key.Key_4)

    qtbot.waitUntil(lambda: all(r.rating == 4 for r in rows(catalog, window.model.ids).values()))


def test_create_a_collection_and_add_photos_by_drag_and_drop(catalog, window, qtbot, monkeypatch):
    library(catalog, window, qtbot)
    first = window.model.ids[:2]
    window.grid.select_ids(first, first[0])
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("Harbour", True)))

    window.photo_actions.new_collection()  # Photo → Add to collection → New collection…

    def key_of() -> str | None:
        """The key of the first collection in the sidebar, once it is there."""
        section = window.sidebar.sidebar_model.find_key("section:collections")
        return section.child(0).data(KEY_ROLE) if section and section.rowCount() else None

    qtbot.waitUntil(lambda: key_of() is not None)
    coll_key = key_of()
    assert set(rows(catalog, first)[first[0]].collection_names) == {"Harbour"}

    # drag a third photo from the grid onto the collection in the sidebar
    third = window.model.ids[2]
    mime = QMimeData()
    mime.setData(PHOTO_IDS_MIME, third.encode())
    item = window.sidebar.sidebar_model.find_key(coll_key)
    window.sidebar.scrollTo(item.index())
    drag_and_drop(window.sidebar.viewport(), window.sidebar.visualRect(item.index()).center(), mime)

    qtbot.waitUntil(lambda: "Harbour" in rows(catalog, [third])[third].collection_names)
    click_sidebar(window, qtbot, coll_key)
    wait_for_grid(window, qtbot, lambda ids: ids == [*first, third])  # collection order


def test_loupe_opens_and_moves_with_the_arrow_keys(catalog, window, qtbot):
    library(catalog, window, qtbot)
    ids = list(window.model.ids)
    window.grid.go_to_row(0)
    window.grid.setFocus()

    qtbot.keyClick(window.grid, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.loupe
    qtbot.waitUntil(lambda: window.loupe.photo_id == ids[0])

    qtbot.keyClick(window.loupe, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: window.loupe.photo_id == ids[1])
    qtbot.keyClick(window.loupe, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: window.loupe.photo_id == ids[2])
    qtbot.keyClick(window.loupe, Qt.Key.Key_Left)
    qtbot.waitUntil(lambda: window.loupe.photo_id == ids[1])

    qtbot.keyClick(window.loupe, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.grid
    assert window.grid.current_id() == ids[1]


def test_delete_asks_then_removes_from_the_catalog_only(catalog, window, qtbot, monkeypatch):
    library(catalog, window, qtbot)
    victim = window.model.ids[0]
    window.grid.select_ids([victim], victim)
    answers = iter([QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Yes])
    asked: list[str] = []

    def question(_parent, _title, text, *args, **kwargs):
        asked.append(text)
        return next(answers)

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    qtbot.keyClick(window.grid, Qt.Key.Key_Delete)
    assert len(asked) == 1 and "original files stay" in asked[0]
    assert victim in rows(catalog, [victim])  # cancelled: still there

    qtbot.keyClick(window.grid, Qt.Key.Key_Delete)
    wait_for_grid(window, qtbot, lambda ids: victim not in ids and len(ids) == 4)
    assert rows(catalog, [victim]) == {}


def test_inspector_edits_the_title_and_tags(catalog, window, qtbot):
    library(catalog, window, qtbot)
    photo_id = window.model.ids[0]
    window.grid.go_to_row(0)
    qtbot.waitUntil(lambda: window.inspector.current_row() is not None)

    window.inspector.title.setText("Dawn over the harbour")
    window.inspector.title.editingFinished.emit()
    window.inspector.tags.setText("sea, dawn")
    window.inspector.tags.editingFinished.emit()

    qtbot.waitUntil(lambda: rows(catalog, [photo_id])[photo_id].title == "Dawn over the harbour")
    qtbot.waitUntil(lambda: set(rows(catalog, [photo_id])[photo_id].tags) == {"sea", "dawn"})
