"""The inspector beside the grid: what the current photo is, and the owner's words on it.

EXIF bar, editable title / description / tags, visibility, rating, the collections it is
in, and its file with "Show in folder". Every edit is a catalog operation run on the writer
thread; the answer comes back through ``catalog_changed`` like any other change.

With several photos selected it works as Lightroom's does: the heading says "N photos
selected", a field whose values differ shows ``<mixed>``, and an edit applies to every
selected photo as one undo step. Tags are added and removed one by one, never replaced: a
tag only some of the photos carry is shown with a ``*`` and left alone unless removed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMargins, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFocusEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from catalog import operations as ops
from catalog.exposure import aperture_text, exposure_text, focal_text
from catalog.ingest.discover import RAW_SUFFIXES
from catalog.rows import PhotoRow
from catalog.selection import FIELDS, SHOWN_ONLY, SelectionSummary
from catalog.taken import taken_text
from desktop.context import DesktopContext
from desktop.models.thumbnails import ThumbnailCache
from desktop.views.metadata_panel import LocationPanel, MetadataPanel
from desktop.views.photo_actions import pair_source_of
from desktop.widgets.elided_label import ElidedLabel
from desktop.widgets.star_rating import StarRating

if TYPE_CHECKING:
    from desktop.views.photo_actions import PhotoActions

VISIBILITIES = (("public", "Public"), ("unlisted", "Unlisted"), ("private", "Private"))
MIXED = "<mixed>"
PARTIAL = "*"  # after a tag that only some of the selected photos carry


def summary_of(row: PhotoRow) -> SelectionSummary:
    """One photo as a selection of one (nothing mixed)."""
    values = {"title": row.title or None, "description": row.description or None,
              "rating": row.rating, "visibility": row.shown_visibility,
              "camera_id": row.camera, "lens_id": row.lens}  # fmt: skip
    return SelectionSummary((row.id,), values, frozenset(), tuple(row.tags), ())


def tag_text(summary: SelectionSummary) -> str:
    """The selection's tags: those on every photo, then those on some marked with ``*``."""
    return ", ".join([*summary.tags_on_all, *(t + PARTIAL for t in summary.tags_on_some)])


def tag_edit(shown: str, typed: str) -> tuple[list[str], list[str]]:
    """(tags to add to all, tags to remove from all) between what was shown and typed."""

    def split(text: str) -> tuple[dict[str, str], set[str]]:
        full: dict[str, str] = {}
        partial: set[str] = set()
        for tag in parse_tags(text):
            if tag.endswith(PARTIAL):
                partial.add(tag.rstrip(PARTIAL).strip().casefold())
            else:
                full.setdefault(tag.casefold(), tag)
        return full, partial

    (was_full, was_partial), (now_full, now_partial) = split(shown), split(typed)
    added = [name for key, name in now_full.items() if key not in was_full]
    removed = [key for key in was_full if key not in now_full and key not in now_partial]
    removed += [key for key in was_partial if key not in now_partial and key not in now_full]
    return added, removed


def exif_summary(row: PhotoRow) -> list[str]:
    """The short facts a photographer looks at first, in the usual order."""
    parts = [
        focal_text(row.focal_length),
        aperture_text(row.aperture),
        exposure_text(row.exposure),
        f"ISO {row.iso}" if row.iso else "",
    ]
    return [part for part in parts if part]


def ai_note(row: PhotoRow) -> str:
    """Which of the photo's words the AI wrote, with what model, and its review state."""
    fields = [
        name
        for name, source in (("title", row.title_source), ("description", row.description_source))
        if source == "ai"
    ]
    if "ai" in row.tag_sources:
        fields.append("tags")
    if not fields:
        return ""
    when = f", {row.ai_described_at:%-d %b %Y}" if row.ai_described_at else ""
    model = f" ({row.ai_model}{when})" if row.ai_model else ""
    note = f"AI wrote the {', '.join(fields)}{model}; edit a field to make it yours."
    if row.ai_review == "pending":
        note += "\nAwaiting review: kept off the site until approved."
    return note


AI_BADGE_STYLE = (
    "background: #6b4fd8; color: white; border-radius: 3px; padding: 1px 5px; font-size: 10px;"
)


def file_kind(row: PhotoRow) -> tuple[str, str]:
    """The small label under the file name, and its tooltip: "RAW + JPEG" for a pair (the
    other file's path in the tooltip), "RAW (NEF)" for a RAW alone, nothing otherwise."""
    if row.companion_path:
        return "RAW + JPEG", f"With {row.companion_path}"
    if Path(row.source_path).suffix.lower() in RAW_SUFFIXES:
        return f"RAW ({row.format})", ""
    return "", ""


def _ai_badge(field: str) -> QLabel:
    """The small "AI" mark beside a field the AI wrote (gone once the owner edits it)."""
    badge = QLabel("AI", objectName="aiBadge", toolTip=f"The {field} was written by AI")  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (objectName, toolTip)
    badge.setStyleSheet(AI_BADGE_STYLE)
    return badge


def _with_badge(editor: QWidget, badge: QLabel) -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(4)
    row.addWidget(editor, 1)
    row.addWidget(badge, 0, Qt.AlignmentFlag.AlignTop)
    return box


def parse_tags(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


class _DescriptionEdit(QPlainTextEdit):
    editing_finished = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.editing_finished.emit()


class InspectorPanel(QScrollArea):
    """Shows one photo; with several selected, says how many and offers the bulk actions."""

    def __init__(
        self,
        ctx: DesktopContext,
        thumbs: ThumbnailCache | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("inspector")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(280)
        self._ctx = ctx
        self._thumbs = thumbs
        self.preview = QLabel(objectName="inspectorPreview", alignment=Qt.AlignmentFlag.AlignCenter)  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (objectName)
        self.preview.setFixedHeight(190)
        if thumbs is not None:
            thumbs.thumbnail_ready.connect(self._thumbnail_ready)
        self._row: PhotoRow | None = None
        self._summary: SelectionSummary | None = None  # what the selection shares
        self._shown = {"title": "", "description": "", "tags": ""}
        body = QWidget(objectName="inspectorBody")  # type: ignore[call-arg]  # PySide6 stubs: no inherited property kwargs (objectName)
        self.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(10)
        # a long file name or title never widens the inspector past the window's edge
        self.heading = ElidedLabel("No photo selected", objectName="inspectorHeading")
        self.camera = QLabel(objectName="exifCamera")  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (objectName)
        self.lens = QLabel(objectName="exifLens")  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (objectName)
        self.exposure = QLabel(objectName="exifBar")  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (objectName)
        self.when_where = QLabel(objectName="exifWhen")  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (objectName)
        for label in (self.camera, self.lens, self.exposure, self.when_where):
            label.setWordWrap(True)
        layout.addWidget(self.preview)
        layout.addWidget(self.heading)
        for label in (self.camera, self.lens, self.exposure, self.when_where):
            layout.addWidget(label)
        layout.addWidget(self._build_form())
        # place and full metadata: their own module (desktop.views.metadata_panel)
        self.location = LocationPanel()
        self.metadata = MetadataPanel(ctx)
        layout.addWidget(self.location)
        layout.addWidget(self.metadata)
        layout.addStretch(1)
        self.show_photo(None, 0)

    def _build_form(self) -> QWidget:
        form_box = QWidget()
        form = QFormLayout(form_box)
        form.setContentsMargins(0, 6, 0, 0)
        self.rating = StarRating()
        self.rating.rating_chosen.connect(self._rating_chosen)
        self.title = QLineEdit(placeholderText="Add a title")
        self.title.editingFinished.connect(self._title_edited)
        self.description = _DescriptionEdit()
        self.description.setPlaceholderText("Add a description")
        self.description.setFixedHeight(84)
        self.description.editing_finished.connect(self._description_edited)
        self.tags = QLineEdit(placeholderText="tags, separated by commas")
        self.tags.editingFinished.connect(self._tags_edited)
        self.title_ai, self.description_ai, self.tags_ai = (
            _ai_badge(what) for what in ("title", "description", "tags")
        )
        form.addRow("Rating", self.rating)
        form.addRow("Title", _with_badge(self.title, self.title_ai))
        form.addRow("Description", _with_badge(self.description, self.description_ai))
        form.addRow("Tags", _with_badge(self.tags, self.tags_ai))
        self.ai_note = QLabel(objectName="aiNote", wordWrap=True)  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (objectName)
        self.approve_ai = QPushButton("Approve AI text", objectName="approveAi")  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (objectName)
        self.approve_ai.clicked.connect(self._approve_ai)
        form.addRow(self.ai_note)
        form.addRow("", self.approve_ai)
        form.addRow("Visibility", self._build_visibility())
        self.collections = QLabel(objectName="dimLabel")  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (objectName)
        self.collections.setWordWrap(True)
        form.addRow("Collections", self.collections)
        self.path = ElidedLabel(objectName="pathLabel")  # the full path in its tooltip
        self.show_in_folder = QPushButton("Show in folder")
        self.show_in_folder.clicked.connect(self._show_in_folder)
        form.addRow("File", self.path)
        # "RAW + JPEG": one photo, two files
        self.file_kind = QLabel(objectName="fileKind")  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (objectName)
        form.addRow("", self.file_kind)
        # ... and the switch of which file its pictures come from (Photo menu too)
        self.pair_source = QPushButton(objectName="pairSource")  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (objectName)
        self.pair_source.clicked.connect(self._switch_pair_source)
        form.addRow("", self.pair_source)
        form.addRow("", self.show_in_folder)
        self.status = QLabel(objectName="statusReason")  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (objectName)
        self.status.setWordWrap(True)
        form.addRow(self.status)
        self._form = form_box
        return form_box

    def _build_visibility(self) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.visibility = QButtonGroup(box)
        self.visibility.setExclusive(True)
        for value, label in VISIBILITIES:
            button = QPushButton(label, checkable=True, objectName=f"seg_{value}")  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (checkable, objectName)
            button.setProperty("segment", True)
            button.setProperty("visibility", value)
            self.visibility.addButton(button)
            row.addWidget(button)
        self.visibility.buttonClicked.connect(
            lambda b: self._perform_on_selection("visibility", b.property("visibility"))
        )
        return box

    # --- showing -----------------------------------------------------------------------
    def show_photo(
        self, row: PhotoRow | None, selected: int, summary: SelectionSummary | None = None
    ) -> None:
        """Fill the panel from ``row`` (None: nothing current); ``summary`` says what the
        selected photos share when several are selected."""
        self._row = row
        self._selected = selected
        one = row if selected <= 1 else None  # place and metadata: of one photo only
        self.location.show_row(one)
        self.metadata.show_row(one)
        if summary is None and row is not None and selected <= 1:
            summary = summary_of(row)
        self._summary = summary
        self._form.setVisible(row is not None)
        self.preview.setVisible(row is not None and self._thumbs is not None)
        self._show_preview()
        if row is None:
            self.heading.setText("No photo selected")
            for label in (self.camera, self.lens, self.exposure, self.when_where):
                label.clear()
            self.exposure.hide()  # its styled bar, empty, looked like a broken field
            return
        name = Path(row.source_path).name
        many = f"{selected:,} photos selected" if selected > 1 else ""
        self.heading.setText(many or row.title or name)
        # several photos: what they share, else <mixed>, as Lightroom's metadata panel;
        # a shot's exposure and time are of one photo, so they show for one only
        mixed = summary.mixed if summary is not None else frozenset(FIELDS + SHOWN_ONLY)
        camera = MIXED if "camera_id" in mixed else row.camera or "Unknown camera"
        self.camera.setText(f"Cameras: {camera}" if many and camera == MIXED else camera)
        lens = MIXED if "lens_id" in mixed else row.lens or ""
        self.lens.setText(f"Lenses: {lens}" if many and lens == MIXED else lens)
        self.lens.setVisible(bool(lens))
        self.exposure.setText("   ".join(exif_summary(row)))
        when = taken_text(row.date_taken, row.date_taken_precision, "%-d %b %Y, %H:%M",
                          "%-d %b %Y", empty="No date")  # fmt: skip
        where = ", ".join(p for p in (row.city, row.region, row.country_code) if p)
        self.when_where.setText(f"{when}\n{where}" if where else when)
        self.exposure.setVisible(not many and bool(self.exposure.text()))
        self.when_where.setVisible(not many)
        self._fill_editors(row)

    def _fill_editors(self, row: PhotoRow) -> None:
        # several selected and their summary not read yet: every field shows as mixed
        summary = self._summary or SelectionSummary((), {}, frozenset(FIELDS), (), ())
        mixed = summary.mixed
        # what each editor shows, kept for comparing with what the owner types; an editor
        # being typed in keeps its text (and what it was compared against)
        if not self.title.hasFocus():
            self._shown["title"] = summary.value("title") or ""
            self.title.setText(self._shown["title"])
            self.title.setPlaceholderText(MIXED if "title" in mixed else "Add a title")
            self.title.setCursorPosition(0)
        if not self.description.hasFocus():
            self._shown["description"] = summary.value("description") or ""
            self.description.setPlainText(self._shown["description"])
            hint = MIXED if "description" in mixed else "Add a description"
            self.description.setPlaceholderText(hint)
        if not self.tags.hasFocus():
            self._shown["tags"] = tag_text(summary)
            self.tags.setText(self._shown["tags"])
            self.tags.setCursorPosition(0)
        rating = summary.value("rating") if "rating" not in mixed else None
        if "rating" in mixed:  # "<mixed>" beside empty stars; a click rates them all
            self.rating.set_mixed()
        else:
            self.rating.set_rating(rating if isinstance(rating, int) else 0)
        self.rating.setToolTip(MIXED if "rating" in mixed else "")
        visibility = summary.value("visibility") if "visibility" not in mixed else None
        group_exclusive = self.visibility.exclusive()
        self.visibility.setExclusive(False)  # lets a mixed selection show no button checked
        for button in self.visibility.buttons():
            button.setChecked(button.property("visibility") == visibility)
        self.visibility.setExclusive(group_exclusive)
        one = self._selected <= 1  # the active photo's file and collections: of it alone
        self.collections.setText(", ".join(row.collection_names) or "None" if one else MIXED)
        self.path.setText(row.source_path if one else MIXED)
        self.show_in_folder.setVisible(one)
        kind, files = file_kind(row)
        self.file_kind.setText(kind)
        self.file_kind.setToolTip(files)
        self.file_kind.setVisible(bool(kind) and one)
        source = pair_source_of(row)
        self.pair_source.setText("Use RAW as source" if source == "jpeg" else "Use JPEG as source")
        self.pair_source.setToolTip(
            "Which file of the pair the pictures come from; your edits are kept (Ctrl+Z undoes)"
        )
        self.pair_source.setVisible(source is not None and one)
        self._fill_ai(row)
        reason = f"{row.status.capitalize()}: {row.reason}" if row.reason else ""
        if row.ai_error:
            reason = (reason + "\n" if reason else "") + f"AI: {row.ai_error}"
        if row.location_flag:
            reason = (reason + "\n" if reason else "") + f"Location: {row.location_flag}"
        if row.missing_since is not None:
            reason = (reason + "\n" if reason else "") + (
                "Original missing: reconnect its drive, or File > Find missing folder…"
            )
        self.status.setText(reason)
        self.status.setVisible(bool(reason))

    def _fill_ai(self, row: PhotoRow) -> None:
        self.title_ai.setVisible(row.title_source == "ai" and bool(row.title))
        self.description_ai.setVisible(row.description_source == "ai" and bool(row.description))
        self.tags_ai.setVisible("ai" in row.tag_sources)
        note = ai_note(row)
        self.ai_note.setText(note)
        self.ai_note.setVisible(bool(note))
        self.ai_note.updateGeometry()
        self.approve_ai.setVisible(row.ai_review == "pending")

    def current_row(self) -> PhotoRow | None:
        return self._row

    def _show_preview(self) -> None:
        if self._thumbs is None or self._row is None:
            self.preview.clear()
            return
        pixmap = self._thumbs.pixmap(self._row.content_hash, 800)
        if pixmap is None:
            pixmap = self._thumbs.pixmap(self._row.content_hash, 300)
        if pixmap is None:
            self.preview.clear()
            return
        box = self.preview.size().shrunkBy(QMargins(6, 6, 6, 6))
        self.preview.setPixmap(
            pixmap.scaled(
                box, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
        )

    def _thumbnail_ready(self, content_hash: str, _size: int) -> None:
        if self._row is not None and content_hash == self._row.content_hash:
            self._show_preview()

    # --- edits -------------------------------------------------------------------------
    selection_provider: Callable[[], list[str]] | None = None  # set by the window
    # runs a callable with the whole selection's ids, now or once they have all arrived
    when_whole: Callable[[Callable[[list[str]], None]], None] | None = None  # set by the window
    photo_actions: PhotoActions | None = None  # set by the window (approving AI text)

    def _approve_ai(self) -> None:
        actions = self.photo_actions
        if actions is not None:
            self._on_selection(lambda ids: actions.approve_ai_text(ids))

    def _selection(self) -> list[str]:
        if self._summary is not None and len(self._summary.ids) == max(self._selected, 1):
            return list(self._summary.ids)
        if self.selection_provider is not None:
            ids = self.selection_provider()
            if ids:
                return ids
        return [self._row.id] if self._row else []

    def _on_selection(self, act: Callable[[list[str]], None]) -> None:
        """Call ``act`` with the selected photos (the current one when none is selected):
        the whole selection, which may mean once a big view's ids have all arrived."""
        fallback = [self._row.id] if self._row else []

        def run(ids: list[str]) -> None:
            ids = ids or fallback
            if ids:
                act(ids)

        if self.when_whole is None:
            run(self._selection())
        else:
            self.when_whole(run)

    def _perform_on_selection(self, what: str, value: object) -> None:
        catalog = self._ctx.catalog
        if what == "visibility":
            self._on_selection(
                lambda ids: self._ctx.perform(
                    lambda: ops.set_visibility(catalog, ids, str(value)), what="the visibility"
                )
            )
        elif what == "rating":
            self._on_selection(
                lambda ids: self._ctx.perform(
                    lambda: ops.set_rating(catalog, ids, int(value)),  # type: ignore[call-overload]  # an int
                    what="the rating",
                )
            )

    def _rating_chosen(self, rating: int) -> None:
        self._perform_on_selection("rating", rating)

    def _title_edited(self) -> None:
        text = self.title.text()
        if self._row is None or text.strip() == self._shown["title"]:
            return
        self._shown["title"] = text.strip()
        catalog = self._ctx.catalog
        self._on_selection(
            lambda ids: self._ctx.perform(
                lambda: ops.set_title(catalog, ids, text), what="the title"
            )
        )

    def _description_edited(self) -> None:
        text = self.description.toPlainText()
        if self._row is None or text.strip() == self._shown["description"]:
            return
        self._shown["description"] = text.strip()
        catalog = self._ctx.catalog
        self._on_selection(
            lambda ids: self._ctx.perform(
                lambda: ops.set_description(catalog, ids, text), what="the description"
            )
        )

    def _tags_edited(self) -> None:
        if self._row is None:
            return
        added, gone = tag_edit(self._shown["tags"], self.tags.text())
        if not added and not gone:
            return
        self._shown["tags"] = self.tags.text()  # one edit per change, however focus moves
        catalog = self._ctx.catalog

        self._on_selection(
            lambda ids: self._ctx.perform(
                lambda: ops.edit_tags(catalog, ids, added, gone), what="the tags"
            )
        )

    def _switch_pair_source(self) -> None:
        source = pair_source_of(self._row)
        if self.photo_actions is not None and source is not None and self._selected <= 1:
            self.photo_actions.use_pair_source("raw" if source == "jpeg" else "jpeg")

    def _show_in_folder(self) -> None:
        if self._row is not None:
            folder = Path(self._row.source_path).parent
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
