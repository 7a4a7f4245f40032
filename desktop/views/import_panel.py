"""The import panel: how far an import is, how fast, what it is on, and what failed why.

It listens to a :class:`QtJobObserver` (signals queued from the import's worker thread) and
sets the job's :class:`Cancel` when the owner presses Cancel; the job stops between files.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from catalog.jobs import Cancel, ItemOutcome, Progress
from desktop.workers import QtJobObserver

PROBLEMS = ("failed", "rejected")


class ImportPanel(QFrame):
    """Shown under the grid while an import runs, and after it until closed."""

    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importPanel")
        self._cancel: Cancel | None = None
        self._started_at = 0.0
        self._total: int | None = None
        self.counts: Counter[str] = Counter()
        self.running = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        top = QHBoxLayout()
        self.title = QLabel("Import", objectName="panelTitle")  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (objectName)
        self.stats = QLabel(objectName="dimLabel")  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (objectName)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self._close)
        top.addWidget(self.title)
        top.addSpacing(12)
        top.addWidget(self.stats, 1)
        top.addWidget(self.cancel_button)
        top.addWidget(self.close_button)
        layout.addLayout(top)
        self.progress = QProgressBar(textVisible=False)
        self.progress.setFixedHeight(6)
        layout.addWidget(self.progress)
        self.current = QLabel(objectName="dimLabel")  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (objectName)
        self.current.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.current)
        self.failures_label = QLabel(objectName="failuresLabel")  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (objectName)
        self.failures = QListWidget(objectName="failureList")  # type: ignore[call-arg]  # PySide6 stubs: no inherited property kwargs (objectName)
        self.failures.setMaximumHeight(120)
        layout.addWidget(self.failures_label)
        layout.addWidget(self.failures)
        self._show_failures()

    def start(self, observer: QtJobObserver, cancel: Cancel, what: str) -> None:
        """Follow a new job's signals."""
        self._cancel = cancel
        self._started_at = time.monotonic()
        self._total = None
        self.counts.clear()
        self.failures.clear()
        self.running = True
        self.title.setText(f"Importing {what}")
        self.stats.setText("Looking for photos…")
        self.current.clear()
        self.progress.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        self.close_button.hide()
        self._show_failures()
        observer.job_started.connect(self._job_started)
        observer.progress_made.connect(self._progressed)
        observer.item_done.connect(self._item_done)
        observer.message_posted.connect(lambda text: self.current.setText(text))
        self.show()

    def _job_started(self, total: int | None) -> None:
        self._total = total
        if total:
            self.progress.setRange(0, total)

    def _progressed(self, progress: Progress) -> None:
        if progress.total:
            self._total = progress.total
            self.progress.setRange(0, progress.total)
            self.progress.setValue(progress.done)
        elapsed = max(time.monotonic() - self._started_at, 1e-6)
        rate = progress.done / elapsed
        of = f" of {self._total:,}" if self._total else ""
        self.stats.setText(f"{progress.done:,}{of} files  ·  {rate:.1f} photos/s")
        if progress.current:
            self.current.setText(
                self.current.fontMetrics().elidedText(
                    progress.current, Qt.TextElideMode.ElideMiddle, max(self.width() - 40, 200)
                )
            )

    def _item_done(self, outcome: ItemOutcome) -> None:
        self.counts[outcome.status] += 1
        if outcome.status in PROBLEMS:
            text = f"{Path(outcome.key).name} — {outcome.reason or outcome.status}"
            item = QListWidgetItem(text)
            item.setToolTip(f"{outcome.key}\n{outcome.reason or ''}")
            self.failures.addItem(item)
            self._show_failures()

    def _show_failures(self) -> None:
        n = self.failures.count()
        self.failures_label.setText(f"{n} file{'s' if n != 1 else ''} could not be imported")
        self.failures_label.setVisible(n > 0)
        self.failures.setVisible(n > 0)

    def finish(self, summary: str) -> None:
        """The job returned (or failed): say how it went and offer Close."""
        self.running = False
        self.title.setText(
            "Import finished" if "cancel" not in summary.lower() else "Import cancelled"
        )
        self.stats.setText(summary)
        self.current.clear()
        maximum = max(self.progress.maximum(), 1)
        self.progress.setRange(0, maximum)
        self.progress.setValue(maximum)
        self.cancel_button.hide()
        self.close_button.show()

    def cancel(self) -> None:
        if self._cancel is not None and self.running:
            self._cancel.set()
            self.cancel_button.setEnabled(False)
            self.stats.setText("Cancelling after the current files…")

    def failure_texts(self) -> list[str]:
        return [self.failures.item(i).text() for i in range(self.failures.count())]

    def _close(self) -> None:
        self.hide()
        self.closed.emit()
