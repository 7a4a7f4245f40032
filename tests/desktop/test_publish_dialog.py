"""The Publish dialog driven like the owner would: plan, confirm, progress, cancel, result."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from catalog.catalog import Catalog
from catalog.settings import PublishTarget, load_settings, save_settings
from desktop.views.dashboard import DashboardDialog, last_publish_line
from desktop.views.main_window import MainWindow
from desktop.views.publish_dialog import PublishDialog
from publisher.publish import publish
from publisher.targets import local_target
from tests.desktop.conftest import WAIT_MS
from tests.publisher.conftest import Site, make_thumbs, photo_with_thumbs
from webviewer import schema


def _dialog(window: MainWindow, qtbot: object, workers: int | None = None) -> PublishDialog:
    dialog = PublishDialog(window.ctx, window, workers=workers)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.show()
    qtbot.waitUntil(lambda: dialog.state in ("planned", "failed"), timeout=WAIT_MS)  # type: ignore[attr-defined]
    return dialog


def _site(catalog: Catalog) -> Site:
    return Site("local", local_target(catalog.root / "site"))


def _titles(site: Site) -> set[str]:
    return {row["title"] for row in site.live_rows(schema.photos)}


def test_publish_to_the_local_folder_shows_plan_progress_and_result(
    catalog: Catalog, window: MainWindow, qtbot: object
) -> None:
    for i in range(3):
        photo_with_thumbs(catalog, title=f"Public {i}")
    photo_with_thumbs(catalog, title="Secret garden", visibility="private")
    photo_with_thumbs(catalog, title="By link only", visibility="unlisted")

    dialog = _dialog(window, qtbot)

    assert dialog.state == "planned"
    assert "4 to add" in dialog.summary.text()
    plan = [dialog.plan_lines.item(i).text() for i in range(dialog.plan_lines.count())]
    assert any("4 photo(s) to add" in line for line in plan)
    assert any("1 unlisted photo(s)" in line for line in plan)  # the privacy audit
    assert not (catalog.root / "site" / "snapshot.sqlite").exists()  # a plan writes nothing

    dialog.confirm.click()
    qtbot.waitUntil(lambda: dialog.state in ("done", "failed"), timeout=WAIT_MS)  # type: ignore[attr-defined]

    assert dialog.state == "done", dialog.result_label.text()
    assert "Published snapshot 1" in dialog.summary.text()
    assert " sent at " in dialog.transfer.text()
    assert "exiftree serve --from" in dialog.result_label.text()
    site = _site(catalog)
    assert _titles(site) == {"Public 0", "Public 1", "Public 2", "By link only"}
    assert len(site.object_keys()) == 12  # three sizes of four photos, nothing private
    assert all((site.target.store.root / k).is_file() for k in site.object_keys())

    dashboard = DashboardDialog(window.ctx, window)
    qtbot.addWidget(dashboard)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: dashboard.last_published.text() != "")  # type: ignore[attr-defined]
    assert "Last published" in dashboard.last_published.text()
    assert "4 photos, snapshot 1" in dashboard.last_published.text()


def test_cancel_mid_publish_keeps_the_previous_snapshot(
    catalog: Catalog, window: MainWindow, qtbot: object
) -> None:
    photo_with_thumbs(catalog, title="Already live")
    publish(catalog, local_target(catalog.root / "site"))
    for i in range(4):
        photo_with_thumbs(catalog, title=f"New {i}")
    dialog = _dialog(window, qtbot, workers=1)
    assert "4 to add" in dialog.summary.text()

    released = threading.Event()  # holds the publish after its first photo until we cancel

    def hold_first_photo(observer: object) -> None:
        observer.progress_made.connect(  # type: ignore[attr-defined]
            lambda _p: released.wait(WAIT_MS / 1000), Qt.ConnectionType.DirectConnection
        )

    dialog.controller.run_started.connect(hold_first_photo)
    dialog.confirm.click()
    qtbot.waitUntil(lambda: dialog.progress.value() >= 1, timeout=WAIT_MS)  # type: ignore[attr-defined]
    dialog.cancel_button.click()
    released.set()
    qtbot.waitUntil(lambda: dialog.state in ("done", "failed"), timeout=WAIT_MS)  # type: ignore[attr-defined]

    assert dialog.state == "failed"
    assert "cancelled" in dialog.summary.text() and "unchanged" in dialog.summary.text()
    site = _site(catalog)
    assert site.live_seq() == 1
    assert _titles(site) == {"Already live"}
    assert dialog.confirm.isEnabled() is False and dialog.replan.isEnabled()

    dialog.make_plan()  # the owner tries again: the rest is done, the site is complete
    qtbot.waitUntil(lambda: dialog.state == "planned", timeout=WAIT_MS)  # type: ignore[attr-defined]
    dialog.confirm.click()
    qtbot.waitUntil(lambda: dialog.state in ("done", "failed"), timeout=WAIT_MS)  # type: ignore[attr-defined]
    assert dialog.state == "done"
    assert _titles(site) == {"Already live", *(f"New {i}" for i in range(4))}


def test_unreachable_storage_is_shown_clearly(
    catalog: Catalog,
    window: MainWindow,
    qtbot: object,
    free_tcp_port: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    photo_with_thumbs(catalog, title="Harbour")
    cloud = PublishTarget(
        name="cloud",
        kind="s3",
        bucket="photos",
        endpoint_url=f"http://127.0.0.1:{free_tcp_port}",
        database_url=f"sqlite:///{catalog.root / 'cloud.sqlite'}",
    )
    with catalog.writing() as session:
        save_settings(session, load_settings(session).replace(publish_targets=(cloud,)))
        settings = load_settings(session)
    window.ctx.update_settings(settings)

    dialog = _dialog(window, qtbot)
    assert dialog.target.currentData() == "cloud"  # the saved target comes first
    assert dialog.state == "planned"
    dialog.confirm.click()
    qtbot.waitUntil(lambda: dialog.state in ("done", "failed"), timeout=WAIT_MS)  # type: ignore[attr-defined]

    assert dialog.state == "failed"
    assert "could not be completed" in dialog.summary.text()
    assert "s3://photos" in dialog.result_label.text()
    assert "live site is unchanged" in dialog.result_label.text()


def test_the_toolbar_publish_action_opens_the_dialog(window: MainWindow, qtbot: object) -> None:
    seen: list[str] = []

    def look_and_close() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, PublishDialog):
            QTimer.singleShot(50, look_and_close)
            return
        qtbot.waitUntil(lambda: dialog.state == "planned", timeout=WAIT_MS)  # type: ignore[attr-defined]
        seen.append(dialog.summary.text())
        dialog.reject()

    QTimer.singleShot(0, look_and_close)
    window.publish_action.trigger()  # returns when the dialog closes

    assert len(seen) == 1 and "No photo changes" in seen[0]  # an empty catalog, never published


def test_roll_back_puts_the_previous_snapshot_live(
    catalog: Catalog, window: MainWindow, qtbot: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    photo_with_thumbs(catalog, title="First")
    publish(catalog, local_target(catalog.root / "site"))
    photo_with_thumbs(catalog, title="Second")
    publish(catalog, local_target(catalog.root / "site"))
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    )
    dialog = _dialog(window, qtbot)

    dialog.rollback.click()
    qtbot.waitUntil(lambda: "live again" in dialog.summary.text(), timeout=WAIT_MS)  # type: ignore[attr-defined]

    assert "snapshot 1 is live again" in dialog.summary.text()
    assert _titles(_site(catalog)) == {"First"}
    # The dashboard no longer names the newer snapshot as the live one.
    assert "snapshot 1 is live again" in last_publish_line(window.ctx)


def test_many_first_time_photos_are_asked_about_and_failures_named_by_file(
    catalog: Catalog, window: MainWindow, qtbot: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.factories import add_photo

    for i in range(6):
        photo_with_thumbs(catalog, title=f"New {i}")
    gone = add_photo(  # its drive is unplugged, and only its 300 px thumbnail is left
        catalog, title="Gone", source_path=str(catalog.root.parent / "card" / "IMG_0042.jpg")
    )
    make_thumbs(catalog, gone.content_hash)
    for size in (800, 1600):
        catalog.thumb_path(gone.content_hash, size).unlink()
    questions: list[str] = []
    answer = [QMessageBox.StandardButton.Cancel]

    def question(_parent: object, _title: str, text: str, *_a: object) -> object:
        questions.append(text)
        return answer[0]

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    dialog = _dialog(window, qtbot)
    # Only the six that can go are counted; the seventh is named apart, by file.
    assert "6 to add" in dialog.summary.text()
    assert "6 photo(s) will go public for the first time" in dialog.summary.text()
    assert "1 photo(s) cannot be published" in dialog.summary.text()
    lines = [dialog.plan_lines.item(i).text() for i in range(dialog.plan_lines.count())]
    assert "6 photo(s) to render and upload" in " ".join(lines)
    named = [
        dialog.plan_lines.item(i)
        for i in range(dialog.plan_lines.count())
        if dialog.plan_lines.item(i).text().startswith("Not published: IMG_0042.jpg — ")
    ]
    assert named and "Reconnect the drive" in named[0].text()
    assert not any(gone.id in line for line in lines)  # file names, never UUIDs
    # ... with its thumbnail beside it, from the catalog's 300 px one
    qtbot.waitUntil(lambda: not named[0].icon().isNull(), timeout=WAIT_MS)  # type: ignore[attr-defined]

    dialog.confirm.click()  # the owner is asked, and says Cancel: nothing is published
    assert questions == ["6 photos will go public for the first time. Put them online?"]
    assert dialog.state == "planned" and _site(catalog).live_seq() is None

    answer[0] = QMessageBox.StandardButton.Yes
    dialog.confirm.click()
    qtbot.waitUntil(lambda: dialog.state in ("done", "failed"), timeout=WAIT_MS)  # type: ignore[attr-defined]
    assert dialog.state == "done", dialog.summary.text()
    assert "1 photo(s) could not be published: IMG_0042.jpg" in dialog.summary.text()
    assert gone.id not in dialog.summary.text()
    assert _titles(_site(catalog)) == {f"New {i}" for i in range(6)}

    dialog.replan.click()  # "Plan again": nothing left to add, the photo still named apart
    qtbot.waitUntil(lambda: dialog.state in ("planned", "failed"), timeout=WAIT_MS)  # type: ignore[attr-defined]
    assert "to add" not in dialog.summary.text()
    assert "Nothing to publish" in dialog.summary.text()
    assert "1 photo(s) cannot be published" in dialog.summary.text()
    lines = [dialog.plan_lines.item(i).text() for i in range(dialog.plan_lines.count())]
    assert "0 photo(s) to add, 0 to update, 0 to remove" in lines
    assert any(line.startswith("Not published: IMG_0042.jpg — ") for line in lines)


def test_the_dashboard_counts_what_the_site_shows(
    catalog: Catalog, window: MainWindow, qtbot: object
) -> None:
    from desktop.publishing import read_last_publish
    from tests.factories import add_photo

    photo_with_thumbs(catalog, title="Shown")
    add_photo(catalog, title="No pixels", source_path=str(catalog.root / "gone.jpg"))
    dialog = _dialog(window, qtbot)
    dialog.confirm.click()
    qtbot.waitUntil(lambda: dialog.state in ("done", "failed"), timeout=WAIT_MS)  # type: ignore[attr-defined]
    last = read_last_publish(catalog)
    assert last is not None and last.photos == 1 == len(_site(catalog).live_rows(schema.photos))


def test_photos_made_public_after_the_plan_are_not_published_unasked(
    catalog: Catalog, window: MainWindow, qtbot: object
) -> None:
    """The owner agreed to the plan they saw (three new photos); six more made public
    since (the command line, a script) must not go online on that yes."""
    for i in range(3):
        photo_with_thumbs(catalog, title=f"Seen {i}")
    dialog = _dialog(window, qtbot)
    for i in range(6):  # after the plan was shown
        photo_with_thumbs(catalog, title=f"Later {i}")

    dialog.confirm.click()  # three: no question needed
    qtbot.waitUntil(lambda: dialog.state in ("done", "failed"), timeout=WAIT_MS)  # type: ignore[attr-defined]

    assert dialog.state == "failed"
    assert "plan again" in dialog.result_label.text()
    assert _site(catalog).live_seq() is None  # nothing went online


def test_the_plan_after_one_edit_reads_what_changed_and_names_a_damaged_file_apart(
    catalog: Catalog, window: MainWindow, qtbot: object
) -> None:
    """The dialog's plan is the publish's dry run: after a publish it reads only what changed
    since (one title: one to update), writes nothing (not even the journal's publish stamp),
    and a photo whose original turned out not to decode is named apart, not counted to add."""
    from sqlalchemy import text

    from catalog import edits
    from tests.factories import add_photo, make_jpeg

    photos = [photo_with_thumbs(catalog, title=f"Live {i}") for i in range(3)]
    original = catalog.root.parent / "card" / "IMG_0077.jpg"
    make_jpeg(original, (640, 480), seed=7)
    original.write_bytes(original.read_bytes()[:600])  # a copy cut short
    add_photo(catalog, title="Cut short", source_path=str(original))  # no thumbnails
    first = publish(catalog, local_target(catalog.root / "site"))
    assert [o.key for o in first.failed] == [str(original)]
    edits.set_title(catalog, photos[1].id, "Live 1, renamed")
    with catalog.reading() as s:
        journal_before = s.execute(text("SELECT rev, kind, ref FROM publish_journal")).all()

    dialog = _dialog(window, qtbot)

    assert dialog.state == "planned", dialog.summary.text()
    assert "0 to add · 1 to update · 0 to remove" in dialog.summary.text()
    assert "1 photo(s) cannot be published" in dialog.summary.text()
    lines = [dialog.plan_lines.item(i).text() for i in range(dialog.plan_lines.count())]
    assert any(line.startswith("Not published: IMG_0077.jpg — ") for line in lines)
    with catalog.reading() as s:
        assert s.execute(text("SELECT rev, kind, ref FROM publish_journal")).all() == journal_before
    assert _titles(_site(catalog)) == {"Live 0", "Live 1", "Live 2"}
