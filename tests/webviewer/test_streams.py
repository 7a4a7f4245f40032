"""Pagination, the per-visitor shuffle, previous/next in context, and search."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from catalog.slugs import slugify
from tests.webviewer.snapshot_data import Facts
from tests.webviewer.test_pages import _walk_stream, photo_ids


def _walk_plain_links(client: TestClient, path: str) -> list[str]:
    """Follow the no-JavaScript "More photos" links."""
    return _walk_stream(client, path, link=r'class="more" href="([^"]+)"')


@pytest.mark.parametrize("seed", ["0", "7", "15"])
def test_pagination_never_repeats_or_skips(client: TestClient, facts: Facts, seed: str) -> None:
    client.cookies.set("seed", seed)
    walked = _walk_stream(client, "/")
    assert len(walked) == len(set(walked)) == len(facts.listed)
    assert set(walked) == set(facts.listed)
    assert _walk_plain_links(client, "/") == walked  # no-JS links give the same pages
    assert _walk_stream(client, "/") == walked  # the same visitor sees the same order again


def test_different_seeds_give_different_orders(client: TestClient) -> None:
    orders = set()
    for seed in ("1", "2", "3"):
        client.cookies.set("seed", seed)
        orders.add(tuple(photo_ids(client.get("/").text)))
    assert len(orders) == 3


def test_filtered_streams_hold_exactly_their_photos(client: TestClient, facts: Facts) -> None:
    client.cookies.set("seed", "4")
    assert sorted(_walk_stream(client, "/cameras/nikon-d70/")) == sorted(
        facts.by_camera["nikon-d70"]
    )
    assert sorted(_walk_stream(client, "/years/2020/")) == sorted(facts.by_year[2020])
    assert sorted(_walk_stream(client, "/?year=2020")) == sorted(facts.by_year[2020])
    assert _walk_stream(client, "/collections/best-of/") == facts.collection  # owner's order


@pytest.mark.parametrize("context_path", ["/", "/tags/sunset/", "/collections/best-of/"])
def test_next_and_previous_stay_in_context(
    client: TestClient, facts: Facts, context_path: str
) -> None:
    client.cookies.set("seed", "9")
    grid = _walk_stream(client, context_path)
    first_link = re.search(r'class="card" href="([^"]+)"', client.get(context_path).text).group(1)
    path, visited = first_link.replace("&amp;", "&"), []
    while path:
        html = client.get(path).text
        visited.append(re.search(r"/photos/([0-9a-f-]{36})/", path).group(1))
        assert f'data-back="{context_path}"' in html
        found = re.search(r'data-next="([^"]+)"', html)
        path = found.group(1).replace("&amp;", "&") if found else None
    assert visited == grid
    last = client.get(first_link.replace(grid[0], grid[-1]).replace("&amp;", "&")).text
    previous = re.search(r'data-prev="/photos/([0-9a-f-]{36})/', last).group(1)
    assert previous == grid[-2]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("golden", lambda f: [p for p, t in f.titles.items() if "Golden" in t]),
        ("harbour", lambda f: f.by_tag["harbour"]),
        ("canon", lambda f: f.by_camera["canon-eos-5d-mark-ii"]),
        ("reykjavík", lambda f: f.by_city[slugify("Reykjavík Capital Region IS")]),
        ("Reykja", lambda f: f.by_city[slugify("Reykjavík Capital Region IS")]),
    ],
)
def test_search_finds_by_title_tag_camera_and_city(
    client: TestClient, facts: Facts, query: str, expected: object
) -> None:
    found = _walk_stream(client, f"/search/?q={query}")
    assert sorted(found) == sorted(expected(facts))
    assert facts.unlisted not in found


def test_search_filters_narrow_results(client: TestClient, facts: Facts) -> None:
    found = _walk_stream(client, "/search/?q=sunset&camera=nikon-d70&year=2020")
    expected = set(facts.by_tag["sunset"]) & set(facts.by_camera["nikon-d70"])
    expected &= set(facts.by_year[2020])
    assert sorted(found) == sorted(expected)
    assert "No photos match" in client.get("/search/?q=zzzzqqq").text


def test_a_scroll_cursor_left_behind_by_a_publish_ends_gently(client: TestClient) -> None:
    """A new publish removed the photo the visitor's next page starts after: not their
    mistake, so no 400 that silently kills the infinite scroll."""
    gone = "00000000-0000-4000-8000-000000000000"
    fragment = client.get(f"/?after={gone}&partial=1")
    assert fragment.status_code == 200 and "The site was updated" in fragment.text
    page = client.get(f"/?after={gone}", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/"
