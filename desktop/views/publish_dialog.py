"""The Publish dialog: plan, confirm, progress (photos, bytes, rate), cancel, result, link.

Nothing is uploaded until the owner has read the plan (added / updated / removed photos and
bytes, and the privacy audit) and pressed Publish. All work runs in
:class:`desktop.publishing.PublishController`'s workers; this dialog only shows it.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from catalog.jobs import ItemOutcome, Progress
from catalog.privacy import needs_confirmation
from desktop.context import DesktopContext
from desktop.models.thumbnails import ThumbnailCache
from desktop.publishing import PublishController, target_choices
from desktop.workers import QtJobObserver

MB = 1_048_576
THUMB_PX = 48  # the picture beside a photo that cannot be published
PHOTO_ROLE = Qt.ItemDataRole.UserRole
LINK_STYLE = "color: #7fb0ff"


def size_text(n: float) -> str:
    """Bytes as the owner reads them: KB below a megabyte, MB above."""
    return f"{n / 1024:,.0f} KB" if n < MB else f"{n / MB:,.1f} MB"


def plan_summary(result: Any) -> str:
    """The plan's headline: photos and bytes a publish would move."""
    plan = result.plan
    if plan is None or plan.is_noop:
        text = "Nothing to publish: the site is up to date."
        if plan is not None and plan.cannot_render:
            text = "Nothing to publish: the site shows every photo that can go."
    elif not (plan.added or plan.updated or plan.removed or plan.purged or plan.to_render):
        text = "No photo changes: the site's details (title, collections, counts) will be updated."
    else:
        text = (
            f"{len(plan.added):,} to add · {len(plan.updated):,} to update · "
            f"{len(plan.removed) + len(plan.purged):,} to remove — "
            f"about {size_text(plan.upload_bytes_estimate)} to upload"
        )
    if plan is not None and plan.first_public:
        text += f"\n{len(plan.first_public):,} photo(s) will go public for the first time."
    if plan is not None and plan.cannot_render:  # counted apart: not in the numbers above
        text += (
            f"\n{len(plan.cannot_render):,} photo(s) cannot be published "
            "(listed below: why, and what to do)."
        )
    return text


def failure_line(outcome: ItemOutcome) -> str:
    """A photo that could not be published, by its file name, with why and what to do."""
    return f"Not published: {Path(outcome.key).name} — {outcome.reason}"


def transfer_text(progress: Progress) -> str:
    """Progress as the owner reads it: photos, and bytes and rate when the publisher has them."""
    total = f" of {progress.total:,}" if progress.total is not None else ""
    text = f"{progress.done:,}{total} photos"
    sent = getattr(progress, "bytes_done", None)
    if sent is not None:
        rate = getattr(progress, "rate_bytes_s", 0.0)
        text += f" · {size_text(sent)} sent at {size_text(rate)}/s"
    return text


def result_text(target: Any, result: Any) -> str:
    """What the publish did, as the owner reads it."""
    if result.plan is None or result.seq is None:
        text = "Nothing changed: the site was already up to date."
        if result.failed:
            text = "Nothing changed: the site is as it was."
    else:
        text = (
            f"Published snapshot {result.seq}: {result.uploaded_objects:,} file(s) uploaded "
            f"({size_text(result.uploaded_bytes)}), "
            f"{result.deleted_objects:,} old file(s) deleted."
        )
    if result.failed:
        names = ", ".join(Path(o.key).name for o in result.failed[:3])
        more = f" and {len(result.failed) - 3:,} more" if len(result.failed) > 3 else ""
        text += (
            f"\n{len(result.failed):,} photo(s) could not be published: {names}{more} "
            "(why, and what to do, in the list above)."
        )
    return text


def site_link(target: Any) -> str:
    """Rich text: the media URL of a cloud target, or how to preview a local folder."""
    if target.media_url:
        url = html.escape(target.media_url)
        return f'Images are served from <a style="{LINK_STYLE}" href="{url}">{url}</a>'
    folder = html.escape(target.description)
    href = html.escape(QUrl.fromLocalFile(target.description).toString())
    return (
        f'Published to <a style="{LINK_STYLE}" href="{href}">{folder}</a><br>'
        f"Preview the site with: <code>exiftree serve --from {folder}</code>"
    )


class PublishDialog(QDialog):
    """Plan → Publish → progress → result, for one target at a time."""

    def __init__(
        self, ctx: DesktopContext, parent: QWidget | None = None, workers: int | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Publish")
        self.setObjectName("publishDialog")
        self.resize(640, 480)
        self._ctx = ctx
        self._workers = workers
        # the window's thumbnail cache: a small picture beside each photo that cannot go
        self._thumbs: ThumbnailCache | None = getattr(parent, "thumbs", None)
        self._failed_hashes: dict[str, str] = {}  # photo id -> content hash, for thumbnails
        if self._thumbs is not None:
            self._thumbs.thumbnail_ready.connect(self._thumbnail_ready)
        self.state = "idle"  # planning, planned, publishing, done, failed
        self.last_result: Any = None
        self.last_plan: Any = None  # the plan the owner is looking at
        self.controller = PublishController(ctx, self)
        self.controller.plan_ready.connect(self._plan_ready)
        self.controller.run_started.connect(self._run_started)
        self.controller.published.connect(self._published)
        self.controller.rolled_back.connect(self._rolled_back)
        self.controller.failed.connect(self._failed)
        self._build()
        for choice in target_choices(ctx.catalog, ctx.settings):
            self.target.addItem(choice.label, choice.name)
        self.target.currentIndexChanged.connect(lambda _i: self.make_plan())
        self.make_plan()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.target = QComboBox(objectName="publishTarget")  # type: ignore[call-arg]  # PySide6 stubs: no inherited property kwargs (objectName)
        form.addRow("Publish to", self.target)
        layout.addLayout(form)
        self.summary = QLabel(objectName="panelTitle", wordWrap=True)  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (objectName)
        layout.addWidget(self.summary)
        self.plan_lines = QListWidget(objectName="publishPlan")  # type: ignore[call-arg]  # PySide6 stubs: no inherited property kwargs (objectName)
        self.plan_lines.setIconSize(QSize(THUMB_PX, THUMB_PX))
        layout.addWidget(self.plan_lines, 1)
        self.progress = QProgressBar(objectName="publishProgress", textVisible=False)  # type: ignore[call-arg]  # PySide6 stubs: no inherited property kwargs (objectName)
        self.transfer = QLabel(objectName="dimLabel")  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (objectName)
        self.result_label = QLabel(objectName="publishResult", wordWrap=True)  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (objectName)
        self.result_label.setTextFormat(Qt.TextFormat.RichText)
        self.result_label.setOpenExternalLinks(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        for widget in (self.progress, self.transfer, self.result_label):
            layout.addWidget(widget)
        buttons = QHBoxLayout()
        self.replan = QPushButton("Plan again", clicked=self.make_plan)  # type: ignore[call-overload]  # PySide6 stubs: no signal kwargs (clicked)
        self.rollback = QPushButton(  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (toolTip); no signal kwargs (clicked)
            "Roll back", clicked=self.roll_back, toolTip="Put the previous snapshot live again"
        )
        self.confirm = QPushButton("Publish", objectName="primaryButton", clicked=self.start)  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (objectName); no signal kwargs (clicked)
        self.cancel_button = QPushButton("Cancel publish", clicked=self.cancel)  # type: ignore[call-overload]  # PySide6 stubs: no signal kwargs (clicked)
        self.close_button = QPushButton("Close", clicked=self.reject)  # type: ignore[call-overload]  # PySide6 stubs: no signal kwargs (clicked)
        buttons.addWidget(self.replan)
        buttons.addWidget(self.rollback)
        buttons.addStretch(1)
        for button in (self.cancel_button, self.confirm, self.close_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)

    def _set_state(self, state: str) -> None:
        self.state = state
        working = state in ("planning", "publishing")
        self.confirm.setEnabled(state == "planned")
        self.cancel_button.setVisible(state == "publishing")
        self.cancel_button.setEnabled(state == "publishing")
        self.replan.setEnabled(not working)
        self.rollback.setEnabled(not working)
        self.target.setEnabled(not working)
        self.close_button.setEnabled(state != "publishing")
        self.progress.setVisible(state == "publishing" or state == "done")
        self.transfer.setVisible(state in ("publishing", "done"))

    # --- plan --------------------------------------------------------------------------
    def make_plan(self) -> None:
        """Ask for a dry run against the chosen target."""
        if self.controller.busy:
            return
        self._set_state("planning")
        self.summary.setText("Working out what a publish would change…")
        self.plan_lines.clear()
        self.result_label.clear()
        self.controller.plan(self.target.currentData())

    def _plan_ready(self, _target: Any, result: Any) -> None:
        self.summary.setText(plan_summary(result))
        self.plan_lines.clear()
        for line in result.plan.lines(failures=False) if result.plan is not None else []:
            self.plan_lines.addItem(line)
        if result.plan is not None:
            self._failed_hashes.update(result.plan.cannot_render_hashes)
            for outcome in result.plan.cannot_render:
                self._add_failure(outcome)
        self.last_plan = result.plan
        self._set_state("planned")

    def _add_failure(self, outcome: ItemOutcome) -> None:
        item = QListWidgetItem(failure_line(outcome))
        item.setToolTip(outcome.key)  # the full path: where to look
        item.setData(PHOTO_ROLE, outcome.photo_id)
        self.plan_lines.addItem(item)
        self._set_thumbnail(item)

    def _set_thumbnail(self, item: QListWidgetItem) -> None:
        """The catalog's 300 px thumbnail, when it has one (asked of the cache, which decodes
        it off the UI thread and says when it is ready)."""
        content_hash = self._failed_hashes.get(item.data(PHOTO_ROLE) or "")
        if self._thumbs is None or content_hash is None:
            return
        pixmap = self._thumbs.pixmap(content_hash, 300)
        if pixmap is not None:
            item.setIcon(QIcon(pixmap))

    def _thumbnail_ready(self, content_hash: str, size_px: int) -> None:
        if size_px != 300 or content_hash not in self._failed_hashes.values():
            return
        for i in range(self.plan_lines.count()):
            item = self.plan_lines.item(i)
            if self._failed_hashes.get(item.data(PHOTO_ROLE) or "") == content_hash:
                self._set_thumbnail(item)

    # --- publish -----------------------------------------------------------------------
    def start(self) -> None:
        """The owner confirmed the plan."""
        if self.state != "planned" or self.controller.busy:
            return
        first = len(self.last_plan.first_public) if self.last_plan is not None else 0
        if needs_confirmation(first) and not self._owner_agrees(first):
            return
        self.result_label.clear()
        self.progress.setRange(0, 0)  # busy until the publisher says how many photos
        self.transfer.setText("Preparing…")
        self._set_state("publishing")
        self.controller.publish(self.target.currentData(), self._workers, first)

    def _owner_agrees(self, first_public: int) -> bool:
        """More than a handful of photos going online for the first time: ask, as the CLI does."""
        answer = QMessageBox.question(
            self,
            "Publish",
            f"{first_public:,} photos will go public for the first time. Put them online?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def cancel(self) -> None:
        if self.state == "publishing":
            self.cancel_button.setEnabled(False)
            self.transfer.setText("Cancelling — the live site stays as it was…")
            self.controller.cancel()

    def _run_started(self, observer: QtJobObserver) -> None:
        observer.job_started.connect(self._job_started)
        observer.progress_made.connect(self._progressed)
        observer.item_done.connect(self._item_done)

    def _job_started(self, total: int | None) -> None:
        self.progress.setRange(0, max(total or 0, 1))
        self.progress.setValue(0)

    def _progressed(self, progress: Progress) -> None:
        if self.state != "publishing":
            return
        if progress.total:
            self.progress.setRange(0, progress.total)
        self.progress.setValue(progress.done)
        if self.cancel_button.isEnabled():
            self.transfer.setText(transfer_text(progress))

    def _item_done(self, outcome: ItemOutcome) -> None:
        if outcome.status == "failed":
            photo = self.last_plan.site.photos.get(outcome.photo_id) if self.last_plan else None
            if photo is not None:  # a render that failed: its thumbnail beside it too
                self._failed_hashes[photo.id] = photo.content_hash
            self._add_failure(outcome)

    def _published(self, target: Any, result: Any) -> None:
        self.last_result = result
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.summary.setText(result_text(target, result))
        self.result_label.setText(site_link(target))
        self._set_state("done")

    # --- roll back ---------------------------------------------------------------------
    def roll_back(self) -> None:
        """The previous snapshot goes live in one step; asked first, it changes the site."""
        if self.controller.busy:
            return
        answer = QMessageBox.question(
            self,
            "Roll back",
            "Put the previous published snapshot live again?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._set_state("planning")
        self.summary.setText("Rolling back…")
        self.controller.roll_back(self.target.currentData())

    def _rolled_back(self, old: int, live: int) -> None:
        self.summary.setText(f"Rolled back snapshot {old}; snapshot {live} is live again.")
        self.plan_lines.clear()
        self.result_label.clear()
        self._set_state("failed")  # the plan is stale: plan again before publishing

    def _failed(self, error: BaseException) -> None:
        from publisher.errors import PublishCancelled

        self.last_result = error
        if isinstance(error, PublishCancelled):
            self.summary.setText("Publish cancelled. The live site is unchanged.")
            self.result_label.setText(
                "Files uploaded so far are kept; the next publish reuses them."
            )
        else:
            self.summary.setText("The publish could not be completed.")
            self.result_label.setText(
                f'<span style="color:#ff6b6b">{html.escape(str(error))}</span>'
            )
        self._set_state("failed")

    def reject(self) -> None:
        if self.state == "publishing":
            self.cancel()  # closing mid-publish would abandon the worker: cancel instead
            return
        super().reject()
