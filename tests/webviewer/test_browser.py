"""Chromium walks the site: the grid, infinite scroll, a photo, the keyboard."""

from __future__ import annotations

import re
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
    cards.first.click()  # a first visit: the script keeps the page's seed on the way
    page.wait_for_url(re.compile(re.escape(site + first_href) + r"(\?seed=\d+)?$"))
    expect(page.locator("article.photo img").first).to_be_visible()  # waits, unlike is_visible
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(ARTIFACTS / "viewer-photo.png"))

    next_href = page.locator("#photo").get_attribute("data-next")
    assert next_href == hrefs[1]  # → is the next photo of the grid the visitor came from
    page.keyboard.press("ArrowRight")
    page.wait_for_url(re.compile(re.escape(site + next_href) + r"(\?seed=\d+)?$"))
    page.keyboard.press("ArrowLeft")
    page.wait_for_url(re.compile(re.escape(site + first_href) + r"(\?seed=\d+)?$"))
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(re.escape(site) + r"/(\?seed=\d+)?$"))  # the grid it came from
    expect(page.locator("#grid a.card").nth(19)).to_be_attached()  # at least 20 cards


def test_tag_filter_box_and_map_page(page: object, site: str) -> None:
    page.goto(site + "/tags/")
    page.fill("#tag-filter", "sun")
    visible = page.locator("#cloud li:visible")
    assert visible.count() == 1 and visible.first.inner_text() == "sunset"
    page.goto(site + "/cities/")
    page.wait_for_selector("#map .leaflet-interactive")
    assert page.locator("#map path.leaflet-interactive").count() == 4


def test_index_feed_and_json_ld(page: object, site: str) -> None:
    """A visitor walks the camera index to a camera and a photo; a reader takes the feed;
    a crawler reads the photo's JSON-LD."""
    import json

    page.goto(site + "/cameras/")
    page.locator("section.others a", has_text="Sony RX100").click()  # below the tiles
    page.wait_for_url(site + "/cameras/sony-rx100/")
    assert page.locator("#grid a.card").count() == 3
    page.locator("#grid a.card").first.click()
    page.wait_for_url(f"{site}/photos/**")
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert data["creator"]["name"] == "Ada Lovelace" and data["license"].startswith("https://")
    assert data["contentUrl"].startswith(site + "/media/")
    feed = page.request.get(site + "/feed.xml")
    assert feed.ok and feed.headers["content-type"].startswith("application/atom+xml")
    assert feed.text().count("<entry>") == 30 and 'rel="enclosure"' in feed.text()


def test_phone_nav_shows_every_section(site: str) -> None:
    """At 390 px the section links wrap: none is cut off at the screen's edge."""
    playwright_sync = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Debian's chromium is not installed")
    with playwright_sync.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
        tab.goto(site + "/")
        links = tab.locator("header.top nav a")
        assert links.count() == 6
        for i in range(6):
            box = links.nth(i).bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, i
        assert tab.evaluate("document.documentElement.scrollWidth") <= 390
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / "viewer-phone.png"))
        browser.close()
