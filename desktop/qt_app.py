"""``exiftree-desktop``: open the catalog and show the main window.

``--catalog DIR`` picks the catalog folder (default: ``$EXIFTREE_HOME``, else the user data
folder); ``--version`` prints the version and exits before any window exists (the bundle's
smoke test uses it offscreen).
"""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path
from types import TracebackType

from desktop.resources import resources_dir


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    from desktop.views.about import app_version

    parser = argparse.ArgumentParser(prog="exiftree-desktop", description="ExifTree desktop app")
    parser.add_argument("--catalog", type=Path, default=None, help="catalog folder")
    parser.add_argument("--version", action="version", version=f"exiftree {app_version()}")
    return parser.parse_known_args(argv)[0]


def load_style_sheet() -> str:
    path = resources_dir() / "style.qss"
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    return text.replace("@icons/", (resources_dir() / "icons").as_posix() + "/")


def make_application(argv: list[str]) -> object:
    """The QApplication with ExifTree's names, icon and dark style."""
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()  # typed as QCoreApplication
    app = existing if isinstance(existing, QApplication) else QApplication(argv)
    app.setOrganizationName("ExifTree")
    app.setApplicationName("ExifTree")
    app.setStyle("Fusion")
    app.setStyleSheet(load_style_sheet())
    icon = resources_dir() / "icons" / "exiftree.svg"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def install_error_dialog() -> None:
    """One top-level handler: an unexpected error becomes a dialog, not a silent crash."""
    from PySide6.QtWidgets import QMessageBox

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        text = "".join(traceback.format_exception(kind, error, tb))
        sys.stderr.write(text)
        box = QMessageBox(QMessageBox.Icon.Critical, "ExifTree", f"Something went wrong: {error}")
        box.setDetailedText(text)
        box.exec()

    sys.excepthook = hook


def import_catalog_before_qt() -> None:
    """Load the catalog modules the window uses (SQLAlchemy, the models, the operations)
    before PySide6, whose import hook would read each one's source."""
    import catalog.catalog  # noqa: F401
    import catalog.ingest.discover  # noqa: F401
    import catalog.operations  # noqa: F401
    import catalog.photo_metadata  # noqa: F401
    import catalog.query  # noqa: F401
    import catalog.relocate  # noqa: F401
    import catalog.rows  # noqa: F401
    import catalog.selection  # noqa: F401


def main(argv: list[str] | None = None) -> int:
    # the catalog (SQLAlchemy) before Qt: once PySide6 is loaded, its import hook reads
    # the source of every module imported after it (~0.1 s at start). catalog.catalog
    # alone loads no SQLAlchemy any more: the window's catalog modules are named here.
    import_catalog_before_qt()

    args = parse_args(sys.argv[1:] if argv is None else argv)
    from PySide6.QtCore import QSettings

    from catalog.errors import CatalogError
    from desktop.context import DesktopContext
    from desktop.views.catalog_care import open_or_offer_restore
    from desktop.views.main_window import MainWindow

    app = make_application(sys.argv[:1])
    try:
        catalog = open_or_offer_restore(args.catalog)  # a damaged one: restore a backup?
    except CatalogError as exc:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, "ExifTree", str(exc))
        return 2
    install_error_dialog()
    window = MainWindow(DesktopContext(catalog), QSettings())
    window.show()
    window.care.back_up_on_schedule()  # the owner's daily backup, off the UI thread
    code = app.exec()  # type: ignore[attr-defined]  # make_application keeps Qt out of its type
    catalog.close()
    return code


if __name__ == "__main__":
    sys.exit(main())
