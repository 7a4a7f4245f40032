"""The visitor's shuffle seed: a small number kept in a cookie, from a finite set."""

from __future__ import annotations

import secrets

from starlette.requests import Request
from starlette.responses import Response

COOKIE = "seed"
ONE_YEAR_S = 365 * 24 * 3600


def read_seed(request: Request, seeds: int) -> tuple[int, bool]:
    """(seed, is_new): the cookie's seed, or a fresh one to be set on the response."""
    raw = request.cookies.get(COOKIE, "")
    if raw.isascii() and raw.isdigit() and len(raw) <= 3 and int(raw) < seeds:  # 5000 digits
        return int(raw), False  # would make int() raise
    return secrets.randbelow(seeds), True


def remember_seed(response: Response, seed: int) -> None:
    response.set_cookie(COOKIE, str(seed), max_age=ONE_YEAR_S, httponly=True, samesite="lax")
