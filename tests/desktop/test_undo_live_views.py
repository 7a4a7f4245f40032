"""Undo, live views and honest multi-select, driven through the real window and keys."""

from __future__ import annotations

from PySide6.QtCore import Qt

from catalog.rows import load_rows
from tests.desktop.conftest import wait_for_grid
from tests.factories import add_photo

WAIT_MS = 30_000


def stored(catalog, ids):
    with catalog.reading() as session:
        return {r.id: r for r in load_rows(session, ids)}


def show_all(window, qtbot, n):
    window.sidebar.reload()
    window.reload_ids()
    wait_for_grid(window, qtbot, lambda ids: len(ids) == n)


def select_all(window, qtbot):
    window.grid.setFocus()
    qtbot.keyClick(window.grid, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)


def test_undo_after_a_bulk_rating_restores_every_previous_value(catalog, window, qtbot):
    ids = [add_photo(catalog, rating=i % 6).id for i in range(368)]
    before = {i: r.rating for i, r in stored(catalog, ids).items()}
    show_all(window, qtbot, 368)
    window.activateWindow()
    select_all(window, qtbot)
    assert len(window.selected_ids()) == 368

    qtbot.keyClick(window.grid, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: window.undo_action.isEnabled(), timeout=WAIT_MS)
    assert {r.rating for r in stored(catalog, ids).values()} == {1}
    assert window.undo_action.text() == "Undo Set rating (368 photos)"
    assert not window.redo_action.isEnabled()

    qtbot.keyClick(window.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.redo_action.isEnabled(), timeout=WAIT_MS)
    assert {i: r.rating for i, r in stored(catalog, ids).items()} == before
    assert window.redo_action.text() == "Redo Set rating (368 photos)"

    shift_ctrl = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.grid, Qt.Key.Key_Z, shift_ctrl)
    qtbot.waitUntil(lambda: window.undo_action.isEnabled(), timeout=WAIT_MS)
    assert {r.rating for r in stored(catalog, ids).values()} == {1}


def test_the_loupe_and_inspector_show_a_new_rating_as_soon_as_it_lands(catalog, window, qtbot):
    photo = add_photo(catalog, rating=2, visibility="public")
    show_all(window, qtbot, 1)
    window.grid.go_to_row(0)
    window.open_loupe()
    qtbot.waitUntil(lambda: window.loupe.shown_row is not None, timeout=WAIT_MS)

    qtbot.keyClick(window.loupe, Qt.Key.Key_4)
    assert window.loupe.shown_row.rating == 4  # the key press shows at once
    with qtbot.waitSignal(window.ctx.events.catalog_changed, timeout=WAIT_MS):
        pass
    # the same turn the change lands: the stored row is in the loupe and the inspector
    assert window.model.cached_row(photo.id).rating == 4
    assert window.loupe.shown_row.rating == 4
    assert window.inspector.rating.rating() == 4

    with qtbot.waitSignal(window.ctx.events.catalog_changed, timeout=WAIT_MS):
        qtbot.keyClick(window.loupe, Qt.Key.Key_U)
    checked = [b.property("visibility") for b in window.inspector.visibility.buttons()
               if b.isChecked()]  # fmt: skip
    assert checked == ["unlisted"]
    assert window.loupe.shown_row.visibility == "unlisted"


def test_multi_select_shows_mixed_values_and_edits_every_photo_in_one_step(catalog, window, qtbot):
    a = add_photo(catalog, title="Dawn", tags=["sea", "dog"]).id
    b = add_photo(catalog, title="Dusk", tags=["sea"]).id
    c = add_photo(catalog, title="Dawn", tags=["sea", "cat"]).id
    before = stored(catalog, [a, b, c])
    show_all(window, qtbot, 3)
    select_all(window, qtbot)
    inspector = window.inspector
    qtbot.waitUntil(lambda: inspector.heading.text() == "3 photos selected", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: inspector.tags.text() == "sea, cat*, dog*", timeout=WAIT_MS)
    assert inspector.title.placeholderText() == "<mixed>"  # Dawn, Dusk, Dawn
    assert inspector.title.text() == ""

    inspector.tags.setFocus()
    inspector.tags.setText("sea, dog*, harbour")  # cat off every photo, harbour on all
    with qtbot.waitSignal(window.ctx.events.catalog_changed, timeout=WAIT_MS):
        inspector.tags.editingFinished.emit()
    after = stored(catalog, [a, b, c])
    assert sorted(after[a].tags) == ["dog", "harbour", "sea"]
    assert sorted(after[b].tags) == ["harbour", "sea"]
    assert sorted(after[c].tags) == ["harbour", "sea"]
    assert window.undo_action.text() == "Undo Edit tags (3 photos)"

    inspector.title.setFocus()
    inspector.title.setText("Harbour")
    with qtbot.waitSignal(window.ctx.events.catalog_changed, timeout=WAIT_MS):
        inspector.title.editingFinished.emit()
    assert {r.title for r in stored(catalog, [a, b, c]).values()} == {"Harbour"}

    for _step in range(2):  # the title, then all the tag changes at once
        with qtbot.waitSignal(window.ctx.events.catalog_changed, timeout=WAIT_MS):
            window.undo_action.trigger()
    restored = stored(catalog, [a, b, c])
    for photo_id, row in before.items():
        assert (restored[photo_id].title, sorted(restored[photo_id].tags)) == (
            row.title, sorted(row.tags))  # fmt: skip
    assert not window.undo_action.isEnabled()


def test_time_shift_and_location_fix_from_the_photo_menu_are_undoable(
    catalog, window, qtbot, monkeypatch
):
    from datetime import datetime

    from PySide6.QtWidgets import QInputDialog

    photo = add_photo(catalog, date_taken=datetime(2020, 1, 1, 12, 0)).id
    show_all(window, qtbot, 1)
    window.grid.select_ids([photo], photo)
    answers = iter([("-01:30", True), ("43.4633, 11.8796", True)])
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: next(answers)))

    with qtbot.waitSignal(window.ctx.events.catalog_changed, timeout=WAIT_MS):
        window.photo_actions.shift_time()
    assert stored(catalog, [photo])[photo].date_taken == datetime(2020, 1, 1, 10, 30)
    assert window.undo_action.text() == "Undo Shift time (1 photo)"
    with qtbot.waitSignal(window.ctx.events.catalog_changed, timeout=WAIT_MS):
        window.photo_actions.fix_location()
    assert stored(catalog, [photo])[photo].city == "Arezzo"

    for _step in range(2):
        with qtbot.waitSignal(window.ctx.events.catalog_changed, timeout=WAIT_MS):
            window.undo_action.trigger()
    row = stored(catalog, [photo])[photo]
    assert (row.date_taken, row.city) == (datetime(2020, 1, 1, 12, 0), None)


def test_several_photos_show_what_they_share_and_mixed_for_the_rest(catalog, window, qtbot):
    add_photo(catalog, camera="Nikon D70", lens="Nikkor 50mm")
    add_photo(catalog, camera="Canon EOS 40D", lens="Nikkor 50mm")
    show_all(window, qtbot, 2)
    select_all(window, qtbot)
    inspector = window.inspector
    qtbot.waitUntil(lambda: inspector.lens.text() == "Nikkor 50mm", timeout=WAIT_MS)  # shared
    assert inspector.camera.text() == "Cameras: <mixed>"
    assert inspector.path.text() == "<mixed>" and inspector.show_in_folder.isHidden()
    assert inspector.exposure.isHidden() and inspector.when_where.isHidden()

    window.grid.select_ids(window.model.ids[:1], window.model.ids[0])
    qtbot.waitUntil(lambda: inspector.path.text().startswith("/photos/"), timeout=WAIT_MS)
    assert inspector.camera.text() in ("Nikon D70", "Canon EOS 40D")
    assert not inspector.show_in_folder.isHidden()


def test_mixed_ratings_say_mixed_and_a_star_rates_every_photo(catalog, window, qtbot):
    from PySide6.QtCore import QPoint

    from desktop.widgets.star_rating import STAR_PX

    ids = [add_photo(catalog, rating=5).id for _ in range(4)] + [add_photo(catalog, rating=3).id]
    show_all(window, qtbot, 5)
    select_all(window, qtbot)
    stars = window.inspector.rating
    qtbot.waitUntil(lambda: window.inspector.heading.text() == "5 photos selected",
                    timeout=WAIT_MS)  # fmt: skip
    qtbot.waitUntil(lambda: stars.text() == "<mixed>", timeout=WAIT_MS)
    assert stars.rating() == 0 and stars.toolTip() == "<mixed>"  # no star lit, and said

    with qtbot.waitSignal(window.ctx.events.catalog_changed, timeout=WAIT_MS):
        qtbot.mouseClick(stars, Qt.MouseButton.LeftButton, pos=QPoint(3 * STAR_PX + 5, 8))
    assert {r.rating for r in stored(catalog, ids).values()} == {4}
    qtbot.waitUntil(lambda: stars.text() == "" and stars.rating() == 4, timeout=WAIT_MS)
    assert window.undo_action.text() == "Undo Set rating (5 photos)"

    with qtbot.waitSignal(window.ctx.events.catalog_changed, timeout=WAIT_MS):
        window.undo_action.trigger()  # one step puts every photo's own rating back
    assert [stored(catalog, ids)[i].rating for i in ids] == [5, 5, 5, 5, 3]
    qtbot.waitUntil(lambda: stars.text() == "<mixed>", timeout=WAIT_MS)
