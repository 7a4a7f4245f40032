"""The dashboard: the catalog at a glance, and what a publish would change.

``catalog.stats.dashboard`` gathers every figure in a worker; the publish plan (a dry run of
the publisher against the first saved target) is read in another, as it may be slower.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from catalog import stats
from desktop.context import DesktopContext

_CARDS = (
    ("photos", "Photos"),
    ("public", "Public"),
    ("private", "Private"),
    ("cameras", "Cameras"),
    ("lenses", "Lenses"),
    ("cities", "Cities"),
    ("tags", "Tags"),
    ("described_by_ai", "Described by AI"),
)


def read_publish_plan(ctx: DesktopContext) -> list[str]:
    """A dry-run publish, as lines (worker thread): to the first saved target, or else to the
    catalog's own folder, where the Publish button and the CLI go without one."""
    from desktop.publishing import LOCAL_CHOICE, default_folder, make_target

    settings = ctx.settings
    saved = settings.publish_targets
    name = saved[0].name if saved else LOCAL_CHOICE
    where = name if saved else f"the local folder {default_folder(ctx.catalog)}"
    try:
        from publisher.publish import publish

        target = make_target(ctx.catalog, settings, name)
        result = publish(ctx.catalog, target, settings=settings, dry_run=True)
    except Exception as exc:  # noqa: BLE001 - the dashboard reports, it does not fail
        return [f"The publish plan could not be computed: {exc}"]
    lines = (result.plan.lines() if result.plan else None) or [
        "Nothing to publish: the site is up to date."
    ]
    return [f"Publishing to {where}:", *lines]


def last_publish_line(ctx: DesktopContext) -> str:
    """The dashboard's last-published line, from what the desktop remembered (one small read)."""
    from desktop.publishing import read_last_publish

    last = read_last_publish(ctx.catalog)
    return last.line() if last is not None else "Not published yet."


class BarChart(QWidget):
    """Horizontal bars, label on the left, count on the right."""

    def __init__(
        self, items: list[tuple[str, int]], colour: str = "#4c8dff", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._items = self.items = items
        self._colour = QColor(colour)
        self.setMinimumHeight(max(len(items), 1) * 22 + 4)

    def sizeHint(self) -> QSize:
        return QSize(320, max(len(self._items), 1) * 22 + 4)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not self._items:
            painter.setPen(QColor("#6c7079"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "Nothing yet")
            return
        top = max(n for _, n in self._items) or 1
        label_w = min(int(self.width() * 0.42), 190)
        for i, (label, n) in enumerate(self._items):
            y = i * 22 + 2
            painter.setPen(QColor("#c6c9cf"))
            text = painter.fontMetrics().elidedText(label, Qt.TextElideMode.ElideRight, label_w - 8)
            painter.drawText(
                QRectF(0, y, label_w - 8, 18),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                text,
            )
            width = (self.width() - label_w - 60) * n / top
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self._colour)
            painter.drawRoundedRect(QRectF(label_w, y + 3, max(width, 2), 13), 3, 3)
            painter.setPen(QColor("#8b8f98"))
            painter.drawText(
                QRectF(label_w + width + 6, y, 56, 18), Qt.AlignmentFlag.AlignVCenter, f"{n:,}"
            )


def _card(value: int, label: str) -> QFrame:
    card = QFrame(objectName="card")  # type: ignore[call-arg]  # PySide6 stubs: no inherited property kwargs (objectName)
    layout = QVBoxLayout(card)
    layout.setContentsMargins(14, 10, 14, 10)
    layout.addWidget(QLabel(f"{value:,}", objectName="cardValue"))  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (objectName)
    layout.addWidget(QLabel(label, objectName="cardLabel"))  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (objectName)
    return card


def _section(title: str, body: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(QLabel(title, objectName="sectionTitle"))  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (objectName)
    layout.addWidget(body)
    return box


class DashboardDialog(QDialog):
    def __init__(self, ctx: DesktopContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Dashboard")
        self.setObjectName("dashboard")
        self.resize(980, 720)
        self._ctx = ctx
        self.data: stats.Dashboard | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(20, 18, 20, 18)
        self._layout.setSpacing(16)
        self.loading = QLabel("Counting…", objectName="dimLabel")  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (objectName)
        self._layout.addWidget(self.loading)
        self.last_published = QLabel("", objectName="lastPublished")  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (objectName)
        self._layout.addWidget(self.last_published)
        self.plan = QListWidget()
        self.plan.addItem("Working out what a publish would change…")
        ctx.tasks.run_in_background(self._read, self._show)
        ctx.tasks.run_in_background(lambda: read_publish_plan(ctx), self._show_plan)
        ctx.tasks.run_in_background(lambda: last_publish_line(ctx), self.last_published.setText)

    def _read(self) -> stats.Dashboard:
        with self._ctx.catalog.reading() as session:
            return stats.dashboard(session)

    def _show(self, data: stats.Dashboard) -> None:
        self.data = data
        self.loading.hide()
        cards = QGridLayout()
        cards.setSpacing(10)
        for i, (field, label) in enumerate(_CARDS):
            cards.addWidget(_card(getattr(data.totals, field, 0), label), i // 4, i % 4)
        self._layout.addLayout(cards)
        years = [("Undated" if y is None else str(y), n) for y, n in data.per_year]
        middle = QHBoxLayout()
        middle.setSpacing(24)
        # every year, however far back the archive goes: past 14 of them the chart scrolls
        self.year_chart = BarChart(years, "#4c8dff")
        year_scroll = QScrollArea(widgetResizable=True, frameShape=QFrame.Shape.NoFrame)  # type: ignore[call-arg]  # PySide6 stubs: no inherited property kwargs (frameShape)
        year_scroll.setWidget(self.year_chart)
        year_scroll.setMaximumHeight(14 * 22 + 8)
        middle.addWidget(_section("Photos per year", year_scroll), 1)
        gear = QVBoxLayout()
        gear.addWidget(_section("Top cameras", BarChart(list(data.top_cameras)[:6], "#5fb88a")))
        gear.addWidget(_section("Top lenses", BarChart(list(data.top_lenses)[:6], "#d9a441")))
        middle.addLayout(gear, 1)
        self._layout.addLayout(middle)
        bottom = QHBoxLayout()
        bottom.setSpacing(24)
        failures = QListWidget(objectName="failureList")  # type: ignore[call-arg]  # PySide6 stubs: no inherited property kwargs (objectName)
        for failure in data.failures:
            name = failure.path.rsplit("/", 1)[-1]
            failures.addItem(f"{name} — {failure.reason or failure.status}")
        if not data.failures:
            failures.addItem("No failures")
        total = data.totals.failed + data.totals.rejected
        bottom.addWidget(_section(f"Failures and rejections ({total:,})", failures), 1)
        bottom.addWidget(_section("What a publish would change", self.plan), 1)
        self._layout.addLayout(bottom, 1)

    def _show_plan(self, lines: Any) -> None:
        self.plan.clear()
        for line in lines:
            self.plan.addItem(str(line))
