"""The loupe: one photo as large as the window allows, ←/→ through the grid's order.

Shows the 1,600 px thumbnail at once (decoded in a worker by the cache), and the original
when the window is bigger than that. Esc or Space goes back to the grid.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import QWidget

from catalog.rows import PhotoRow
from desktop.context import DesktopContext
from desktop.models.thumbnails import ThumbnailCache, read_image, turned
from desktop.views.inspector import exif_summary

LARGE_PX = 1600
_VISIBILITY_KEYS = {Qt.Key.Key_P: "public", Qt.Key.Key_U: "unlisted", Qt.Key.Key_X: "private"}


class LoupeView(QWidget):
    step_requested = Signal(int)  # -1 / +1
    close_requested = Signal()
    rating_requested = Signal(int)
    visibility_requested = Signal(str)

    def __init__(
        self, ctx: DesktopContext, thumbs: ThumbnailCache, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("loupe")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._ctx = ctx
        self._thumbs = thumbs
        self._row: PhotoRow | None = None
        self._position = (0, 0)
        self._pixmap: QPixmap | None = None
        self._original: QPixmap | None = None
        self._original_asked: str | None = None
        thumbs.thumbnail_ready.connect(self._thumbnail_ready)

    @property
    def photo_id(self) -> str | None:
        return self._row.id if self._row else None

    def show_photo(self, row: PhotoRow, position: int, total: int) -> None:
        """Show ``row`` (``position`` of ``total`` in the grid's order)."""
        changed = self._row is None or (row.id, row.rotation) != (self._row.id, self._row.rotation)
        self._row = row
        self._position = (position, total)
        if changed:
            self._original = None
            self._original_asked = None
            self._pixmap = self._thumbs.pixmap(row.content_hash, LARGE_PX)
            if self._pixmap is None:  # no large thumbnail yet: the grid's one meanwhile
                self._pixmap = self._thumbs.pixmap(row.content_hash, 300)
            self._maybe_load_original()
        self.update()

    def _maybe_load_original(self) -> None:
        row = self._row
        ratio = self.devicePixelRatioF()
        if row is None or max(self.width(), self.height()) * ratio <= LARGE_PX:
            return
        if self._original_asked == row.id:  # one read per photo, however often we resize
            return
        self._original_asked = wanted = row.id
        side = int(max(self.width(), self.height()) * ratio)
        self._ctx.tasks.run_in_background(
            lambda: turned(read_image(Path(row.source_path), side), row.rotation),
            lambda image: self._original_loaded(wanted, image),
        )

    def _original_loaded(self, photo_id: str, image: QImage | None) -> None:
        if image is not None and self._row is not None and self._row.id == photo_id:
            self._original = QPixmap.fromImage(image)  # stale answers are dropped above
            self.update()

    def _thumbnail_ready(self, content_hash: str, size_px: int) -> None:
        row = self._row
        if row is None or content_hash != row.content_hash or self._original is not None:
            return
        better = self._thumbs.pixmap(content_hash, LARGE_PX)
        if better is not None:
            self._pixmap = better
            self.update()
        elif size_px == 300 and self._pixmap is None:
            self._pixmap = self._thumbs.pixmap(content_hash, 300)
            self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#121315"))
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        pixmap = self._original or self._pixmap
        area = self.rect().adjusted(24, 20, -24, -56)
        if pixmap is not None and not pixmap.isNull():
            size = pixmap.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(0, 0, size.width(), size.height())
            target.moveCenter(area.center())
            painter.drawPixmap(target, pixmap)
        elif self._row is not None:
            painter.setPen(QColor("#6c7079"))
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, "Loading…")
        self._paint_caption(painter)

    def _paint_caption(self, painter: QPainter) -> None:
        row = self._row
        if row is None:
            return
        position, total = self._position
        name = row.title or Path(row.source_path).name
        facts = "   ".join([p for p in (row.camera, row.lens) if p] + exif_summary(row))
        stars = "★" * row.rating
        bar = QRectF(24, self.height() - 48, self.width() - 48, 40)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() + 1)
        painter.setFont(font)
        painter.setPen(QColor("#e8eaee"))
        painter.drawText(
            bar, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, f"{name}   {stars}"
        )
        painter.setFont(self.font())
        painter.setPen(QColor("#8b8f98"))
        painter.drawText(bar, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, facts)
        painter.drawText(
            bar,
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
            f"{position + 1} / {total}    ← →  ·  Esc",
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._original is None:
            self._maybe_load_original()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Down):
            self.step_requested.emit(1)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Up):
            self.step_requested.emit(-1)
        elif key in (Qt.Key.Key_Escape, Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.close_requested.emit()
        elif Qt.Key.Key_0 <= key <= Qt.Key.Key_5:
            self._show_at_once(rating=int(key) - int(Qt.Key.Key_0))
            self.rating_requested.emit(int(key) - int(Qt.Key.Key_0))
        elif key in _VISIBILITY_KEYS:
            self._show_at_once(visibility=_VISIBILITY_KEYS[key])
            self.visibility_requested.emit(_VISIBILITY_KEYS[key])
        else:
            super().keyPressEvent(event)

    def _show_at_once(self, **values: object) -> None:
        """Show the owner's key press before the write lands (the stored row follows)."""
        if self._row is not None:
            self._row = replace(self._row, **values)  # type: ignore[arg-type]
            self.repaint()

    @property
    def shown_row(self) -> PhotoRow | None:
        """The row the footer shows now."""
        return self._row

    def mouseDoubleClickEvent(self, _event: QMouseEvent) -> None:
        self.close_requested.emit()
