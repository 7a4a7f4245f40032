"""Layout seen on screen: long names stay inside the window, sections open on one click,
the dashboard shows every year, focal lengths read as photographers write them."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QPoint

from desktop.views.dashboard import DashboardDialog
from tests.desktop.conftest import WAIT_MS, wait_for_grid
from tests.desktop.test_browse import click_sidebar, reindexed
from tests.factories import add_photo

LONG = "/Volumes/Archive 2019/" + "very-long-folder-name-" * 6 + "/" + "DSC_" + "x" * 120 + ".jpg"


def test_a_long_file_name_is_elided_and_the_inspector_stays_in_the_window(catalog, window, qtbot):
    photo = add_photo(catalog, source_path=LONG, exif={"focal_length_mm": 15.4375})
    window.resize(1100, 720)
    window.reload_ids()
    wait_for_grid(window, qtbot, lambda ids: photo.id in ids)
    window.grid.select_ids([photo.id], photo.id)
    inspector = window.inspector
    qtbot.waitUntil(lambda: inspector.current_row() is not None, timeout=WAIT_MS)
    qtbot.wait(50)

    private = next(b for b in inspector.visibility.buttons() if b.text() == "Private")
    right_edge = private.mapTo(window, QPoint(private.width(), 0)).x()
    assert private.isVisible() and right_edge <= window.width()
    assert "…" in inspector.path.text() and inspector.path.text().endswith(".jpg")
    assert inspector.path.toolTip() == LONG  # the full path, on hover
    assert inspector.heading.toolTip().startswith("DSC_")
    assert "15 mm" in inspector.exposure.text() and "15.4" not in inspector.exposure.text()


def test_a_collapsed_sidebar_section_has_an_arrow_and_opens_on_one_click(catalog, window, qtbot):
    add_photo(catalog, tags=["harbour"])
    reindexed(catalog)
    window.sidebar.reload()
    sidebar = window.sidebar
    qtbot.waitUntil(lambda: sidebar.sidebar_model.find_key("section:tags") is not None)
    index = sidebar.sidebar_model.find_key("section:tags").index()
    assert not sidebar.isExpanded(index)  # collapsed by default

    # the disclosure arrow: something drawn left of the header's text, not bare background
    image = sidebar.viewport().grab().toImage()
    rect = sidebar.visualRect(index)
    branch = {image.pixelColor(x, rect.center().y()).name() for x in range(0, max(rect.left(), 1))}
    assert len(branch) > 1, branch

    click_sidebar(window, qtbot, "section:tags")
    assert sidebar.isExpanded(index)
    click_sidebar(window, qtbot, "section:tags")
    assert not sidebar.isExpanded(index)


def test_the_dashboard_charts_every_year(catalog, window, qtbot):
    for year in (1998, 2004, 2012, 2013, 2020, 2024):
        add_photo(catalog, date_taken=datetime(year, 5, 1))
    for year in range(2005, 2012):
        add_photo(catalog, date_taken=datetime(year, 5, 1))
    dialog = DashboardDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.data is not None, timeout=WAIT_MS)
    years = [label for label, _n in dialog.year_chart.items]
    assert "1998" in years and "2004" in years and "2012" in years and "2024" in years
    assert len(years) == 13
