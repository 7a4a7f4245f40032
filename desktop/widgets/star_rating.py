"""Five clickable stars; clicking the current rating again clears it."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

STAR_PX = 20


class StarRating(QWidget):
    rating_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rating = 0
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Rating (keys 0–5)")

    def rating(self) -> int:
        return self._rating

    def set_rating(self, rating: int) -> None:
        self._rating = max(0, min(5, rating))
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(STAR_PX * 5 + 4, STAR_PX + 4)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        font = QFont(self.font())
        font.setPixelSize(STAR_PX - 2)
        painter.setFont(font)
        for i in range(5):
            painter.setPen(QColor("#f2b84b") if i < self._rating else QColor("#4a4d55"))
            painter.drawText(
                QRectF(i * STAR_PX, 0, STAR_PX, STAR_PX + 2), Qt.AlignmentFlag.AlignCenter, "★"
            )

    def mousePressEvent(self, event: QMouseEvent) -> None:
        chosen = min(int(event.position().x() // STAR_PX) + 1, 5)
        self.set_rating(0 if chosen == self._rating else chosen)
        self.rating_chosen.emit(self._rating)
