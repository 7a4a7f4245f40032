"""Describe with AI from the window, against the real local OpenAI-compatible server."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QAction

from catalog.catalog import Catalog
from catalog.models import Photo
from catalog.settings import load_settings
from desktop.views.main_window import MainWindow
from desktop.views.settings_dialog import SettingsDialog
from tests.catalog import ai_server as replies
from tests.catalog.ai_fixtures import add_photo_with_thumb, ai_server, ai_settings
from tests.catalog.ai_server import DEFAULT_ANSWER, FakeOpenAI
from tests.desktop.conftest import WAIT_MS, wait_for_grid

__all__ = ["ai_server"]

TITLE = DEFAULT_ANSWER["title"]


def _use_server(window: MainWindow, server: FakeOpenAI, **overrides: Any) -> None:
    window.ctx.update_settings(ai_settings(server, **overrides))


def _select(window: MainWindow, qtbot: object, ids: list[str]) -> None:
    window.reload_ids()
    wait_for_grid(window, qtbot, lambda shown: set(ids) <= set(shown))
    window.grid.select_ids(ids, ids[0])
    qtbot.waitUntil(lambda: window.inspector.current_row() is not None, timeout=WAIT_MS)  # type: ignore[attr-defined]


def _menu_action(window: MainWindow, text: str) -> QAction:
    for menu_action in window.menuBar().actions():
        for action in menu_action.menu().actions():
            if action.text() == text:
                return action
    raise AssertionError(f"no menu entry {text!r}")


def _photo(catalog: Catalog, photo_id: str) -> Photo:
    with catalog.reading() as session:
        photo = session.get(Photo, photo_id)
        session.expunge(photo)
        return photo


def test_describe_with_ai_lands_in_the_inspector_marked_as_ai_and_editable(
    catalog: Catalog, window: MainWindow, qtbot: object, ai_server: FakeOpenAI
) -> None:
    photo_id = add_photo_with_thumb(catalog).id
    _use_server(window, ai_server)
    _select(window, qtbot, [photo_id])
    inspector = window.inspector
    assert inspector.title_ai.isHidden()

    _menu_action(window, "Describe with AI").trigger()
    qtbot.waitUntil(lambda: inspector.title.text() == TITLE, timeout=WAIT_MS)  # type: ignore[attr-defined]

    assert not inspector.title_ai.isHidden() and not inspector.description_ai.isHidden()
    assert not inspector.tags_ai.isHidden()
    assert "AI wrote the title, description, tags (test-vision" in inspector.ai_note.text()
    assert "harbour" in inspector.tags.text()
    qtbot.waitUntil(lambda: "1 described" in window.ai_status.text(), timeout=WAIT_MS)  # type: ignore[attr-defined]

    inspector.title.setText("Our harbour at dawn")  # the owner's words replace the AI's
    inspector.title.editingFinished.emit()
    qtbot.waitUntil(lambda: _photo(catalog, photo_id).title_source == "owner", timeout=WAIT_MS)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: inspector.title_ai.isHidden(), timeout=WAIT_MS)  # type: ignore[attr-defined]
    assert not inspector.description_ai.isHidden()  # still the AI's
    assert _photo(catalog, photo_id).title == "Our harbour at dawn"


def test_a_failing_answer_shows_in_the_status_area_and_the_batch_goes_on(
    catalog: Catalog, window: MainWindow, qtbot: object, ai_server: FakeOpenAI
) -> None:
    ids = [add_photo_with_thumb(catalog).id for _ in range(2)]
    _use_server(window, ai_server, ai_workers=1)
    ai_server.queue(replies.INVALID_JSON)  # the first request gets garbage, the next is fine
    _select(window, qtbot, ids)

    window.photo_actions.describe_with_ai()
    qtbot.waitUntil(lambda: window.describer.last_result is not None, timeout=WAIT_MS)  # type: ignore[attr-defined]

    status = window.ai_status.text()
    assert "1 described" in status and "1 failed" in status
    assert "invalid answer: not JSON" in status
    assert not window.ai_status.isHidden()
    failed = next(i for i in ids if _photo(catalog, i).ai_error)
    _select(window, qtbot, [failed])
    qtbot.waitUntil(lambda: "AI: invalid answer" in window.inspector.status.text())  # type: ignore[attr-defined]


def test_describe_after_import_describes_the_new_photos(
    catalog: Catalog,
    window: MainWindow,
    qtbot: object,
    ai_server: FakeOpenAI,
    photo_folder: Callable[[int], Path],
    import_folder: Callable[..., None],
) -> None:
    _use_server(window, ai_server, ai_describe_after_import=True)

    import_folder(window, photo_folder(2))
    qtbot.waitUntil(lambda: window.describer.last_result is not None, timeout=WAIT_MS)  # type: ignore[attr-defined]

    assert window.describer.last_result.described == 2, window.ai_status.text()
    with catalog.reading() as session:
        assert {p.title for p in session.query(Photo)} == {TITLE}


def test_review_mode_approves_one_photo_then_the_rest_in_bulk(
    catalog: Catalog, window: MainWindow, qtbot: object, ai_server: FakeOpenAI
) -> None:
    ids = [add_photo_with_thumb(catalog).id for _ in range(3)]
    _use_server(window, ai_server, ai_review_required=True)
    _select(window, qtbot, ids)
    window.photo_actions.describe_with_ai()
    qtbot.waitUntil(lambda: window.describer.last_result is not None, timeout=WAIT_MS)  # type: ignore[attr-defined]

    def reviews() -> list[str | None]:
        return [_photo(catalog, i).ai_review for i in ids]

    assert reviews() == ["pending"] * 3
    _select(window, qtbot, [ids[0]])
    qtbot.waitUntil(lambda: not window.inspector.approve_ai.isHidden(), timeout=WAIT_MS)  # type: ignore[attr-defined]
    assert "Awaiting review" in window.inspector.ai_note.text()

    window.inspector.approve_ai.click()
    qtbot.waitUntil(lambda: reviews() == ["approved", "pending", "pending"], timeout=WAIT_MS)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: window.inspector.approve_ai.isHidden(), timeout=WAIT_MS)  # type: ignore[attr-defined]

    _menu_action(window, "Approve all AI text awaiting review").trigger()
    qtbot.waitUntil(lambda: reviews() == ["approved"] * 3, timeout=WAIT_MS)  # type: ignore[attr-defined]


def test_settings_turn_on_describe_after_import_and_review(
    catalog: Catalog, window: MainWindow, qtbot: object
) -> None:
    dialog = SettingsDialog(window.ctx, window)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.ai_after_import.setChecked(True)
    dialog.ai_review.setChecked(True)
    dialog.save()
    qtbot.waitUntil(lambda: dialog.saved, timeout=WAIT_MS)  # type: ignore[attr-defined]

    with catalog.reading() as session:
        saved = load_settings(session)
    assert saved.ai_describe_after_import and saved.ai_review_required
    assert window.ctx.settings.ai_describe_after_import


def test_describe_is_offered_only_with_an_endpoint_and_the_hint_opens_settings(
    catalog: Catalog,
    window: MainWindow,
    qtbot: object,
    ai_server: FakeOpenAI,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for var in ("OPENAI_API_KEY", "EXIFTREE_OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    window.ctx.update_settings(window.ctx.settings.replace(ai_base_url=None))
    describe = _menu_action(window, "Describe with AI")
    set_up = _menu_action(window, "Set up AI descriptions…")
    assert not describe.isEnabled() and set_up.isVisible()
    assert "Settings" in describe.statusTip() and "--" not in describe.statusTip()

    opened: list[str] = []

    def shown_tab(dialog: SettingsDialog) -> int:
        opened.append(dialog.tabs.tabText(dialog.tabs.currentIndex()))
        return 0

    monkeypatch.setattr(SettingsDialog, "exec", shown_tab)
    set_up.trigger()
    assert opened == ["AI descriptions"]

    photo_id = add_photo_with_thumb(catalog).id
    _select(window, qtbot, [photo_id])
    # reached another way: a sentence, no flag, nothing sent
    window.photo_actions.describe_with_ai()
    message = window.statusBar().currentMessage()
    assert "Settings" in message and "--" not in message
    assert ai_server.count == 0

    _use_server(window, ai_server)  # a local endpoint: no key needed
    assert describe.isEnabled() and not set_up.isVisible()
