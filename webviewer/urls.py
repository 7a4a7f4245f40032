"""Every link the site makes, built in one place (templates never assemble URLs)."""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

from webviewer.context import Context
from webviewer.rows import Card, Rendition

_KIND_PATHS = {
    "camera": "cameras",
    "lens": "lenses",
    "tag": "tags",
    "city": "cities",
    "collection": "collections",
    "year": "years",
}


# What ``quote`` leaves as it is (letters, digits, "_.-~" and "/"): a published key is made
# of these, so most URLs need no quoting pass (~2 µs each, four per grid card).
_UNQUOTED = re.compile(r"[A-Za-z0-9_.~/-]*")


class Urls:
    """Site paths, media URLs and hashed static URLs."""

    def __init__(self, media_url: str, static_hashes: dict[str, str], site_url: str = "") -> None:
        self.media_url = media_url
        self.site_url = site_url
        self._static = static_hashes

    def home(self, **params: object) -> str:
        return _with_query("/", params)

    def photo(self, photo_id: str, ctx: Context | None = None) -> str:
        """A photo page; ``ctx`` keeps previous/next within what the visitor was browsing."""
        return _with_query(f"/photos/{photo_id}/", {"ctx": ctx.token if ctx else None})

    def photo_query(self, ctx: Context | None) -> str:
        """What ``photo(id, ctx)`` adds after the path: ``?ctx=…``, or nothing."""
        return _with_query("", {"ctx": ctx.token if ctx else None})

    def embed(self, photo_id: str) -> str:
        return f"/embed/{photo_id}/"

    def facet(self, kind: str, slug: str | int) -> str:
        return f"/{_KIND_PATHS[kind]}/{_quote(str(slug))}/"

    def index(self, kind: str, **params: object) -> str:
        return _with_query(f"/{_KIND_PATHS[kind]}/", params)

    def context(self, ctx: Context, **params: object) -> str:
        """The page listing a context (where Esc on a photo page goes back to)."""
        if ctx.kind == "stream":
            return self.home(**params)
        if ctx.is_search:
            return _with_query("/search/", {**ctx.search_params(), **params})
        return _with_query(self.facet(ctx.kind, ctx.value), params)

    def search(self, **params: object) -> str:
        return _with_query("/search/", params)

    def media(self, rendition: Rendition) -> str:
        return self.media_url + _quote(rendition.key)

    def srcset(self, card: Card) -> str:
        """Each width once: renditions of a small original can share one (an invalid srcset
        otherwise); the smallest file of a width is the one listed."""
        seen: set[int] = set()
        candidates = []
        for r in card.renditions:
            width = r.width
            if width not in seen:
                seen.add(width)
                candidates.append(f"{self.media(r)} {width}w")
        return ", ".join(candidates)

    def static(self, path: str) -> str:
        return f"/static/{self._static.get(path, 'x')}/{path}"

    def absolute(self, path: str, base: str = "") -> str:
        """An absolute URL for feeds, cards and oEmbed (site_url wins over the request's)."""
        if path.startswith(("http://", "https://")):
            return path
        return (self.site_url or base.rstrip("/")) + path


def _quote(path: str) -> str:
    """``quote(path)``, without its pass over a path that needs none."""
    return path if _UNQUOTED.fullmatch(path) else quote(path)


def _with_query(path: str, params: dict[str, object]) -> str:
    clean = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{path}?{urlencode(clean)}" if clean else path
