"""The desktop's catalog care: the last backup in the status bar, File > Back up catalog now,
and File > Find missing folder… re-linking a moved folder off the UI thread."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMenu, QPushButton
from sqlalchemy import select

from catalog.backup import list_backups
from catalog.ingest.pipeline import run_import
from catalog.models import Photo
from desktop.views.catalog_care import FindMissingFolderDialog
from tests.desktop.conftest import WAIT_MS, wait_for_grid
from tests.factories import add_photo, make_jpeg


def _file_action(window, text: str):  # noqa: ANN001, ANN202 - Qt objects
    file_menu = window.menuBar().actions()[0].menu()
    assert isinstance(file_menu, QMenu)
    return next(a for a in file_menu.actions() if a.text() == text)


def test_back_up_now_makes_a_backup_and_the_status_bar_says_when(catalog, window, qtbot):
    assert window.care.label.text() == "No catalog backup yet"
    with qtbot.waitSignal(window.care.backup_finished, timeout=WAIT_MS):
        _file_action(window, "Back up catalog now").trigger()
    backups = list_backups(catalog.root)
    assert len(backups) == 1 and backups[0].kind == "manual"
    assert window.care.label.text().startswith("Last backup: today ")
    assert window.care.label.toolTip() == str(backups[0].path)


def test_find_missing_folder_relinks_a_moved_folder(
    catalog, window, qtbot, tmp_path: Path, monkeypatch
):
    old = tmp_path / "card" / "trip"
    for n in range(2):
        make_jpeg(old / f"IMG_{n}.jpg", (160, 120), seed=n)
    run_import(catalog, [old], workers=1)
    new = tmp_path / "archive" / "trip"
    shutil.copytree(old, new)
    shutil.rmtree(old)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(new)))

    _file_action(window, "Find missing folder…").trigger()
    dialogs = [w for w in window.children() if isinstance(w, FindMissingFolderDialog)]
    assert len(dialogs) == 1
    dialog = dialogs[0]
    qtbot.waitUntil(lambda: dialog.old.count() == 1, timeout=WAIT_MS)
    assert dialog.old.currentText() == str(old) and "2 photos" in dialog.status.text()
    dialog.relink.click()  # no new folder yet: a sentence, nothing run
    assert "where it is now" in dialog.status.text()
    next(b for b in dialog.findChildren(QPushButton) if b.text() == "Choose…").click()
    assert dialog.new.text() == str(new)
    with qtbot.waitSignal(dialog.finished_relocating, timeout=WAIT_MS):
        dialog.relink.click()

    assert dialog.status.text() == "Re-linked 2 of 2 photos."
    with catalog.reading() as session:
        rows = session.execute(select(Photo.source_path, Photo.missing_since)).all()
    assert sorted(r[0] for r in rows) == [str(new / "IMG_0.jpg"), str(new / "IMG_1.jpg")]
    assert all(r[1] is None for r in rows)


def test_the_inspector_says_an_original_is_missing_and_what_to_do(catalog, window, qtbot):
    photo = add_photo(catalog, title="Gone drive", missing_since=datetime(2026, 1, 2))
    window.reload_ids()
    wait_for_grid(window, qtbot, lambda shown: photo.id in shown)
    window.grid.select_ids([photo.id], photo.id)
    qtbot.waitUntil(lambda: window.inspector.current_row() is not None, timeout=WAIT_MS)
    assert "Original missing" in window.inspector.status.text()
    assert "Find missing folder" in window.inspector.status.text()


def test_the_backup_schedule_is_set_in_settings_and_used_at_start(catalog, window, qtbot):
    from catalog.settings import load_settings
    from desktop.views.settings_dialog import SettingsDialog

    dialog = SettingsDialog(window.ctx, window)
    assert dialog.backup_every_days.value() == 1 and dialog.backups_kept.value() == 7
    dialog.backup_every_days.setValue(0)  # "Never"
    dialog.backups_kept.setValue(3)
    dialog.save()
    qtbot.waitUntil(lambda: window.ctx.settings.backups_kept == 3, timeout=WAIT_MS)
    with catalog.reading() as session:
        saved = load_settings(session)
    assert (saved.backup_every_days, saved.backups_kept) == (0, 3)

    with qtbot.waitSignal(window.care.backup_finished, timeout=WAIT_MS) as made:
        window.care.back_up_on_schedule()  # what the app does at start
    assert made.args == [None] and not list_backups(catalog.root)


def test_a_damaged_catalog_at_start_offers_the_latest_backup(tmp_path: Path, monkeypatch, qtbot):
    import pytest
    from PySide6.QtWidgets import QMessageBox

    from catalog.backup import make_backup
    from catalog.catalog import Catalog
    from catalog.errors import DamagedCatalogError
    from desktop.views.catalog_care import open_or_offer_restore

    root = tmp_path / "catalog"
    with Catalog.open(root) as fresh:
        add_photo(fresh, title="Saved")
        make_backup(root)
    (root / "catalog.sqlite").write_bytes(b"")  # truncated
    asked: list[str] = []

    def answer(button):  # noqa: ANN001, ANN202 - QMessageBox.question's stand-in
        def question(parent, title, text, buttons):  # noqa: ANN001, ANN202
            asked.append(text)
            return button

        return staticmethod(question)

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    with pytest.raises(DamagedCatalogError):
        open_or_offer_restore(root)
    assert (root / "catalog.sqlite").stat().st_size == 0  # "No" changes nothing
    assert "Restore the latest backup now?" in asked[0]

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    with open_or_offer_restore(root) as restored, restored.reading() as session:
        assert session.scalar(select(Photo.title)) == "Saved"
