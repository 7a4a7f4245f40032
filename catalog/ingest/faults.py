"""Which errors belong to one file, which to the catalog's disk, and which pass by themselves.

An import meets three kinds of trouble, and each calls for a different answer:

* **the catalog cannot be written** (disk full, a file-size limit, an I/O error, a read-only
  disk): every following photo would fail the same way, so the batch stops with one
  sentence instead of hundreds of identical failures;
* **a passing problem with one file** (an I/O error reading it, a file still being copied
  or changed while read, a file moved away mid-run): reported, but not remembered as a
  ``failed`` photo, so the next import simply tries it again;
* **the file itself is bad** (not an image, truncated for good): a ``failed`` row with a
  reason, skipped until the file changes or the owner asks ``reprocess --failed``.

No message built here carries SQL or a traceback: the user reads them.
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
from pathlib import Path

from sqlalchemy.exc import DBAPIError, StatementError

# The catalog's own disk: no point going on (EFBIG is what RLIMIT_FSIZE gives).
_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_BROKEN = {errno.EIO, errno.EROFS}

_SQLITE_FULL, _SQLITE_IOERR, _SQLITE_READONLY, _SQLITE_BUSY, _SQLITE_LOCKED = 13, 10, 8, 5, 6


class ImportStopped(Exception):
    """The catalog cannot take more: the batch stops; ``sentence`` says why and what next."""

    def __init__(self, sentence: str) -> None:
        super().__init__(sentence)
        self.sentence = sentence


def storage_fault(exc: BaseException, catalog_root: Path) -> ImportStopped | None:
    """An :class:`ImportStopped` when ``exc`` means the catalog's disk cannot be written."""
    where = str(Path(catalog_root).resolve())
    code = _errno_of(exc)
    primary = _sqlite_code(exc) & 0xFF
    if primary == _SQLITE_IOERR:  # SQLite does not say which errno: look at the disk
        code = _likely_errno(catalog_root)
    if code in _FULL or primary == _SQLITE_FULL:
        why = "the disk holding the catalog is full" + (
            " (this process's file size limit was reached)" if code == errno.EFBIG else ""
        )
    elif code == errno.EROFS or primary == _SQLITE_READONLY:
        why = "the catalog's disk has become read-only"
    elif code in _BROKEN:
        why = "the disk holding the catalog reported an input/output error"
    else:
        return None
    return ImportStopped(
        f"Import stopped: {why} ({where}). Everything imported so far is kept; free some "
        "space (or check the disk) and run the same import again to finish the rest."
    )


def is_busy(exc: BaseException) -> bool:
    """Another program holds the catalog's write lock (SQLITE_BUSY / "database is locked")."""
    return _sqlite_code(exc) & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED) or (
        isinstance(exc, DBAPIError) and "locked" in str(exc.orig)
    )


BUSY_SENTENCE = (
    "Import stopped: another ExifTree kept the catalog busy for too long. Everything imported "
    "so far is kept; run the same import again when the other one has finished."
)


def plain(exc: BaseException) -> str:
    """What went wrong, in one line a user can read: never SQL, parameters or a traceback."""
    if isinstance(exc, StatementError) and exc.orig is not None:
        inner: BaseException = exc.orig
    else:
        inner = exc
    if isinstance(inner, OSError) and inner.strerror:
        return inner.strerror[0].lower() + inner.strerror[1:]
    text = str(inner).splitlines()[0] if str(inner) else type(inner).__name__
    return text


LOW_SPACE_BYTES = 64 * 2**20  # below this, a failed catalog write is taken for a full disk


def _likely_errno(catalog_root: Path) -> int:
    """What most likely made SQLite's write fail: no space, a file size limit, or the disk."""
    try:
        if shutil.disk_usage(catalog_root).free < LOW_SPACE_BYTES:
            return errno.ENOSPC
    except OSError:
        pass
    limit = _file_size_limit()
    return errno.EFBIG if limit is not None else errno.EIO


def _file_size_limit() -> int | None:
    try:
        import resource  # POSIX only
    except ImportError:
        return None
    soft, _ = resource.getrlimit(resource.RLIMIT_FSIZE)
    return None if soft == resource.RLIM_INFINITY else soft


def _errno_of(exc: BaseException) -> int | None:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno is not None:
            return seen.errno
        seen = seen.__cause__ or seen.__context__
    return None


def _sqlite_code(exc: BaseException) -> int:
    inner = exc.orig if isinstance(exc, DBAPIError) else exc
    if isinstance(inner, sqlite3.Error):
        return int(getattr(inner, "sqlite_errorcode", 0) or 0)
    return 0
