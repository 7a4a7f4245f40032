"""The photo streams: home, a camera/lens/tag/city/year/collection, and search results.

Each page is "the photos after ``after``" in the context's order; with ``partial=1`` only
the grid fragment is returned (what HTMX appends when the sentinel scrolls into view).
"""

from __future__ import annotations

from collections.abc import Callable

from webviewer import queries
from webviewer.context import Context, parse_slug, parse_year, search_context
from webviewer.snapshot import Subject
from webviewer.views.base import Page, ViewRequest
from webviewer.views.params import StaleCursor, parse_after, parse_flag

KIND_LABELS = {
    "camera": "Camera",
    "lens": "Lens",
    "tag": "Tag",
    "city": "City",
    "collection": "Collection",
    "year": "Year",
    "search": "Search",
    "stream": "",
}


def stream_page(req: ViewRequest, ctx: Context, **extra: object) -> Page:
    """One page of ``ctx``'s photos, full or as the grid fragment."""
    snapshot, publish = req.snapshot, req.publish
    partial = parse_flag(req.param("partial"), "partial")
    subject = snapshot.subject(publish, ctx)
    listing = snapshot.listing(publish)
    try:
        after = parse_after(req.param("after"), listing)
    except StaleCursor:
        return _updated_meanwhile(req, ctx, partial)
    sequence = snapshot.sequence(publish, ctx, req.seed)
    size = req.app.settings.page_size
    indices = sequence.page(after, size + 1)
    ids = [listing.ids[i] for i in indices[:size]]
    cards = snapshot.cards(publish, ids)
    next_url = partial_url = None
    if len(indices) > size and cards:
        # A seed that is not the visitor's own rides along: a scroll begun under the
        # default seed ends under it even when the visitor's cookie arrives meanwhile.
        seed = None if ctx.kind == "collection" else req.link_seed
        next_url = req.app.urls.context(ctx, after=cards[-1].id, seed=seed)
        partial_url = req.app.urls.context(ctx, after=cards[-1].id, seed=seed, partial=1)
    context = {
        "ctx": ctx,
        "subject": subject,
        "kind_label": KIND_LABELS[ctx.kind],
        "cards": cards,
        "next_url": next_url,
        "partial_url": partial_url,
        "is_first_page": after is None,
        "total": len(sequence.items),
        "cards_html": req.app.card_fragments(publish).grid,
        "card_query": req.app.urls.photo_query(ctx),
        **extra,
    }
    return Page("_grid_page.html" if partial else "stream.html", context)


def _updated_meanwhile(req: ViewRequest, ctx: Context, partial: bool) -> Page:
    """The scroll's cursor left with the last publish: end the scroll with a way to carry
    on (a fragment), or start the list again (a page)."""
    first = req.app.urls.context(ctx)
    if not partial:
        return Page("", {}, status=303, headers={"location": first}, body=b"")
    return Page("_site_updated.html", {"first_url": first})


def home(req: ViewRequest) -> Page:
    """The shuffled stream of every listed photo; ``?year=`` narrows it."""
    year = req.param("year")
    ctx = Context("year", str(parse_year(year, "year"))) if year else Context()
    years = req.snapshot.cached(
        (req.publish.id, "years"),
        lambda: req.snapshot.read(lambda c: queries.year_counts(c, req.publish.seq)),
    )
    return stream_page(req, ctx, years=years, selected_year=int(year) if year else None)


def facet(kind: str) -> Callable[[ViewRequest], Page]:
    """The stream of one camera, lens, tag, city or collection (by slug)."""

    def view(req: ViewRequest) -> Page:
        slug = parse_slug(str(req.path_params["slug"]), "slug")
        return stream_page(req, Context(kind, slug))

    view.__name__ = f"{kind}_stream"
    return view


def year(req: ViewRequest) -> Page:
    value = str(parse_year(str(req.path_params["year"]), "year"))
    return stream_page(req, Context("year", value))


def search(req: ViewRequest) -> Page:
    """Full-text results with camera/lens/city/year filters, in the same stream."""
    filters = {name: req.param(name) or "" for name in ("camera", "lens", "city", "year")}
    ctx = search_context(req.param("q") or "", filters)
    params = ctx.search_params()
    options = req.app.option_lists(req.publish, lambda: _filter_options(req)).html
    if not params:
        subject = Subject("search", "Search")
        context = {"ctx": ctx, "params": params, "cards": [], "subject": subject}
        return Page("stream.html", {**context, "kind_label": "Search", "options": options})
    return stream_page(req, ctx, params=params, options=options)


def _filter_options(req: ViewRequest) -> dict[str, list[tuple[str, str]]]:
    """(value, label) choices for the search form's camera, lens, city and year filters."""

    def facet(kind: str) -> list[tuple[str, str]]:
        links = req.snapshot.cached(
            (req.publish.id, "facets", kind, 1),
            lambda: req.snapshot.read(lambda c: queries.facet_links(c, req.publish.seq, kind, 1)),
        )
        return [(x.slug, x.name) for x in links]

    years = req.snapshot.cached(
        (req.publish.id, "years"),
        lambda: req.snapshot.read(lambda c: queries.year_counts(c, req.publish.seq)),
    )
    return {
        "camera": facet("camera"),
        "lens": facet("lens"),
        "city": facet("city"),
        "year": [(str(y), str(y)) for y, _ in years],
    }
