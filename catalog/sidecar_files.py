"""Where a photo's XMP sidecar is, and whether it changed: plain file-system questions.

Apart from :mod:`catalog.sidecars` (which reads and writes XMP with exiv2) so that a rescan
can ask them without loading exiv2 (issue 15: the no-op import).
"""

from __future__ import annotations

import os
from pathlib import Path

SIDECAR_SUFFIXES = (".xmp", ".XMP", ".Xmp")


def find_sidecar(photo: Path | str) -> Path | None:
    """The sidecar of ``photo`` on disk (see the module docstring for the order), or None."""
    photo = Path(photo)
    for base in (photo.name, photo.stem):
        for suffix in SIDECAR_SUFFIXES:
            candidate = photo.with_name(base + suffix)
            if candidate.is_file():
                return candidate
    return None


def sidecar_owner_names(photo_name: str) -> tuple[str, ...]:
    """Lower-cased names a sidecar of ``photo_name`` may have: to tell them from stray files."""
    stem = photo_name.rsplit(".", 1)[0] if "." in photo_name else photo_name
    return (f"{photo_name}.xmp".lower(), f"{stem}.xmp".lower())


def fingerprint(path: Path | str) -> tuple[int, int] | None:
    """(size, mtime_ns) of a sidecar: what the next import compares to notice a change."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns
