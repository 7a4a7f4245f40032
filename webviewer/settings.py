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
    media_url: str = "/media/"  # base URL of the published renditions
    media_dir: Path | None = None  # serve renditions from this folder (local preview)
    site_url: str = ""  # absolute base for feeds, sitemaps, cards ("" = from the request)
    page_size: int = 30
    rate_limit_per_minute: int = 0  # per client address; 0 = off
    statement_timeout_ms: int = 5000
    publish_check_s: float = 1.0  # how long a looked-up live publish is trusted
    html_max_age_s: int = 60  # Cache-Control for pages (revalidated by ETag)
    render_cache_entries: int = 2000
    gear_min_photos: int = 5  # gear and tags listed by default from this many photos
    seeds: int = 16  # size of the finite set of shuffle seeds
    trusted_proxy_header: str | None = None  # e.g. "fly-client-ip" for the rate limit
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
    media_dir = get("MEDIA_DIR")
    return ViewerSettings(
        database_url=normalise_url(url),
        media_url=get("MEDIA_URL", "/media/") or "/media/",
        media_dir=Path(media_dir) if media_dir else None,
        site_url=get("SITE_URL", "") or "",
        rate_limit_per_minute=int(get("RATE_LIMIT_PER_MINUTE", "0") or 0),
        statement_timeout_ms=int(get("STATEMENT_TIMEOUT_MS", "5000") or 5000),
        trusted_proxy_header=get("CLIENT_IP_HEADER"),
    )
