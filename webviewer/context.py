"""Where a visitor is browsing: the stream, a camera, a tag, a search… encoded in one token.

The token rides along in photo links (``?ctx=tag:sunset``) so that previous/next on a
photo page stay within what the visitor was looking at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from webviewer.errors import BadRequest

SLUG_KINDS = ("camera", "lens", "tag", "city", "collection")
KINDS = ("stream", "year", "search", *SLUG_KINDS)
SEARCH_FILTERS = ("camera", "lens", "city", "year")
MAX_QUERY_CHARS = 200
# What catalog.slugs writes: lower-case letters and digits of any script, joined by hyphens
# ("sunset", "città-di-arezzo", "東京", "москва"); never spaces, dots, slashes or underscores.
_SLUG = re.compile(r"^[^\W_](?:[^\W_]|-){0,199}$")


@dataclass(frozen=True)
class Context:
    """A list of photos: ``kind`` plus its value (a slug, a year, or a search query string)."""

    kind: str = "stream"
    value: str = ""

    @property
    def token(self) -> str:
        return "" if self.kind == "stream" else f"{self.kind}:{self.value}"

    @property
    def is_search(self) -> bool:
        return self.kind == "search"

    def search_params(self) -> dict[str, str]:
        """The search's ``q`` and filters (only for ``kind == "search"``)."""
        return dict(parse_qsl(self.value)) if self.is_search else {}


def parse_context(token: str | None) -> Context:
    """The context named by a ``ctx`` parameter; malformed tokens are a 400."""
    if not token:
        return Context()
    kind, sep, value = token.partition(":")
    if not sep or kind not in KINDS or kind == "stream":
        raise BadRequest("ctx", "unknown context")
    if kind == "year":
        return Context("year", str(parse_year(value, "ctx")))
    if kind == "search":
        params = dict(parse_qsl(value))
        return search_context(params.get("q", ""), params)
    return Context(kind, parse_slug(value, "ctx"))


def search_context(q: str, filters: dict[str, str]) -> Context:
    """A normalised search context: validated filters in a fixed order."""
    q = " ".join(q.split())
    if len(q) > MAX_QUERY_CHARS:
        raise BadRequest("q", f"longer than {MAX_QUERY_CHARS} characters")
    clean: dict[str, str] = {"q": q} if q else {}
    for name in SEARCH_FILTERS:
        value = filters.get(name)
        if value:
            clean[name] = (
                str(parse_year(value, name)) if name == "year" else parse_slug(value, name)
            )
    return Context("search", urlencode(clean))


def parse_slug(value: str, param: str) -> str:
    """A slug as the publisher writes them; anything else is a 400."""
    if not _SLUG.match(value):
        raise BadRequest(param, "not a slug")
    return value


def parse_year(value: str, param: str) -> int:
    """A plausible photo year."""
    if not value.isascii() or not value.isdigit() or len(value) != 4:
        raise BadRequest(param, "not a four-digit year")
    year = int(value)
    if not 1800 <= year <= 2200:
        raise BadRequest(param, "out of range")
    return year
