"""The public site: ``create_app(settings)`` with its one route list.

``uvicorn webviewer.app:create_app --factory`` reads the settings from the environment
(``EXIFTREE_VIEWER_DATABASE_URL``, ``EXIFTREE_VIEWER_MEDIA_URL``…); tests and
``exiftree serve`` pass them in.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from webviewer import filters
from webviewer.db import Publish, SnapshotDB, make_engine
from webviewer.errors import SnapshotUnavailable, ViewerError
from webviewer.fragments import CardFragments, Choices, OptionLists
from webviewer.listing import LRU
from webviewer.middleware import RateLimitMiddleware, ReadOnlyMiddleware, SecurityHeadersMiddleware
from webviewer.settings import ViewerSettings, settings_from_env
from webviewer.snapshot import MB, Snapshot
from webviewer.static_files import load_static, serve_static
from webviewer.urls import Urls
from webviewer.views import indexes, meta, photo, stream
from webviewer.views.base import endpoint

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
log = logging.getLogger("webviewer")
# Rendered cards kept per publish (~1 KB each): what a few thousand pages of a crawl show.
CARD_CACHE_ENTRIES = 20_000

ROUTES = [
    ("/", stream.home, True),
    ("/search/", stream.search, True),
    ("/cameras/", indexes.gear("camera"), False),
    ("/cameras/{slug}/", stream.facet("camera"), True),
    ("/lenses/", indexes.gear("lens"), False),
    ("/lenses/{slug}/", stream.facet("lens"), True),
    ("/tags/", indexes.tags, True),
    ("/tags/{slug}/", stream.facet("tag"), True),
    ("/cities/", indexes.cities, False),
    ("/cities/{slug}/", stream.facet("city"), True),
    ("/years/", indexes.years, False),
    ("/years/{year}/", stream.year, True),
    ("/collections/", indexes.collections, False),
    ("/collections/{slug}/", stream.facet("collection"), True),
    ("/photos/{photo_id}/", photo.photo, True),
    ("/embed/{photo_id}/", photo.embed, False),
    ("/oembed", photo.oembed, False),
    ("/sitemap.xml", meta.sitemap, False),
    ("/feed.xml", meta.feed, False),
]


class Viewer:
    """The app's state: settings, the snapshot, templates, URLs and caches."""

    def __init__(self, settings: ViewerSettings) -> None:
        self.settings = settings
        self.static_files = load_static()
        self.urls = Urls(
            settings.media_url,
            {path: digest for path, (_, digest, _) in self.static_files.items()},
            settings.site_url,
        )
        self.templates = _templates(self.urls)
        self.version = _version(self.static_files)
        self.renders = LRU(settings.render_cache_entries)
        self._snapshot: Snapshot | None = None
        self._connect_lock = threading.Lock()

    @property
    def snapshot(self) -> Snapshot:
        """Connected on first use, so the app starts (and /health answers) without a DB."""
        with self._connect_lock:
            if self._snapshot is None:
                settings = self.settings
                urls = (*settings.replica_urls, settings.database_url)
                engines = [make_engine(url, settings.statement_timeout_ms) for url in urls]
                db = SnapshotDB(engines[0], settings.publish_check_s, fallbacks=engines[1:])
                budget = settings.sequence_cache_mb * MB
                self._snapshot = Snapshot(db, settings.seeds, cache_bytes=budget)
        return self._snapshot

    def card_fragments(self, publish: Publish) -> CardFragments:
        """The publish's rendered grid cards (a new publish starts afresh: a photo made
        private or edited is never shown from an older render)."""
        return self.snapshot.pinned(
            publish, "card-html", lambda: CardFragments(self.templates, CARD_CACHE_ENTRIES)
        )

    def option_lists(self, publish: Publish, choices: Callable[[], Choices]) -> OptionLists:
        """The publish's search-form option lists (``choices`` read on first need)."""
        return self.snapshot.pinned(
            publish, "option-html", lambda: OptionLists(self.templates, choices)
        )


def _templates(urls: Urls) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(("html", "xml"), default=True),
        trim_blocks=True,
        lstrip_blocks=True,
        # Templates ship with the release (their digest is in every ETag): no stat() of
        # each template and its includes per render (12 % of a cold photo page).
        auto_reload=False,
    )
    filters.install(env)
    env.globals["urls"] = urls
    env.globals["credit"] = _credit_lines(env)
    return env


def _credit_lines(env: Environment) -> Callable[[str, dict], Markup]:
    """``credit(notice, site)``: ``_credit.html`` rendered once per notice and licence (an
    ``{% include %}`` copies the whole page context each time: ~35 µs, twice a photo page)."""
    template = env.get_template("_credit.html")
    rendered: dict[tuple[str, str | None, str | None], Markup] = {}

    def credit(notice: str, site: dict) -> Markup:
        key = (notice, site.get("license"), site.get("license_url"))  # all the template reads
        found = rendered.get(key)
        if found is None:
            found = Markup(template.render(notice=notice, site=site))
            if len(rendered) >= 1024:  # a notice per year of photos: a few dozen at most
                rendered.clear()
            rendered[key] = found
        return found

    return credit


def _version(static_files: dict) -> str:
    """Changes whenever templates or assets change, so ETags do too."""
    digest = hashlib.sha256()
    for path in sorted(TEMPLATES_DIR.rglob("*.*")):
        digest.update(path.read_bytes())
    for _, file_digest, _ in static_files.values():
        digest.update(file_digest.encode())
    return digest.hexdigest()[:8]


def create_app(settings: ViewerSettings | None = None) -> Starlette:
    """The ASGI app (settings from the environment when none are given)."""
    settings = settings or settings_from_env()
    viewer = Viewer(settings)
    routes: list[BaseRoute] = [
        Route(path, endpoint(view, seeded=seeded), methods=["GET", "HEAD"], name=view.__name__)
        for path, view, seeded in ROUTES
    ]
    routes += [
        Route("/random/", photo.random_photo, methods=["GET", "HEAD"]),
        Route("/seed", meta.seed, methods=["GET", "HEAD"]),
        Route("/robots.txt", meta.robots, methods=["GET", "HEAD"]),
        Route("/health", meta.health, methods=["GET", "HEAD"]),
        Route("/favicon.ico", meta.favicon, methods=["GET", "HEAD"]),
        Route("/static/{digest}/{path:path}", serve_static, methods=["GET", "HEAD"]),
    ]
    if settings.media_dir is not None:
        routes.append(Mount("/media", StaticFiles(directory=settings.media_dir), name="media"))
    middleware = [
        *(
            [Middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)]
            if settings.trusted_proxies
            else []
        ),
        Middleware(ReadOnlyMiddleware),
        Middleware(SecurityHeadersMiddleware, settings=settings),
        Middleware(
            RateLimitMiddleware,
            per_minute=settings.rate_limit_per_minute,
            client_header=settings.trusted_proxy_header,
        ),
        Middleware(GZipMiddleware, minimum_size=600),
    ]
    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={
            ViewerError: _error_page,
            HTTPException: _error_page,
            Exception: _error_page,
        },
    )
    app.state.viewer = viewer
    return app


STATUS_TEXT = {
    400: ("Bad request", "That address has a parameter this site cannot use."),
    404: ("Not found", "There is no photo or page here. It may have been unpublished."),
    405: ("Not allowed", "This site is read-only."),
    500: ("Something went wrong", "The page could not be shown. Please try again."),
    503: ("Back in a moment", "The portfolio is briefly unavailable. Please try again shortly."),
}


async def _error_page(request: Request, exc: Exception) -> Response:
    """The one handler that renders every error: a friendly page, never a traceback."""
    status = getattr(exc, "status_code", 500)
    if status >= 500 and not isinstance(exc, SnapshotUnavailable):
        log.exception("error on %s", request.url.path, exc_info=exc)
    elif isinstance(exc, SnapshotUnavailable):
        log.warning("%s on %s", exc, request.url.path)
    title, message = STATUS_TEXT.get(status, STATUS_TEXT[500])
    viewer: Viewer = request.app.state.viewer
    try:
        body = viewer.templates.get_template("error.html").render(
            status=status, title=title, message=message, site={}, base_url=""
        )
    except Exception:  # noqa: BLE001 - the error page itself must never fail
        log.exception("error page failed")
        body = f"<!doctype html><title>{status}</title><h1>{title}</h1><p>{message}</p>"
    headers = {"cache-control": "no-store"}
    if status == 503:
        headers["retry-after"] = "5"
    return HTMLResponse(body, status_code=status, headers=headers)
