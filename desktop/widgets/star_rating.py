"""Five clickable stars; clicking the current rating again clears it. Photos selected
together whose ratings differ show "<mixed>" beside empty stars, as the other fields do; a
click on a star still gives that rating to them all."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

STAR_PX = 20
MIXED_TEXT = "<mixed>"
MIXED_PX = 64  # room for MIXED_TEXT after the stars


class StarRating(QWidget):
    rating_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rating = 0
        self._mixed = False
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Rating (keys 0–5)")

    def rating(self) -> int:
        return self._rating

    def set_rating(self, rating: int) -> None:
        self._rating = max(0, min(5, rating))
        self._mixed = False
        self.update()

    def set_mixed(self) -> None:
        """Several photos whose ratings differ: no star lit, and "<mixed>" said."""
        self._rating = 0
        self._mixed = True
        self.update()

    def is_mixed(self) -> bool:
        return self._mixed

    def text(self) -> str:
        """What the widget says beside its stars (for tests and accessibility)."""
        return MIXED_TEXT if self._mixed else ""

    def sizeHint(self) -> QSize:
        return QSize(STAR_PX * 5 + 4 + MIXED_PX, STAR_PX + 4)

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
        if self._mixed:
            font.setPixelSize(12)
            painter.setFont(font)
            painter.setPen(QColor("#9aa0aa"))
            box = QRectF(5 * STAR_PX + 6, 0, MIXED_PX, STAR_PX + 2)
            painter.drawText(box, Qt.AlignmentFlag.AlignVCenter, MIXED_TEXT)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.position().x() >= 5 * STAR_PX + 4:
            return  # beside the stars ("<mixed>"): no rating there
        chosen = min(int(event.position().x() // STAR_PX) + 1, 5)
        self.set_rating(0 if chosen == self._rating else chosen)
        self.rating_chosen.emit(self._rating)
