"""The main window: sidebar, grid (or loupe, or the first-run invitation), inspector.

The window composes the views and keeps them in step: the sidebar, search field, chips,
sort and rating filter make one :class:`PhotoFilter`; its ids are read in a worker and the
newest answer wins. Every change an operation reports arrives through ``catalog_changed``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QItemSelectionModel, QSettings, Qt, QTimer
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from catalog.changes import CatalogChanges
from catalog.operations import forget_undo
from catalog.query import PhotoFilter
from catalog.selection import SelectionSummary, summarise
from catalog.settings import Settings
from desktop.context import DesktopContext
from desktop.describing import DescribeController, imported_ids
from desktop.idle_gc import IdleCollector
from desktop.importing import ImportController, preload_pipeline
from desktop.models import grid_ids
from desktop.models.grid_ids import FIRST_SCREEN_IDS, FirstScreen, ViewKey, WholeList
from desktop.models.photo_grid import PhotoGridModel
from desktop.models.thumbnails import ThumbnailCache
from desktop.views import dialogs
from desktop.views.catalog_care import CatalogCare
from desktop.views.empty_state import EmptyStateView, NoMatchView
from desktop.views.gear_actions import GearActions
from desktop.views.grid import PhotoGridView, ids_of_spans
from desktop.views.import_panel import ImportPanel
from desktop.views.inspector import InspectorPanel
from desktop.views.loupe import LoupeView
from desktop.views.main_menus import build_menus, build_toolbar
from desktop.views.photo_actions import PhotoActions
from desktop.views.sidebar import SidebarView


def memory_cache_mb(settings: Settings) -> int:
    """Decoded pixmaps kept in memory: a quarter of the thumbnail cache setting, at most
    256 MB (a grid thumbnail is ~80 KB decoded: 128 MB holds ~1,600 of them)."""
    return max(32, min(settings.thumb_cache_max_mb // 4, 256))


class MainWindow(QMainWindow):
    def __init__(self, ctx: DesktopContext, qsettings: QSettings) -> None:
        super().__init__()
        self.ctx = ctx
        self.qsettings = qsettings
        self.setWindowTitle(f"ExifTree — {ctx.catalog.root}")
        self.setAcceptDrops(True)
        self.thumbs = ThumbnailCache(
            ctx.catalog.thumb_path, max_mb=memory_cache_mb(ctx.settings), parent=self
        )
        self.model = PhotoGridModel(ctx, self.thumbs, self)
        self.grid = PhotoGridView(self.model, self.thumbs)
        self.sidebar = SidebarView(ctx)
        self.inspector = InspectorPanel(ctx, self.thumbs)
        self.loupe = LoupeView(ctx, self.thumbs)
        self.empty = EmptyStateView()
        self.no_match = NoMatchView()
        self.import_panel = ImportPanel()
        self.import_panel.hide()
        self.importer = ImportController(ctx, self.import_panel, self)
        self.photo_actions = PhotoActions(ctx, self, self.selected_ids, self.on_whole_selection)
        self.describer = DescribeController(ctx, self)
        self.gear_actions = GearActions(ctx, self, self.sidebar.follow)
        self.photo_actions.describer = self.describer
        self.inspector.photo_actions = self.photo_actions
        self.inspector.location.fix_requested.connect(self.photo_actions.fix_location)
        self.inspector.selection_provider = self.selected_ids
        self.inspector.when_whole = self.on_whole_selection
        # actions on a selection whose ids are still coming: (action, row runs, generation)
        self._waiting: list[tuple[Callable[[list[str]], None], list[tuple[int, int]], int]] = []
        self._ids_request = 0
        self._shown_view: ViewKey | None = None  # the view the grid shows (or is filling)
        self.first_screen_ids = FIRST_SCREEN_IDS  # a new view's ids shown before the rest
        self._carried: tuple[list[str], str | None] = ([], None)  # selection to re-apply
        self._selection_removed = False  # the next id list follows a removal
        self._selection_summary: SelectionSummary | None = None  # what the selection shares
        self._selection_request = 0
        self.ids_loaded_count = 0  # how many id lists have landed (tests wait on it)
        self.collector = IdleCollector(lambda: self.ctx.tasks.pending > 0, self)
        self.care = CatalogCare(ctx, self)  # backups and missing originals
        tools = build_toolbar(self)
        self.import_action, self.publish_action = tools.import_action, tools.publish_action
        self.search, self.chips, self.rating_filter = tools.search, tools.chips, tools.rating_filter
        self.sort, self.descending = tools.sort, tools.descending
        self._build_layout()
        self.menus = build_menus(self, tools)
        self.undo_action, self.redo_action = self.menus.undo, self.menus.redo
        self._connect()
        self._restore_window_state()
        # the grid first: the sidebar's counts and facets (~0.8 s of SQLite over 100,000
        # photos) are read once the first screen of rows has landed, not beside its query
        self._sidebar_started = False
        self.model.rows_arrived.connect(self._start_sidebar)
        self.reload_ids()

    # --- building ----------------------------------------------------------------------
    def _build_layout(self) -> None:
        self.stack = QStackedWidget()
        self.stack.addWidget(self.grid)
        self.stack.addWidget(self.loupe)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.no_match)
        centre = QWidget(objectName="centre")  # type: ignore[call-arg]  # PySide6 stubs: no inherited property kwargs (objectName)
        column = QVBoxLayout(centre)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.stack, 1)
        column.addWidget(self.import_panel)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, objectName="mainSplitter")  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (objectName)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(self.inspector)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([230, 850, 360])
        self.splitter.setCollapsible(1, False)
        self.setCentralWidget(self.splitter)
        self.count_label = QLabel()
        self.ai_status = QLabel(objectName="aiStatus")  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (objectName)
        self.ai_status.hide()
        self.ai_stop = QToolButton(text="Stop", toolTip="Stop describing with AI")  # type: ignore[call-arg]  # PySide6 stubs: no inherited property kwargs (text, toolTip)
        self.ai_stop.hide()
        self.statusBar().addWidget(self.ai_status, 1)
        self.statusBar().addPermanentWidget(self.ai_stop)
        self.statusBar().addPermanentWidget(self.count_label)
        self.statusBar().addPermanentWidget(self.care.label)

    def _connect(self) -> None:
        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(self.reload_ids)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self.reload_ids)
        self.chips.changed.connect(self.reload_ids)
        self.rating_filter.currentIndexChanged.connect(lambda _i: self.reload_ids())
        self.sort.currentIndexChanged.connect(self._sort_changed)
        self.descending.toggled.connect(lambda _c: self.reload_ids())
        self.sidebar.source_selected.connect(lambda _k, _f: self.reload_ids())
        self.sidebar.photos_dropped.connect(
            lambda coll_id, ids: self.photo_actions.add_to_collection(coll_id, ids)
        )
        self.sidebar.collection_action.connect(self._collection_action)
        self.sidebar.gear_action.connect(self._gear_action)
        self.grid.selection_changed.connect(self._update_inspector)
        for signal in (
            self.grid.verticalScrollBar().valueChanged,
            self.grid.selection_changed,
            self.search.textChanged,
        ):
            signal.connect(self.collector.note_activity)
        self.grid.open_requested.connect(self.open_loupe)
        self.grid.rating_requested.connect(self.photo_actions.set_rating)
        self.grid.visibility_requested.connect(self.photo_actions.set_visibility)
        self.grid.remove_requested.connect(self.delete_selection)
        self.grid.drag_refused.connect(
            lambda: self.statusBar().showMessage(
                "Loading all photos… drag again once they have arrived.", 5000
            )
        )
        self.model.rows_arrived.connect(self._rows_arrived)
        self.loupe.step_requested.connect(self.step_loupe)
        self.loupe.close_requested.connect(self.close_loupe)
        self.loupe.rating_requested.connect(self.photo_actions.set_rating)
        self.loupe.visibility_requested.connect(self.photo_actions.set_visibility)
        self.empty.import_requested.connect(self.choose_folder_to_import)
        self.no_match.clear_requested.connect(self.clear_filters)
        self.sidebar.facets_loaded.connect(self.chips.set_facets)
        self.importer.photos_arrived.connect(self._photos_arrived)
        self.importer.finished.connect(self._import_finished)
        self.describer.status_changed.connect(self._ai_status_changed)
        self.describer.running_changed.connect(self.ai_stop.setVisible)
        self.ai_stop.clicked.connect(self.describer.stop)
        self.ctx.events.catalog_changed.connect(self._catalog_changed)
        self.ctx.events.operation_failed.connect(self._operation_failed)
        self._sidebar_refresh = QTimer(self, singleShot=True, interval=1500)
        self._sidebar_refresh.timeout.connect(self.sidebar.reload)

    # --- the current view --------------------------------------------------------------
    def current_filter(self) -> PhotoFilter:
        fields: dict[str, Any] = self.sidebar.current_filter_fields()
        fields.update(self.chips.fields())
        text = self.search.text().strip()
        if text:
            fields["text"] = text
        stars = self.rating_filter.currentData()
        if stars:
            fields["min_rating"] = stars
        return PhotoFilter(**fields)

    def current_sort(self) -> str:
        if self.sidebar.current_key().startswith("collection:") and self.sort.currentIndex() == 0:
            return "position"
        return str(self.sort.currentData())

    def reload_ids(self) -> None:
        """Ask for the ids of the current filter; only the newest answer is shown.

        A new view (another source, filter or sort) shows its first screenful at once and
        the whole list when it has been read; a refresh of the view shown (an edit landed,
        photos arrived) reads the whole list and changes only what differs."""
        self._ids_request += 1
        request = self._ids_request
        f, sort = self.current_filter(), self.current_sort()
        descending = self.descending.isChecked() if sort != "position" else False
        key = ViewKey(f, sort, descending)
        if key == self._shown_view:
            self._read_whole_list(request, key)
            return
        catalog, limit = self.ctx.catalog, self.first_screen_ids

        def landed(first: FirstScreen) -> None:
            if request != self._ids_request:
                return  # a newer filter was asked for meanwhile
            if first.is_whole:  # a small view: no second step (and no reset if unchanged)
                shown = self.model.ids
                whole = WholeList(first.ids, None, first.ids == shown)
                self._ids_loaded(request, key, whole, shown)
                return
            self._show_first_screen(key, first)
            self._read_whole_list(request, key)

        self.ctx.tasks.run_in_background(
            lambda: grid_ids.read_first_screen(catalog, key, limit), landed
        )

    def _read_whole_list(self, request: int, key: ViewKey) -> None:
        catalog, shown = self.ctx.catalog, self.model.ids
        self.ctx.tasks.run_in_background(
            lambda: grid_ids.read_whole_list(catalog, key, shown),
            lambda whole: self._ids_loaded(request, key, whole, shown),
        )

    def _show_first_screen(self, key: ViewKey, first: FirstScreen) -> None:
        """A new view's first ids, the rest placeholders until the whole list lands."""
        selected, current = self.grid.known_selected_ids(), self.grid.current_id()
        self._shown_view = key
        self.model.show_first(first.ids, first.total)
        self.grid.select_ids(selected, current)
        self._carried = (selected, current)  # photos further down, selected again later
        self._settle_waiting()
        self._update_counts()
        self._update_inspector()

    def _start_sidebar(self, *_rows: object) -> None:
        """Count the sidebar's sources and load the import pipeline, once, after the grid's
        first rows (neither is needed for the first screen)."""
        if not self._sidebar_started:
            self._sidebar_started = True
            self.model.rows_arrived.disconnect(self._start_sidebar)
            self.sidebar.reload()
            self.ctx.tasks.run_in_background(preload_pipeline)  # after the first screen

    def _ids_loaded(
        self, request: int, key: ViewKey, whole: WholeList, shown: list[str] | None = None
    ) -> None:
        if request != self._ids_request:
            return  # a newer filter was asked for meanwhile
        self._shown_view = key
        self.ids_loaded_count += 1
        ids = whole.ids
        if not ids:
            self._start_sidebar()  # no rows will come
        if whole.is_unchanged and self.model.ids is shown and self.model.is_complete:
            self._update_counts()
            return
        grid = self.grid
        selected, current = grid.known_selected_ids(), grid.current_id()
        old_row, old_count, known = (
            grid.currentIndex().row(),
            self.model.rowCount(),
            len(self.model.ids),
        )
        # selected rows whose ids had not arrived (a select-all on the first screen)
        unknown = [(max(a, known), b) for a, b in grid.selected_spans() if b >= known]
        carried, current_before = self._carried
        self._carried = ([], None)
        if not self.model.set_ids(ids, whole.positions):  # the first screen filled in
            # the selected rows stand as they were; photos carried from the view before,
            # whose rows were not known then, are added to them
            if carried:
                grid.select_ids(carried, None, add=True)
            if not grid.currentIndex().isValid() and current_before:
                grid.select_ids([], current_before, add=True)
        else:
            grid.select_ids(list(dict.fromkeys([*carried, *selected])), current)
            if unknown:  # by row, as the owner saw them; a run to the end still ends there
                n = len(ids)
                grid.select_spans([(a, n - 1 if b == old_count - 1 else b) for a, b in unknown])
                if current is None and old_row >= known and n:
                    grid.selectionModel().setCurrentIndex(
                        self.model.index(min(old_row, n - 1)),
                        QItemSelectionModel.SelectionFlag.NoUpdate,
                    )
            moved_on, self._selection_removed = self._selection_removed, False
            if moved_on and selected and ids and not grid.selected_count() and old_row >= 0:
                # the selection left the view (deleted, out of the collection): as
                # Lightroom, the photo that took its place is selected, so Delete can go on
                grid.go_to_row(min(old_row, len(ids) - 1))
        self._settle_waiting()
        self._update_counts()
        self._update_inspector()
        loupe_id = self.loupe.photo_id
        still_shown = loupe_id is not None and self.model.row_of(loupe_id) is not None
        if self.stack.currentWidget() is self.loupe and not still_shown:
            self.close_loupe()

    def _update_counts(self) -> None:
        n = self.model.rowCount()
        selected = self.grid.selected_count()
        text = f"{n:,} photo{'s' if n != 1 else ''}"
        self.count_label.setText(f"{text}  ·  {selected:,} selected" if selected else text)
        filtered = self.filters_active()
        is_empty = n == 0 and self.sidebar.current_key() == "all" and not filtered
        no_match = n == 0 and filtered
        shown = self.stack.currentWidget()
        if shown is self.loupe:
            return
        wanted = self.empty if is_empty else self.no_match if no_match else self.grid
        if wanted is not shown:
            self.stack.setCurrentWidget(wanted)

    def filters_active(self) -> bool:
        """Whether the search, the chips or the rating narrow the sidebar's source."""
        return bool(self.search.text().strip() or self.chips.fields() or
                    self.rating_filter.currentData())  # fmt: skip

    def clear_filters(self) -> None:
        """Back to everything the sidebar's source holds."""
        for widget in (self.search, self.rating_filter, self.chips):
            widget.blockSignals(True)
        self.search.clear()
        self.rating_filter.setCurrentIndex(0)
        self.chips.clear()
        for widget in (self.search, self.rating_filter, self.chips):
            widget.blockSignals(False)
        self.reload_ids()

    def _sort_changed(self) -> None:
        self.descending.setChecked(self.sort.currentData() != "title")
        self.reload_ids()

    def selected_ids(self) -> list[str]:
        """Every selected photo's id (raises SelectionNotLoaded while some are still
        coming: act through :meth:`on_whole_selection`)."""
        return self.grid.selected_ids()

    def on_whole_selection(self, act: Callable[[list[str]], None]) -> None:
        """Call ``act`` with the whole selection's ids: at once when they are known, else
        once the view's whole id list has landed (the status bar says it is waiting). An
        action never reaches part of a selection; if the view changes meanwhile (another
        source or filter, photos added) it is not applied, and the owner is told."""
        if self.grid.selection_is_known():
            act(self.grid.selected_ids())
            return
        self._waiting.append((act, self.grid.selected_spans(), self.model.generation))
        self.statusBar().showMessage("Loading all photos… the change waits for them.")

    def _settle_waiting(self) -> None:
        """Apply the actions that waited for the whole id list, or drop them if the view
        they were asked in is gone."""
        if not self._waiting:
            return
        generation, ids = self.model.generation, self.model.ids
        gone = [w for w in self._waiting if w[2] != generation]
        self._waiting = [w for w in self._waiting if w[2] == generation]
        if self.model.is_complete:
            ready, self._waiting = self._waiting, []
            self.statusBar().clearMessage()
            for act, spans, _generation in ready:
                act(ids_of_spans(ids, spans))
        if gone:
            self.statusBar().showMessage(
                "The photos shown changed while they were loading: nothing was changed. "
                "Select them again and repeat.",
                10000,
            )

    def current_collection(self) -> str | None:
        """The collection the grid shows, if it shows one."""
        key = self.sidebar.current_key()
        return key.removeprefix("collection:") if key.startswith("collection:") else None

    def delete_selection(self) -> None:
        """Delete, as Lightroom does: inside a collection the photos leave the collection
        (undoable, nothing asked); elsewhere they leave the catalog, after a question."""
        coll_id = self.current_collection()
        if coll_id is not None:
            self.photo_actions.remove_from_collection(coll_id)
        else:
            self.photo_actions.remove_from_catalog()

    def select_none(self) -> None:
        self.grid.clearSelection()

    # --- inspector ---------------------------------------------------------------------
    def _update_inspector(self) -> None:
        current = self.grid.current_id()
        selected = self.grid.selected_count()
        row = self.model.cached_row(current) if current else None
        if row is None and current is not None:
            self.model.data(self.grid.currentIndex())  # queue its row; shown when it lands
        summary = None
        if selected > 1 and self.grid.selection_is_known():
            ids = self.selected_ids()
            if self._selection_summary is not None and list(self._selection_summary.ids) == ids:
                summary = self._selection_summary
            else:
                self._summarise_selection(ids)
        self.inspector.show_photo(row, selected, summary)
        self._update_counts_selected(selected)

    def _summarise_selection(self, ids: list[str]) -> None:
        """What the selected photos share, for the inspector (read in a worker)."""
        self._selection_request += 1
        request, catalog = self._selection_request, self.ctx.catalog

        def read() -> SelectionSummary:
            with catalog.reading() as session:
                return summarise(session, ids)

        def landed(summary: SelectionSummary) -> None:
            known = self.grid.selection_is_known()
            if request == self._selection_request and known and ids == self.selected_ids():
                self._selection_summary = summary
                self._update_inspector()

        self.ctx.tasks.run_in_background(read, landed)

    def _update_counts_selected(self, _selected: int) -> None:
        n = self.model.rowCount()
        text = f"{n:,} photo{'s' if n != 1 else ''}"
        self.count_label.setText(f"{text}  ·  {_selected:,} selected" if _selected else text)

    def _rows_arrived(self, ids: list[str]) -> None:
        current = self.grid.current_id()
        if current in ids:
            self._update_inspector()
            if self.stack.currentWidget() is self.loupe:
                self._show_loupe_row()

    # --- catalog changes ---------------------------------------------------------------
    def _catalog_changed(self, changes: CatalogChanges) -> None:
        """Every view of a changed photo shows the change: the grid's rows are read again
        as they come into view, the current photo's at once (loupe and inspector)."""
        self.model.refresh_rows(changes)
        touched = changes.photo_ids | changes.removed_ids
        summary = self._selection_summary
        if summary is not None and not touched.isdisjoint(summary.ids):
            self._selection_summary = None
        current = self.grid.current_id()
        if current is not None and current in changes.photo_ids:
            self.model.reload_now([current])
            if self.stack.currentWidget() is self.loupe:
                self._show_loupe_row()
        self._update_inspector()
        # photos deleted or taken out of the collection shown: the next one gets selected
        self._selection_removed = bool(changes.removed_ids or changes.collections)
        self.reload_ids()

    def _operation_failed(self, message: str) -> None:
        """Say so, and show the stored values again (the loupe may have shown the edit)."""
        self.statusBar().showMessage(message)
        current = self.grid.current_id()
        if current is not None:
            self.model.reload_now([current])
            self._update_inspector()
            if self.stack.currentWidget() is self.loupe:
                self._show_loupe_row()

    def _photos_arrived(self) -> None:
        self.reload_ids()
        if not self._sidebar_refresh.isActive():
            self._sidebar_refresh.start()

    # --- loupe -------------------------------------------------------------------------
    def open_loupe(self) -> None:
        if not self.grid.currentIndex().isValid():
            if not self.model.rowCount():
                return
            self.grid.go_to_row(0)
        self.stack.setCurrentWidget(self.loupe)
        self._show_loupe_row()
        self.loupe.setFocus()

    def close_loupe(self) -> None:
        self.stack.setCurrentWidget(self.grid)
        self._update_counts()
        self.grid.setFocus()

    def toggle_loupe(self) -> None:
        if self.stack.currentWidget() is self.loupe:
            self.close_loupe()
        else:
            self.open_loupe()

    def step_loupe(self, step: int) -> None:
        row = self.grid.currentIndex().row() + step
        if 0 <= row < self.model.rowCount():
            self.grid.go_to_row(row)
            self._show_loupe_row()

    def _show_loupe_row(self) -> None:
        index = self.grid.currentIndex()
        if not index.isValid():
            return
        photo_id = self.model.id_at(index.row())
        row = self.model.cached_row(photo_id) if photo_id else None
        if row is None:
            self.model.data(index)  # fetch; _rows_arrived shows it (or the whole list)
            return
        self.loupe.show_photo(row, index.row(), self.model.rowCount())

    # --- import ------------------------------------------------------------------------
    def choose_folder_to_import(self) -> None:
        start = str(self.qsettings.value("import/last_folder", str(Path.home())))
        folder = QFileDialog.getExistingDirectory(self, "Import folder", start)
        if folder:
            self.qsettings.setValue("import/last_folder", folder)
            self.import_paths([Path(folder)])

    def import_paths(self, paths: list[Path]) -> bool:
        if self.importer.running:
            self.statusBar().showMessage("An import is already running.", 5000)
            return False
        return self.importer.start(paths)

    def _import_finished(self, result: object) -> None:
        """With "describe after import" on, the new photos go to the AI next."""
        if self.ctx.settings.ai_describe_after_import and not isinstance(result, BaseException):
            self.describer.start(imported_ids(result))

    def _ai_status_changed(self, text: str) -> None:
        self.ai_status.setText(text)
        self.ai_status.setToolTip(text)
        self.ai_status.setVisible(bool(text))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    # --- dialogs -----------------------------------------------------------------------
    def open_settings(self, tab: str | None = None) -> None:
        dialogs.open_settings(self, self.ctx, tab)

    def open_publish(self) -> None:
        from desktop.views.publish_dialog import PublishDialog

        PublishDialog(self.ctx, self).exec()

    def open_dashboard(self) -> None:
        dialogs.open_dashboard(self, self.ctx, self.thumbs)

    def open_duplicates(self) -> None:
        dialogs.open_duplicates(self, self.ctx, self.thumbs)

    def open_collections(self, coll_id: str | None) -> None:
        dialogs.open_collections(self, self.ctx, self.thumbs, self.photo_actions, coll_id)

    def _collection_action(self, action: str, coll_id: str) -> None:
        if action == "new":
            self.photo_actions.new_collection(with_selection=False)
        else:
            dialogs.collection_action(
                self, self.ctx, self.thumbs, self.photo_actions, action, coll_id
            )

    def _gear_action(self, action: str, kind: str, row_id: str, target_id: str) -> None:
        if action == "rename":
            self.gear_actions.rename(kind, row_id)
        else:
            self.gear_actions.merge(kind, row_id, target_id)

    # --- window state ------------------------------------------------------------------
    def _restore_window_state(self) -> None:
        geometry = self.qsettings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1440, 900)
        state = self.qsettings.value("window/splitter")
        if isinstance(state, QByteArray):
            self.splitter.restoreState(state)
        sort = self.qsettings.value("view/sort")
        if sort is not None:
            self.sort.setCurrentIndex(max(self.sort.findData(sort), 0))

    def save_window_state(self) -> None:
        self.qsettings.setValue("window/geometry", self.saveGeometry())
        self.qsettings.setValue("window/splitter", self.splitter.saveState())
        self.qsettings.setValue("view/sort", self.sort.currentData())
        self.qsettings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.importer.running:
            self.importer.cancel()
        self.describer.stop()
        self._ids_request += 1  # answers still in flight land on a closed window: dropped
        self._selection_request += 1
        self.save_window_state()
        self.ctx.tasks.wait_for_done(30000)
        self.thumbs.wait_for_done(5000)
        forget_undo(self.ctx.catalog)  # the history ends with the window
        super().closeEvent(event)

    def add_to_collection_menu(self) -> QMenu:
        return self.menus.add_to
