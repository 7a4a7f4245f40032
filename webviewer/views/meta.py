"""For machines: sitemap, robots.txt, the Atom feed, /health and the favicon."""

from __future__ import annotations

import mimetypes
from typing import Any

from markupsafe import escape
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from webviewer import credit, queries
from webviewer.rows import Card, Link
from webviewer.seeds import new_seed_response
from webviewer.settings import is_https
from webviewer.views.base import Page, ViewRequest
from webviewer.views.indexes import _facets

SITEMAP_MAX_URLS = 50_000
FEED_ENTRIES = 30


def sitemap(req: ViewRequest) -> Page:
    """Every listed photo and facet page (unlisted photos never appear)."""
    urls = req.app.urls
    paths = ["/", "/cameras/", "/lenses/", "/tags/", "/cities/", "/years/", "/collections/"]
    for kind in ("camera", "lens", "tag", "city", "collection"):
        paths += [urls.facet(kind, x.slug) for x in _facets(req, kind, 1)]
    years = req.snapshot.cached(
        (req.publish.id, "years"),
        lambda: req.snapshot.read(lambda c: queries.year_counts(c, req.publish.seq)),
    )
    paths += [urls.facet("year", year) for year, _ in years]
    listing = req.snapshot.listing(req.publish)
    paths += [urls.photo(photo_id) for photo_id in sorted(listing.ids)]
    locs = [urls.absolute(p, req.base_url) for p in paths[:SITEMAP_MAX_URLS]]
    return Page("sitemap.xml", {"locs": locs}, media_type="application/xml")


def feed(req: ViewRequest) -> Page:
    """Atom: the newest published photos, each with its own title, dates, credit and image
    (as an enclosure and a Media RSS element, so readers can show it without the HTML)."""
    cards = req.snapshot.read(lambda c: queries.newest_cards(c, req.publish.seq, FEED_ENTRIES))
    updated = max((c.first_published_at for c in cards if c.first_published_at), default=None)
    cities = req.snapshot.facets_by_id(req.publish)["city"]
    entries = [_entry(req, card, cities.get(card.city_id or "")) for card in cards]
    return Page(
        "feed.xml",
        {
            "entries": entries,
            "updated": updated,
            "rights": credit.rights(req.site),
            "owner": credit.owner(req.site),
        },
        media_type="application/atom+xml; charset=utf-8",
    )


def _entry(req: ViewRequest, card: Card, city: Link | None) -> dict[str, Any]:
    urls = req.app.urls
    image = card.rendition(1600)
    year = card.date_taken.year if card.date_taken else None
    return {
        "card": card,
        "title": card.headline(city.name if city else None),
        "url": urls.absolute(urls.photo(card.id), req.base_url),
        "html": _entry_html(req, card),
        "image": image,
        "image_url": urls.absolute(urls.media(image), req.base_url) if image else None,
        "image_type": mimetypes.guess_type(image.key)[0] or "image/jpeg" if image else None,
        "rights": credit.rights(req.site, year),
    }


def _entry_html(req: ViewRequest, card: Card) -> str:
    """The entry's HTML, escaped here once; the template escapes it again as XML text."""
    urls, r = req.app.urls, card.rendition(800)
    html = ""
    if r is not None:
        src = urls.absolute(urls.media(r), req.base_url)
        html += f'<img src="{escape(src)}" width="{r.width}" height="{r.height}" '
        html += f'alt="{escape(card.alt)}">'
    if card.description:
        html += f"<p>{escape(card.description)}</p>"
    return html


async def robots(request: Request) -> Response:
    """Crawl politely; query-string variants (shuffles, cursors, contexts) are not for indexing."""
    app = request.app.state.viewer
    base = app.urls.absolute("", str(request.base_url))
    body = (
        "User-agent: *\nCrawl-delay: 2\nDisallow: /*?\nDisallow: /embed/\nDisallow: /random/\n"
        "Disallow: /seed\n"
        f"Allow: /\n\nSitemap: {base}/sitemap.xml\n"
    )
    return PlainTextResponse(body, headers={"cache-control": "public, max-age=86400"})


async def seed(request: Request) -> Response:
    """The visitor's own shuffle seed, as a cookie (called once by the page's script)."""
    app = request.app.state.viewer
    secure = is_https(request.scope, app.settings)
    return new_seed_response(request, app.settings.seeds, secure)


async def health(request: Request) -> Response:
    """Liveness only: answers without touching the database."""
    return PlainTextResponse("ok\n", headers={"cache-control": "no-store"})


async def favicon(request: Request) -> Response:
    app = request.app.state.viewer
    body = app.static_files["favicon.svg"][0]
    return Response(
        body, media_type="image/svg+xml", headers={"cache-control": "public, max-age=604800"}
    )
