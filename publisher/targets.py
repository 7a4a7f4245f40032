"""Where a publish goes: an object store plus a snapshot database URL.

The local target (the embedded default) is one folder: ``DIR/snapshot.sqlite`` and the
objects under ``DIR/media/<key>`` — what ``exiftree serve --from DIR`` reads. The cloud
target is an S3-compatible bucket plus PostgreSQL; secrets come from the keyring or the
environment (``catalog.credentials``), never from the catalog.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from catalog.credentials import get_secret
from catalog.settings import PublishTarget, Settings
from publisher.errors import TargetError
from publisher.snapshot import parse_database_url
from publisher.storage import LocalStore, ObjectStore, S3Store
from webviewer.dialects import UnsupportedDatabase, dialect_of, normalise_url

SNAPSHOT_FILE = "snapshot.sqlite"
MEDIA_DIR = "media"


@dataclass(frozen=True)
class Target:
    store: ObjectStore
    database_url: str
    media_url: str | None  # the public base URL of the objects (None: the local media/)
    description: str


def local_target(folder: Path) -> Target:
    folder = Path(folder).expanduser().resolve()
    store = LocalStore(folder / MEDIA_DIR)
    return Target(store, f"sqlite:///{folder / SNAPSHOT_FILE}", None, str(folder))


def s3_target(
    bucket: str,
    *,
    endpoint_url: str | None,
    database_url: str | None,
    media_url: str | None,
    region: str = "auto",
    workers: int = 16,
    public_read: bool = True,
) -> Target:
    if not database_url:
        raise TargetError("an S3 target needs --database-url (the snapshot's PostgreSQL)")
    store = S3Store(
        bucket,
        endpoint_url=endpoint_url,
        region=region,
        access_key_id=get_secret("s3_access_key_id"),
        secret_access_key=get_secret("s3_secret_access_key"),
        max_connections=workers,
        public_read=public_read,
    )
    return Target(store, with_password(database_url), media_url, store.description)


def with_password(url: str) -> str:
    """Add the database password from the keyring/environment when the URL has none."""
    parsed = parse_database_url(normalise_url(url))
    try:
        dialect = dialect_of(parsed)
    except UnsupportedDatabase as exc:
        raise TargetError(str(exc)) from None
    if dialect.has_password and not parsed.password:
        password = get_secret("database_password")
        if password:
            parsed = parsed.set(password=password)
    return parsed.render_as_string(hide_password=False)


def parse_destination(text: str, **s3_options: object) -> Target:
    """``DIR`` or ``s3://BUCKET`` (with the S3 options) → a Target."""
    if text.startswith("s3://"):
        bucket = text[len("s3://") :].strip("/")
        return s3_target(bucket, **s3_options)  # type: ignore[arg-type]
    return local_target(Path(text))


def named_target(settings: Settings, name: str, workers: int = 16) -> Target:
    """A target the owner saved in Settings.publish_targets."""
    for saved in settings.publish_targets:
        if saved.name == name:
            return _from_saved(saved, workers)
    names = ", ".join(t.name for t in settings.publish_targets) or "none saved"
    raise TargetError(f"no publish target named {name!r} ({names})")


def _from_saved(saved: PublishTarget, workers: int) -> Target:
    if saved.kind == "local":
        if not saved.folder:
            raise TargetError(f"target {saved.name!r} has no folder")
        return local_target(Path(saved.folder))
    if saved.kind == "s3" and saved.bucket:
        return s3_target(
            saved.bucket,
            endpoint_url=saved.endpoint_url,
            database_url=saved.database_url,
            media_url=saved.media_url,
            region=saved.region,
            workers=workers,
            public_read=saved.public_read,
        )
    raise TargetError(f"target {saved.name!r} is incomplete (kind {saved.kind!r})")
