"""Settings: catalog-scoped values in the catalog, secrets in the system keyring.

Settings are saved with ``catalog.settings.save_settings`` on the writer thread. Secrets
(API key, S3 keys, database password) go to the keyring through ``catalog.credentials``;
where no keyring exists the dialog says so and names the environment variables to use
instead. A secret is never written to the catalog database.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from catalog import credentials
from catalog.licences import LICENCES, licence
from catalog.settings import PublishTarget, Settings, save_settings, secret_in
from desktop.context import DesktopContext

SECRETS = (
    ("openai_api_key", "AI API key"),
    ("s3_access_key_id", "S3 access key id"),
    ("s3_secret_access_key", "S3 secret key"),
    ("database_password", "Snapshot DB password"),
)


def keyring_fallback_text() -> str:
    names = ", ".join(f"{' or '.join(v)}" for v in credentials.ENVIRONMENT.values())
    return (
        "No system keyring is available on this machine, so ExifTree cannot store secrets. "
        f"Set them as environment variables before starting ExifTree instead: {names}. "
        "Secrets are never written to the catalog."
    )


class SettingsDialog(QDialog):
    def __init__(self, ctx: DesktopContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setObjectName("settingsDialog")
        self.resize(560, 520)
        self._ctx = ctx
        self.saved = False
        s = ctx.settings
        target = s.publish_targets[0] if s.publish_targets else PublishTarget()
        tabs = self.tabs = QTabWidget()
        tabs.addTab(self._general(s), "General")
        tabs.addTab(self._ai(s), "AI descriptions")
        tabs.addTab(self._publish(target), "Publishing")
        tabs.addTab(self._secrets(), "Secrets")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(buttons)

    def show_tab(self, title: str) -> None:
        for index in range(self.tabs.count()):
            if self.tabs.tabText(index) == title:
                self.tabs.setCurrentIndex(index)

    def _general(self, s: Settings) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.default_visibility = QComboBox()
        for value, label in (
            ("private", "Private — nothing leaves until you make photos public (safest)"),
            ("unlisted", "Unlisted — published, reachable by link only"),
            ("public", "Public — the next publish puts them online"),
        ):
            self.default_visibility.addItem(label, value)
        self.default_visibility.setCurrentIndex(
            self.default_visibility.findData(s.default_visibility)
        )
        self.thumb_cache_mb = QSpinBox(minimum=32, maximum=16384, suffix=" MB")
        self.thumb_cache_mb.setValue(s.thumb_cache_max_mb)
        self.site_title = QLineEdit(s.site_title)
        self.site_tagline = QLineEdit(s.site_tagline, placeholderText="Streets and harbours")
        self.owner_name = QLineEdit(s.owner_name, placeholderText="Your name, as credited")
        self.licence = QComboBox()
        for choice in LICENCES:
            self.licence.addItem(choice.name, choice.id)
        self.licence.setCurrentIndex(max(self.licence.findData(licence(s.licence).id), 0))
        self.analytics = QPlainTextEdit(s.analytics_snippet)
        self.analytics.setPlaceholderText("<script …> pasted into every page of the site")
        self.backup_every_days = QSpinBox(minimum=0, maximum=3650, suffix=" day(s)")
        self.backup_every_days.setSpecialValueText("Never")  # 0: only by hand and migrations
        self.backup_every_days.setValue(s.backup_every_days)
        self.backups_kept = QSpinBox(minimum=1, maximum=10000)
        self.backups_kept.setValue(s.backups_kept)
        self.sync_sidecars = QCheckBox("Keep XMP sidecars in sync")
        self.sync_sidecars.setToolTip(
            "After each rating, title, description, tag or visibility edit, write it to the "
            "photo's FILE.xmp beside the original (other tools' fields are kept; the "
            "original is never touched)"
        )
        self.sync_sidecars.setChecked(s.keep_sidecars_in_sync)
        form.addRow("New imports are", self.default_visibility)
        form.addRow("Thumbnail cache", self.thumb_cache_mb)
        form.addRow("Back up the catalog every", self.backup_every_days)
        form.addRow("Backups kept (of each kind)", self.backups_kept)
        form.addRow("Sidecars", self.sync_sidecars)
        form.addRow("Site title", self.site_title)
        form.addRow("Tagline", self.site_tagline)
        form.addRow("Photographer", self.owner_name)
        form.addRow("Licence", self.licence)
        form.addRow("Analytics snippet", self.analytics)
        return page

    def _ai(self, s: Settings) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.ai_base_url = QLineEdit(s.ai_base_url or "", placeholderText="OpenAI (default)")
        self.ai_model = QLineEdit(s.ai_model)
        self.ai_prompt = QPlainTextEdit(s.ai_prompt or "")
        self.ai_prompt.setPlaceholderText("The default prompt")
        form.addRow("Endpoint URL", self.ai_base_url)
        form.addRow("Model", self.ai_model)
        form.addRow("Prompt", self.ai_prompt)
        self.ai_after_import = QCheckBox("Describe new photos with AI after each import")
        self.ai_after_import.setChecked(s.ai_describe_after_import)
        self.ai_review = QCheckBox("Hold AI text back from the site until I approve it")
        self.ai_review.setChecked(s.ai_review_required)
        form.addRow(self.ai_after_import)
        form.addRow(self.ai_review)
        return page

    def _publish(self, t: PublishTarget) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.target_kind = QComboBox()
        self.target_kind.addItem("A local folder", "local")
        self.target_kind.addItem("S3-compatible storage", "s3")
        self.target_kind.setCurrentIndex(max(self.target_kind.findData(t.kind), 0))
        self.target_folder = QLineEdit(t.folder or "")
        self.target_bucket = QLineEdit(t.bucket or "")
        self.target_endpoint = QLineEdit(t.endpoint_url or "")
        self.target_media_url = QLineEdit(t.media_url or "")
        self.target_database_url = QLineEdit(
            t.database_url or "", placeholderText="postgresql+psycopg://user@host/db"
        )
        form.addRow("Publish to", self.target_kind)
        form.addRow("Folder", self.target_folder)
        form.addRow("Bucket", self.target_bucket)
        form.addRow("Endpoint URL", self.target_endpoint)
        form.addRow("Public media URL", self.target_media_url)
        form.addRow("Snapshot database", self.target_database_url)
        return page

    def _secrets(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.secret_fields: dict[str, QLineEdit] = {}
        available = credentials.keyring_available()
        self.keyring_note = QLabel(  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (objectName)
            "Secrets are kept in the system keyring, never in the catalog."
            if available
            else keyring_fallback_text(),
            objectName="dimLabel",
        )
        self.keyring_note.setWordWrap(True)
        form.addRow(self.keyring_note)
        for name, label in SECRETS:
            field = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
            stored = credentials.get_secret(name) is not None
            field.setPlaceholderText("stored — type to replace" if stored else "not set")
            field.setEnabled(available)
            self.secret_fields[name] = field
            form.addRow(label, field)
        return page

    def settings(self) -> Settings:
        """The settings as the form now says."""
        s = self._ctx.settings
        target = PublishTarget(
            name="default",
            kind=self.target_kind.currentData(),
            folder=self.target_folder.text().strip() or None,
            bucket=self.target_bucket.text().strip() or None,
            endpoint_url=self.target_endpoint.text().strip() or None,
            media_url=self.target_media_url.text().strip() or None,
            database_url=self.target_database_url.text().strip() or None,
        )
        return s.replace(
            default_visibility=self.default_visibility.currentData(),
            thumb_cache_max_mb=self.thumb_cache_mb.value(),
            backup_every_days=self.backup_every_days.value(),
            backups_kept=self.backups_kept.value(),
            keep_sidecars_in_sync=self.sync_sidecars.isChecked(),
            site_title=self.site_title.text().strip() or "Portfolio",
            site_tagline=self.site_tagline.text().strip(),
            owner_name=self.owner_name.text().strip(),
            licence=self.licence.currentData(),
            analytics_snippet=self.analytics.toPlainText(),
            ai_base_url=self.ai_base_url.text().strip() or None,
            ai_model=self.ai_model.text().strip() or s.ai_model,
            ai_prompt=self.ai_prompt.toPlainText().strip() or None,
            ai_describe_after_import=self.ai_after_import.isChecked(),
            ai_review_required=self.ai_review.isChecked(),
            publish_targets=(target, *s.publish_targets[1:]),
        )

    def save(self) -> None:
        settings, catalog = self.settings(), self._ctx.catalog
        problem = secret_in(settings)
        if problem is not None:  # said now, with the dialog still open to fix it
            QMessageBox.warning(self, "Settings", problem)
            return
        if not self._store_secrets():
            return

        def write() -> Settings:
            with catalog.writing() as session:
                save_settings(session, settings)
            return settings

        def saved(value: Settings) -> None:
            self.saved = True
            self._ctx.update_settings(value)

        self._ctx.tasks.run_write(
            write,
            saved,
            lambda e: QMessageBox.warning(
                self.parentWidget(), "Settings", f"The settings could not be saved: {e}"
            ),
        )
        self.accept()

    def _store_secrets(self) -> bool:
        for name, field in self.secret_fields.items():
            if not field.text():
                continue
            try:
                credentials.set_secret(name, field.text())
            except credentials.SecretStoreUnavailable as exc:
                QMessageBox.warning(self, "No keyring", f"{exc}.\n\n{keyring_fallback_text()}")
                return False
            field.clear()
        return True
