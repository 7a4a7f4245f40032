"""Content-Security-Policy and the other security headers.

Scripts come from our own origin only. The owner's analytics snippet (from the snapshot's
``site`` table) is trusted owner content: its external script origins and the SHA-256 of
its inline scripts are added to ``script-src``, so no ``unsafe-inline`` is ever needed.
"""

from __future__ import annotations

import base64
import hashlib
import re
from urllib.parse import urlsplit

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.I | re.S)
_SRC = re.compile(r"""\bsrc\s*=\s*["']?([^"'\s>]+)""", re.I)
TILE_ORIGIN = "https://*.tile.openstreetmap.org"

BASE_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "cross-origin-opener-policy": "same-origin",
}


def origin(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return None


def snippet_sources(snippet: str) -> list[str]:
    """CSP sources that let the owner's snippet run: its script origins and inline hashes."""
    sources: list[str] = []
    for attrs, body in _SCRIPT.findall(snippet):
        src = _SRC.search(attrs)
        if src:
            found = origin(src.group(1))
            if found:
                sources.append(found)
        elif body.strip():
            digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            sources.append(f"'sha256-{digest}'")
    return sorted(set(sources))


def content_security_policy(
    media_url: str, extra_scripts: list[str] | None = None, embeddable: bool = False
) -> str:
    """The policy for one page."""
    media = origin(media_url)
    scripts = " ".join(["'self'", *(extra_scripts or [])])
    connect = " ".join(["'self'", *(s for s in extra_scripts or [] if not s.startswith("'"))])
    images = " ".join(x for x in ("'self'", "data:", media, TILE_ORIGIN) if x)
    ancestors = "*" if embeddable else "'none'"
    return (
        f"default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; "
        f"img-src {images}; connect-src {connect}; font-src 'self'; object-src 'none'; "
        f"base-uri 'self'; form-action 'self'; frame-ancestors {ancestors}"
    )
