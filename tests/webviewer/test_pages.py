"""Every page renders with realistic data, on PostgreSQL and on a SQLite snapshot."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from starlette.testclient import TestClient

from tests.webviewer.snapshot_data import UNLISTED_TITLE, Facts


def photo_ids(html: str) -> list[str]:
    """The photo cards of a page, in order."""
    return re.findall(r'class="card" href="/photos/([0-9a-f-]{36})/', html)


def test_every_page_renders(client: TestClient, facts: Facts) -> None:
    photo = facts.listed[5]
    pages = {
        "/": "Ada&#39;s Photographs",
        "/cameras/": "Nikon D70",
        "/cameras/nikon-d70/": "Nikon D70",
        "/lenses/": "EF 50mm f/1.8",
        "/lenses/ef-50mm-f-1-8/": "EF 50mm f/1.8",
        "/tags/": "sunset",
        "/tags/sunset/": "#sunset",
        "/cities/": "Reykjavík",
        "/cities/portland-oregon-us/": "Portland, Oregon",
        "/years/": "2021",
        "/years/2021/": "2021",
        "/collections/": "Best of",
        "/collections/best-of/": "The ones I keep coming back to.",
        f"/photos/{photo}/": facts.titles[photo],
        "/search/?q=bridge": "Search: bridge",
        f"/embed/{photo}/": facts.titles[photo],
    }
    for path, expected in pages.items():
        response = client.get(path)
        assert response.status_code == 200, path
        assert expected in response.text, path
        assert "LEAK-" not in response.text, path


def test_stream_pages_show_cards_with_sizes_and_placeholders(client: TestClient) -> None:
    html = client.get("/").text
    assert len(photo_ids(html)) == 10
    assert re.search(r'<img src="/media/p/[0-9a-f]{2}/[0-9a-f]{64}-v1-400\.jpg" srcset=', html)
    assert re.search(r'width="\d+" height="\d+"', html)
    assert re.search(r"background-color: #[0-9a-f]{6}", html)
    assert 'loading="lazy"' in html  # below the fold
    assert 'hx-trigger="revealed"' in html and 'rel="next"' in html


def test_photo_page_has_exif_bar_downloads_cards_and_json_ld(
    client: TestClient, facts: Facts
) -> None:
    photo = facts.by_camera["nikon-d70"][0]
    html = client.get(f"/photos/{photo}/").text
    for fragment in ('href="/cameras/nikon-d70/"', 'href="/cities/', 'href="/tags/', "f/", "ISO"):
        assert fragment in html
    assert 'property="og:image" content="http://testserver/media/' in html
    assert re.search(r'og:image:width" content="\d+"', html)
    assert '"@type": "ImageObject"' in html
    assert ">O <span" in html  # the largest rendition as O
    assert "latitude" not in html and "35.68" not in html  # place is the city link only


def test_unlisted_photo_by_url_only(client: TestClient, facts: Facts) -> None:
    assert UNLISTED_TITLE in client.get(f"/photos/{facts.unlisted}/").text
    for path in ("/", "/tags/sunset/", "/search/?q=harbour", "/sitemap.xml", "/feed.xml"):
        body = client.get(path).text
        assert UNLISTED_TITLE not in body and facts.unlisted not in body, path
    everything = _walk_stream(client, "/tags/sunset/")
    assert facts.unlisted not in everything
    assert len(everything) == len(facts.by_tag["sunset"])


def test_only_the_live_publish_shows(client: TestClient, facts: Facts) -> None:
    """seq 1's old title, a removed photo and the rolled-back seq 3 never show."""
    assert client.get(f"/photos/{facts.removed_photo}/").status_code == 404
    assert client.get(f"/photos/{facts.rolled_back_photo}/").status_code == 404
    edited = client.get(f"/photos/{facts.versioned_photo}/").text
    assert facts.titles[facts.versioned_photo] in edited
    assert sorted(_walk_stream(client, "/")) == sorted(facts.listed)


def test_machine_pages(client: TestClient, facts: Facts) -> None:
    sitemap = ET.fromstring(client.get("/sitemap.xml").content)
    locs = [el.text for el in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert f"http://testserver/photos/{facts.listed[0]}/" in locs
    feed = client.get("/feed.xml")
    assert feed.headers["content-type"].startswith("application/atom+xml")
    entries = ET.fromstring(feed.content).findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == 30
    robots = client.get("/robots.txt").text
    assert "Crawl-delay" in robots and "Disallow: /*?" in robots
    oembed = client.get("/oembed", params={"url": f"http://x/photos/{facts.listed[0]}/"}).json()
    assert oembed["type"] == "photo" and oembed["width"] > 0
    assert client.get("/favicon.ico").headers["content-type"] == "image/svg+xml"
    random_photo = client.get("/random/", follow_redirects=False)
    assert random_photo.status_code == 302
    assert random_photo.headers["location"].removeprefix("/photos/").strip("/") in facts.listed


def test_cities_are_grouped_and_mapped(client: TestClient) -> None:
    html = client.get("/cities/").text.split('<div class="places">')[1]
    assert html.index("Asia") < html.index("Japan") < html.index("Tokyo")
    assert "United States" in html and "Portland, Oregon" in html
    assert '<script type="application/json" id="markers">' in client.get("/cities/").text


def test_analytics_snippet_is_inserted_and_allowed_by_csp(client: TestClient) -> None:
    response = client.get("/")
    assert '<script defer src="https://stats.example.org/script.js"></script>' in response.text
    csp = response.headers["content-security-policy"]
    assert "https://stats.example.org" in csp and "unsafe-inline'" not in csp.split("style-src")[0]


def test_health_needs_no_database(tmp_path: object) -> None:
    from webviewer.app import create_app
    from webviewer.settings import ViewerSettings

    app = create_app(ViewerSettings(database_url="postgresql+psycopg://nobody@127.0.0.1:1/x"))
    with TestClient(app) as offline:
        assert offline.get("/health").text == "ok\n"
        page = offline.get("/")
        assert page.status_code == 503 and "Back in a moment" in page.text


def _walk_stream(client: TestClient, path: str, link: str = r'hx-get="([^"]+)"') -> list[str]:
    """Follow next-page links (by default the HTMX partials) to the end of a stream."""
    seen: list[str] = []
    html = client.get(path).text
    while True:
        seen += photo_ids(html)
        found = re.search(link, html)
        if not found:
            return seen
        html = client.get(found.group(1).replace("&amp;", "&")).text


@pytest.mark.parametrize("path", ["/tags/москва/", "/tags/%D0%BC%D0%BE%D1%81%D0%BA%D0%B2%D0%B0/"])
def test_a_tag_in_another_script_has_its_page(client, path: str) -> None:
    """Tags (and places, collections) named in Cyrillic, Japanese… are linked from photo
    pages and listed in the sitemap: their pages must answer, not 400."""
    page = client.get(path)
    assert page.status_code == 200 and "Москва" in page.text
    assert client.get("/tags/../etc/").status_code in (400, 404)
    assert client.get("/tags/a_b/").status_code == 400
