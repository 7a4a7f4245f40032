"""Why one file could not be imported: small typed errors carrying the path and the cause.

The pipeline turns each of these into that file's ``failed`` status and reason; none of them
ever aborts a batch.
"""

from __future__ import annotations

from pathlib import Path

from catalog.errors import CatalogError


class IngestError(CatalogError):
    """One file (or folder) could not be imported; ``reason`` is what the user reads."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = Path(path)
        self.reason = reason


class UnreadableError(IngestError):
    """The file or folder exists but cannot be read (permissions, I/O error)."""


class TransientReadError(UnreadableError):
    """Reading failed in a way that may pass (an I/O error, the file moved away mid-run):
    reported, but not remembered as a failed photo, so the next import tries again."""


class BrokenLinkError(IngestError):
    """A symbolic link whose target does not exist."""


class EmptyFileError(IngestError):
    """A zero-byte file."""


class NotAnImageError(IngestError):
    """The bytes are not an image format we can open."""


class TruncatedImageError(IngestError):
    """The image header is fine but the data stops early or is corrupt."""


class ImageTooLargeError(IngestError):
    """More pixels than the limit: a decompression bomb, or an absurd panorama."""
