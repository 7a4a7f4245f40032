"""Desktop fixtures: the real main window on a fresh catalog, with its own QSettings file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog

from catalog.catalog import Catalog
from desktop.context import DesktopContext
from desktop.qt_app import load_style_sheet
from desktop.views.main_window import MainWindow
from tests.factories import make_jpeg

WAIT_MS = 60_000


def open_window(catalog: Catalog, settings_file: Path, qtbot: object) -> MainWindow:
    """A shown main window over ``catalog``, remembering its state in ``settings_file``."""
    window = MainWindow(
        DesktopContext(catalog), QSettings(str(settings_file), QSettings.Format.IniFormat)
    )
    window.setStyleSheet(load_style_sheet())
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    window.show()
    qtbot.waitUntil(
        lambda: window.ids_loaded_count > 0 and window.sidebar.loaded,  # type: ignore[attr-defined]
        timeout=WAIT_MS,
    )
    return window


def shut(window: MainWindow) -> None:
    """Close the window and wait for its workers, so the catalog can be closed."""
    window.close()
    window.ctx.tasks.wait_for_done(WAIT_MS)
    window.thumbs.wait_for_done(WAIT_MS)


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    return tmp_path / "qsettings.ini"


@pytest.fixture
def window(catalog: Catalog, settings_file: Path, qtbot: object) -> Iterator[MainWindow]:
    win = open_window(catalog, settings_file, qtbot)
    yield win
    shut(win)


@pytest.fixture
def import_folder(monkeypatch: pytest.MonkeyPatch, qtbot: object) -> Callable[..., None]:
    """Import a folder through the window's "Import folder…" action and wait for the end."""

    def run(window: MainWindow, folder: Path) -> None:
        monkeypatch.setattr(
            QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(folder))
        )
        with qtbot.waitSignal(window.importer.finished, timeout=WAIT_MS * 3):  # type: ignore[attr-defined]
            window.import_action.trigger()
        qtbot.waitUntil(lambda: not window.import_panel.running, timeout=WAIT_MS)  # type: ignore[attr-defined]

    return run


@pytest.fixture
def photo_folder(tmp_path: Path) -> Callable[[int], Path]:
    """A folder of ``n`` small generated JPEGs, each different."""

    def make(n: int, name: str = "photos") -> Path:
        folder = tmp_path / name
        for i in range(n):
            make_jpeg(folder / f"IMG_{i:04d}.jpg", (160, 120), seed=i)
        return folder

    return make


def wait_for_grid(
    window: MainWindow,
    qtbot: object,
    predicate: Callable[[list[str]], bool],
    timeout: int = WAIT_MS,
) -> None:
    qtbot.waitUntil(lambda: predicate(window.model.ids), timeout=timeout)  # type: ignore[attr-defined]
