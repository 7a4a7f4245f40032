"""Stage 1: find the photo files under the paths the user gave, cheaply (one stat each).

Hidden and system files are passed over silently; files of other types are reported as
skipped; unreadable folders and broken links are reported as failures — never fatal.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from catalog.sidecar_files import sidecar_owner_names

# Camera RAW, decoded by LibRaw (catalog/ingest/raw.py)
RAW_SUFFIXES = frozenset(
    {".nef", ".nrw", ".cr2", ".cr3", ".crw", ".arw", ".sr2", ".srf", ".dng", ".raf", ".orf"}
    | {".rw2", ".pef", ".srw", ".3fr", ".iiq", ".x3f", ".erf", ".mrw", ".kdc", ".rwl"}
)
PHOTO_SUFFIXES = frozenset(
    {".jpg", ".jpeg", ".jpe", ".png", ".webp", ".tif", ".tiff", ".heic", ".heif", ".mpo"}
    | {".avif", ".jxl"}
    | RAW_SUFFIXES
)
# Cameras and phones write these beside the photos; named as videos in the summary
VIDEO_SUFFIXES = frozenset(
    {".mp4", ".mov", ".m4v", ".avi", ".mts", ".m2ts", ".3gp", ".mkv", ".mpg", ".mpeg", ".wmv"}
)
SYSTEM_NAMES = frozenset(
    {"thumbs.db", "desktop.ini", "__macosx", "@eadir", "$recycle.bin", "lost+found"}
)


@dataclass(frozen=True)
class Candidate:
    """A file that looks like a photo; size and mtime come from the directory scan."""

    path: Path
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Unusable:
    """A file or folder reported instead of imported: ``status`` is "failed" or "skipped"."""

    path: Path
    status: str
    reason: str


Found = Candidate | Unusable


def is_hidden(name: str) -> bool:
    """Dot files and the litter operating systems leave in photo folders."""
    return name.startswith(".") or name.lower() in SYSTEM_NAMES


def discover(paths: Iterable[Path], exclude: Iterable[Path] = ()) -> Iterator[Found]:
    """Every candidate photo under ``paths`` (files given explicitly are always candidates);
    folders in ``exclude`` (the catalog's own, with its thumbnails) are never entered."""
    seen: set[str] = set()
    visited_dirs: set[tuple[int, int]] = set()
    for folder in exclude:
        with contextlib.suppress(OSError):
            info = os.stat(folder)
            visited_dirs.add((info.st_dev, info.st_ino))
    for given in paths:
        path = Path(os.path.abspath(given))
        if path.is_dir():
            yield from _walk(path, seen, visited_dirs)
        elif path.is_file():
            found = _candidate(path, os.stat(path))
            if str(path) not in seen:
                seen.add(str(path))
                yield found
        elif path.is_symlink():
            yield Unusable(path, "failed", f"broken link to {os.readlink(path)}")
        else:
            yield Unusable(path, "failed", "no such file or folder")


def _walk(folder: Path, seen: set[str], visited: set[tuple[int, int]]) -> Iterator[Found]:
    """Depth-first, sorted, following links to folders once (no loops)."""
    try:
        info = os.stat(folder)
        if (info.st_dev, info.st_ino) in visited:
            return
        visited.add((info.st_dev, info.st_ino))
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda e: e.name)
    except OSError as exc:
        yield Unusable(folder, "failed", f"folder cannot be read: {exc.strerror or exc}")
        return
    for entry in entries:
        if is_hidden(entry.name):
            continue
        yield from _entry(entry, seen, visited)


def _entry(
    entry: os.DirEntry[str], seen: set[str], visited: set[tuple[int, int]]
) -> Iterator[Found]:
    path = Path(entry.path)
    try:
        info = entry.stat()  # follows links
    except FileNotFoundError:
        if entry.is_symlink():
            yield Unusable(path, "failed", f"broken link to {os.readlink(path)}")
        return
    except OSError as exc:
        yield Unusable(path, "failed", f"cannot be read: {exc.strerror or exc}")
        return
    if entry.is_dir():
        yield from _walk(path, seen, visited)
    elif entry.is_file() and entry.path not in seen:
        seen.add(entry.path)
        if path.suffix.lower() in PHOTO_SUFFIXES:
            yield _candidate(path, info)
        else:
            yield Unusable(path, "skipped", _not_a_photo(path.suffix.lower()))


def _not_a_photo(suffix: str) -> str:
    """The skip reason; one per kind of file (the suffix's case does not make two kinds)."""
    if suffix in VIDEO_SUFFIXES:
        return f"a video ({suffix}): ExifTree catalogs photos only"
    return f"not a photo file type ({suffix or 'no suffix'})"


def _candidate(path: Path, info: os.stat_result) -> Candidate:
    return Candidate(path, info.st_size, info.st_mtime_ns)


def without_sidecars(found: Iterable[Candidate | Unusable]) -> list[Candidate | Unusable]:
    """``found`` less the sidecars of the photos in it: they are read with their photo, not
    reported as files skipped for not being photos."""
    found = list(found)
    names: set[tuple[str, str]] = set()
    for item in found:
        if isinstance(item, Candidate):
            folder = str(item.path.parent)
            names.update((folder, name) for name in sidecar_owner_names(item.path.name))
    kept: list[Candidate | Unusable] = []
    for item in found:
        if isinstance(item, Unusable) and item.status == "skipped" and _is_xmp(item.path):
            if (str(item.path.parent), item.path.name.lower()) in names:
                continue  # read with its photo
            item = Unusable(item.path, item.status, ORPHAN_SIDECAR)
        kept.append(item)
    return kept


ORPHAN_SIDECAR = "an XMP sidecar with no photo of its name beside it (.xmp)"


def _is_xmp(path: Path) -> bool:
    return path.suffix.lower() == ".xmp"
