"""The search field and the filters narrow the real window's grid."""

from __future__ import annotations

from tests.desktop.conftest import wait_for_grid
from tests.factories import add_photo


def test_search_by_file_name_and_folder(catalog, window, qtbot):
    wanted = add_photo(catalog, source_path="/archive/Tuscany 2019/DSC_0042.jpg").id
    add_photo(catalog, source_path="/archive/Norway/DSC_0043.jpg")
    window.reload_ids()
    wait_for_grid(window, qtbot, lambda ids: len(ids) == 2)

    window.search.setText("DSC_0042")
    wait_for_grid(window, qtbot, lambda ids: ids == [wanted])
    window.search.setText("tuscany")
    wait_for_grid(window, qtbot, lambda ids: ids == [wanted])
    window.search.setText("")
    wait_for_grid(window, qtbot, lambda ids: len(ids) == 2)


def _menu_action(window, title, starts):
    """The Filter menu's entry ``starts…`` under ``title``, as the owner would pick it."""
    menu = window.chips.add_button.menu()
    menu.aboutToShow.emit()
    sub = next(a.menu() for a in menu.actions() if a.menu() and a.menu().title() == title)
    assert sub.isEnabled(), f"{title} is greyed out"
    return next(a for a in sub.actions() if a.text().startswith(starts))


def test_filters_combine_for_every_facet_and_say_when_nothing_matches(catalog, window, qtbot):
    from datetime import datetime

    y2020, y2019 = datetime(2020, 5, 1), datetime(2019, 5, 1)
    match = add_photo(catalog, camera="Nikon D70", date_taken=y2020, rating=4, tags=["sea"]).id
    add_photo(catalog, camera="Nikon D70", date_taken=y2020, rating=4, title="Named")
    add_photo(catalog, camera="Nikon D70", date_taken=y2019, rating=5)
    add_photo(catalog, camera="Canon EOS 40D", date_taken=y2020, rating=4)
    add_photo(catalog, camera="Nikon D70", date_taken=y2020, rating=1)
    window.sidebar.reload()
    window.reload_ids()
    wait_for_grid(window, qtbot, lambda ids: len(ids) == 5)
    qtbot.waitUntil(lambda: bool(window.chips._facets.get("cameras")))

    _menu_action(window, "Camera", "Nikon D70").trigger()
    wait_for_grid(window, qtbot, lambda ids: len(ids) == 4)
    _menu_action(window, "Year", "2020").trigger()
    wait_for_grid(window, qtbot, lambda ids: len(ids) == 3)
    window.rating_filter.setCurrentIndex(window.rating_filter.findData(3))
    wait_for_grid(window, qtbot, lambda ids: len(ids) == 2)
    _menu_action(window, "Missing", "Has no title").trigger()
    wait_for_grid(window, qtbot, lambda ids: ids == [match])
    _menu_action(window, "Tag", "sea").trigger()
    wait_for_grid(window, qtbot, lambda ids: ids == [match])

    _menu_action(window, "Visibility", "Private").trigger()
    wait_for_grid(window, qtbot, lambda ids: ids == [])
    assert window.stack.currentWidget() is window.no_match
    window.no_match.button.click()
    wait_for_grid(window, qtbot, lambda ids: len(ids) == 5)
    assert window.stack.currentWidget() is window.grid
    assert window.chips.fields() == {} and not window.rating_filter.currentData()
