"""Paints one grid cell: the thumbnail (or a placeholder), caption, stars and badges.

A delegate paints; there is never one widget per photo.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from catalog.rows import PhotoRow
from desktop.models.photo_grid import ROW_ROLE, THUMB_ROLE, PhotoGridModel

CELL = QSize(200, 196)
CAPTION_PX = 34

_BG = QColor("#232427")
_BG_HOVER = QColor("#2b2c30")
_BG_SELECTED = QColor("#26364d")
_ACCENT = QColor("#4c8dff")
_PLACEHOLDER = QColor("#2e3035")
_TEXT = QColor("#d7d9de")
_TEXT_DIM = QColor("#8b8f98")
_STAR = QColor("#f2b84b")
_BADGE = {
    "private": (QColor("#c0504d"), "PRIVATE"),
    "unlisted": (QColor("#8a6fd1"), "UNLISTED"),
}


class ThumbnailDelegate(QStyledItemDelegate):
    """Draws cells for :class:`PhotoGridModel`; sizes are uniform."""

    def __init__(self, parent: QObject | None = None, cell: QSize = CELL) -> None:
        super().__init__(parent)
        self.cell = cell

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return self.cell

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hover = bool(option.state & QStyle.StateFlag.State_MouseOver)
        cell = QRectF(option.rect.adjusted(4, 4, -4, -4))
        path = QPainterPath()
        path.addRoundedRect(cell, 7, 7)
        painter.fillPath(path, _BG_SELECTED if selected else _BG_HOVER if hover else _BG)
        if selected:
            painter.setPen(QPen(_ACCENT, 2))
            painter.drawPath(path)
        # Ask the Python model directly: no QVariant round trip for every cell and frame.
        model = index.model()
        if isinstance(model, PhotoGridModel):
            row, pixmap = model.row_at(index.row()), model.thumbnail_at(index.row())
        else:
            row, pixmap = index.data(ROW_ROLE), index.data(THUMB_ROLE)
        image_box = cell.adjusted(8, 8, -8, -CAPTION_PX).toRect()
        self._paint_image(painter, image_box, pixmap, row)
        if row is not None:
            self._paint_caption(painter, cell.toRect(), row)
            self._paint_badge(painter, image_box, row)
        painter.restore()

    def _paint_image(
        self, painter: QPainter, box: QRect, pixmap: QPixmap | None, row: PhotoRow | None
    ) -> None:
        if pixmap is None or pixmap.isNull():
            target = _fit(box, row.width if row else 3, row.height if row else 2)
            painter.fillRect(target, _PLACEHOLDER)
            if row is not None and row.status in ("failed", "rejected"):
                painter.setPen(_TEXT_DIM)
                painter.drawText(target, Qt.AlignmentFlag.AlignCenter, row.status.capitalize())
            return
        if pixmap.width() <= box.width() and pixmap.height() <= box.height():
            x = box.left() + (box.width() - pixmap.width()) // 2  # decoded to fit: no scaling
            painter.drawPixmap(x, box.top() + (box.height() - pixmap.height()) // 2, pixmap)
            return
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawPixmap(_fit(box, pixmap.width(), pixmap.height()), pixmap)

    def _paint_caption(self, painter: QPainter, cell: QRect, row: PhotoRow) -> None:
        area = QRect(cell.left() + 10, cell.bottom() - CAPTION_PX + 4, cell.width() - 20, 26)
        font = QFont(painter.font())
        font.setPointSizeF(max(font.pointSizeF() - 1, 7.5))
        painter.setFont(font)
        stars = "★" * row.rating
        stars_w = painter.fontMetrics().horizontalAdvance(stars) + 6 if stars else 0
        text = row.title or row.source_path.rsplit("/", 1)[-1]
        elided = painter.fontMetrics().elidedText(
            text, Qt.TextElideMode.ElideMiddle, area.width() - stars_w
        )
        painter.setPen(_TEXT if row.title else _TEXT_DIM)
        painter.drawText(area, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided)
        if stars:
            painter.setPen(_STAR)
            painter.drawText(
                area, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, stars
            )

    def _paint_badge(self, painter: QPainter, box: QRect, row: PhotoRow) -> None:
        badge = _BADGE.get(row.visibility)
        if row.status in ("failed", "rejected"):
            badge = (QColor("#d9822b"), row.status.upper())
        elif row.missing_since is not None:  # the original is gone: drive unplugged, moved
            badge = (QColor("#9a7b2f"), "MISSING")
        elif row.dup_group is not None and badge is None:
            badge = (QColor("#5a8f5a"), "DUPLICATE?")
        if badge is None:
            return
        colour, label = badge
        font = QFont(painter.font())
        font.setPointSizeF(7)
        font.setBold(True)
        painter.setFont(font)
        width = painter.fontMetrics().horizontalAdvance(label) + 12
        rect = QRectF(box.right() - width - 4, box.top() + 4, width, 16)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(rect, 4, 4)
        painter.setPen(QColor("white"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, label)


def _fit(box: QRect, width: int | None, height: int | None) -> QRect:
    """The largest rectangle of that aspect ratio centred in ``box``."""
    w, h = max(width or 3, 1), max(height or 2, 1)
    scale = min(box.width() / w, box.height() / h)
    tw, th = int(w * scale), int(h * scale)
    return QRect(box.left() + (box.width() - tw) // 2, box.top() + (box.height() - th) // 2, tw, th)
