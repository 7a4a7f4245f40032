"""Gear merges and renames from the sidebar, and approving AI text: one undo step each,
driven through the real window (its sidebar menu, inspector button and Ctrl+Z)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMenu, QMessageBox

from catalog import operations as ops
from catalog.models import Photo
from tests.desktop.conftest import wait_for_grid
from tests.factories import add_photo

WAIT_MS = 30_000


def camera_of(catalog, photo_ids):
    with catalog.reading() as session:
        return {session.get(Photo, i).camera.name for i in photo_ids}


def sidebar_menu(window, key):
    item = window.sidebar.sidebar_model.find_key(key)
    assert item is not None, f"no sidebar item {key}"
    return window.sidebar.context_menu(item.index())


def entry(menu: QMenu, starts: str):
    for action in menu.actions():
        if action.text().startswith(starts):
            return action
    raise AssertionError(f"no {starts!r} in {[a.text() for a in menu.actions()]}")


def undo_by_key(window, qtbot):
    window.activateWindow()  # Ctrl+Z is a window shortcut: the window must be the active one
    window.grid.setFocus()
    with qtbot.waitSignal(window.ctx.events.catalog_changed, timeout=WAIT_MS):
        qtbot.keyClick(window.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def show_source(window, qtbot, key, n):
    qtbot.waitUntil(lambda: window.sidebar.sidebar_model.find_key(key) is not None,
                    timeout=WAIT_MS)  # fmt: skip
    assert window.sidebar.select_key(key)
    wait_for_grid(window, qtbot, lambda ids: len(ids) == n)


def test_merging_a_camera_from_the_sidebar_is_one_undo_step(catalog, window, qtbot):
    odd = [add_photo(catalog, camera="Nikon D70s").id for _ in range(3)]
    main = [add_photo(catalog, camera="Nikon D70").id for _ in range(2)]
    source = ops.gear_row(catalog, "camera", "nikon-d70s").row_id
    target = ops.gear_row(catalog, "camera", "nikon-d70").row_id
    window.sidebar.reload()
    show_source(window, qtbot, f"camera:{source}", 3)

    into = entry(sidebar_menu(window, f"camera:{source}"), "Merge “Nikon D70s” into").menu()
    assert [a.text() for a in into.actions()] == ["Nikon D70  (2)"]
    with qtbot.waitSignal(window.ctx.events.catalog_changed, timeout=WAIT_MS):
        into.actions()[0].trigger()
    assert camera_of(catalog, odd + main) == {"Nikon D70"}
    assert window.undo_action.text() == "Undo Merge camera “Nikon D70s” into “Nikon D70”"
    # the merged camera is gone from the sidebar: the grid follows it into its target
    qtbot.waitUntil(lambda: window.sidebar.current_key() == f"camera:{target}", timeout=WAIT_MS)
    wait_for_grid(window, qtbot, lambda ids: sorted(ids) == sorted(odd + main))

    undo_by_key(window, qtbot)
    assert camera_of(catalog, odd) == {"Nikon D70s"}
    assert camera_of(catalog, main) == {"Nikon D70"}
    assert ops.gear_row(catalog, "camera", "nikon-d70s").row_id == source  # the same row
    qtbot.waitUntil(
        lambda: window.sidebar.sidebar_model.find_key(f"camera:{source}") is not None,
        timeout=WAIT_MS,
    )
    assert window.redo_action.text() == "Redo Merge camera “Nikon D70s” into “Nikon D70”"
    assert not window.undo_action.isEnabled()


def test_renaming_a_lens_from_the_sidebar_is_undone_by_ctrl_z(catalog, window, qtbot, monkeypatch):
    photo = add_photo(catalog, lens="18-55mm").id
    lens = ops.gear_row(catalog, "lens", "18-55mm").row_id
    window.sidebar.reload()
    show_source(window, qtbot, f"lens:{lens}", 1)
    new_name = "Nikkor 18-55mm f/3.5-5.6"
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: (new_name, True)))

    with qtbot.waitSignal(window.ctx.events.catalog_changed, timeout=WAIT_MS):
        entry(sidebar_menu(window, f"lens:{lens}"), "Rename lens").trigger()
    assert ops.gear_row(catalog, "lens", lens).label == "Nikkor 18-55mm f/3.5-5.6"
    qtbot.waitUntil(lambda: window.sidebar.sidebar_model.find_key(f"lens:{lens}").text()
                    == "Nikkor 18-55mm f/3.5-5.6", timeout=WAIT_MS)  # fmt: skip
    assert window.undo_action.text() == "Undo Rename lens “18-55mm”"
    assert window.model.ids == [photo]  # still the same source, now renamed

    undo_by_key(window, qtbot)
    assert ops.gear_row(catalog, "lens", lens).label == "18-55mm"


def test_renaming_to_a_name_taken_offers_to_merge_and_undoes_in_one_step(
    catalog, window, qtbot, monkeypatch
):
    odd = add_photo(catalog, camera="Canon 40D").id
    add_photo(catalog, camera="Canon EOS 40D")
    source = ops.gear_row(catalog, "camera", "canon-40d").row_id
    window.sidebar.reload()
    show_source(window, qtbot, f"camera:{source}", 1)
    monkeypatch.setattr(QInputDialog, "getText",
                        staticmethod(lambda *a, **k: ("Canon EOS 40D", True)))  # fmt: skip
    asked: list[str] = []

    def answer(_parent, _title, text, *_a, **_k):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(answer))
    entry(sidebar_menu(window, f"camera:{source}"), "Rename camera").trigger()
    qtbot.waitUntil(lambda: camera_of(catalog, [odd]) == {"Canon EOS 40D"}, timeout=WAIT_MS)
    assert "already exists" in asked[0] and "gear merge" not in asked[0]
    qtbot.waitUntil(lambda: window.undo_action.isEnabled(), timeout=WAIT_MS)
    assert window.undo_action.text() == "Undo Merge camera “Canon 40D” into “Canon EOS 40D”"

    undo_by_key(window, qtbot)
    assert camera_of(catalog, [odd]) == {"Canon 40D"}
    assert not window.undo_action.isEnabled()


def test_approving_ai_text_in_the_inspector_is_undoable(catalog, window, qtbot):
    ids = [add_photo(catalog, title="Boats", title_source="ai", ai_review="pending").id
           for _ in range(2)]  # fmt: skip
    window.reload_ids()
    wait_for_grid(window, qtbot, lambda grid_ids: len(grid_ids) == 2)
    window.grid.select_ids([ids[0]], ids[0])
    approve = window.inspector.approve_ai
    qtbot.waitUntil(lambda: not approve.isHidden(), timeout=WAIT_MS)

    def reviews():
        with catalog.reading() as session:
            return [session.get(Photo, i).ai_review for i in ids]

    with qtbot.waitSignal(window.ctx.events.catalog_changed, timeout=WAIT_MS):
        approve.click()
    assert reviews() == ["approved", "pending"]
    assert window.undo_action.text() == "Undo Approve AI text (1 photo)"
    qtbot.waitUntil(lambda: approve.isHidden(), timeout=WAIT_MS)

    undo_by_key(window, qtbot)
    assert reviews() == ["pending", "pending"]
    qtbot.waitUntil(lambda: not approve.isHidden(), timeout=WAIT_MS)  # offered again

    all_pending = next(a for a in window.menuBar().findChildren(type(window.undo_action))
                       if a.text() == "Approve all AI text awaiting review")  # fmt: skip
    with qtbot.waitSignal(window.ctx.events.catalog_changed, timeout=WAIT_MS):
        all_pending.trigger()
    assert reviews() == ["approved", "approved"]
    assert window.undo_action.text() == "Undo Approve AI text (2 photos)"
    undo_by_key(window, qtbot)
    assert reviews() == ["pending", "pending"]
