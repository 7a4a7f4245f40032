"""Runs ``catalog.ai.describe`` in a worker and reports it in the window's status area.

One run at a time; photos asked for meanwhile (another selection, a finished import with
"describe after import" on) wait and run next. Each described photo's row is refreshed as
its answer lands (at most every ``REFRESH_MS``), so the inspector shows the AI text while
the rest of the batch is still running. Failures are counted and the first reason shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from catalog.changes import CatalogChanges
from catalog.jobs import Cancel, ItemOutcome, Progress
from desktop.context import DesktopContext
from desktop.workers import QtJobObserver

REFRESH_MS = 300
FAILED_STATUSES = ("failed", "refused")


def result_text(result: Any) -> str:
    """One line for the status area: what a DescribeResult says."""
    parts = [f"{result.described:,} described"]
    if result.cached:
        parts.append(f"{result.cached:,} from cache")
    if result.failed:
        parts.append(f"{result.failed:,} failed")
    if result.refused:
        parts.append(f"{result.refused:,} refused")
    if result.cancelled:
        parts.append("stopped")
    return "AI: " + ", ".join(parts)


class DescribeController(QObject):
    """Owns the running description's observer, cancel flag, queue and refresh timer."""

    status_changed = Signal(str)  # a line for the status area
    running_changed = Signal(bool)
    finished = Signal(object)  # the DescribeResult, or the exception that stopped the run

    def __init__(self, ctx: DesktopContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._cancel: Cancel | None = None
        self._queued: list[str] = []
        self._landed: set[str] = set()
        self._failures: list[ItemOutcome] = []
        self._refresh = QTimer(self, singleShot=True, interval=REFRESH_MS)
        self._refresh.timeout.connect(self._announce)
        self.last_result: Any = None
        self.status = ""

    @property
    def running(self) -> bool:
        return self._cancel is not None

    def start(self, photo_ids: Sequence[str]) -> None:
        """Describe ``photo_ids`` now, or after the run in progress."""
        if self.running:
            self._queued += [i for i in photo_ids if i not in self._queued]
            return
        if photo_ids:
            self._begin(list(photo_ids))

    def stop(self) -> None:
        """Stop between photos; what is described stays, the rest waits for next time."""
        self._queued.clear()
        if self._cancel is not None:
            self._cancel.set()
            self._say("AI: stopping…")

    def _begin(self, ids: list[str]) -> None:
        observer, cancel = QtJobObserver(self), Cancel()
        self._cancel, self._failures = cancel, []
        observer.item_done.connect(self._item_done)
        observer.progress_made.connect(self._progressed)
        catalog, settings = self._ctx.catalog, self._ctx.settings
        self._say(f"Describing {len(ids):,} photo{'s' if len(ids) != 1 else ''} with AI…")
        self.running_changed.emit(True)

        def job() -> Any:
            from catalog.ai import describe  # the openai client: loaded off the UI thread

            return describe(catalog, ids, settings=settings, observer=observer, cancel=cancel)

        self._ctx.tasks.run_job(job, self._done, self._done)

    def _item_done(self, outcome: ItemOutcome) -> None:
        if outcome.status in FAILED_STATUSES:
            self._failures.append(outcome)
        if outcome.photo_id:
            self._landed.add(outcome.photo_id)
            if not self._refresh.isActive():
                self._refresh.start()

    def _progressed(self, progress: Progress) -> None:
        if self._cancel is None or self._cancel.is_set():
            return
        text = f"Describing with AI… {progress.done:,} of {progress.total or 0:,}"
        if self._failures:
            text += f" · {len(self._failures):,} failed: {self._failures[0].reason}"
        self._say(text)

    def _announce(self) -> None:
        if self._landed:
            changes = CatalogChanges.of(self._landed)
            self._landed = set()
            self._ctx.events.catalog_changed.emit(changes)

    def _done(self, result: Any) -> None:
        self._refresh.stop()
        self._landed.clear()
        self._cancel = None
        self.last_result = result
        if isinstance(result, BaseException):
            self._say(f"Describe with AI failed: {result}")
        else:
            text = result_text(result)
            failures = [o for o in result.outcomes if o.status in FAILED_STATUSES]
            if failures:
                text += f" — {failures[0].reason}"
            self._say(text)
            ids = [o.photo_id for o in result.outcomes if o.photo_id]
            self._ctx.events.catalog_changed.emit(CatalogChanges.of(ids, facets=True))
        self.finished.emit(result)
        queued, self._queued = self._queued, []
        if queued:
            self._begin(queued)
        else:
            self.running_changed.emit(False)

    def _say(self, text: str) -> None:
        self.status = text
        self.status_changed.emit(text)


def imported_ids(result: Any) -> list[str]:
    """Photos an import added (the ones "describe after import" should describe)."""
    outcomes = getattr(result, "outcomes", ())
    return [o.photo_id for o in outcomes if o.photo_id and o.status == "imported"]
