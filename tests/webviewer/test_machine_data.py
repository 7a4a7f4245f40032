"""What machines read: the Atom feed (checked with feedparser), the sitemap, JSON-LD."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from starlette.testclient import TestClient

from tests.webviewer.snapshot_data import Facts

feedparser = pytest.importorskip("feedparser", reason="pip install -e '.[test]' for feedparser")
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_feed_is_newest_first_with_titles_dates_and_images(
    client: TestClient, facts: Facts
) -> None:
    parsed = feedparser.parse(client.get("/feed.xml").content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    entries = parsed.entries
    assert len(entries) == 30
    published = [e.published_parsed for e in entries]
    assert published == sorted(published, reverse=True) and len(set(published)) == 30
    assert entries[0].link.endswith(f"/photos/{facts.listed[-1]}/")  # the last one published
    titles = {e.link.rsplit("/", 2)[1]: e.title for e in entries}
    assert "Photo" not in titles.values()
    untitled = titles[facts.untitled]
    assert re.fullmatch(r"[^·]+ · \w[^·]* · 20\d\d", untitled), untitled  # camera · city · year
    for entry in entries:
        (enclosure,) = entry.enclosures
        assert enclosure.type == "image/jpeg" and enclosure.href.startswith("http://testserver/")
        assert entry.media_content[0]["medium"] == "image"
        assert int(entry.media_content[0]["width"]) > 0
        assert entry.rights.startswith("© 20") and entry.rights.endswith("Ada Lovelace. CC BY 4.0")
    assert parsed.feed.author == "Ada Lovelace"


def test_sitemap_lists_year_pages(client: TestClient, facts: Facts) -> None:
    sitemap = ET.fromstring(client.get("/sitemap.xml").content)
    locs = {el.text for el in sitemap.iter(f"{SITEMAP}loc")}
    for year in facts.by_year:
        assert f"http://testserver/years/{year}/" in locs
    assert "http://testserver/tags/sunset/" in locs
    assert len(locs) == len(list(sitemap.iter(f"{SITEMAP}loc")))  # no duplicates


def test_photo_json_ld_credits_the_owner_with_a_licence(client: TestClient, facts: Facts) -> None:
    photo = facts.listed[3]
    html = client.get(f"/photos/{photo}/").text
    (raw,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(raw)
    assert data["@type"] == "ImageObject"
    assert data["creator"] == {"@type": "Person", "name": "Ada Lovelace"}
    assert data["creditText"] == "Ada Lovelace"
    assert re.fullmatch(r"© 20\d\d Ada Lovelace", data["copyrightNotice"])
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["contentUrl"].startswith("http://testserver/media/")
    # and the visitor sees the same credit, with the licence linked
    assert 'rel="license" href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>' in html
    assert data["copyrightNotice"] in html
