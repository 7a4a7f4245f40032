from tests.desktop.conftest import wait_for_grid
from tests.factories import add_photo


def test_empty_catalog_invites_an_import(window):
    assert window.stack.currentWidget() is window.empty


def test_grid_shows_catalog_photos(catalog, window, qtbot):
    for _ in range(3):
        add_photo(catalog)
    window.reload_ids()
    wait_for_grid(window, qtbot, lambda ids: len(ids) == 3)
    assert window.stack.currentWidget() is window.grid


def test_version_is_printed_without_opening_a_window(capsys):
    import pytest

    from desktop.qt_app import main

    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith("exiftree ")
