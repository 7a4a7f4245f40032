"""The grid's model: the ordered photo ids of the current view, rows fetched on demand.

Holding only ids makes a view cost one indexed query and a list. A big view arrives in two
steps: the first screenful of ids with the total count (the grid paints at once, the scroll
bar already honest), then the whole list, read in a worker, fills in the rows beyond without
a reset — the selection and the scroll position stay. ``data()`` answers from a bounded cache
of :class:`PhotoRow` and otherwise queues the id; one batch per event-loop pass is loaded by
a worker, and ``dataChanged`` is emitted for just those rows. Results of a superseded view
(``generation`` moved on) are dropped (anki's table model).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import (
    QAbstractListModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QPixmap

from catalog.changes import CatalogChanges
from catalog.rows import PhotoRow, load_rows
from desktop.context import DesktopContext
from desktop.models.grid_ids import positions_of
from desktop.models.thumbnails import ThumbnailCache

PHOTO_IDS_MIME = "application/x-exiftree-photo-ids"
ID_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
THUMB_ROLE = Qt.ItemDataRole.UserRole + 3
MAX_CACHED_ROWS = 6_000  # ~10 screens of rows either way
BATCH = 400

AnyIndex = QModelIndex | QPersistentModelIndex
_DRAG = Qt.ItemFlag.ItemIsDragEnabled


class PhotoGridModel(QAbstractListModel):
    """Ordered ids up front; rows and thumbnails arrive later, placeholders meanwhile.

    ``rowCount`` is the view's size; ``ids`` the ids known so far (all of them once the
    whole list has landed, else the first screenful). The grid view lays cells out by
    arithmetic, so Qt never walks every row and ``rowCount`` stays a cheap Python call.
    """

    rows_arrived = Signal(list)  # ids whose rows just landed
    ids_replaced = Signal()

    def __init__(
        self, ctx: DesktopContext, thumbs: ThumbnailCache, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._thumbs = thumbs
        self._ids: list[str] = []
        self._count = 0  # rows shown: len(self._ids) once complete
        self._position: dict[str, int] = {}
        self._rows: OrderedDict[str, PhotoRow] = OrderedDict()
        self._queued: list[str] = []
        self._loading: set[str] = set()
        self._hash_to_id: dict[str, str] = {}
        self.generation = 0  # moves on when the shown ids change
        self._epoch = 0  # moves on when cached rows become stale (an edit landed)
        self._flush = QTimer(self, singleShot=True, interval=0)
        self._flush.timeout.connect(self._load_queued)
        thumbs.thumbnail_ready.connect(self._thumbnail_arrived)

    # --- the ids -----------------------------------------------------------------------
    def set_ids(self, ids: Sequence[str], positions: dict[str, int] | None = None) -> bool:
        """Show these photos, in this order; cached rows are kept for ids still shown.

        When they complete the first screenful shown (same count, same first ids) the rows
        beyond are filled in without a reset and False is returned; else one model reset."""
        ids = ids if isinstance(ids, list) else list(ids)
        positions = positions if positions is not None else positions_of(ids)
        known = len(self._ids)
        if known < self._count == len(ids) and ids[:known] == self._ids:
            self._ids, self._position = ids, positions
            self.dataChanged.emit(self.index(known), self.index(self._count - 1), [])
            self.ids_replaced.emit()
            return False
        self._reset(ids, len(ids), positions)
        return True

    def show_first(self, ids: Sequence[str], total: int) -> None:
        """Show ``total`` photos of which only the first ``ids`` are known yet (the rest are
        placeholders until :meth:`set_ids` brings the whole list)."""
        ids = list(ids)
        self._reset(ids, max(total, len(ids)), positions_of(ids))

    def _reset(self, ids: list[str], count: int, positions: dict[str, int]) -> None:
        self.beginResetModel()
        self.generation += 1
        self._ids, self._count, self._position = ids, count, positions
        self._queued = [pid for pid in self._queued if pid in self._position]
        self._loading = set(self._queued) | (self._loading & self._position.keys())
        self.endResetModel()
        self.ids_replaced.emit()

    @property
    def ids(self) -> list[str]:
        return self._ids

    @property
    def is_complete(self) -> bool:
        """Whether every shown row's id is known (False between first screen and list)."""
        return len(self._ids) == self._count

    def rowCount(self, parent: AnyIndex | None = None) -> int:  # noqa: N802 - Qt override
        return 0 if parent is not None and parent.isValid() else self._count

    def row_of(self, photo_id: str) -> int | None:
        return self._position.get(photo_id)

    def id_at(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def cached_row(self, photo_id: str) -> PhotoRow | None:
        return self._rows.get(photo_id)

    def row_at(self, position: int) -> PhotoRow | None:
        """The row shown at ``position`` if cached, else None after queueing its fetch."""
        if not 0 <= position < len(self._ids):
            return None
        photo_id = self._ids[position]
        row = self._rows.get(photo_id)
        if row is None:
            self._want(photo_id)
        return row

    def thumbnail_at(self, position: int) -> QPixmap | None:
        row = self.row_at(position)
        return None if row is None else self._thumbs.pixmap(row.content_hash, 300)

    # --- Qt model API ------------------------------------------------------------------
    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self._ids):
            return None  # not shown, or its id has not arrived yet
        photo_id = self._ids[index.row()]
        if role == ID_ROLE:
            return photo_id
        row = self._rows.get(photo_id)
        if row is None:
            self._want(photo_id)
        if role == ROW_ROLE:
            return row
        if role == THUMB_ROLE:
            return None if row is None else self._thumbs.pixmap(row.content_hash, 300)
        if role == Qt.ItemDataRole.DisplayRole:
            return None if row is None else (row.title or Path(row.source_path).name)
        if role == Qt.ItemDataRole.ToolTipRole and row is not None:
            return row.source_path
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | _DRAG

    def mimeTypes(self) -> list[str]:
        return [PHOTO_IDS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        mime = QMimeData()
        rows = sorted(i.row() for i in indexes)
        ids = [self._ids[r] for r in rows if r < len(self._ids)]
        mime.setData(PHOTO_IDS_MIME, "\n".join(ids).encode())
        return mime

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    # --- lazy rows ---------------------------------------------------------------------
    def _want(self, photo_id: str) -> None:
        if photo_id in self._loading:
            return
        self._loading.add(photo_id)
        self._queued.append(photo_id)
        if not self._flush.isActive():
            self._flush.start()

    def _load_queued(self) -> None:
        batch, self._queued = self._queued[:BATCH], self._queued[BATCH:]
        if self._queued:
            self._flush.start()
        if not batch:
            return
        epoch = self._epoch
        catalog = self._ctx.catalog

        def load() -> list[PhotoRow]:
            with catalog.reading() as session:
                return load_rows(session, batch)

        self._ctx.tasks.run_in_background(load, lambda rows: self._rows_loaded(epoch, batch, rows))

    def _rows_loaded(self, epoch: int, asked: list[str], rows: list[PhotoRow]) -> None:
        for photo_id in asked:
            self._loading.discard(photo_id)
        if epoch != self._epoch:  # stale: an edit landed meanwhile; ask again if shown
            self._emit_changed(sorted(p for i in asked if (p := self._position.get(i)) is not None))
            return
        for row in rows:
            self._rows[row.id] = row
            self._rows.move_to_end(row.id)
            self._hash_to_id[row.content_hash] = row.id
        while len(self._rows) > MAX_CACHED_ROWS:
            old_id, old = self._rows.popitem(last=False)
            self._hash_to_id.pop(old.content_hash, None)
        self._emit_changed(sorted(self._position[r.id] for r in rows if r.id in self._position))
        self.rows_arrived.emit([r.id for r in rows])

    def _emit_changed(self, positions: list[int], roles: list[int] | None = None) -> None:
        """One dataChanged per contiguous run of rows."""
        start = prev = None
        for pos in [*positions, None]:
            if pos is not None and prev is not None and pos == prev + 1:
                prev = pos
                continue
            if start is not None and prev is not None:  # set together: both or neither
                self.dataChanged.emit(self.index(start), self.index(prev), roles or [])
            start = prev = pos

    def _thumbnail_arrived(self, content_hash: str, size_px: int) -> None:
        photo_id = self._hash_to_id.get(content_hash)
        pos = self._position.get(photo_id) if photo_id else None
        if pos is not None and size_px == 300:
            index = self.index(pos)
            self.dataChanged.emit(index, index, [THUMB_ROLE])

    # --- changes -----------------------------------------------------------------------
    def refresh_rows(self, changes: CatalogChanges) -> None:
        """Forget the changed rows; the ones on screen are fetched again."""
        self._epoch += 1
        for photo_id in changes.photo_ids | changes.removed_ids:
            old = self._rows.pop(photo_id, None)
            if old is not None and (changes.thumbnails or photo_id in changes.removed_ids):
                self._thumbs.forget([old.content_hash])
        positions = sorted(p for i in changes.photo_ids if (p := self._position.get(i)) is not None)
        self._emit_changed(positions)

    def reload_now(self, photo_ids: list[str]) -> None:
        """Read a few changed rows at once, on this thread (a handful of ids, one short
        query): the photo the owner is looking at shows an edit in the same turn it lands."""
        with self._ctx.catalog.reading() as session:
            rows = load_rows(session, photo_ids)
        for row in rows:
            self._rows[row.id] = row
            self._hash_to_id[row.content_hash] = row.id
        self._emit_changed(sorted(self._position[r.id] for r in rows if r.id in self._position))

    def visible_thumbnail_keys(self, first: int, last: int) -> list[tuple[str, int]]:
        keys = []
        for photo_id in self._ids[max(first, 0) : last + 1]:
            row = self._rows.get(photo_id)
            if row is not None:
                keys.append((row.content_hash, 300))
        return keys
