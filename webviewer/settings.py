"""The viewer's settings: declared once, loaded once (from arguments or the environment)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from webviewer.dialects import normalise_url

ENV_PREFIX = "EXIFTREE_VIEWER_"


@dataclass(frozen=True)
class ViewerSettings:
    """Everything the app needs; units are in the names."""

    database_url: str
    # Read replicas of database_url (production: PostgreSQL streaming replicas). Each worker
    # process reads from one of them (see SnapshotDB), the primary being the last resort.
    replica_urls: tuple[str, ...] = ()
    media_url: str = "/media/"  # base URL of the published renditions
    media_dir: Path | None = None  # serve renditions from this folder (local preview)
    # The canonical origin for links, feeds, sitemaps, cards. "" (tests, embedding) takes the
    # request's Host; production entry points refuse to start without it (see SITE_URL_NEEDED).
    site_url: str = ""
    page_size: int = 30
    rate_limit_per_minute: int = 0  # per client address; 0 = off
    statement_timeout_ms: int = 5000
    publish_check_s: float = 1.0  # how long a looked-up live publish is trusted
    html_max_age_s: int = 60  # Cache-Control for pages (revalidated by ETag)
    render_cache_entries: int = 2000
    # The byte budget of the facets' and searches' ordered sequences, per worker process
    # (8 bytes a photo and seed each; the listing and seeds' orders are apart from it).
    sequence_cache_mb: int = 128
    gear_min_photos: int = 5  # gear and tags listed by default from this many photos
    seeds: int = 16  # size of the finite set of shuffle seeds
    trusted_proxy_header: str | None = None  # e.g. "fly-client-ip" for the rate limit
    # Proxies whose X-Forwarded-Proto/-For are believed ("10.0.0.2,10.0.0.3" or "*"): behind
    # one that terminates TLS, pages then know they are https (HSTS, Secure cookie).
    trusted_proxies: str = ""
    hsts_max_age_s: int = 2 * 365 * 24 * 3600  # sent on https responses only
    extra: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.media_url.endswith("/"):
            object.__setattr__(self, "media_url", self.media_url + "/")
        object.__setattr__(self, "site_url", self.site_url.rstrip("/"))


def settings_from_env(environ: Mapping[str, str] | None = None) -> ViewerSettings:
    """Production settings from ``EXIFTREE_VIEWER_*`` variables (``DATABASE_URL`` as fallback)."""
    env = os.environ if environ is None else environ

    def get(name: str, default: str | None = None) -> str | None:
        return env.get(ENV_PREFIX + name, default)

    url = get("DATABASE_URL") or env.get("DATABASE_URL")
    if not url:
        raise ValueError(f"set {ENV_PREFIX}DATABASE_URL (or DATABASE_URL) to the snapshot database")
    site_url = (get("SITE_URL", "") or "").strip()
    check_site_url(site_url)
    media_dir = get("MEDIA_DIR")
    replicas = get("DATABASE_REPLICA_URLS", "") or ""
    return ViewerSettings(
        database_url=normalise_url(url),
        replica_urls=tuple(normalise_url(u.strip()) for u in replicas.split(",") if u.strip()),
        media_url=get("MEDIA_URL", "/media/") or "/media/",
        media_dir=Path(media_dir) if media_dir else None,
        site_url=site_url,
        rate_limit_per_minute=int(get("RATE_LIMIT_PER_MINUTE", "0") or 0),
        statement_timeout_ms=int(get("STATEMENT_TIMEOUT_MS", "5000") or 5000),
        trusted_proxy_header=get("CLIENT_IP_HEADER"),
        trusted_proxies=get("TRUSTED_PROXIES", "") or "",
        sequence_cache_mb=int(get("SEQUENCE_CACHE_MB", "128") or 128),
    )


SITE_URL_NEEDED = (
    f"set {ENV_PREFIX}SITE_URL (or --site-url) to the site's public address, e.g. "
    "https://photos.example.org: canonical links, the feed, the sitemap and share cards are "
    "built from it (taking them from each request's Host header would let anyone put their "
    "own host into pages that caches serve to everybody)"
)


def check_site_url(site_url: str) -> None:
    """Production needs a canonical origin: an absolute http(s) URL."""
    if not site_url:
        raise ValueError(SITE_URL_NEEDED)
    if not site_url.startswith(("https://", "http://")):
        raise ValueError(f"the site URL {site_url!r} must start with https:// (or http://)")


def is_https(scope: Mapping, settings: ViewerSettings) -> bool:
    """Whether this request reached the visitor over https: its own scheme (set from a
    trusted proxy's X-Forwarded-Proto), or a site whose canonical address is https."""
    return scope.get("scheme") in ("https", "wss") or settings.site_url.startswith("https://")
