"""The loupe: one photo as large as the window allows, ←/→ through the grid's order.

Shows the 1,600 px thumbnail at once (decoded in a worker by the cache), and the original
when the window is bigger than that. Esc or Enter goes back to the grid.

Zoom as in Lightroom: Z, Space or a click switches between fit and 1:1 (one pixel of the
original per screen pixel), centred on the point clicked; at 1:1 a drag pans. The 1,600 px
thumbnail is shown enlarged at once, then the full original, decoded in a worker thread.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QPointF, QRect, QRectF, QSizeF, Qt, Signal
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
CLICK_SLOP_PX = 4  # a press that moves less than this is a click (zoom), not a drag (pan)
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
        self._original_asked: tuple[str, bool] | None = None  # (photo id, full size)
        self._original_full = False  # the original shown is decoded at its full size
        self.one_to_one = False  # zoom: fit in the window, or 1:1
        self.centre = QPointF(0.5, 0.5)  # at 1:1, the image point (0–1) at the view centre
        self._press: QPointF | None = None  # where a click or a drag began
        self._dragged = False
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
            self._original_full = False
            self.centre = QPointF(0.5, 0.5)
            self._pixmap = self._thumbs.pixmap(row.content_hash, LARGE_PX)
            if self._pixmap is None:  # no large thumbnail yet: the grid's one meanwhile
                self._pixmap = self._thumbs.pixmap(row.content_hash, 300)
            self._maybe_load_original()
        self.update()

    def _maybe_load_original(self) -> None:
        """Decode the original in a worker: at full size for 1:1, else at the window's size
        when that is more than the large thumbnail has. The task manager keeps the task alive."""
        row = self._row
        ratio = self.devicePixelRatioF()
        full = self.one_to_one
        if row is None or (not full and max(self.width(), self.height()) * ratio <= LARGE_PX):
            return
        if self._original_full or self._original_asked in ((row.id, full), (row.id, True)):
            return  # one read per photo and size, however often we resize
        self._original_asked = (row.id, full)
        wanted = row.id
        side = None if full else int(max(self.width(), self.height()) * ratio)
        self._ctx.tasks.run_in_background(
            lambda: turned(read_image(Path(row.source_path), side), row.rotation),
            lambda image: self._original_loaded(wanted, image, full),
        )

    def _original_loaded(self, photo_id: str, image: QImage | None, full: bool) -> None:
        if image is not None and self._row is not None and self._row.id == photo_id:
            self._original = QPixmap.fromImage(image)  # stale answers are dropped above
            self._original_full = self._original_full or full
            self.update()

    @property
    def original_full_size(self) -> bool:
        """Whether the full-size original is what 1:1 shows now (not the enlarged thumbnail)."""
        return self._original_full

    def _natural_size(self, pixmap: QPixmap) -> QSizeF:
        """The photo's size in pixels of the original, whatever is shown for it meanwhile."""
        size = QSizeF(pixmap.size())
        row = self._row
        if self._original_full or row is None or not row.width or not row.height:
            return size
        long_side = max(row.width, row.height)
        return size * (long_side / max(size.width(), size.height(), 1))

    def zoom_scale(self) -> float:
        """Screen (logical) pixels per original pixel now: 1 / device ratio at 1:1."""
        pixmap = self._original or self._pixmap
        if pixmap is None or pixmap.isNull():
            return 1.0
        return self._image_rect(pixmap).width() / self._natural_size(pixmap).width()

    def _area(self) -> QRect:
        return self.rect().adjusted(24, 20, -24, -56)

    def _image_rect(self, pixmap: QPixmap) -> QRectF:
        """Where the photo is drawn: fitted in the area, or at 1:1 around ``centre``."""
        area = QRectF(self._area())
        if not self.one_to_one:
            fitted = QSizeF(pixmap.size()).scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRectF(QPointF(0, 0), fitted)
            target.moveCenter(area.center())
            return target
        shown = self._natural_size(pixmap) / self.devicePixelRatioF()
        self.centre = QPointF(
            _clamped(self.centre.x(), area.width() / 2 / shown.width()),
            _clamped(self.centre.y(), area.height() / 2 / shown.height()),
        )
        top_left = area.center() - QPointF(
            self.centre.x() * shown.width(), self.centre.y() * shown.height()
        )
        return QRectF(top_left, shown)

    def toggle_zoom(self, at: QPointF | None = None) -> None:
        """Fit ↔ 1:1; going to 1:1 centres on ``at`` (a point of the widget), if given."""
        pixmap = self._original or self._pixmap
        if not self.one_to_one and at is not None and pixmap is not None and not pixmap.isNull():
            rect = self._image_rect(pixmap)
            if rect.contains(at):
                self.centre = QPointF(
                    (at.x() - rect.left()) / rect.width(), (at.y() - rect.top()) / rect.height()
                )
        elif not self.one_to_one:
            self.centre = QPointF(0.5, 0.5)
        self.one_to_one = not self.one_to_one
        self.setCursor(
            Qt.CursorShape.OpenHandCursor if self.one_to_one else Qt.CursorShape.ArrowCursor
        )
        self._maybe_load_original()
        self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press, self._dragged = event.position(), False
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pixmap = self._original or self._pixmap
        if self._press is None or pixmap is None or pixmap.isNull():
            return
        delta = event.position() - self._press
        if not self._dragged and max(abs(delta.x()), abs(delta.y())) < CLICK_SLOP_PX:
            return
        self._dragged = True
        if self.one_to_one:
            shown = self._image_rect(pixmap).size()
            self.centre -= QPointF(delta.x() / shown.width(), delta.y() / shown.height())
            self._press = event.position()
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._press is not None:
            if not self._dragged:
                self.toggle_zoom(event.position())
            self._press = None
        super().mouseReleaseEvent(event)

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
        area = self._area()
        if pixmap is not None and not pixmap.isNull():
            painter.save()
            painter.setClipRect(area)
            painter.drawPixmap(self._image_rect(pixmap), pixmap, QRectF(pixmap.rect()))
            painter.restore()
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
            f"{position + 1} / {total}    {'1:1' if self.one_to_one else 'Fit'} (Z)    ← →  ·  Esc",
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
        elif key in (Qt.Key.Key_Z, Qt.Key.Key_Space):
            self.toggle_zoom()
        elif key in (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter):
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
            # values are the row's own fields (rating=, visibility=), passed loosely typed
            self._row = replace(self._row, **values)  # type: ignore[arg-type]
            self.repaint()

    @property
    def shown_row(self) -> PhotoRow | None:
        """The row the footer shows now."""
        return self._row

    def mouseDoubleClickEvent(self, _event: QMouseEvent) -> None:
        self.close_requested.emit()


def _clamped(centre: float, half_view: float) -> float:
    """Keep the photo covering the view when it is bigger; centred when it is smaller."""
    if half_view >= 0.5:
        return 0.5
    return min(max(centre, half_view), 1 - half_view)
