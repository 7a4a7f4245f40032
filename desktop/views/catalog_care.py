"""Looking after the catalog from the desktop: when it was last backed up, "Back up catalog
now", and "Find missing folder…" (re-link originals that moved). The work itself is
``catalog.backup`` and ``catalog.relocate``, run off the UI thread."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from catalog.backup import (
    MANUAL,
    Backup,
    backup_on_schedule,
    latest_backup,
    make_backup,
    restore,
)
from catalog.catalog import Catalog
from catalog.changes import CatalogChanges
from catalog.errors import DamagedCatalogError
from catalog.originals import check_originals, missing_folders
from catalog.relocate import RelocateResult, relocate
from desktop.context import DesktopContext


def backup_age_text(newest: Backup | None, now: datetime | None = None) -> str:
    """ "Last backup: today 14:02" — what the status bar says (local time)."""
    if newest is None:
        return "No catalog backup yet"
    made = newest.made_at.replace(tzinfo=UTC).astimezone()
    today = (now or datetime.now(UTC)).astimezone().date()
    days = (today - made.date()).days
    when = {0: "today", 1: "yesterday"}.get(days, made.strftime("%Y-%m-%d"))
    return f"Last backup: {when} {made.strftime('%H:%M')}"


def open_or_offer_restore(root: Path | None) -> Catalog:
    """Open the catalog; when it is damaged and a backup exists, offer to restore the latest
    (the damaged file is kept in backups/), as the CLI's ``exiftree restore`` would."""
    try:
        return Catalog.open(root)
    except DamagedCatalogError as exc:
        newest = latest_backup(exc.path)
        if newest is None:
            raise
        question = (
            f"{exc}\n\nRestore the latest backup now? ({backup_age_text(newest)}; the damaged "
            "catalog is kept in the backups folder.)"
        )
        yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
        if QMessageBox.question(None, "ExifTree", question, yes | no) != yes:
            raise
        restore(exc.path, newest.path)  # a BackupError says why, as the CLI would
        return Catalog.open(exc.path)


class CatalogCare(QObject):
    """The status-bar label and the File-menu actions for backups and missing originals."""

    backup_finished = Signal(object)  # the Backup made, or None when none was due

    def __init__(self, ctx: DesktopContext, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.window = parent
        self.label = QLabel(objectName="backupStatus")  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (objectName)
        self.refresh_label()

    def refresh_label(self) -> None:
        newest = latest_backup(self.ctx.catalog.root)
        self.label.setText(backup_age_text(newest))
        self.label.setToolTip(
            str(newest.path) if newest else "File > Back up catalog now makes the first one"
        )

    def back_up_on_schedule(self) -> None:
        """The owner's scheduled backup (daily by default), when the app starts."""
        self.ctx.tasks.run_job(
            lambda: backup_on_schedule(self.ctx.catalog), self._done, self._failed
        )

    def back_up_now(self) -> None:
        root, keep = self.ctx.catalog.root, self.ctx.settings.backups_kept
        self.label.setText("Backing up the catalog…")
        self.ctx.tasks.run_job(
            lambda: make_backup(root, MANUAL, keep=keep), self._done, self._failed
        )

    def _done(self, made: Backup | None) -> None:
        self.refresh_label()
        if made is not None:
            self._say(f"Catalog backed up to {made.path}")
        self.backup_finished.emit(made)

    def _failed(self, error: BaseException) -> None:
        self.refresh_label()
        self._say(f"The catalog could not be backed up: {error}")
        self.backup_finished.emit(None)

    def _say(self, text: str) -> None:
        status = getattr(self.window, "statusBar", None)
        if status is not None:
            status().showMessage(text, 10000)

    def find_missing_folder(self) -> FindMissingFolderDialog:
        dialog = FindMissingFolderDialog(self.ctx, self.window)
        dialog.open()
        return dialog


class FindMissingFolderDialog(QDialog):
    """Pick the folder whose originals went missing and where they are now; relocate runs
    in the background and the photos re-link by content."""

    finished_relocating = Signal(object)  # RelocateResult, or the error

    def __init__(self, ctx: DesktopContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Find missing folder")
        self.old = QComboBox(editable=True)
        self.old.setMinimumWidth(420)
        editor = self.old.lineEdit()  # an editable combo box always has one
        if editor is not None:
            editor.setPlaceholderText("the folder as the catalog knows it")
        self.new = QLineEdit(placeholderText="where those photos are now")
        choose = QPushButton("Choose…")
        choose.clicked.connect(self._choose)
        where = QHBoxLayout()
        where.addWidget(self.new, 1)
        where.addWidget(choose)
        form = QFormLayout()
        form.addRow("Missing folder:", self.old)
        form.addRow("Now at:", where)
        self.status = QLabel(wordWrap=True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.relink = self.buttons.addButton("Re-link", QDialogButtonBox.ButtonRole.ApplyRole)
        self.relink.clicked.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Photos whose originals moved are re-linked by their content: "
                                "every file is checked before it is used."))  # fmt: skip
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.status.setText("Looking for missing originals…")
        catalog = ctx.catalog
        ctx.tasks.run_in_background(lambda: _find_missing(catalog), self._fill, self._show_error)

    def _fill(self, folders: list[tuple[str, int]]) -> None:
        for folder, count in folders:
            self.old.addItem(f"{folder}", folder)
            self.old.setItemData(self.old.count() - 1, f"{count} missing", 3)  # ToolTipRole
        total = sum(count for _, count in folders)
        self.status.setText(
            f"{total} photos in {len(folders)} folders are missing."
            if folders
            else "No original is missing."  # fmt: skip
        )

    def _choose(self) -> None:
        start = self.new.text() or str(Path.home())
        chosen = QFileDialog.getExistingDirectory(self, "Where are those photos now?", start)
        if chosen:
            self.new.setText(chosen)

    def start(self) -> None:
        old, new = self.old.currentText().strip(), self.new.text().strip()
        if not old or not new:
            self.status.setText("Say which folder went missing and where it is now.")
            return
        self.relink.setEnabled(False)
        self.status.setText(f"Re-linking the photos of {old}…")
        catalog = self.ctx.catalog
        self.ctx.tasks.run_job(lambda: relocate(catalog, old, new), self._done, self._show_error)

    def _done(self, outcome: RelocateResult) -> None:
        self.relink.setEnabled(True)
        text = f"Re-linked {len(outcome.relinked)} of {outcome.considered} photos."
        if outcome.not_found:
            text += f" {len(outcome.not_found)} were not found there (no file has their content)."
        self.status.setText(text)
        ids = [r.photo_id for r in outcome.relinked]
        if ids:
            self.ctx.events.catalog_changed.emit(CatalogChanges.of(ids))
        self.finished_relocating.emit(outcome)

    def _show_error(self, error: BaseException) -> None:
        self.relink.setEnabled(True)
        self.status.setText(str(error))
        self.finished_relocating.emit(error)


def _find_missing(catalog: Catalog) -> list[tuple[str, int]]:
    """Check every original (a stat each), then list the folders that hold missing ones."""
    check_originals(catalog)
    with catalog.reading() as session:
        return missing_folders(session)
