"""Settings, declared once: a frozen dataclass loaded from the catalog and passed down.

Never secrets: API keys and S3 secrets live in ``catalog.secrets`` (keyring or environment).
Units are in the names.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from catalog.errors import CatalogError
from catalog.privacy import SAFE_DEFAULT_VISIBILITY

if TYPE_CHECKING:  # SQLAlchemy loads with the session a caller hands in
    from sqlalchemy.orm import Session


@dataclass(frozen=True)
class PublishTarget:
    """A named place to publish to. ``kind`` is "local" (a folder) or "s3"."""

    name: str = "local"
    kind: str = "local"
    folder: str | None = None  # local target: where files and snapshot.sqlite go
    bucket: str | None = None
    endpoint_url: str | None = None
    region: str = "auto"
    media_url: str | None = None  # public base URL visitors load images from
    database_url: str | None = None  # snapshot DB (no password: that comes from secrets)
    public_read: bool = True  # objects uploaded with a public-read ACL


@dataclass(frozen=True)
class Settings:
    default_visibility: str = SAFE_DEFAULT_VISIBILITY  # new imports leave only when told to
    workers: int = 0  # 0: one per core
    near_duplicate_max_bits: int = 6
    thumb_cache_max_mb: int = 512
    ai_base_url: str | None = None  # None: OpenAI's
    ai_model: str = "gpt-4o-mini"
    ai_prompt: str | None = None  # None: the default in resources/
    ai_image_size_px: int = 512
    ai_workers: int = 4
    ai_timeout_s: float = 60.0
    ai_review_required: bool = False
    ai_describe_after_import: bool = False
    site_title: str = "Portfolio"
    site_tagline: str = ""  # under the title on the home page, and the site's description
    owner_name: str = ""  # the photographer: credit, copyright, EXIF Artist
    licence: str = "all-rights-reserved"  # an id of catalog.licences.LICENCES
    analytics_snippet: str = ""
    publish_targets: tuple[PublishTarget, ...] = field(default_factory=tuple)
    privacy_zones: tuple[tuple[float, float, float], ...] = ()  # (lat, lon, radius_km)
    backup_every_days: int = 1  # a catalog backup when the app or CLI runs; 0: never
    backups_kept: int = 7  # per kind (daily, manual, before a migration, before a restore)
    # The desktop writes FILE.xmp after each rating, title, description, tag or visibility
    # edit (catalog.sidecar_writes), for Lightroom, darktable and digiKam to read.
    keep_sidecars_in_sync: bool = False

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)


_KEY = "settings"


def load_settings(session: Session) -> Settings:
    """The catalog's settings; unknown keys from newer versions are ignored."""
    from sqlalchemy import select

    from catalog.models import Setting

    row = session.scalar(select(Setting).where(Setting.key == _KEY))
    return settings_from_json(row.value if row else None)


def read_settings(db_path: Path) -> Settings:
    """:func:`load_settings` straight from the catalog file with sqlite3, for the paths that
    answer without SQLAlchemy (the scheduled backup, a publish with nothing to do)."""
    with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as db:
        row = db.execute("SELECT value FROM settings WHERE key = ?", (_KEY,)).fetchone()
    return settings_from_json(row[0] if row else None)


def settings_from_json(text: str | None) -> Settings:
    """The settings stored as ``text`` (None: the defaults)."""
    data = json.loads(text) if text else {}
    known = {f.name for f in dataclasses.fields(Settings)}
    values = {k: v for k, v in data.items() if k in known}
    if "publish_targets" in values:
        values["publish_targets"] = tuple(PublishTarget(**t) for t in values["publish_targets"])
    if "privacy_zones" in values:
        values["privacy_zones"] = tuple(tuple(z) for z in values["privacy_zones"])
    return Settings(**values)


class SecretInSettingsError(CatalogError):
    """A URL carrying a password was about to be stored in the catalog in plain text."""


def secret_in(settings: Settings) -> str | None:
    """Which URL of ``settings`` carries a password (in its user part or a query parameter),
    said for the owner; None when none does. Passwords belong in the keyring."""
    urls = [("The AI endpoint URL", settings.ai_base_url)]
    for target in settings.publish_targets:
        urls += [
            (f"The snapshot database URL of {target.name!r}", target.database_url),
            (f"The storage endpoint URL of {target.name!r}", target.endpoint_url),
        ]
    for what, url in urls:
        if url and _carries_password(url):
            return (
                f"{what} contains a password. Leave it out of the URL: ExifTree takes it from "
                "the system keyring (the password fields here) or the environment."
            )
    return None


def _carries_password(url: str) -> bool:
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:  # not a URL ExifTree could use anyway
        return False
    names = [name.lower() for name, _ in parse_qsl(parts.query)]
    return bool(password) or any(w in n for n in names for w in ("password", "secret", "token"))


def save_settings(session: Session, settings: Settings) -> None:
    problem = secret_in(settings)
    if problem is not None:
        raise SecretInSettingsError(problem)
    from sqlalchemy import select

    from catalog.models import Setting

    value = json.dumps(dataclasses.asdict(settings))
    row = session.scalar(select(Setting).where(Setting.key == _KEY))
    if row is None:
        session.add(Setting(key=_KEY, value=value))
    else:
        row.value = value
