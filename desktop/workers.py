"""Task helpers: run catalog work off the UI thread and land its results back on it.

Anki's taskman idea: reads run in a small thread pool, catalog *writes* go through a pool of
exactly one thread so they are serialised in submission order. Every task keeps a Python
reference to its signal-carrying object until it has finished (a collected ``QRunnable`` or
signal object loses its signals or crashes). Callbacks always run on the GUI thread: the
signal object lives there, so a worker's emit is queued to it.

:class:`QtJobObserver` answers :class:`catalog.jobs.JobObserver` with Qt signals, so a job
running in a worker thread reports typed progress the widgets can connect to.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from catalog.jobs import ItemOutcome, JobObserver, Progress

log = logging.getLogger(__name__)

Callback = Callable[[Any], object]  # what a callback returns is ignored


class _TaskSignals(QObject):
    """Lives on the GUI thread; the worker emits, the connected slots run here."""

    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, on_done: Callback | None, on_failed: Callback | None) -> None:
        super().__init__()
        self._on_done = on_done
        self._on_failed = on_failed
        self.succeeded.connect(self._deliver_result)
        self.failed.connect(self._deliver_error)
        self.release: Callable[[], object] = lambda: None  # its result is ignored

    @Slot(object)
    def _deliver_result(self, result: object) -> None:
        try:
            if self._on_done is not None:
                self._on_done(result)
        finally:
            self.release()

    @Slot(object)
    def _deliver_error(self, error: object) -> None:
        try:
            if self._on_failed is not None:
                self._on_failed(error)
            else:
                log.error("background task failed: %s", error)
        finally:
            self.release()


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], signals: _TaskSignals) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the TaskManager owns it until the result lands
        self._fn = fn
        self._signals = signals

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:  # noqa: BLE001 - every failure goes to the GUI thread
            # the GUI thread's error dialog shows the worker's traceback, not its own
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self._signals.failed.emit(exc)
        else:
            self._signals.succeeded.emit(result)


class TaskManager(QObject):
    """Background reads in parallel; catalog writes one at a time, in order."""

    def __init__(self, parent: QObject | None = None, read_threads: int = 3) -> None:
        super().__init__(parent)
        self._readers = QThreadPool(self)
        self._readers.setMaxThreadCount(read_threads)
        self._writer = QThreadPool(self)
        self._writer.setMaxThreadCount(1)
        self._long = QThreadPool(self)  # long jobs (import, AI) must not starve short reads
        self._long.setMaxThreadCount(2)
        self._alive: dict[int, tuple[_Task, _TaskSignals]] = {}

    def run_in_background(
        self,
        fn: Callable[[], Any],
        on_done: Callback | None = None,
        on_failed: Callback | None = None,
    ) -> None:
        """A read (or any work that needs no write lock) on the reader pool."""
        self._start(self._readers, fn, on_done, on_failed)

    def run_write(
        self,
        fn: Callable[[], Any],
        on_done: Callback | None = None,
        on_failed: Callback | None = None,
    ) -> None:
        """A catalog write, after every write submitted before it."""
        self._start(self._writer, fn, on_done, on_failed)

    def run_job(
        self,
        fn: Callable[[], Any],
        on_done: Callback | None = None,
        on_failed: Callback | None = None,
    ) -> None:
        """A long job (an import): its own pool, so the grid's reads keep flowing."""
        self._start(self._long, fn, on_done, on_failed)

    def _start(
        self,
        pool: QThreadPool,
        fn: Callable[[], Any],
        on_done: Callback | None,
        on_failed: Callback | None,
    ) -> None:
        signals = _TaskSignals(on_done, on_failed)
        task = _Task(fn, signals)
        key = id(task)
        self._alive[key] = (task, signals)
        signals.release = lambda: self._alive.pop(key, None)
        pool.start(task)

    @property
    def pending(self) -> int:
        """Tasks started whose results have not yet landed on the GUI thread."""
        return len(self._alive)

    def wait_for_done(self, msecs: int = 30000) -> bool:
        """Block until every pool is idle (shutdown and tests only)."""
        ok = True
        for pool in (self._long, self._writer, self._readers):
            ok = pool.waitForDone(msecs) and ok
        return ok


class QtJobObserver(QObject, JobObserver):
    """A JobObserver whose callbacks (from any thread) become queued Qt signals."""

    job_started = Signal(object)  # int | None: the total
    progress_made = Signal(object)  # Progress
    item_done = Signal(object)  # ItemOutcome
    message_posted = Signal(str)

    def started(self, total: int | None) -> None:
        self.job_started.emit(total)

    def progressed(self, progress: Progress) -> None:
        self.progress_made.emit(progress)

    def item_finished(self, outcome: ItemOutcome) -> None:
        self.item_done.emit(outcome)

    def message(self, text: str) -> None:
        self.message_posted.emit(text)
