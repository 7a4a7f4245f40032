"""The thumbnail grid: uniform cells laid out by arithmetic, keyboard-driven like a library.

A ``QListView`` keeps one layout item per row and lays every row out again on each reset or
insertion: at 1,000,000 photos that was ~150 ms of frozen UI per filter change and ~40 MB.
Here a cell's place is computed from its row (columns = viewport width / cell width), so a
reset, a scroll or a resize costs the same at any size; only the visible cells are painted.

The view tells the thumbnail cache which photos are on screen, so decodes for photos that
scrolled away are dropped. Keys that act on the selection (rating, visibility, delete, the
loupe) are turned into signals; the main window performs them.
"""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QItemSelectionRange,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAccessible,
    QAccessibleEvent,
    QDrag,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QRegion,
)
from PySide6.QtWidgets import QAbstractItemView, QStyle, QStyleOptionViewItem, QWidget

from desktop.models.photo_grid import ID_ROLE, PHOTO_IDS_MIME, PhotoGridModel
from desktop.models.thumbnails import ThumbnailCache
from desktop.widgets.thumbnail_delegate import ThumbnailDelegate

_VISIBILITY_KEYS = {Qt.Key.Key_P: "public", Qt.Key.Key_U: "unlisted", Qt.Key.Key_X: "private"}
_Move = QAbstractItemView.CursorAction
AnyIndex = QModelIndex | QPersistentModelIndex


def _spans(selection: QItemSelection) -> list[QItemSelectionRange]:
    """The selection's ranges (typed: the stubs do not say a QItemSelection iterates)."""
    return [selection.at(i) for i in range(selection.count())]


def ids_of_spans(ids: list[str], spans: list[tuple[int, int]]) -> list[str]:
    """The ids of these sorted (first, last) row runs, once each, in row order, as slices
    (a million selected ids in a few milliseconds; rows beyond ``ids`` are left out)."""
    chosen: list[str] = []
    end = -1
    for first, last in spans:
        first = max(first, end + 1)
        if first <= last:
            chosen.extend(ids[first : last + 1])
        end = max(end, last)
    return chosen


class SelectionNotLoaded(RuntimeError):
    """The selection reaches rows whose ids have not arrived: its ids cannot be named yet.

    Raised rather than answering with the loaded part: an action on part of a selection
    (half of "select all" made private) is worse than no action."""


class PhotoGridView(QAbstractItemView):
    """Uniform cells laid out left to right, wrapping; many selected at once."""

    open_requested = Signal()  # Enter, Space or double-click: the loupe
    rating_requested = Signal(int)
    visibility_requested = Signal(str)
    remove_requested = Signal()
    selection_changed = Signal()
    drag_refused = Signal()  # a drag of rows whose ids are still coming

    def __init__(
        self, model: PhotoGridModel, thumbs: ThumbnailCache, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("photoGrid")
        self._thumbs = thumbs
        self._hover_row = -1
        self.delegate = ThumbnailDelegate(self)
        self.setItemDelegate(self.delegate)
        self._cell = QSize(self.delegate.cell)
        # the model first: the setters below call indexAt and updateGeometries, and asking
        # Qt's static empty model from Python left a wrapper that crashed the next gc pass
        self.setModel(model)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMouseTracking(True)
        self._visible_timer = QTimer(self, singleShot=True, interval=30)
        self._visible_timer.timeout.connect(self._report_visible)
        self.verticalScrollBar().valueChanged.connect(lambda _v: self._visible_timer.start())
        model.rows_arrived.connect(lambda _ids: self._visible_timer.start())
        model.modelReset.connect(self._visible_timer.start)
        self.selectionModel().selectionChanged.connect(lambda *_: self.selection_changed.emit())
        self.selectionModel().currentChanged.connect(lambda *_: self.selection_changed.emit())
        self.doubleClicked.connect(lambda _i: self.open_requested.emit())
        # a screen reader hears the grid and, as the cursor moves, the photo it is on
        self.setAccessibleName("Photos")
        self.setAccessibleDescription("No photo")
        self.selectionModel().currentChanged.connect(lambda *_: self._announce_current())
        model.rows_arrived.connect(self._current_row_arrived)

    def photo_model(self) -> PhotoGridModel:
        return cast(PhotoGridModel, self.model())  # the only model this view is given

    def gridSize(self) -> QSize:  # noqa: N802 - QListView's name, kept for callers
        return QSize(self._cell)

    # --- geometry: everything follows from the row, the cell and the columns -----------
    def columns(self) -> int:
        return max(self.viewport().width() // self._cell.width(), 1)

    def _grid_rows(self) -> int:
        n = self.photo_model().rowCount()
        return (n + self.columns() - 1) // self.columns()

    def updateGeometries(self) -> None:  # noqa: N802 - Qt override
        bar = self.verticalScrollBar()
        height = self._cell.height()
        bar.setRange(0, max(self._grid_rows() * height - self.viewport().height(), 0))
        bar.setPageStep(self.viewport().height())
        bar.setSingleStep(40)
        super().updateGeometries()

    def visualRect(self, index: AnyIndex) -> QRect:  # noqa: N802 - Qt override
        if not index.isValid():
            return QRect()
        r, c = divmod(index.row(), self.columns())
        w, h = self._cell.width(), self._cell.height()
        return QRect(c * w, r * h - self.verticalOffset(), w, h)

    def indexAt(self, point: QPoint) -> QModelIndex:  # noqa: N802 - Qt override
        c = point.x() // self._cell.width()
        y = point.y() + self.verticalOffset()
        if point.x() < 0 or c >= self.columns() or y < 0:
            return QModelIndex()
        row = (y // self._cell.height()) * self.columns() + c
        return self.model().index(row, 0) if row < self.model().rowCount() else QModelIndex()

    def horizontalOffset(self) -> int:  # noqa: N802 - Qt override
        return 0

    def verticalOffset(self) -> int:  # noqa: N802 - Qt override
        return self.verticalScrollBar().value()

    def isIndexHidden(self, index: AnyIndex) -> bool:  # noqa: N802 - Qt override
        return False

    def scrollTo(  # noqa: N802 - Qt override
        self,
        index: AnyIndex,
        hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible,
    ) -> None:
        rect = self.visualRect(index)
        if rect.isNull():
            return
        bar, height = self.verticalScrollBar(), self.viewport().height()
        Hint = QAbstractItemView.ScrollHint
        if hint == Hint.PositionAtTop:
            bar.setValue(bar.value() + rect.top())
        elif hint == Hint.PositionAtBottom:
            bar.setValue(bar.value() + rect.bottom() - height + 1)
        elif hint == Hint.PositionAtCenter:
            bar.setValue(bar.value() + rect.center().y() - height // 2)
        elif rect.top() < 0:
            bar.setValue(bar.value() + rect.top())
        elif rect.bottom() >= height:
            bar.setValue(bar.value() + min(rect.bottom() - height + 1, rect.top()))

    def moveCursor(  # noqa: N802 - Qt override
        self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        n = self.model().rowCount()
        if n == 0:
            return QModelIndex()
        current = self.currentIndex()
        row = current.row() if current.isValid() else 0
        cols = self.columns()
        page = max(self.viewport().height() // self._cell.height(), 1) * cols
        target = {
            _Move.MoveLeft: row - 1,
            _Move.MovePrevious: row - 1,
            _Move.MoveRight: row + 1,
            _Move.MoveNext: row + 1,
            _Move.MoveUp: row - cols,
            _Move.MoveDown: row + cols,
            _Move.MovePageUp: row - page,
            _Move.MovePageDown: row + page,
            _Move.MoveHome: 0,
            _Move.MoveEnd: n - 1,
        }.get(action, row)
        if action in (_Move.MoveUp, _Move.MoveDown) and not 0 <= target < n:
            target = row  # no row above or below: stay, as QListView does
        return self.model().index(min(max(target, 0), n - 1), 0)

    def setSelection(  # noqa: N802 - Qt override
        self, rect: QRect, command: QItemSelectionModel.SelectionFlag
    ) -> None:
        """Select what ``rect`` (viewport coordinates) stands for. A rubber band selects the
        cells it touches; a click, Shift+click or Shift+arrow spans the current cell and the
        rectangle's opposite corner, and selects every photo between them in order (as
        Lightroom does), not just a rectangle of cells."""
        rect = rect.normalized()
        if self.state() != QAbstractItemView.State.DragSelectingState:
            self._select_run(rect, command)
            return
        n, cols = self.model().rowCount(), self.columns()
        off, w, h = self.verticalOffset(), self._cell.width(), self._cell.height()
        c0, c1 = max(rect.left() // w, 0), min(rect.right() // w, cols - 1)
        r0, r1 = max((rect.top() + off) // h, 0), (rect.bottom() + off) // h
        selection = QItemSelection()
        if c0 <= c1 and n:
            runs = (
                [(r0 * cols, r1 * cols + cols - 1)]
                if c0 == 0 and c1 == cols - 1
                else [(r * cols + c0, r * cols + c1) for r in range(r0, r1 + 1)]
            )
            model = self.model()
            for first, last in runs:
                if first < n:
                    selection.select(model.index(first, 0), model.index(min(last, n - 1), 0))
        self.selectionModel().select(selection, command)

    def _select_run(self, rect: QRect, command: QItemSelectionModel.SelectionFlag) -> None:
        n, cols = self.model().rowCount(), self.columns()
        if n == 0:
            self.selectionModel().select(QItemSelection(), command)
            return
        off, w, h = self.verticalOffset(), self._cell.width(), self._cell.height()

        def row_at(point: QPoint) -> int:
            """The cell under ``point``, clamped to the photos: a corner right of a short
            last row, or below it, stands for the last photo (indexAt would say none)."""
            r = max((point.y() + off) // h, 0)
            c = min(max(point.x() // w, 0), cols - 1)
            return min(r * cols + c, n - 1)

        corners = [rect.topLeft(), rect.topRight(), rect.bottomLeft(), rect.bottomRight()]
        rows = [row_at(c) for c in corners]
        current = self.currentIndex().row()
        if current in rows:  # the far end: the corner diagonally opposite the current cell
            far = rows[3 - rows.index(current)]
            first, last = sorted((current, far))
        else:
            first, last = min(rows), max(rows)
        model = self.model()
        span = QItemSelection(model.index(first, 0), model.index(last, 0))
        self.selectionModel().select(span, command)

    def visualRegionForSelection(self, selection: QItemSelection) -> QRegion:  # noqa: N802
        region = QRegion()
        cols, h, off = self.columns(), self._cell.height(), self.verticalOffset()
        full = self.viewport().rect()
        for span in _spans(selection):
            top, bottom = span.top() // cols * h - off, (span.bottom() // cols + 1) * h - off
            rect = QRect(0, top, full.width(), bottom - top).intersected(full)
            if not rect.isEmpty():
                region = region.united(rect)
        return region

    # --- painting: only the cells that intersect what needs repainting -----------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self.viewport())
        area = event.rect()
        first, last = self._rows_in(area.top(), area.bottom())
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        plain = option.state
        selection, current = self.selectionModel(), self.currentIndex().row()
        model, State = self.model(), QStyle.StateFlag
        cols, off = self.columns(), self.verticalOffset()
        w, h = self._cell.width(), self._cell.height()
        focus = self.hasFocus()
        for row in range(first, last + 1):  # one option, moved from cell to cell
            index = model.index(row, 0)
            r, c = divmod(row, cols)
            option.rect = QRect(c * w, r * h - off, w, h)
            state = plain
            if selection.isSelected(index):
                state |= State.State_Selected
            if row == self._hover_row:
                state |= State.State_MouseOver
            if row == current and focus:
                state |= State.State_HasFocus
            option.state = state
            self.delegate.paint(painter, option, index)
        painter.end()

    def _rows_in(self, top: int, bottom: int) -> tuple[int, int]:
        """First and last model rows whose cells meet the band [top, bottom] of the viewport."""
        n, cols = self.model().rowCount(), self.columns()
        off, h = self.verticalOffset(), self._cell.height()
        first = max((top + off) // h, 0) * cols
        last = min(((bottom + off) // h + 1) * cols - 1, n - 1)
        return first, last

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        index = self.indexAt(event.position().toPoint())
        row = index.row() if index.isValid() else -1
        if row != self._hover_row:
            for old in (self._hover_row, row):
                if old >= 0:
                    self.viewport().update(self.visualRect(self.model().index(old, 0)))
            self._hover_row = row
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if self._hover_row >= 0:
            self.viewport().update(self.visualRect(self.model().index(self._hover_row, 0)))
        self._hover_row = -1
        super().leaveEvent(event)

    # --- selection helpers -------------------------------------------------------------
    def selected_rows(self) -> list[int]:
        """The selected rows in order, read from the selection's ranges (a million selected
        rows are a handful of ranges; ``selectedIndexes`` would make a million objects)."""
        rows: list[int] = []
        for span in _spans(self.selectionModel().selection()):
            rows.extend(range(span.top(), span.bottom() + 1))
        rows.sort()
        return rows

    def selected_count(self) -> int:
        return sum(s.bottom() - s.top() + 1 for s in _spans(self.selectionModel().selection()))

    def selection_is_known(self) -> bool:
        """Whether every selected row's id has arrived (False while a new view's whole id
        list is still being read and the selection reaches past its first screen)."""
        known = len(self.photo_model().ids)
        return all(s.bottom() < known for s in _spans(self.selectionModel().selection()))

    def selected_spans(self) -> list[tuple[int, int]]:
        """The selection as (first, last) row runs, in order."""
        return sorted((s.top(), s.bottom()) for s in _spans(self.selectionModel().selection()))

    def selected_ids(self) -> list[str]:
        """The selected photos' ids, every one of them.

        Raises :class:`SelectionNotLoaded` when some selected rows' ids have not arrived:
        actions wait for them (the window's ``on_whole_selection``), never take a part."""
        if not self.selection_is_known():
            raise SelectionNotLoaded
        return self.known_selected_ids()

    def known_selected_ids(self) -> list[str]:
        """The ids of the selected rows whose ids have arrived (to carry a selection from
        view to view; never to act on)."""
        return ids_of_spans(self.photo_model().ids, self.selected_spans())

    def select_spans(self, spans: list[tuple[int, int]]) -> None:
        """Add these row runs to the selection (clamped to the rows shown)."""
        model, n = self.model(), self.model().rowCount()
        selection = QItemSelection()
        for first, last in spans:
            first, last = max(first, 0), min(last, n - 1)
            if first <= last:
                selection.select(model.index(first, 0), model.index(last, 0))
        self.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.Select)

    def current_id(self) -> str | None:
        index = self.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    def select_ids(self, ids: list[str], current: str | None = None, add: bool = False) -> None:
        """Select these photos (those still shown), alone or (``add``) beside the photos
        already selected, and make ``current`` the current one."""
        model = self.photo_model()
        rows = sorted(r for pid in ids if (r := model.row_of(pid)) is not None)
        selection = QItemSelection()
        start = prev = None
        for row in [*rows, None]:
            if row is not None and prev is not None and row == prev + 1:
                prev = row
                continue
            if start is not None and prev is not None:
                selection.select(model.index(start, 0), model.index(prev, 0))
            start = prev = row
        Flag = QItemSelectionModel.SelectionFlag
        self.selectionModel().select(selection, Flag.Select if add else Flag.ClearAndSelect)
        row = model.row_of(current) if current else None
        if row is not None:
            self.selectionModel().setCurrentIndex(
                model.index(row, 0), QItemSelectionModel.SelectionFlag.NoUpdate
            )

    def go_to_row(self, row: int) -> None:
        """Make ``row`` current and the only selected one, and scroll it into view."""
        index = self.photo_model().index(row, 0)
        if index.isValid():
            self.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
            self.scrollTo(index)

    # --- drag ---------------------------------------------------------------------------
    def startDrag(self, supportedActions: Qt.DropAction) -> None:  # noqa: N802, N803 - Qt override
        """Drag the selected photos' ids, read from the selection's ranges: Qt's own drag
        asks ``selectedIndexes`` (one index and one ``isIndexHidden`` per row: seconds of
        frozen UI at a million). Rows whose ids are still coming are not dragged in part:
        the drag is refused (``drag_refused``) until they have arrived."""
        if not self.selection_is_known():
            self.drag_refused.emit()
            return
        ids = self.selected_ids()
        if not ids:
            return
        mime = QMimeData()
        mime.setData(PHOTO_IDS_MIME, "\n".join(ids).encode())
        drag = QDrag(self)
        drag.setMimeData(mime)
        pixmap = self.photo_model().thumbnail_at(self.currentIndex().row())
        if pixmap is not None and not pixmap.isNull():
            drag.setPixmap(pixmap.scaled(96, 96, Qt.AspectRatioMode.KeepAspectRatio))
        drag.exec(supportedActions, self.defaultDropAction())

    # --- accessibility -----------------------------------------------------------------
    def _announce_current(self) -> None:
        """Name the current photo in the grid's accessible description and tell assistive
        tech: the cells are painted, not widgets, so this is what a screen reader reads."""
        index = self.currentIndex()
        n = self.model().rowCount()
        if not index.isValid():
            text = "No photo"
        else:
            name = index.data(Qt.ItemDataRole.DisplayRole)
            where = f"photo {index.row() + 1:,} of {n:,}"
            text = f"{name}, {where}" if name else where.capitalize()
        if text == self.accessibleDescription():
            return
        self.setAccessibleDescription(text)
        if QAccessible.isActive():
            event = QAccessibleEvent(self, QAccessible.Event.DescriptionChanged)
            QAccessible.updateAccessibility(event)
            if self.hasFocus():
                QAccessible.updateAccessibility(QAccessibleEvent(self, QAccessible.Event.Focus))

    def _current_row_arrived(self, ids: list[str]) -> None:
        if self.current_id() in ids:
            self._announce_current()

    # --- keys --------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = Qt.Key(event.key())
        plain = not (event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier)
        if plain and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            if self.currentIndex().isValid():
                self.open_requested.emit()
            return
        if plain and Qt.Key.Key_0 <= key <= Qt.Key.Key_5:
            self.rating_requested.emit(int(key) - int(Qt.Key.Key_0))
            return
        if plain and key in _VISIBILITY_KEYS:
            self.visibility_requested.emit(_VISIBILITY_KEYS[key])
            return
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and plain:
            self.remove_requested.emit()
            return
        super().keyPressEvent(event)

    def keyboardSearch(self, search: str) -> None:  # noqa: N802 - Qt override
        """No type-ahead: Qt's would ask ``data()`` of every row (a million row fetches) for
        a letter typed into the grid; the search field finds photos."""

    # --- what is on screen -------------------------------------------------------------
    def visible_rows(self) -> tuple[int, int]:
        """First and last model rows at least partly on screen ((0, -1) when none)."""
        if self.photo_model().rowCount() == 0:
            return 0, -1
        first, last = self._rows_in(0, self.viewport().height() - 1)
        return (first, last) if last >= first else (0, -1)

    def _report_visible(self) -> None:
        first, last = self.visible_rows()
        margin = self.columns() * 2  # a little ahead, so small scrolls find thumbnails ready
        self._thumbs.set_wanted(
            self.photo_model().visible_thumbnail_keys(first - margin, last + margin)
        )
