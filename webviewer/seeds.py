"""The visitor's shuffle seed: a small number from a finite set.

A visitor without a seed cookie (a first visit, a crawler, a CDN filling its cache) gets
the publish's default seed, so their page is the same for all of them and cacheable. The
personal seed cookie is set by ``/seed``, which the page's script calls once, apart from
any page: no page response carries a Set-Cookie. A page seen under a seed that is not the
visitor's own says so (``<body data-seed>``): its next-page links carry ``seed=``, and the
script adds it to the photo and back links the visitor follows (the HTML keeps them clean
for crawlers), so a visit begun under the default seed keeps its order once the visitor's
cookie arrives.
"""

from __future__ import annotations

import hashlib
import secrets

from starlette.requests import Request
from starlette.responses import Response

COOKIE = "seed"
PARAM = "seed"
ONE_YEAR_S = 365 * 24 * 3600


def default_seed(publish_id: str, seeds: int) -> int:
    """The seed of visitors without one: fixed per publish, so a publish reshuffles."""
    return int.from_bytes(hashlib.blake2b(publish_id.encode(), digest_size=4).digest()) % seeds


def _parse(raw: str | None, seeds: int) -> int | None:
    if raw and raw.isascii() and raw.isdigit() and len(raw) <= 3 and int(raw) < seeds:
        return int(raw)  # (5000 digits would make int() raise)
    return None


def read_seed(request: Request, seeds: int, default: int) -> tuple[int, bool]:
    """(the page's seed, whether its links must carry it): a link's ``seed=``, else the
    visitor's cookie (links need not carry it), else the publish's ``default``."""
    seed = _parse(request.query_params.get(PARAM), seeds)
    if seed is not None:
        return seed, True
    seed = _parse(request.cookies.get(COOKIE), seeds)
    if seed is not None:
        return seed, False
    return default, True


def new_seed_response(request: Request, seeds: int, secure: bool) -> Response:
    """``/seed``: a personal seed for this visitor (kept unless they already have one)."""
    response = Response(status_code=204, headers={"cache-control": "no-store"})
    if _parse(request.cookies.get(COOKIE), seeds) is None:
        response.set_cookie(
            COOKIE,
            str(secrets.randbelow(seeds)),
            max_age=ONE_YEAR_S,
            httponly=True,
            samesite="lax",
            secure=secure,
        )
    return response
