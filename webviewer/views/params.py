"""Parsing the few query and path parameters views accept: bad ones are a 400, never a 500."""

from __future__ import annotations

import uuid

from webviewer.errors import BadRequest, NotFound
from webviewer.listing import Listing


def parse_photo_id(value: str, param: str = "id") -> str:
    """A canonical lower-case UUID string."""
    try:
        parsed = uuid.UUID(value)
    except (ValueError, TypeError, AttributeError):
        raise BadRequest(param, "not a photo id") from None
    if str(parsed) != value.lower():
        raise BadRequest(param, "not a photo id")
    return str(parsed)


class StaleCursor(Exception):
    """``after=`` names a photo the live publish no longer lists: a new publish went live
    while the visitor scrolled. Not the visitor's mistake, so not a 400."""


def parse_after(value: str | None, listing: Listing) -> int | None:
    """The keyset cursor ``after=<photo id>`` as a listing index."""
    if not value:
        return None
    photo_id = parse_photo_id(value, "after")
    index = listing.index.get(photo_id)
    if index is None:
        raise StaleCursor(photo_id)
    return index


def parse_flag(value: str | None, param: str) -> bool:
    if value in (None, "", "0"):
        return False
    if value == "1":
        return True
    raise BadRequest(param, "use 1 or 0")


def require(found: object, what: str) -> None:
    if not found:
        raise NotFound(what)
