"""Chromium walks the site: the grid, infinite scroll, a photo, the keyboard."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from tests.conftest import REPO, free_port, wait_for_port
from tests.webviewer.conftest import Snap
from webviewer.app import create_app

pytestmark = pytest.mark.browser
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def site(sqlite_snap: Snap) -> Iterator[str]:
    """The viewer under uvicorn in a thread, on a free port."""
    port = free_port()
    app = create_app(sqlite_snap.settings(page_size=20))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_for_port(port)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page(site: str) -> Iterator[object]:
    playwright_sync = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Debian's chromium is not installed")
    with playwright_sync.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        tab = context.new_page()
        errors: list[str] = []
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        tab.on(
            "console",
            lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None,
        )
        yield tab
        browser.close()
        assert not errors, errors  # no script errors, no CSP violations


def test_grid_scroll_photo_keyboard(page: object, site: str) -> None:
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(site + "/")
    cards = page.locator("#grid a.card")
    assert cards.count() >= 20  # page 1; a tall window may already be fetching page 2
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(ARTIFACTS / "viewer-home.png"))

    page.locator("a.more").scroll_into_view_if_needed()
    expect(cards.nth(39)).to_be_attached()
    hrefs = [cards.nth(i).get_attribute("href") for i in range(40)]
    assert len(set(hrefs)) == 40  # the second page repeats nothing

    page.mouse.wheel(0, -100000)
    first_href = cards.first.get_attribute("href")
    cards.first.click()
    page.wait_for_url(site + first_href)
    expect(page.locator("article.photo img").first).to_be_visible()  # waits, unlike is_visible
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(ARTIFACTS / "viewer-photo.png"))

    next_href = page.locator("#photo").get_attribute("data-next")
    assert next_href == hrefs[1]  # → is the next photo of the grid the visitor came from
    page.keyboard.press("ArrowRight")
    page.wait_for_url(site + next_href)
    page.keyboard.press("ArrowLeft")
    page.wait_for_url(site + first_href)
    page.keyboard.press("Escape")
    page.wait_for_url(site + "/")
    expect(page.locator("#grid a.card").nth(19)).to_be_attached()  # at least 20 cards


def test_tag_filter_box_and_map_page(page: object, site: str) -> None:
    page.goto(site + "/tags/")
    page.fill("#tag-filter", "sun")
    visible = page.locator("#cloud li:visible")
    assert visible.count() == 1 and visible.first.inner_text() == "sunset"
    page.goto(site + "/cities/")
    page.wait_for_selector("#map .leaflet-interactive")
    assert page.locator("#map path.leaflet-interactive").count() == 4
