"""The index pages: cameras, lenses, tags (a cloud), cities (a map), years, collections."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from itertools import groupby

from webviewer import queries
from webviewer.geo import continent_of, country_name
from webviewer.rows import Card, Link
from webviewer.views.base import Page, ViewRequest
from webviewer.views.params import parse_flag

MAX_BRAND_CHARS = 100


def _facets(req: ViewRequest, kind: str, min_count: int) -> list[Link]:
    return req.snapshot.cached(
        (req.publish.id, "facets", kind, min_count),
        lambda: req.snapshot.read(
            lambda c: queries.facet_links(c, req.publish.seq, kind, min_count)
        ),
    )


def _covers(req: ViewRequest, links: list[Link]) -> dict[str, Card]:
    ids = [x.extra["cover_photo_id"] for x in links if x.extra.get("cover_photo_id")]
    found = req.snapshot.read(lambda c: queries.cards(c, req.publish.seq, ids))
    return {card.id: card for card in found}


def gear(kind: str) -> Callable[[ViewRequest], Page]:
    """Every camera or lens published: the most used as tiles with a cover, the rest as a
    list below them (a threshold ranks, never hides); ``all=1`` shows every one as a tile."""

    def view(req: ViewRequest) -> Page:
        show_all = parse_flag(req.param("all"), "all")
        links = _facets(req, kind, 1)
        brands = sorted({x.extra.get("make") or "" for x in links} - {""})
        brand = (req.param("brand") or "")[:MAX_BRAND_CHARS]
        if brand:
            links = [x for x in links if (x.extra.get("make") or "").lower() == brand.lower()]
        tiles, others = _ranked(links, 1 if show_all else req.app.settings.gear_min_photos)
        context = {
            "kind": kind,
            "title": "Cameras" if kind == "camera" else "Lenses",
            "noun": "camera" if kind == "camera" else "lens",
            "links": tiles,
            "others": others,
            "total": len(links),
            "covers": _covers(req, tiles),
            "brands": brands,
            "brand": brand,
            "show_all": show_all,
        }
        return Page("gear.html", context)

    view.__name__ = f"{kind}_index"
    return view


def _ranked(links: list[Link], minimum: int) -> tuple[list[Link], list[Link]]:
    """(the links with at least ``minimum`` photos, the rest most used first). When none
    reaches the line, all of them are the tiles: an index is never empty while it has any."""
    top = [x for x in links if x.count >= minimum]
    if not top:
        return list(links), []
    rest = [x for x in links if x.count < minimum]
    return top, sorted(rest, key=lambda x: (-x.count, x.name.lower()))


def tags(req: ViewRequest) -> Page:
    """Every published tag (the owner's own as much as any): a cloud sized on a log scale of
    frequency, shuffled per visitor; ``all=1`` lists them A to Z with their counts."""
    links = list(_facets(req, "tag", 1))
    if parse_flag(req.param("all"), "all"):
        ordered = sorted(links, key=lambda x: x.name.lower())
        return Page("tags.html", {"tags": [(x, 1.0) for x in ordered], "show_all": True})
    random.Random(req.seed).shuffle(links)
    counts = [x.count for x in links] or [1]
    low, high = math.log(min(counts)), math.log(max(counts))
    spread = (high - low) or 1.0
    sized = [(x, round(0.9 + 1.6 * (math.log(x.count) - low) / spread, 2)) for x in links]
    return Page("tags.html", {"tags": sized, "show_all": False})


def cities(req: ViewRequest) -> Page:
    """The map and the list grouped by continent, country and region."""
    links = _facets(req, "city", 1)

    def where(x: Link) -> tuple[str, str, str, str]:
        code = x.extra["country_code"]
        return continent_of(code), country_name(code), x.extra.get("admin1") or "", x.name

    ordered = sorted(links, key=where)
    groups = [
        (
            continent,
            [(country, list(rows)) for country, rows in groupby(items, lambda x: where(x)[1])],
        )
        for continent, items in groupby(ordered, lambda x: where(x)[0])
    ]
    biggest = max((x.count for x in links), default=1)
    markers = [
        {
            "name": x.name,
            "url": req.app.urls.facet("city", x.slug),
            "lat": x.extra["latitude"],
            "lon": x.extra["longitude"],
            "count": x.count,
            "radius": round(4 + 16 * math.sqrt(x.count / biggest), 1),
        }
        for x in links
    ]
    return Page("cities.html", {"groups": groups, "markers": markers, "count": len(links)})


def years(req: ViewRequest) -> Page:
    counts = req.snapshot.cached(
        (req.publish.id, "years"),
        lambda: req.snapshot.read(lambda c: queries.year_counts(c, req.publish.seq)),
    )
    return Page("years.html", {"years": counts})


def collections(req: ViewRequest) -> Page:
    links = _facets(req, "collection", 1)
    return Page("collections.html", {"links": links, "covers": _covers(req, links)})
