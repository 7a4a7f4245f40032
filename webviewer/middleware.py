"""Pure-ASGI middleware: read-only methods, a per-client rate limit, security headers."""

from __future__ import annotations

import threading
import time

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from webviewer.security import BASE_HEADERS, content_security_policy
from webviewer.settings import ViewerSettings, is_https

READ_METHODS = frozenset({"GET", "HEAD"})
_EXEMPT = ("/health", "/static/", "/media/", "/favicon.ico")


class ReadOnlyMiddleware:
    """No route accepts writes: every other method is a 405."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in READ_METHODS:
            response = PlainTextResponse(
                "Method Not Allowed: this site is read-only.\n",
                status_code=405,
                headers={"allow": "GET, HEAD", **BASE_HEADERS},
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


class SecurityHeadersMiddleware:
    """Adds the base security headers, HSTS over https, and a default CSP when the page set
    none.

    A 304 gets nothing added: browsers merge its headers into the cached response, and a
    default CSP would replace the page's own (which allows the owner's analytics)."""

    def __init__(self, app: ASGIApp, settings: ViewerSettings) -> None:
        self.app = app
        self.settings = settings
        self.default_csp = content_security_policy(settings.media_url).encode()
        self.hsts = f"max-age={settings.hsts_max_age_s}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        https = is_https(scope, self.settings)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] != 304:
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                for name, value in BASE_HEADERS.items():
                    if name.encode() not in names:
                        headers.append((name.encode(), value.encode()))
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", self.default_csp))
                    headers.append((b"x-frame-options", b"DENY"))
                if https:
                    headers.append((b"strict-transport-security", self.hsts))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class RateLimitMiddleware:
    """A token bucket per client address: ``per_minute`` requests, bursts up to that many."""

    def __init__(self, app: ASGIApp, per_minute: int, client_header: str | None = None) -> None:
        self.app = app
        self.per_minute = per_minute
        self.client_header = client_header.lower() if client_header else None
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or self.per_minute <= 0
            or scope["path"].startswith(_EXEMPT)
            or self._allow(self._client(scope))
        ):
            await self.app(scope, receive, send)
            return
        response = PlainTextResponse(
            "Too many requests: please slow down.\n",
            status_code=429,
            headers={"retry-after": str(max(1, 60 // self.per_minute))},
        )
        await response(scope, receive, send)

    def _client(self, scope: Scope) -> str:
        if self.client_header:
            value = Headers(scope=scope).get(self.client_header)
            if value:
                return value.split(",")[0].strip()
        client = scope.get("client")
        return client[0] if client else "?"

    def _allow(self, client: str) -> bool:
        now = time.monotonic()
        rate = self.per_minute / 60.0
        with self._lock:
            tokens, last = self._buckets.get(client, (float(self.per_minute), now))
            tokens = min(float(self.per_minute), tokens + (now - last) * rate)
            allowed = tokens >= 1.0
            self._buckets[client] = (tokens - 1.0 if allowed else tokens, now)
            if len(self._buckets) > 100_000:  # forget idle clients rather than grow forever
                self._buckets.clear()
        return allowed
