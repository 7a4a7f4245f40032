"""Offscreen screenshots of the desktop app for docs/screenshots/ (``make screenshots``).

Imports the shared camera corpus (or any folder given with --photos) into a throwaway
catalog, curates a little (titles, ratings, a private photo, a collection), then grabs the
main window, the inspector with several photos selected, the metadata panel open, the loupe
(fitted and at 1:1), the import panel and the dashboard as PNGs.

    .venv/bin/python scripts/screenshots.py [--photos DIR] [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
CORPUS = REPO.parent / "shared" / "corpus" / "exif-samples"
SIZE = (1440, 900)

TITLES = [
    "Morning on the quay",
    "Old town steps",
    "Market colours",
    "Harbour light",
    "After the rain",
    "Blue hour",
]


def wait(app: object, condition: Callable[[], bool], timeout_s: float = 120.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not get there in time")
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.01)


def settle(app: object, seconds: float = 0.6) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.01)


def curate(catalog: object, ids: list[str]) -> None:
    """A little owner work, so the screenshots look lived in."""
    from catalog import collections, edits

    for i, photo_id in enumerate(ids[: len(TITLES)]):
        edits.set_title(catalog, photo_id, TITLES[i])
    edits.set_rating(catalog, ids[:4], 5)
    edits.set_rating(catalog, ids[4:9], 3)
    edits.set_visibility(catalog, ids, "public")  # imports are private until the owner says
    edits.set_visibility(catalog, ids[9:11], "private")
    edits.add_tags(catalog, ids[:6], ["travel"])
    coll = collections.create_collection(catalog, "Best of the year")
    collections.add_photos(catalog, coll, ids[:8])
    collections.create_collection(catalog, "Family")


def shoot_inspector(app: object, window: Any, out: Path) -> None:
    """Several photos selected ("N photos selected", <mixed> titles), then one photo with
    its metadata panel open and scrolled into view."""
    ids = window.model.ids
    window.grid.select_ids(ids[:5], ids[0])
    inspector = window.inspector
    wait(app, lambda: inspector.heading.text() == "5 photos selected")
    wait(app, lambda: inspector.title.placeholderText() == "<mixed>")
    settle(app)
    window.grab().save(str(out / "inspector-multi-select.png"))

    window.grid.select_ids(ids[1:2], ids[1])
    wait(app, lambda: inspector.heading.text() != "5 photos selected")
    inspector.metadata.toggle.setChecked(True)
    wait(app, lambda: inspector.metadata.tree.topLevelItemCount() > 0)
    settle(app)
    inspector.ensureWidgetVisible(inspector.metadata.tree, 0, 0)
    settle(app)
    window.grab().save(str(out / "metadata-panel.png"))
    inspector.metadata.toggle.setChecked(False)
    inspector.verticalScrollBar().setValue(0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=Path, default=CORPUS)
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from catalog import query
    from catalog.catalog import Catalog
    from catalog.ingest import run_import
    from desktop.context import DesktopContext
    from desktop.qt_app import make_application
    from desktop.views.dashboard import DashboardDialog
    from desktop.views.main_window import MainWindow
    from tests.factories import make_jpeg

    app: QApplication = make_application(sys.argv[:1])  # type: ignore[assignment]
    work = Path(tempfile.mkdtemp(prefix="exiftree-shots-"))
    catalog = Catalog.open(work / "catalog")
    run_import(catalog, [args.photos])
    with catalog.reading() as session:
        ids = query.photo_ids(session, query.PhotoFilter(), "date_taken")
    curate(catalog, ids)

    window = MainWindow(
        DesktopContext(catalog), QSettings(str(work / "q.ini"), QSettings.Format.IniFormat)
    )
    window.resize(*SIZE)
    window.show()
    wait(app, lambda: len(window.model.ids) > 0 and window.sidebar.loaded)
    window.grid.go_to_row(1)
    window.grid.select_ids(window.model.ids[1:2], window.model.ids[1])
    wait(app, lambda: window.inspector.current_row() is not None)
    first, last = window.grid.visible_rows()
    wait(
        app,
        lambda: all(
            window.model.thumbnail_at(r) is not None
            or window.thumbs.is_missing(window.model.row_at(r).content_hash)
            for r in range(first, last + 1)
            if window.model.row_at(r)
        ),
        60,
    )
    settle(app)
    window.grab().save(str(args.out / "main-window.png"))

    shoot_inspector(app, window, args.out)

    window.grid.select_ids(window.model.ids[1:2], window.model.ids[1])
    window.open_loupe()
    wait(app, lambda: window.loupe.photo_id is not None)
    settle(app, 1.5)
    window.grab().save(str(args.out / "loupe.png"))
    window.loupe.toggle_zoom()  # Z: 1:1, the original decoded in a worker
    wait(app, lambda: window.loupe.original_full_size, 60)
    settle(app, 0.8)
    window.grab().save(str(args.out / "loupe-1to1.png"))
    window.loupe.toggle_zoom()
    window.close_loupe()

    folder = work / "new-photos"
    for i in range(24):
        make_jpeg(folder / f"DSC_{4100 + i}.jpg", (900, 600), seed=40 + i)
    (folder / "DSC_4200.jpg").write_bytes(b"")  # a zero-byte file: its reason shows
    (folder / "notes.jpg").write_text("not a photo")
    window.import_paths([folder])
    wait(app, lambda: not window.importer.running and not window.import_panel.running, 180)
    settle(app, 1.0)
    window.grab().save(str(args.out / "import-panel.png"))

    dashboard = DashboardDialog(window.ctx, window)
    dashboard.resize(1100, 760)
    dashboard.show()
    wait(app, lambda: dashboard.data is not None)
    settle(app, 2.0)
    dashboard.grab().save(str(args.out / "dashboard.png"))
    dashboard.close()

    print(f"screenshots in {args.out}")
    window.close()
    window.ctx.tasks.wait_for_done()
    os._exit(0)  # skip Qt's teardown of the throwaway catalog's windows


if __name__ == "__main__":
    main()
