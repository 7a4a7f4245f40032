"""What every page view shares: the request it gets, the Page it returns, and the endpoint
that turns one into the other with ETags, the render cache and the seed cookie.

A view is a plain function ``view(req: ViewRequest) -> Page`` run in a worker thread;
it raises NotFound/BadRequest for the exception handler to render.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from webviewer import queries
from webviewer.db import Publish
from webviewer.dialects import PG_READERS
from webviewer.errors import BadRequest
from webviewer.security import content_security_policy, snippet_sources
from webviewer.seeds import default_seed, read_seed

T = TypeVar("T")
MAX_PARAM_CHARS = 400
MAX_CONTEXT_CHARS = 4000  # a search context: up to 200 characters of query, percent-encoded
GZIP_MIN_BYTES = 600
# Every cold page is compressed as it renders: level 1 costs about half of level 6's CPU
# for 5-7 % more bytes (measured on photo, facet and search pages of the bench snapshot).
GZIP_LEVEL = 1
# Renders run in these threads (shared by every app of the process, as anyio's pool is):
# asyncio's executor hand-off costs less CPU than anyio's (its limiter, cancel scopes and
# context copy): a page of one read and no render rose from ~2,100-2,400 to ~2,500-3,000
# req/s with 0.07 ms less CPU each (bench/viewer.py's floor row, one worker). A render is
# mostly CPU under one GIL; enough threads that some wait on PostgreSQL while others run.
# MORE threads than the pool has connections (PG_READERS): when a database stops answering
# (a stalled server, a network dropping packets: no statement timeout ever arrives), the
# renders beyond PG_READERS find every connection busy for the pool timeout, and that is
# what makes SnapshotDB fail over to the next database (with 8 threads a stuck replica
# held them all and the worker hung; tests/webviewer/test_replicas.py).
RENDER_THREADS = PG_READERS + 4
_RENDERS = ThreadPoolExecutor(RENDER_THREADS, thread_name_prefix="webviewer-render")


@dataclass
class ViewRequest:
    """The request as a view sees it: parameters, the live publish, the seed, the app."""

    request: Request
    publish: Publish
    seed: int
    app: Any  # webviewer.app.Viewer
    link_seed: int | None = None  # a seed links must keep (None: the visitor's own cookie)

    @property
    def params(self) -> Any:
        return self.request.query_params

    @property
    def path_params(self) -> dict[str, Any]:
        return self.request.path_params

    @property
    def base_url(self) -> str:
        """The site's absolute base: the configured one, else what the request's Host says
        (which is why the render cache and the ETag are keyed by it then)."""
        return self.app.settings.site_url or str(self.request.base_url).rstrip("/")

    @property
    def snapshot(self) -> Any:
        return self.app.snapshot

    @property
    def site(self) -> dict[str, str]:
        return self.app.snapshot.site(self.publish)

    def param(self, name: str, limit: int = MAX_PARAM_CHARS) -> str | None:
        value = self.params.get(name)
        if value is not None and len(value) > limit:
            raise BadRequest(name, "too long")
        return value


@dataclass
class Page:
    """A rendered-to-be response: a template with its context, or a ready body."""

    template: str | None = None
    context: dict[str, Any] = field(default_factory=dict)
    body: bytes | None = None
    media_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    embeddable: bool = False


View = Callable[[ViewRequest], Page]


@dataclass(frozen=True)
class Rendered:
    """A rendered page as cached: the body, and its gzip once (not per request)."""

    status: int
    body: bytes
    gzipped: bytes | None
    media_type: str
    headers: dict[str, str]

    def response(self, request: Request, extra: dict[str, str]) -> Response:
        headers = {**self.headers, **extra}
        body = self.body
        if self.gzipped is not None and "gzip" in request.headers.get("accept-encoding", ""):
            # Otherwise GZipMiddleware sees the plain body and adds the Vary header itself.
            headers["vary"] = ", ".join(filter(None, (headers.get("vary"), "Accept-Encoding")))
            body, headers["content-encoding"] = self.gzipped, "gzip"
        return Response(body, status_code=self.status, media_type=self.media_type, headers=headers)


def endpoint(view: View, *, seeded: bool = False, cacheable: bool = True) -> Callable:
    """A Starlette endpoint for ``view``: 304s, the render cache, headers and the seed cookie."""

    async def handle(request: Request) -> Response:
        app = request.app.state.viewer
        snapshot = app.snapshot
        publish = snapshot.db.fresh_publish() or await run_in_threadpool(snapshot.publish)
        default = default_seed(publish.id, app.settings.seeds)
        seed, carried = read_seed(request, app.settings.seeds, default)
        # Absolute URLs come from the Host header unless site_url is set: a forged Host must
        # not land in what other visitors are served, so it is part of the key and the ETag.
        origin = "" if app.settings.site_url else str(request.base_url)
        tag = hashlib.blake2b(origin.encode(), digest_size=3).hexdigest()
        # A page under a seed its links must keep differs from the same seed as the
        # visitor's own (data-seed, next-page links): both the key and the ETag say which.
        variant = (f"{seed}k" if carried else str(seed)) if seeded else "a"
        etag = f'W/"{publish.id[:12]}-{app.version}-{variant}-{tag}"'
        cache_headers = _cache_headers(app, etag, seeded) if cacheable else {}
        if "etag" in cache_headers and etag in request.headers.get("if-none-match", ""):
            response: Response = Response(status_code=304, headers=cache_headers)
        else:
            key = (
                publish.id,
                origin,
                request.url.path,
                request.url.query,
                variant,
            )
            rendered: Rendered | None = app.renders.get(key) if cacheable else None
            if rendered is None:
                req = ViewRequest(request, publish, seed, app, seed if carried and seeded else None)
                rendered = await in_render_thread(_render, app, view, req)
                if cacheable and rendered.status == 200:
                    app.renders.put(key, rendered)
            response = rendered.response(request, cache_headers if rendered.status == 200 else {})
        return response

    return handle


async def in_render_thread(work: Callable[..., T], *args: Any) -> T:
    """``work(*args)`` in a render thread (it may block on the database)."""
    return await asyncio.get_running_loop().run_in_executor(_RENDERS, work, *args)


def _render(app: Any, view: View, req: ViewRequest) -> Rendered:
    page = view(req)
    body = page.body
    if body is None:
        context = {
            **page.context,
            "site": req.site,
            "urls": app.urls,
            "base_url": req.base_url,
            "link_seed": req.link_seed,
        }
        if page.media_type.startswith("text/html") and "og_image" not in context:
            context["og_image"] = site_image(req)  # a page without a photo of its own
        body = app.templates.get_template(page.template).render(context).encode()
    headers = dict(page.headers)
    if page.media_type.startswith("text/html"):
        extra = snippet_sources(req.site.get("analytics_snippet", ""))
        headers["content-security-policy"] = content_security_policy(
            app.settings.media_url, extra, embeddable=page.embeddable
        )
        if not page.embeddable:
            headers["x-frame-options"] = "DENY"
    gzipped = gzip.compress(body, GZIP_LEVEL) if len(body) >= GZIP_MIN_BYTES else None
    return Rendered(page.status, body, gzipped, page.media_type, headers)


def _cache_headers(app: Any, etag: str, seeded: bool) -> dict[str, str]:
    max_age = app.settings.html_max_age_s
    headers = {
        "etag": etag,
        "cache-control": f"public, max-age={max_age}, stale-while-revalidate={max_age * 10}",
    }
    if seeded:
        headers["vary"] = "Cookie"
    return headers


def site_image(req: ViewRequest) -> Any:
    """The share image of pages without one of their own (indexes, an empty search): the
    newest published photo's large rendition, once per publish."""

    def newest() -> Any:
        cards = req.snapshot.read(lambda c: queries.newest_cards(c, req.publish.seq, 1))
        return cards[0].rendition(1600) if cards else None

    return req.snapshot.pinned(req.publish, "site-image", newest) or None
