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


def test_lens_place_country_collection_and_no_tags_filters_narrow_the_grid(catalog, window, qtbot):
    from catalog.operations import collections as coll_ops

    arezzo, siena, bergen = ("Arezzo", "Tuscany", "IT"), ("Siena", "Tuscany", "IT"), (
        "Bergen", "Vestland", "NO")  # fmt: skip
    nikkor = "Nikkor 50mm"
    match = add_photo(catalog, lens=nikkor, city=arezzo).id
    tagged = add_photo(catalog, lens=nikkor, city=arezzo, tags=["sea"]).id
    norway = add_photo(catalog, lens=nikkor, city=bergen).id
    canon = add_photo(catalog, lens="Canon 85mm", city=arezzo).id
    add_photo(catalog, lens=nikkor, city=siena)
    add_photo(catalog, lens=nikkor, city=arezzo)  # in no collection
    coll_ops.create_collection(catalog, "Trip", ids=[match, tagged, norway, canon])
    window.sidebar.reload()
    window.reload_ids()
    wait_for_grid(window, qtbot, lambda ids: len(ids) == 6)
    qtbot.waitUntil(lambda: bool(window.chips._facets.get("collections")))

    _menu_action(window, "Lens", nikkor).trigger()
    wait_for_grid(window, qtbot, lambda ids: len(ids) == 5)  # not the Canon lens
    _menu_action(window, "Country", "IT").trigger()
    wait_for_grid(window, qtbot, lambda ids: len(ids) == 4)  # not Bergen
    _menu_action(window, "Place", "Arezzo").trigger()
    wait_for_grid(window, qtbot, lambda ids: len(ids) == 3)  # not Siena
    _menu_action(window, "Collection", "Trip").trigger()
    wait_for_grid(window, qtbot, lambda ids: sorted(ids) == sorted([match, tagged]))
    _menu_action(window, "Missing", "Has no tags").trigger()
    wait_for_grid(window, qtbot, lambda ids: ids == [match])
    assert set(window.chips.fields()) == {
        "lens_id", "country_code", "city_id", "collection_id", "untagged"}  # fmt: skip

    window.chips.remove_chip("untagged")  # each chip taken off widens the grid again
    wait_for_grid(window, qtbot, lambda ids: sorted(ids) == sorted([match, tagged]))
