"""Keep CPython's full garbage collections short, and out of the owner's way.

A full (generation 2) collection walks every tracked object: with SQLAlchemy, the catalog's
rows and the Qt wrappers loaded that is ~100,000 objects and 30–80 ms of one core, run by
whichever thread happens to allocate — typically in the middle of a fast scroll. Almost all
of those objects live as long as the app (modules, classes, mappers), so once the app is
quiet they are moved to the permanent generation (``gc.freeze``) and later collections only
walk what is new (~1–2 ms). Quiet means: no scrolling, typing or selecting for ``QUIET_S``
and no background work. Rarely, when quiet, everything is unfrozen and collected once, so
cycles among frozen objects that died are not kept for ever.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

QUIET_S = 1.5
REFREEZE_ABOVE = 20_000  # unfrozen tracked objects worth moving to the permanent generation
FULL_EVERY_S = 600.0


class IdleCollector(QObject):
    """Freezes long-lived objects at quiet moments; ``busy()`` says work is running."""

    def __init__(
        self, busy: Callable[[], bool] = lambda: False, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._busy = busy
        self._last_activity = time.monotonic()
        self._last_full = time.monotonic()
        self.freezes = 0
        self._timer = QTimer(self, interval=1000)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def note_activity(self, *_args: object) -> None:
        """The owner is doing something: scrolling, typing, selecting."""
        self._last_activity = time.monotonic()

    def is_quiet(self) -> bool:
        return time.monotonic() - self._last_activity >= QUIET_S and not self._busy()

    def _tick(self) -> None:
        if not self.is_quiet():
            return
        if time.monotonic() - self._last_full >= FULL_EVERY_S:
            gc.unfreeze()
            self._last_full = time.monotonic()
        elif self.freezes and len(gc.get_objects()) < REFREEZE_ABOVE:
            return  # (the first quiet moment always freezes: a second window's objects
            # may be few when an earlier one froze most of the process)
        self.freeze_now()

    def freeze_now(self) -> None:
        """Collect what is garbage, then freeze the survivors (they will not be walked)."""
        gc.collect()
        gc.freeze()
        self.freezes += 1
