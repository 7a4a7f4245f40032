"""Near-duplicate review: each group side by side; the owner picks the keeper and decides
whether the others become private or leave the catalog. Nothing happens without a click.

The sharpness hint is the file's bytes per megapixel: at the same format and quality a
sharper, more detailed frame compresses less, which is enough to rank copies of one scene.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from catalog import operations, query
from catalog.query import PhotoFilter
from catalog.rows import PhotoRow, load_rows
from catalog.taken import taken_text
from desktop.context import DesktopContext
from desktop.models.thumbnails import ThumbnailCache


def read_groups(ctx: DesktopContext) -> list[list[PhotoRow]]:
    """Near-duplicate groups of two or more photos, largest file first (worker thread)."""
    with ctx.catalog.reading() as session:
        ids = query.photo_ids(session, PhotoFilter(needs_attention=True, statuses=()))
        rows = load_rows(session, ids)
    groups: dict[str, list[PhotoRow]] = defaultdict(list)
    for row in rows:
        if row.dup_group:
            groups[row.dup_group].append(row)
    return [sorted(g, key=lambda r: -r.file_size) for g in groups.values() if len(g) > 1]


def detail_hint(row: PhotoRow) -> str:
    megapixels = (row.width or 0) * (row.height or 0) / 1e6
    if not megapixels or not row.file_size:
        return "detail: unknown"
    return f"detail: {row.file_size / 1024 / megapixels:,.0f} KB/MP"


class DuplicatesDialog(QDialog):
    def __init__(
        self, ctx: DesktopContext, thumbs: ThumbnailCache, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Review near-duplicates")
        self.resize(1000, 560)
        self._ctx = ctx
        self._thumbs = thumbs
        self.groups: list[list[PhotoRow]] = []
        self.position = 0
        self._images: dict[str, QLabel] = {}
        layout = QVBoxLayout(self)
        self.heading = QLabel("Looking for near-duplicates…", objectName="panelTitle")  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (objectName)
        layout.addWidget(self.heading)
        self.strip_area = QScrollArea(widgetResizable=True)
        layout.addWidget(self.strip_area, 1)
        buttons = QHBoxLayout()
        self.previous = QPushButton("← Previous group", clicked=lambda: self.show_group(-1))  # type: ignore[call-overload]  # PySide6 stubs: no signal kwargs (clicked)
        self.skip = QPushButton("Next group →", clicked=lambda: self.show_group(1))  # type: ignore[call-overload]  # PySide6 stubs: no signal kwargs (clicked)
        self.make_private = QPushButton(  # type: ignore[call-overload]  # PySide6 stubs: no signal kwargs (clicked)
            "Keep the chosen one, make the others private", clicked=lambda: self.decide("private")
        )
        self.remove = QPushButton(  # type: ignore[call-overload]  # PySide6 stubs: no signal kwargs (clicked)
            "Keep the chosen one, remove the others from the catalog",
            clicked=lambda: self.decide("remove"),
        )
        for button in (self.previous, self.skip):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.make_private)
        buttons.addWidget(self.remove)
        layout.addLayout(buttons)
        self.keeper = QButtonGroup(self)
        thumbs.thumbnail_ready.connect(self._thumbnail_ready)
        ctx.tasks.run_in_background(lambda: read_groups(ctx), self._loaded)

    def _loaded(self, groups: list[list[PhotoRow]]) -> None:
        self.groups = groups
        self.position = 0
        self.show_group(0)

    def show_group(self, step: int) -> None:
        if not self.groups:
            self.heading.setText("No near-duplicates to review.")
            self.strip_area.setWidget(QWidget())
            for button in (self.previous, self.skip, self.make_private, self.remove):
                button.setEnabled(False)
            return
        self.position = (self.position + step) % len(self.groups)
        group = self.groups[self.position]
        self.heading.setText(
            f"Group {self.position + 1} of {len(self.groups)} — {len(group)} similar photos. "
            "Choose the one to keep."
        )
        strip = QWidget()
        row_layout = QHBoxLayout(strip)
        self.keeper = QButtonGroup(self)
        self._images.clear()
        for i, row in enumerate(group):
            row_layout.addWidget(self._card(row, i == 0))
        row_layout.addStretch(1)
        self.strip_area.setWidget(strip)

    def _card(self, row: PhotoRow, checked: bool) -> QWidget:
        card = QFrame(objectName="card")  # type: ignore[call-arg]  # PySide6 stubs: no inherited property kwargs (objectName)
        layout = QVBoxLayout(card)
        image = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        image.setFixedSize(300, 240)
        self._images[row.content_hash] = image
        self._set_image(row.content_hash)
        layout.addWidget(image)
        when = taken_text(row.date_taken, row.date_taken_precision, empty="no date")
        facts = (
            f"{Path(row.source_path).name}\n{row.width or '?'}×{row.height or '?'}  ·  "
            f"{row.file_size / 1024:,.0f} KB\n{when}  ·  {detail_hint(row)}\n"
            f"{row.visibility}"
        )
        layout.addWidget(QLabel(facts, objectName="dimLabel"))  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (objectName)
        keep = QRadioButton("Keep this one", checked=checked)  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (checked)
        keep.setProperty("photo_id", row.id)
        self.keeper.addButton(keep)
        layout.addWidget(keep)
        return card

    def _set_image(self, content_hash: str) -> None:
        label = self._images.get(content_hash)
        pixmap = self._thumbs.pixmap(content_hash, 800)
        if label is not None and pixmap is not None:
            label.setPixmap(
                pixmap.scaled(
                    label.size(),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )

    def _thumbnail_ready(self, content_hash: str, _size: int) -> None:
        self._set_image(content_hash)

    def decide(self, what: str) -> None:
        """The owner's decision for the shown group: the others go private or leave."""
        if not self.groups:
            return
        chosen = self.keeper.checkedButton()
        keeper = chosen.property("photo_id") if chosen else self.groups[self.position][0].id
        others = [r.id for r in self.groups[self.position] if r.id != keeper]
        catalog = self._ctx.catalog
        self._ctx.perform(  # also resolves the group, so it leaves "Needs attention"
            lambda: operations.resolve_duplicates(catalog, keeper, others, action=what),
            what="the duplicates decision",
        )
        del self.groups[self.position]
        self.position = min(self.position, max(len(self.groups) - 1, 0))
        self.show_group(0)
