"""The viewer's typed errors; one exception handler turns each into its page."""

from __future__ import annotations


class ViewerError(Exception):
    """Base of every error the viewer turns into a page."""

    status_code = 500


class BadRequest(ViewerError):
    """A query parameter the viewer cannot use (named, with the reason)."""

    status_code = 400

    def __init__(self, param: str, reason: str) -> None:
        super().__init__(f"bad parameter {param!r}: {reason}")
        self.param = param
        self.reason = reason


class NotFound(ViewerError):
    """Nothing public at this address."""

    status_code = 404

    def __init__(self, what: str) -> None:
        super().__init__(f"not found: {what}")
        self.what = what


class SnapshotUnavailable(ViewerError):
    """The snapshot database cannot be reached (or holds no live publish yet)."""

    status_code = 503

    def __init__(self, cause: str) -> None:
        super().__init__(f"snapshot unavailable: {cause}")
        self.cause = cause


class UnknownSnapshotVersion(SnapshotUnavailable):
    """The snapshot follows a version of the contract (``webviewer/schema.py``) that this
    viewer does not read: reading it anyway could show wrong pages, or private data a newer
    contract hides some other way."""

    def __init__(self, found: int, known: int) -> None:
        if found > known:
            advice = "it was published by a newer ExifTree: upgrade the viewer to read it"
        else:
            advice = "publish again with this ExifTree: publishing migrates the snapshot"
        super().__init__(f"the snapshot is version {found}, this viewer reads {known}; {advice}")
        self.found = found
        self.known = known
