"""What every desktop view is handed: the catalog, the task manager, the change signal.

Passed down explicitly (no globals), like settings. ``CatalogEvents.catalog_changed`` is the
one app-level signal every operation's :class:`CatalogChanges` is broadcast through, so each
view refreshes only what changed (anki's OpChanges idea).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from catalog import operations
from catalog.catalog import Catalog
from catalog.changes import CatalogChanges
from catalog.settings import Settings, load_settings
from desktop.history import EditHistory
from desktop.workers import TaskManager


class CatalogEvents(QObject):
    """The app-level broadcast of what an operation changed."""

    catalog_changed = Signal(object)  # CatalogChanges
    settings_changed = Signal(object)  # Settings
    operation_failed = Signal(str)  # a sentence for the status bar / an error dialog


class DesktopContext:
    """The catalog plus the Qt plumbing that runs work against it."""

    def __init__(self, catalog: Catalog, tasks: TaskManager | None = None) -> None:
        self.catalog = catalog
        self.tasks = tasks or TaskManager()
        self.events = CatalogEvents()
        self.history = EditHistory()
        with catalog.reading() as session:
            self.settings: Settings = load_settings(session)
        self.events.catalog_changed.connect(self._sync_sidecars)

    def perform(
        self,
        operation: Callable[[], CatalogChanges | None],
        on_done: Callable[[Any], object] | None = None,
        what: str = "the change",
        on_failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run a catalog write on the writer thread, then broadcast what it changed; an
        edit that can be undone goes on the Edit menu's history."""

        def landed(changes: CatalogChanges | None) -> None:
            if isinstance(changes, CatalogChanges):
                self.history.did(changes)
                if not changes.is_empty:
                    self.events.catalog_changed.emit(changes)
            if on_done is not None:
                on_done(changes)

        def failed(error: BaseException) -> None:
            self.events.operation_failed.emit(f"Could not save {what}: {error}")
            if on_failed is not None:
                on_failed(error)

        self.tasks.run_write(operation, landed, failed)

    def undo(self) -> None:
        """Take back the last edit (on the writer thread, after any edit still running)."""
        self._step(self.history.take_undo(), undoing=True)

    def redo(self) -> None:
        self._step(self.history.take_redo(), undoing=False)

    def _step(self, step: CatalogChanges | None, undoing: bool) -> None:
        if step is None:
            return
        catalog, history = self.catalog, self.history
        keep = history.undone if undoing else history.redone

        def run() -> CatalogChanges:
            return operations.undo(catalog, step)  # the redo of an undo is its undo

        def landed(changes: CatalogChanges) -> None:
            keep(changes)
            if not changes.is_empty:
                self.events.catalog_changed.emit(changes)

        def failed(error: BaseException) -> None:
            if not isinstance(error, operations.UndoConflictError):  # that one never will
                history.put_back(step, on_undo_side=undoing)
            verb = "undo" if undoing else "redo"
            self.events.operation_failed.emit(f"Could not {verb} {step.label}: {error}")

        self.tasks.run_write(run, landed, failed)

    def _sync_sidecars(self, changes: CatalogChanges) -> None:
        """ "Keep XMP sidecars in sync": write them after an edit lands, on the writer
        thread (it records what it wrote); a failure is said in the status bar."""
        if not self.settings.keep_sidecars_in_sync:
            return
        from catalog.sidecar_writes import photos_to_sync, write_sidecars

        ids = photos_to_sync(changes)
        if not ids:
            return
        catalog = self.catalog

        def written(report: Any) -> None:
            if report.problems:
                more = f" (and {len(report.problems) - 1} more)" if len(report.problems) > 1 else ""
                self.events.operation_failed.emit(
                    f"Sidecar not written: {report.problems[0]}{more}"
                )

        def failed(error: BaseException) -> None:
            self.events.operation_failed.emit(f"Could not write the XMP sidecars: {error}")

        self.tasks.run_write(lambda: write_sidecars(catalog, ids), written, failed)

    def update_settings(self, settings: Settings) -> None:
        """Remember the new settings (the caller saved them) and tell the views."""
        self.settings = settings
        self.events.settings_changed.emit(settings)
