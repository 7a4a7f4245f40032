"""The main window's toolbar and menus: every action the owner can find by looking.

Kept apart from :mod:`desktop.views.main_window`, which wires the views together; these
functions build the widgets, connect them to the window's slots and hand them back (the
window keeps what it needs). They name the window in annotations only, so at run time this
module never imports the window that imports it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QMenu,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from desktop.context import DesktopContext
from desktop.resources import resources_dir
from desktop.views import dialogs
from desktop.views.history_actions import history_actions
from desktop.views.photo_actions import AI_SETUP_HINT, ai_describe_ready, pair_source_of
from desktop.views.shortcuts_sheet import show_shortcuts
from desktop.widgets.filter_chips import FilterChipsBar

if TYPE_CHECKING:  # types only: at run time this module never imports the window
    from catalog.rows import PhotoRow
    from desktop.views.main_window import MainWindow


@dataclass(frozen=True)
class Toolbar:
    """The toolbar's actions and the filter widgets the window reads."""

    import_action: QAction
    publish_action: QAction
    search: QLineEdit
    chips: FilterChipsBar
    rating_filter: QComboBox
    sort: QComboBox
    descending: QToolButton


@dataclass(frozen=True)
class Menus:
    """The menus the window fills or shows again later."""

    photo: QMenu
    add_to: QMenu
    remove_from: QMenu
    undo: QAction  # Edit > Undo, its text naming the step ("Undo Set rating (368 photos)")
    redo: QAction
    describe: QAction  # Photo > Describe with AI: enabled only with an endpoint set up
    set_up_ai: QAction  # shown instead while none is: opens Settings at the AI tab
    use_raw: QAction  # Photo > Use RAW as source: a RAW+JPEG pair's pictures from its RAW
    use_jpeg: QAction

    def refresh_pair_source(self, row: PhotoRow | None, selected: int) -> None:
        """Offer the file of the pair not in use (either, for several photos); nothing for
        a photo of one file."""
        current = pair_source_of(row)
        self.use_raw.setEnabled(current is not None and (selected > 1 or current != "raw"))
        self.use_jpeg.setEnabled(current is not None and (selected > 1 or current != "jpeg"))

    def refresh_describe(self, ctx: DesktopContext) -> None:
        """Offer Describe with AI only when it can work; otherwise say why and how to fix it."""
        ready = ai_describe_ready(ctx.settings)
        self.describe.setEnabled(ready)
        hint = "" if ready else AI_SETUP_HINT
        self.describe.setToolTip(hint or "Write titles, descriptions and tags with AI")
        self.describe.setStatusTip(hint)
        self.set_up_ai.setVisible(not ready)


SORTS = (
    ("date_taken", "Date taken"),
    ("created_at", "Date imported"),
    ("rating", "Rating"),
    ("title", "Title"),
)
RATINGS = (0, 1, 2, 3, 4, 5)


def icon(name: str) -> QIcon:
    return QIcon(str(resources_dir() / "icons" / f"{name}.svg"))


def build_toolbar(window: MainWindow) -> Toolbar:
    """Import, search, filter chips, rating filter, sort, and the secondary windows."""
    bar = window.addToolBar("Main")
    bar.setObjectName("mainToolbar")
    bar.setMovable(False)
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    import_action = QAction(
        icon("import"), "Import folder…", window, shortcut=QKeySequence("Ctrl+I")
    )
    import_action.triggered.connect(window.choose_folder_to_import)
    bar.addAction(import_action)
    publish_action = QAction(
        "Publish…", window, shortcut=QKeySequence("Ctrl+Shift+P"), toolTip="Publish the site"
    )
    publish_action.triggered.connect(window.open_publish)
    bar.addAction(publish_action)
    bar.addSeparator()
    search = QLineEdit(  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (objectName)
        placeholderText="Search titles, tags, cameras, places, file names…",
        objectName="search",
        clearButtonEnabled=True,
    )
    search.setMinimumWidth(280)
    bar.addWidget(search)
    chips = FilterChipsBar()
    bar.addWidget(chips)
    spacer = QWidget()
    spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    bar.addWidget(spacer)
    rating_filter = QComboBox(objectName="ratingFilter")  # type: ignore[call-arg]  # PySide6 stubs: no inherited property kwargs (objectName)
    for stars in RATINGS:
        rating_filter.addItem("Any rating" if stars == 0 else "≥ " + "★" * stars, stars)
    bar.addWidget(rating_filter)
    sort = QComboBox(objectName="sort")  # type: ignore[call-arg]  # PySide6 stubs: no inherited property kwargs (objectName)
    for key, label in SORTS:
        sort.addItem(label, key)
    bar.addWidget(sort)
    descending = QToolButton(  # type: ignore[call-arg]  # PySide6 stubs: no inherited property kwargs (checkable, checked, objectName, text, toolTip)
        text="↓",
        checkable=True,
        checked=True,
        objectName="sortDirection",
        toolTip="Newest / best first",
    )
    bar.addWidget(descending)
    bar.addSeparator()
    for name, tip, slot in (
        ("duplicates", "Review near-duplicates", window.open_duplicates),
        ("dashboard", "Dashboard", window.open_dashboard),
        ("settings", "Settings", lambda: window.open_settings()),
    ):
        action = QAction(icon(name), "", window, toolTip=tip)
        action.triggered.connect(slot)
        bar.addAction(action)
    return Toolbar(import_action, publish_action, search, chips, rating_filter, sort, descending)


def build_menus(window: MainWindow, toolbar: Toolbar) -> Menus:
    """The menu bar, whose Photo menu is also the grid's context menu."""
    menus = window.menuBar()
    file = menus.addMenu("&File")
    file.addAction(toolbar.import_action)
    file.addAction(toolbar.publish_action)
    file.addSeparator()
    file.addAction("Back up catalog now", window.care.back_up_now)
    file.addAction("Find missing folder…", window.care.find_missing_folder)
    file.addAction("Settings…", lambda: window.open_settings(), QKeySequence("Ctrl+,"))
    file.addSeparator()
    file.addAction("Quit", window.close, QKeySequence.StandardKey.Quit)
    edit = menus.addMenu("&Edit")
    undo, redo = history_actions(window.menuBar(), window.ctx)
    edit.addActions([undo, redo])
    edit.addSeparator()
    edit.addAction("Select all", window.grid.selectAll, QKeySequence.StandardKey.SelectAll)
    none = edit.addAction("Select none", window.select_none, QKeySequence("Ctrl+D"))
    none.setShortcuts([QKeySequence("Ctrl+D"), QKeySequence("Ctrl+Shift+A")])  # type: ignore[attr-defined]  # PySide6 stubs: addAction(text, slot, key) returns the QAction
    edit.addAction("Find", lambda: toolbar.search.setFocus(), QKeySequence.StandardKey.Find)
    photo = menus.addMenu("&Photo")
    rating = photo.addMenu("Rating")
    for stars in RATINGS:
        rating.addAction(
            # the grid and the loupe take the key itself; "\t" shows it in the menu
            ("No rating" if stars == 0 else "★" * stars) + f"\t{stars}",
            lambda s=stars: window.photo_actions.set_rating(s),  # type: ignore[misc]  # PySide6 stubs: overloaded addAction leaves the lambda uninferred
        )
    for value, label in (
        ("public", "Make public\tP"),
        ("unlisted", "Make unlisted\tU"),
        ("private", "Make private\tX"),
    ):
        photo.addAction(label, lambda v=value: window.photo_actions.set_visibility(v))  # type: ignore[misc]  # PySide6 stubs: overloaded addAction leaves the lambda uninferred
    photo.addSeparator()
    photo.addAction("Rotate right", lambda: window.photo_actions.rotate(1), QKeySequence("Ctrl+]"))
    photo.addAction("Rotate left", lambda: window.photo_actions.rotate(-1), QKeySequence("Ctrl+["))
    use_raw = photo.addAction(
        "Use RAW as source", lambda: window.photo_actions.use_pair_source("raw")
    )
    use_jpeg = photo.addAction(
        "Use JPEG as source", lambda: window.photo_actions.use_pair_source("jpeg")
    )
    photo.addSeparator()
    add_to = photo.addMenu("Add to collection")
    add_to.aboutToShow.connect(lambda: window.photo_actions.fill_collection_menu(add_to))
    remove_from = photo.addMenu("Remove from collection")
    remove_from.aboutToShow.connect(
        lambda: window.photo_actions.fill_collection_menu(remove_from, removing=True)
    )
    photo.addAction("Shift capture time…", window.photo_actions.shift_time)
    photo.addAction("Fix location…", window.photo_actions.fix_location)
    photo.addAction("Add tags…", window.photo_actions.add_tags)
    photo.addAction("Remove tags…", window.photo_actions.remove_tags)
    photo.addSeparator()
    photo.addAction("Reprocess", window.photo_actions.reprocess)
    describe = photo.addAction("Describe with AI", window.photo_actions.describe_with_ai)
    set_up_ai = photo.addAction(
        "Set up AI descriptions…", lambda: window.open_settings("AI descriptions")
    )
    set_up_ai.setToolTip(AI_SETUP_HINT)
    photo.setToolTipsVisible(True)
    photo.addAction("Approve AI text", window.photo_actions.approve_ai_text)
    photo.addAction("Approve all AI text awaiting review", window.photo_actions.approve_all_ai_text)
    photo.addSeparator()
    photo.addAction("Remove from catalog…", window.photo_actions.remove_from_catalog)
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
    built = Menus(photo, add_to, remove_from, undo, redo, describe, set_up_ai, use_raw, use_jpeg)
    built.refresh_pair_source(None, 0)
    photo.aboutToShow.connect(
        lambda: built.refresh_pair_source(
            window.inspector.current_row(), window.grid.selected_count()
        )
    )
    # asked when the menu opens, not at start: the keyring lookup (keyring, secretstorage,
    # cryptography: ~0.15 s) has no business before the grid shows
    set_up_ai.setVisible(False)
    photo.aboutToShow.connect(lambda: built.refresh_describe(window.ctx))
    window.ctx.events.settings_changed.connect(lambda _s: built.refresh_describe(window.ctx))
    return built
