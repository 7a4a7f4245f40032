"""Why one file could not be imported: small typed errors carrying the path and the cause.

The pipeline turns each of these into that file's ``failed`` status and reason; none of them
ever aborts a batch.
"""

from __future__ import annotations

import errno
from pathlib import Path

from catalog.errors import CatalogError


class IngestError(CatalogError):
    """One file (or folder) could not be imported; ``reason`` is what the user reads."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = Path(path)
        self.reason = reason


# Reading one source file: worth another try next time (a flaky drive, a network share).
# Here, not in ``faults`` (the parent's catalog-side errors), so that the worker processes,
# which need only this, never load SQLAlchemy (~0.2 s before their first photo).
TRANSIENT_READ_ERRNOS = frozenset(
    {errno.EIO, errno.EAGAIN, errno.EBUSY, errno.ETIMEDOUT, errno.ENOENT, errno.ESTALE,
     errno.ENXIO, errno.ENODEV, errno.EINTR, errno.ENOMEM}
)  # fmt: skip


def is_transient_read(exc: OSError) -> bool:
    """Reading a source file failed in a way that may not happen next time."""
    return exc.errno in TRANSIENT_READ_ERRNOS


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
