"""Markup details that validators, crawlers and embedders check: oEmbed bounds and formats,
share images on every page, srcset, valid attributes, an h1 everywhere, focal lengths."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from starlette.testclient import TestClient

from tests.webviewer.snapshot_data import Facts
from webviewer.filters import focal
from webviewer.rows import Card, Rendition, renditions_from
from webviewer.urls import Urls


def _oembed(client: TestClient, photo: str, **params: object):  # noqa: ANN202
    return client.get("/oembed", params={"url": f"http://x/photos/{photo}/", **params})


def test_oembed_fits_maxwidth_and_maxheight(client: TestClient, facts: Facts) -> None:
    photo = facts.listed[0]
    default = _oembed(client, photo).json()
    assert max(default["width"], default["height"]) == 800
    for bounds in ({"maxwidth": 500}, {"maxheight": 300}, {"maxwidth": 900, "maxheight": 450}):
        data = _oembed(client, photo, **bounds).json()
        assert data["width"] <= bounds.get("maxwidth", 10**6), bounds
        assert data["height"] <= bounds.get("maxheight", 10**6), bounds
    tiny = _oembed(client, photo, maxwidth=50).json()
    assert tiny["width"] <= 50 and tiny["url"].endswith("-400.jpg")
    big = _oembed(client, photo, maxwidth=5000, maxheight=5000).json()
    assert big["url"].endswith("-1600.jpg")
    assert _oembed(client, photo, maxwidth="wide").status_code == 400
    assert _oembed(client, photo).json()["author_name"] == "Ada Lovelace"


def test_oembed_xml_is_not_implemented(client: TestClient, facts: Facts) -> None:
    response = _oembed(client, facts.listed[0], format="xml")
    assert response.status_code == 501
    assert _oembed(client, facts.listed[0], format="json").status_code == 200


@pytest.mark.parametrize(
    "path", ["/cameras/", "/lenses/", "/tags/", "/cities/", "/years/", "/collections/", "/search/"]
)
def test_index_pages_and_empty_search_have_a_share_image(client: TestClient, path: str) -> None:
    html = client.get(path).text
    assert re.search(r'<meta property="og:image" content="http://testserver/media/[^"]+">', html)
    assert 'name="twitter:card" content="summary_large_image"' in html


def test_srcset_lists_each_width_once() -> None:
    """A small original's 800 and 1600 renditions can both be 640 px wide."""
    same = [Rendition(400, "a-400.jpg", 400, 300), Rendition(800, "a-800.jpg", 640, 480)]
    card = Card(
        "x", None, None, 640, 480, "#000000", (*same, Rendition(1600, "a-1600.jpg", 640, 480))
    )
    assert Urls("/media/", {}).srcset(card) == "/media/a-400.jpg 400w, /media/a-800.jpg 640w"


def test_renditions_are_read_smallest_first_and_junk_entries_skipped() -> None:
    good = {"size": 800, "key": "p/b-800.jpg", "width": 800, "height": 533, "bytes": 9}
    small = {"size": "400", "key": "p/b-400.jpg", "width": 400, "height": 266}
    junk = [{"size": "big"}, {"key": "p/x.jpg"}, None, 7, "text", ["size"]]
    expected = (
        Rendition(400, "p/b-400.jpg", 400, 266, 0),
        Rendition(800, "p/b-800.jpg", 800, 533, 9),
    )
    assert renditions_from([good, small]) == expected
    assert renditions_from([good, *junk, small]) == expected
    assert renditions_from(None) == renditions_from([]) == ()


@pytest.mark.parametrize(
    "odd",
    ["p/ab/plain-v1-400.jpg", "a b.jpg", "é/ü.jpg", 'a?b#c&d"<', "a%20b", "a\nb", "", "~_.-/"],
)
def test_media_and_facet_urls_are_quoted_whatever_the_key_or_slug(odd: str) -> None:
    urls = Urls("https://media.example.org/", {})
    assert urls.media(Rendition(400, odd, 400, 300)) == "https://media.example.org/" + quote(odd)
    assert urls.facet("tag", odd) == f"/tags/{quote(odd)}/"


def test_attributes_are_valid_html(client: TestClient, facts: Facts) -> None:
    stream = client.get("/").text
    assert re.search(r'\sdata-hx-get="[^"]+" data-hx-trigger="revealed"', stream)
    assert not re.search(r"\shx-[a-z]+=", stream)  # only data-* names are valid HTML
    photo = client.get(f"/photos/{facts.listed[4]}/").text
    article = re.search(r'<article class="photo"[^>]*>', photo).group(0)  # type: ignore[union-attr]
    assert not re.search(r'"[a-z-]+=', article), article  # a space between every attribute
    assert "data-prev=" in article and "data-next=" in article


def test_every_page_has_one_h1(client: TestClient, facts: Facts) -> None:
    paths = ["/", "/cameras/", "/tags/", "/cities/", "/years/", "/search/", "/search/?q=tram"]
    for path in [*paths, f"/photos/{facts.listed[2]}/", "/tags/sunset/"]:
        assert len(re.findall(r"<h1[ >]", client.get(path).text)) == 1, path
    home = client.get("/").text
    assert "<h1>Ada&#39;s Photographs</h1>" in home
    assert "Streets, mountains and harbours." in home  # the tagline


def test_places_map_is_a_region_not_an_image(client: TestClient) -> None:
    """Leaflet puts buttons and links in the map: inside role=img they are nested-interactive."""
    html = client.get("/cities/").text
    assert 'id="map" class="map" role="region"' in html and 'role="img"' not in html


@pytest.mark.parametrize(
    ("mm", "shown"),
    [
        (1.60059, "1.6 mm"),
        (4.5, "4.5 mm"),
        (6.0, "6 mm"),
        (9.96, "10 mm"),
        (15.4375, "15 mm"),
        (15.6, "16 mm"),
        (200.0, "200 mm"),
        (None, ""),
        (0, ""),
    ],
)
def test_focal_lengths_are_rounded_as_photographers_do(mm: float | None, shown: str) -> None:
    assert focal(mm) == shown
