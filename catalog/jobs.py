"""What long-running catalog work reports, and how it is cancelled — with no Qt in sight.

Ingest, AI description and publish take a :class:`JobObserver`; the CLI answers with a
progress bar, the desktop with Qt signals, tests with plain objects (beets' ImportSession
idea). Cancellation is a ``threading.Event`` checked between items.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class Progress:
    done: int
    total: int | None
    current: str | None = None  # the file or photo being worked on


@dataclass(frozen=True)
class ItemOutcome:
    """What became of one item of a batch: a file, a photo, an object."""

    key: str  # a path or a photo id
    status: str  # job-specific: "imported", "skipped", "failed", ...
    reason: str | None = None
    photo_id: str | None = None


class JobObserver:
    """Callbacks a job makes; every method may be called from a worker thread."""

    def started(self, total: int | None) -> None:
        """The job knows (or not) how many items it will work through."""

    def progressed(self, progress: Progress) -> None:
        """Another item is done."""

    def item_finished(self, outcome: ItemOutcome) -> None:
        """One item's outcome, as soon as it is known."""

    def message(self, text: str) -> None:
        """A line for the user that is not tied to one item (e.g. a folder that was skipped)."""


class Cancel(threading.Event):
    """Set it to stop a job between items; the job returns what it has finished."""
