"""The photo page, its embeddable widget, oEmbed, and /random/."""

from __future__ import annotations

import json
import random
from typing import Any
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from webviewer import credit, queries
from webviewer.context import parse_context
from webviewer.errors import BadRequest, NotFound
from webviewer.rows import Card, PhotoDetail, Rendition
from webviewer.views.base import MAX_CONTEXT_CHARS, Page, ViewRequest
from webviewer.views.params import parse_photo_id

DOWNLOAD_LABELS = ("S", "M", "L")


def _detail(req: ViewRequest, raw_id: str) -> PhotoDetail:
    photo_id = parse_photo_id(raw_id)
    by_id = req.snapshot.facets_by_id(req.publish)
    detail = req.snapshot.read(  # not cached here: the rendered page is
        lambda c: queries.photo_detail(c, req.publish.seq, photo_id, by_id)
    )
    if not detail:
        raise NotFound(f"photo {photo_id}")
    return detail


def photo(req: ViewRequest) -> Page:
    """The photo large, its EXIF bar, tags, collections, and previous/next in context."""
    detail = _detail(req, str(req.path_params["photo_id"]))
    ctx = parse_context(req.param("ctx", MAX_CONTEXT_CHARS))
    prev_id = next_id = None
    if detail.listed:
        req.snapshot.subject(req.publish, ctx)  # unknown context slug: 404
        listing = req.snapshot.listing(req.publish)
        index = listing.index.get(detail.card.id)
        if index is not None:
            sequence = req.snapshot.sequence(req.publish, ctx, req.seed)
            prev_i, next_i = sequence.neighbours(index)
            prev_id = None if prev_i is None else listing.ids[prev_i]
            next_id = None if next_i is None else listing.ids[next_i]
    card = detail.card
    large = card.rendition(1600)
    return Page(
        "photo.html",
        {
            "photo": detail,
            "card": card,
            "ctx": ctx,
            "prev_id": prev_id,
            "next_id": next_id,
            "large": large,
            "downloads": _downloads(card),
            "json_ld": _json_ld(req, detail),
            "notice": credit.copyright_notice(req.site, _year(card)),
        },
    )


def _downloads(card: Card) -> list[tuple[str, Rendition]]:
    """S/M/L from the smaller renditions, O for the largest."""
    renditions = list(card.renditions)
    if not renditions:
        return []
    *smaller, largest = renditions
    labelled = list(zip(DOWNLOAD_LABELS, smaller[-3:], strict=False))
    return [*labelled, ("O", largest)]


def _json_ld(req: ViewRequest, detail: PhotoDetail) -> dict:
    urls, card = req.app.urls, detail.card
    large = card.rendition(1600)
    data = {
        "@context": "https://schema.org",
        "@type": "ImageObject",
        "name": card.title or "Photo",
        "url": urls.absolute(urls.photo(card.id), req.base_url),
    }
    if large:
        data.update(
            contentUrl=urls.absolute(urls.media(large), req.base_url),
            width=large.width,
            height=large.height,
        )
    if card.description:
        data["description"] = card.description
    if card.date_taken:
        data["dateCreated"] = card.date_taken.isoformat()
    data.update(_credit(req.site, _year(card)))
    return data


def _year(card: Card) -> int | None:
    return card.date_taken.year if card.date_taken else None


def _credit(site: dict[str, str], year: int | None) -> dict[str, Any]:
    """Google's image metadata: creator, credit, copyright and licence (when the owner set
    them in the catalog's site settings)."""
    data: dict[str, Any] = {}
    name = credit.owner(site)
    if name:
        person = {"@type": "Person", "name": name}
        data.update(
            creator=person,
            creditText=name,
            copyrightHolder=person,
            copyrightNotice=credit.copyright_notice(site, year),
        )
        if year:
            data["copyrightYear"] = year
    if credit.licence_url(site):
        data["license"] = credit.licence_url(site)
    return data


def embed(req: ViewRequest) -> Page:
    """A small page other sites may put in an iframe."""
    detail = _detail(req, str(req.path_params["photo_id"]))
    return Page("embed.html", {"card": detail.card}, embeddable=True)


def oembed(req: ViewRequest) -> Page:
    """oEmbed (JSON, "photo" type) for a photo page URL, within ``maxwidth``/``maxheight``.
    Only JSON is offered: any other ``format`` is a 501, as the spec asks."""
    fmt = (req.param("format") or "json").lower()
    if fmt != "json":
        return Page(
            body=b"Only format=json is supported.\n",
            media_type="text/plain; charset=utf-8",
            status=501,
        )
    max_width = _positive(req.param("maxwidth"), "maxwidth")
    max_height = _positive(req.param("maxheight"), "maxheight")
    url = req.param("url") or ""
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. "http://[::1": an unclosed IPv6 host
        raise BadRequest("url", "not a URL") from None
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) != 2 or segments[0] != "photos":
        raise BadRequest("url", "not a photo page URL")
    card = _detail(req, segments[1]).card
    chosen = _fitting(card, max_width, max_height)
    if chosen is None:
        raise NotFound("photo rendition")
    rendition, width, height = chosen
    urls = req.app.urls
    data: dict[str, Any] = {
        "version": "1.0",
        "type": "photo",
        "title": card.title or "Photo",
        "url": urls.absolute(urls.media(rendition), req.base_url),
        "width": width,
        "height": height,
        "provider_name": req.site.get("title", "ExifTree"),
        "provider_url": urls.absolute("/", req.base_url),
    }
    if credit.owner(req.site):
        data["author_name"] = credit.owner(req.site)
        data["author_url"] = data["provider_url"]
    return Page(body=json.dumps(data).encode(), media_type="application/json")


def _positive(value: str | None, name: str) -> int | None:
    if value is None or value == "":
        return None
    if not value.isascii() or not value.isdigit() or len(value) > 6 or int(value) == 0:
        raise BadRequest(name, "not a positive number of pixels")
    return int(value)


def _fitting(
    card: Card, max_width: int | None, max_height: int | None
) -> tuple[Rendition, int, int] | None:
    """The largest rendition within the bounds (the 800 px one when none are given); when
    even the smallest is too big, the smallest with its size scaled down to fit."""
    if not card.renditions:
        return None
    if max_width is None and max_height is None:
        medium = card.rendition(800)
        assert medium is not None
        return medium, medium.width, medium.height
    limit_w, limit_h = max_width or 10**9, max_height or 10**9
    fits = [r for r in card.renditions if r.width <= limit_w and r.height <= limit_h]
    if fits:
        best = max(fits, key=lambda r: r.width * r.height)
        return best, best.width, best.height
    smallest = card.renditions[0]
    scale = min(limit_w / smallest.width, limit_h / smallest.height)
    width = max(1, int(smallest.width * scale))
    height = max(1, int(smallest.height * scale))
    return smallest, width, height


async def random_photo(request: Request) -> Response:
    """A random listed photo, picked from the cached listing (no ORDER BY RANDOM())."""
    app = request.app.state.viewer
    publish = await run_in_threadpool(app.snapshot.publish)
    listing = await run_in_threadpool(app.snapshot.listing, publish)
    if not len(listing):
        raise NotFound("photos")
    photo_id = listing.ids[random.randrange(len(listing))]
    return RedirectResponse(
        app.urls.photo(photo_id), status_code=302, headers={"cache-control": "no-store"}
    )
