"""Index pages list everything published: a threshold ranks or groups, it never hides."""

from __future__ import annotations

import re
from urllib.parse import quote

from starlette.testclient import TestClient

from catalog.slugs import slugify
from tests.webviewer.snapshot_data import CAMERAS, TAGS, Facts


def test_rare_cameras_are_listed_below_the_tiles(client: TestClient) -> None:
    html = client.get("/cameras/").text
    tiles, _, others = html.partition('<section class="others">')
    assert "Nikon D70" in tiles and "Sony RX100" not in tiles  # 3 photos: below the line
    assert 'href="/cameras/sony-rx100/">Sony RX100</a>' in others
    assert f"{len(CAMERAS)} cameras" in html
    every = client.get("/cameras/?all=1").text
    assert "Sony RX100" in every and '<section class="others">' not in every
    assert 'href="/cameras/?all=1"' in html  # the "all" view is always one click away
    canon_only = client.get("/cameras/?brand=Canon").text
    assert "Canon EOS 5D Mark II" in canon_only and "Nikon D70" not in canon_only


def test_lenses_below_the_threshold_still_show(client: TestClient, snap: object) -> None:
    """With every lens under the line (as on a real site with 8 lenses of 1-4 photos each),
    the page shows them all rather than "Nothing here yet"."""
    from webviewer.app import create_app

    with TestClient(create_app(snap.settings(gear_min_photos=10_000))) as strict:  # type: ignore[attr-defined]
        html = strict.get("/lenses/").text
    assert "Nothing here yet" not in html
    assert "EF 50mm f/1.8" in html and "AF-S DX 18-70mm" in html


def test_every_tag_is_in_the_cloud_and_the_a_to_z_list(client: TestClient, facts: Facts) -> None:
    used = [t for t in TAGS if facts.by_tag.get(t)]
    rare = min(used, key=lambda t: len(facts.by_tag[t]))
    cloud = client.get("/tags/").text
    assert all(f'href="/tags/{quote(slugify(t))}/"' in cloud for t in used)
    assert f'href="/tags/{quote(slugify(rare))}/"' in cloud
    assert 'href="/tags/?all=1"' in cloud
    listed = client.get("/tags/?all=1").text
    names = re.findall(r'<li><a href="/tags/[^"/]+/">([^<]+)</a>', listed)
    assert names == sorted(used)
    assert f"{len(facts.by_tag[rare])} photo" in listed


def test_cities_years_and_collections_list_everything(client: TestClient, facts: Facts) -> None:
    cities = client.get("/cities/").text
    assert all(f'href="/cities/{slug}/"' in cities for slug, ids in facts.by_city.items() if ids)
    years = client.get("/years/").text
    assert all(f'href="/years/{y}/"' in years for y in facts.by_year)
    assert 'href="/collections/best-of/"' in client.get("/collections/").text
