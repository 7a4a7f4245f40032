"""Settings and window state survive a restart; secrets go to the keyring, never the catalog."""

from __future__ import annotations

import keyring
import pytest
from keyring.errors import NoKeyringError
from PySide6.QtWidgets import QMessageBox

from catalog.catalog import Catalog
from catalog.credentials import SERVICE
from catalog.settings import SecretInSettingsError, save_settings
from desktop.views.settings_dialog import SettingsDialog
from tests.desktop.conftest import open_window, shut


def test_settings_and_window_state_persist_across_a_restart(tmp_path, settings_file, qtbot):
    home = tmp_path / "catalog"
    with Catalog.open(home) as catalog:
        window = open_window(catalog, settings_file, qtbot)
        window.resize(720, 560)  # the offscreen screen is 800×800
        size = (window.width(), window.height())
        assert size != (1440, 900)  # not the default
        window.sort.setCurrentIndex(window.sort.findData("rating"))
        dialog = SettingsDialog(window.ctx, window)
        dialog.default_visibility.setCurrentIndex(dialog.default_visibility.findData("private"))
        dialog.site_title.setText("Harbour Light")
        dialog.site_tagline.setText("Boats at first light")
        dialog.owner_name.setText("Ada Lovelace")
        dialog.licence.setCurrentIndex(dialog.licence.findData("cc-by-4.0"))
        dialog.ai_model.setText("llava:13b")
        dialog.secret_fields["openai_api_key"].setText("sk-test-123")
        dialog.save()
        qtbot.waitUntil(lambda: window.ctx.settings.site_title == "Harbour Light")
        shut(window)

    with Catalog.open(home) as catalog:
        window = open_window(catalog, settings_file, qtbot)
        dialog = SettingsDialog(window.ctx, window)
        assert dialog.default_visibility.currentData() == "private"
        assert dialog.site_title.text() == "Harbour Light"
        assert dialog.site_tagline.text() == "Boats at first light"
        assert dialog.owner_name.text() == "Ada Lovelace"
        assert dialog.licence.currentData() == "cc-by-4.0"
        assert dialog.ai_model.text() == "llava:13b"
        assert (window.width(), window.height()) == size
        assert window.sort.currentData() == "rating"
        assert "stored" in dialog.secret_fields["openai_api_key"].placeholderText()
        shut(window)
    assert keyring.get_password(SERVICE, "openai_api_key") == "sk-test-123"
    assert b"sk-test-123" not in (home / "catalog.sqlite").read_bytes()


class NoKeyring(keyring.backend.KeyringBackend):
    priority = 1

    def get_password(self, service, username):
        raise NoKeyringError("no backend")

    def set_password(self, service, username, password):
        raise NoKeyringError("no backend")

    def delete_password(self, service, username):
        raise NoKeyringError("no backend")


def test_without_a_keyring_the_dialog_explains_the_fallback(window, qtbot, monkeypatch):
    keyring.set_keyring(NoKeyring())
    warnings: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda _p, _t, text, *a: warnings.append(text))
    )
    dialog = SettingsDialog(window.ctx, window)
    assert "EXIFTREE_OPENAI_API_KEY" in dialog.keyring_note.text()
    assert not dialog.secret_fields["openai_api_key"].isEnabled()
    dialog.secret_fields["openai_api_key"].setEnabled(True)
    dialog.secret_fields["openai_api_key"].setText("sk-nowhere")

    dialog.save()

    assert warnings and "no system keyring" in warnings[0]
    assert not dialog.saved


def test_a_password_typed_into_a_url_is_refused_not_stored(window, qtbot, monkeypatch):
    warnings: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda _p, _t, text, *a: warnings.append(text))
    )
    dialog = SettingsDialog(window.ctx, window)
    dialog.ai_base_url.setText("https://user:aiTok3nXYZ@llm.example/v1")

    dialog.save()

    assert warnings and "AI endpoint URL contains a password" in warnings[0]
    assert not dialog.saved and dialog.result() != dialog.DialogCode.Accepted  # still open
    catalog = window.ctx.catalog
    with catalog.writing() as session, pytest.raises(SecretInSettingsError):
        save_settings(session, dialog.settings())  # the catalog's own guard, for scripts
    assert b"aiTok3nXYZ" not in (catalog.root / "catalog.sqlite").read_bytes()
