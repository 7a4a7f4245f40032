"""The main window's toolbar and menus: every action the owner can find by looking.

Kept apart from :mod:`desktop.views.main_window`, which wires the views together; these
functions only build widgets and connect them to the window's methods.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QComboBox, QLineEdit, QSizePolicy, QToolButton, QWidget

from desktop.app import resources_dir
from desktop.views import dialogs
from desktop.views.history_actions import history_actions
from desktop.views.photo_actions import ai_describe_available
from desktop.views.shortcuts_sheet import show_shortcuts
from desktop.widgets.filter_chips import FilterChipsBar

if TYPE_CHECKING:
    from desktop.views.main_window import MainWindow

SORTS = (
    ("date_taken", "Date taken"),
    ("created_at", "Date imported"),
    ("rating", "Rating"),
    ("title", "Title"),
)
RATINGS = (0, 1, 2, 3, 4, 5)


def icon(name: str) -> QIcon:
    return QIcon(str(resources_dir() / "icons" / f"{name}.svg"))


def build_toolbar(window: MainWindow) -> None:
    """Import, search, filter chips, rating filter, sort, and the secondary windows."""
    bar = window.addToolBar("Main")
    bar.setObjectName("mainToolbar")
    bar.setMovable(False)
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    window.import_action = QAction(
        icon("import"), "Import folder…", window, shortcut=QKeySequence("Ctrl+I")
    )
    window.import_action.triggered.connect(window.choose_folder_to_import)
    bar.addAction(window.import_action)
    window.publish_action = QAction(
        "Publish…", window, shortcut=QKeySequence("Ctrl+Shift+P"), toolTip="Publish the site"
    )
    window.publish_action.triggered.connect(window.open_publish)
    bar.addAction(window.publish_action)
    bar.addSeparator()
    window.search = QLineEdit(
        placeholderText="Search titles, tags, cameras, places, file names…",
        objectName="search",
        clearButtonEnabled=True,
    )
    window.search.setMinimumWidth(280)
    bar.addWidget(window.search)
    window.chips = FilterChipsBar()
    bar.addWidget(window.chips)
    spacer = QWidget()
    spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    bar.addWidget(spacer)
    window.rating_filter = QComboBox(objectName="ratingFilter")
    for stars in RATINGS:
        window.rating_filter.addItem("Any rating" if stars == 0 else "≥ " + "★" * stars, stars)
    bar.addWidget(window.rating_filter)
    window.sort = QComboBox(objectName="sort")
    for key, label in SORTS:
        window.sort.addItem(label, key)
    bar.addWidget(window.sort)
    window.descending = QToolButton(
        text="↓",
        checkable=True,
        checked=True,
        objectName="sortDirection",
        toolTip="Newest / best first",
    )
    bar.addWidget(window.descending)
    bar.addSeparator()
    for name, tip, slot in (
        ("duplicates", "Review near-duplicates", window.open_duplicates),
        ("dashboard", "Dashboard", window.open_dashboard),
        ("settings", "Settings", window.open_settings),
    ):
        action = QAction(icon(name), "", window, toolTip=tip)
        action.triggered.connect(slot)
        bar.addAction(action)


def build_menus(window: MainWindow) -> None:
    """The menu bar, whose Photo menu is also the grid's context menu."""
    menus = window.menuBar()
    file = menus.addMenu("&File")
    file.addAction(window.import_action)
    file.addAction(window.publish_action)
    file.addSeparator()
    file.addAction("Settings…", window.open_settings, QKeySequence("Ctrl+,"))
    file.addSeparator()
    file.addAction("Quit", window.close, QKeySequence.StandardKey.Quit)
    edit = menus.addMenu("&Edit")
    window.undo_action, window.redo_action = history_actions(window, window.ctx)
    edit.addActions([window.undo_action, window.redo_action])
    edit.addSeparator()
    edit.addAction("Select all", window.grid.selectAll, QKeySequence.StandardKey.SelectAll)
    none = edit.addAction("Select none", window.select_none, QKeySequence("Ctrl+D"))
    none.setShortcuts([QKeySequence("Ctrl+D"), QKeySequence("Ctrl+Shift+A")])
    edit.addAction("Find", lambda: window.search.setFocus(), QKeySequence.StandardKey.Find)
    photo = menus.addMenu("&Photo")
    rating = photo.addMenu("Rating")
    for stars in RATINGS:
        rating.addAction(
            # the grid and the loupe take the key itself; "\t" shows it in the menu
            ("No rating" if stars == 0 else "★" * stars) + f"\t{stars}",
            lambda s=stars: window.actions.set_rating(s),
        )
    for value, label in (
        ("public", "Make public\tP"),
        ("unlisted", "Make unlisted\tU"),
        ("private", "Make private\tX"),
    ):
        photo.addAction(label, lambda v=value: window.actions.set_visibility(v))
    photo.addSeparator()
    photo.addAction("Rotate right", lambda: window.actions.rotate(1), QKeySequence("Ctrl+]"))
    photo.addAction("Rotate left", lambda: window.actions.rotate(-1), QKeySequence("Ctrl+["))
    photo.addSeparator()
    window.add_to_menu = photo.addMenu("Add to collection")
    window.add_to_menu.aboutToShow.connect(
        lambda: window.actions.fill_collection_menu(window.add_to_menu)
    )
    window.remove_from_menu = photo.addMenu("Remove from collection")
    window.remove_from_menu.aboutToShow.connect(
        lambda: window.actions.fill_collection_menu(window.remove_from_menu, removing=True)
    )
    photo.addAction("Shift capture time…", window.actions.shift_time)
    photo.addAction("Fix location…", window.actions.fix_location)
    photo.addAction("Add tags…", window.actions.add_tags)
    photo.addAction("Remove tags…", window.actions.remove_tags)
    photo.addSeparator()
    photo.addAction("Reprocess", window.actions.reprocess)
    describe = photo.addAction("Describe with AI", window.actions.describe_with_ai)
    describe.setEnabled(ai_describe_available())
    photo.addAction("Approve AI text", window.actions.approve_ai_text)
    photo.addAction("Approve all AI text awaiting review", window.actions.approve_all_ai_text)
    photo.addSeparator()
    photo.addAction("Remove from catalog…", window.actions.remove_from_catalog)
    photo.addAction(
        "Delete (from the collection shown, else the catalog)\tDel", window.delete_selection
    )
    view = menus.addMenu("&View")
    view.addAction("Loupe", window.toggle_loupe, QKeySequence("L"))
    view.addAction("Dashboard", window.open_dashboard, QKeySequence("Ctrl+Shift+D"))
    view.addAction("Review near-duplicates…", window.open_duplicates)
    view.addAction("Collections…", lambda: window.open_collections(None))
    help_menu = menus.addMenu("&Help")
    help_menu.addAction(
        "Keyboard shortcuts", lambda: show_shortcuts(window), QKeySequence("Ctrl+/")
    )
    help_menu.addAction("About ExifTree", lambda: dialogs.show_about(window))
    window.grid.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    window.grid.customContextMenuRequested.connect(
        lambda pos: photo.exec(window.grid.viewport().mapToGlobal(pos))
    )
