"""The About box: what ExifTree is, its version, and where this catalog lives."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from PySide6 import __version__ as pyside_version
from PySide6.QtWidgets import QMessageBox, QWidget


def app_version() -> str:
    try:
        return version("exiftree")
    except PackageNotFoundError:
        return "development"


def show_about(parent: QWidget, catalog_root: str = "") -> None:
    where = f"<p>Catalog: <code>{catalog_root}</code></p>" if catalog_root else ""
    QMessageBox.about(
        parent,
        "About ExifTree",
        f"<h3>ExifTree {app_version()}</h3>"
        "<p>A photographer's own photo catalog that publishes a portfolio to the web.</p>"
        "<p>Originals are never written, moved or renamed; private photos never leave "
        "this machine.</p>"
        f"{where}<p style='color:#888'>Qt for Python {pyside_version} · MIT licence</p>",
    )
