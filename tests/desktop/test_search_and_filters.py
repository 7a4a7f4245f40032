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
