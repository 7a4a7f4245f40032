"""The publisher's errors: small, typed, carrying the key, target or photo and the cause."""

from __future__ import annotations


class PublishError(Exception):
    """Base of every error a publish raises on purpose; the CLI prints it and exits 2."""


class TargetError(PublishError):
    """The publish target is missing or incomplete (no folder, no bucket, no database URL)."""


class SnapshotDatabaseError(PublishError):
    """The snapshot database cannot be reached or written; nothing was uploaded or changed."""

    def __init__(self, where: str, cause: str) -> None:
        super().__init__(f"snapshot database {where} is not usable: {cause}")
        self.where = where
        self.cause = cause


class StorageError(PublishError):
    """An object could not be written to (or deleted from) the store after retries."""

    def __init__(self, key: str, cause: str) -> None:
        super().__init__(
            f"object storage failed on {key!r}: {cause}; the live site is unchanged — "
            "publish again to finish"
        )
        self.key = key
        self.cause = cause


class RenditionError(PublishError):
    """A photo's web renditions cannot be made (no thumbnail and no readable original)."""

    def __init__(self, photo_id: str, cause: str) -> None:
        super().__init__(f"cannot render photo {photo_id}: {cause}")
        self.photo_id = photo_id
        self.cause = cause

    @property
    def advice(self) -> str:
        """Why, and what to do, as the owner reads it beside the file's name."""
        return (
            f"its web images could not be made ({self.cause}). Reconnect the drive or folder "
            "that holds the original, or run `exiftree reprocess` on it to rebuild its "
            "thumbnails, then publish again."
        )


class PrivacyAuditError(PublishError):
    """Rendered bytes carry metadata outside the allow-list: refuse to upload them."""

    def __init__(self, key: str, found: list[str]) -> None:
        super().__init__(f"refusing to upload {key}: it carries {', '.join(found)}")
        self.key = key
        self.found = found

    @property
    def advice(self) -> str:
        """Why, and what to do, as the owner reads it beside the file's name."""
        return (
            f"its web image would carry metadata the privacy allow-list keeps off the site "
            f"({', '.join(self.found)}), so nothing of it was uploaded. Publishing the other "
            "photos went ahead; please report this with the file (ExifTree should have "
            "removed it), or make the photo private to leave it out."
        )


class PublishNotConfirmed(PublishError):
    """Many photos would go online for the first time and the owner did not say yes."""

    def __init__(self, first_public: int, how: str = "") -> None:
        how = how or (
            "See which with `exiftree publish --dry-run`; make private those that should stay "
            "home (`exiftree set ID --private`), then publish again."
        )
        super().__init__(
            f"{first_public} photos would go public for the first time and nobody said yes: "
            f"nothing was published. {how}"
        )
        self.first_public = first_public


class NothingToRollBack(PublishError):
    """There is no earlier live snapshot to go back to."""


class PublishCancelled(PublishError):
    """The owner cancelled; objects uploaded so far are kept for the next publish."""


class PublishBusyError(PublishError):
    """Another publish (or rollback) to the same target is running."""

    def __init__(self, where: str) -> None:
        super().__init__(
            f"another publish to {where} is running; wait for it to finish, then publish again"
        )
        self.where = where
