"""Runs ``catalog.ingest.run_import`` in a worker thread and tells the window as it goes.

One import at a time. The grid asks for fresh ids at most every ``REFRESH_MS`` while photos
arrive, so it fills during a long import without redrawing on every file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from catalog.changes import CatalogChanges
from catalog.jobs import Cancel, ItemOutcome
from desktop.context import DesktopContext
from desktop.views.import_panel import ImportPanel
from desktop.workers import QtJobObserver

REFRESH_MS = 400


def preload_pipeline() -> None:
    """Import the import's parent side (numpy, Pillow, exiv2: ~0.8 s of CPU).

    Not on the way to the first screen: the window runs this in a worker once the grid's
    first rows have landed. Imported later by the import thread, while the owner watches
    the import, these modules would hold the GIL for up to 100 ms at a time
    (tests/desktop/test_import.py); an import started before the preload ends waits for
    it on Python's import lock, in its own thread."""
    import catalog.ingest.commit  # noqa: F401
    import catalog.ingest.executors  # noqa: F401
    import catalog.ingest.pipeline  # noqa: F401


def describe_result(result: Any) -> str:
    """One line for the panel: what an ImportResult says."""
    parts = [f"{result.imported:,} imported"]
    for name in ("skipped", "duplicates", "rejected", "failed"):
        value = getattr(result, name, 0)
        if value:
            parts.append(f"{value:,} {name}")
    if getattr(result, "cancelled", False):
        parts.append("cancelled")
    if getattr(result, "stopped", None):  # the catalog's disk is full, or similar
        parts.append(result.stopped)
    return "  ·  ".join(parts)


class ImportController(QObject):
    """Owns the running import's observer, cancel flag and refresh timer."""

    photos_arrived = Signal()  # some photos are in the catalog since the last signal
    finished = Signal(object)  # the ImportResult, or the exception

    def __init__(
        self, ctx: DesktopContext, panel: ImportPanel, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._panel = panel
        self._observer: QtJobObserver | None = None
        self._cancel: Cancel | None = None
        self._arrived: set[str] = set()
        self._refresh = QTimer(self, singleShot=True, interval=REFRESH_MS)
        self._refresh.timeout.connect(self._announce)
        self.last_result: Any = None

    @property
    def running(self) -> bool:
        return self._observer is not None

    def start(self, paths: Sequence[Path]) -> bool:
        """Begin importing ``paths``; False when an import is already running."""
        if self.running or not paths:
            return False
        observer = QtJobObserver(self)
        cancel = Cancel()
        self._observer, self._cancel = observer, cancel
        observer.item_done.connect(self._item_done)
        what = paths[0].name if len(paths) == 1 else f"{len(paths)} items"
        self._panel.start(observer, cancel, what or str(paths[0]))
        catalog, settings = self._ctx.catalog, self._ctx.settings

        def job() -> Any:
            from catalog.ingest import run_import  # heavy imports: off the UI thread

            return run_import(
                catalog, list(paths), observer=observer, cancel=cancel, settings=settings
            )

        self._ctx.tasks.run_job(job, self._done, self._done)
        return True

    def cancel(self) -> None:
        self._panel.cancel()

    def _item_done(self, outcome: ItemOutcome) -> None:
        if outcome.photo_id and outcome.status in ("imported", "moved", "rejected", "failed"):
            self._arrived.add(outcome.photo_id)
            if not self._refresh.isActive():
                self._refresh.start()

    def _announce(self) -> None:
        if self._arrived:
            self._arrived.clear()
            self.photos_arrived.emit()

    def _done(self, result: Any) -> None:
        self._refresh.stop()
        self._arrived.clear()
        self._observer = None
        self._cancel = None
        self.last_result = result
        if isinstance(result, BaseException):
            self._panel.finish(f"The import stopped: {result}")
        else:
            self._panel.finish(describe_result(result))
        self._ctx.events.catalog_changed.emit(CatalogChanges(facets=True, collections=True))
        self.finished.emit(result)
