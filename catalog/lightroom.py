"""Lightroom Classic's collections, which it never writes to XMP, from its catalog file.

A ``.lrcat`` is SQLite. A collection (``AgLibraryCollection`` with ``creationId``
``com.adobe.ag.library.collection``) lists images (``AgLibraryCollectionImage``); an image's
file is ``AgLibraryRootFolder.absolutePath + AgLibraryFolder.pathFromRoot +
AgLibraryFile.baseName + "." + extension``; a virtual copy shares its master's file. A
collection inside a collection set (``com.adobe.ag.library.group``) is named
"Set / Collection". Smart collections are rules, not photos, and Lightroom's module working
sets (``*.unsaved``) are not the owner's: both are counted, not imported.

The photos must already be in the ExifTree catalog (``exiftree import`` of the same folders,
which also reads their sidecars). A member is found by its path; failing that (the archive
moved to another disk or machine) by its path below Lightroom's root folder, when that ends
exactly one catalog photo's path. Collections go through the operations layer, found again
by name on a re-run, so running it twice adds nothing. Photos rejected with Lightroom's flag
(``pick`` −1, also never in XMP) are made private. The ``.lrcat`` is opened read-only.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from sqlalchemy import select

from catalog import operations as ops
from catalog.catalog import Catalog
from catalog.collections import find_collection
from catalog.errors import CatalogError, NotFoundError
from catalog.models import Photo

COLLECTION = "com.adobe.ag.library.collection"
COLLECTION_SET = "com.adobe.ag.library.group"
SMART = "com.adobe.ag.library.smart_collection"

_MEMBERS = """
SELECT ci.collection, r.absolutePath, f.pathFromRoot, lf.baseName, lf.extension, i.pick
FROM AgLibraryCollectionImage ci
JOIN Adobe_images i ON i.id_local = ci.image
JOIN AgLibraryFile lf ON lf.id_local = i.rootFile
JOIN AgLibraryFolder f ON f.id_local = lf.folder
JOIN AgLibraryRootFolder r ON r.id_local = f.rootFolder
ORDER BY ci.collection, ci.positionInCollection, ci.image
"""


class NotALightroomCatalogError(CatalogError):
    """A file that is not a Lightroom Classic catalog (or one Lightroom has open)."""


@dataclass
class LightroomCollection:
    name: str
    files: list[tuple[str, str]] = field(default_factory=list)  # (absolute, below the root)
    rejected: set[str] = field(default_factory=set)  # absolute paths flagged as rejects


@dataclass(frozen=True)
class LightroomResult:
    collections_created: int
    photos_added: int
    matched: int
    made_private: int
    unmatched: tuple[str, ...]  # files named in collections that are not in the catalog
    smart_skipped: int


def read_collections(path: Path) -> tuple[list[LightroomCollection], int]:
    """The catalog's collections with their files, and the number of smart collections."""
    if Path(f"{path}.lock").exists():
        raise NotALightroomCatalogError(f"{path}: Lightroom has it open (close Lightroom first)")
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise NotALightroomCatalogError(f"{path}: cannot be opened ({exc})") from exc
    try:
        rows = db.execute("SELECT id_local, name, parent, creationId FROM AgLibraryCollection")
        kinds = {r[0]: (r[1] or "", r[2], r[3] or "") for r in rows}
        members = db.execute(_MEMBERS).fetchall()
    except sqlite3.Error as exc:
        why = "not a Lightroom Classic catalog"
        raise NotALightroomCatalogError(f"{path}: {why} ({exc})") from exc
    finally:
        db.close()
    found = {cid: LightroomCollection(_full_name(cid, kinds))
             for cid, (_, _, kind) in kinds.items() if kind == COLLECTION}  # fmt: skip
    for cid, root, folder, base, ext, pick in members:
        if cid in found:
            below = f"{folder or ''}{base}.{ext}" if ext else f"{folder or ''}{base}"
            absolute = f"{root or ''}{below}"
            found[cid].files.append((absolute, below))
            if pick is not None and float(pick) < 0:
                found[cid].rejected.add(absolute)
    smart = sum(1 for _, _, kind in kinds.values() if kind == SMART)
    return list(found.values()), smart


def _full_name(cid: int, kinds: dict[int, tuple[str, int | None, str]]) -> str:
    """The collection's name after its sets' names: "Travel / Italy 2019"."""
    names, seen = [], set()
    current: int | None = cid
    while current is not None and current in kinds and current not in seen:
        seen.add(current)
        name, parent, _ = kinds[current]
        names.append(" ".join(name.split()))
        current = parent
    return " / ".join(n for n in reversed(names) if n)


def import_lightroom(catalog: Catalog, path: Path) -> LightroomResult:
    """Each collection as an ExifTree collection of the catalog's photos of its files."""
    collections, smart = read_collections(path)
    with catalog.reading() as session:
        rows = session.execute(select(Photo.id, Photo.source_path, Photo.companion_path)).all()
    by_path: dict[str, str] = {}
    for photo_id, source, companion in rows:
        by_path[source] = photo_id
        if companion:
            by_path.setdefault(companion, photo_id)
    by_name: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for known, photo_id in by_path.items():
        parts = Path(known).parts
        by_name.setdefault(parts[-1], []).append((parts, photo_id))
    created = added = 0
    matched: set[str] = set()
    rejects: set[str] = set()
    unmatched: list[str] = []
    for collection in collections:
        ids: list[str] = []
        for absolute, below in collection.files:
            member = by_path.get(absolute) or _by_tail(by_name, below)
            if member is None:
                unmatched.append(absolute)
                continue
            ids.append(member)
            if absolute in collection.rejected:
                rejects.add(member)
        ids = list(dict.fromkeys(ids))
        if not ids or not collection.name:
            continue
        matched.update(ids)
        coll_id, is_new = _collection_named(catalog, collection.name)
        created += is_new
        added += len(ops.collections.add_photos(catalog, coll_id, ids).photo_ids)
    if rejects:
        ops.set_visibility(catalog, sorted(rejects), "private")
    return LightroomResult(created, added, len(matched), len(rejects),
                           tuple(dict.fromkeys(unmatched)), smart)  # fmt: skip


def _by_tail(by_name: dict[str, list[tuple[tuple[str, ...], str]]], below: str) -> str | None:
    """The one photo whose path ends with ``below`` (the archive moved); None if not one."""
    tail = PurePosixPath(below).parts
    if not tail:
        return None
    hits = {pid for parts, pid in by_name.get(tail[-1], ()) if parts[-len(tail) :] == tail}
    return next(iter(hits)) if len(hits) == 1 else None


def _collection_named(catalog: Catalog, name: str) -> tuple[str, bool]:
    try:
        with catalog.reading() as session:
            return find_collection(session, name).id, False
    except NotFoundError:
        changes = ops.collections.create_collection(catalog, name)
        return next(iter(changes.collection_ids)), True


def summary(result: LightroomResult, shown: int = 5) -> list[str]:
    """The lines a front end shows after the import."""
    lines = [
        f"Lightroom: {result.collections_created} collection(s) created, "
        f"{result.photos_added} photo(s) added to collections ({result.matched} matched), "
        f"{result.made_private} rejected photo(s) made private"
    ]
    if result.smart_skipped:
        lines.append(f"{result.smart_skipped} smart collection(s) not imported: they are "
                     "Lightroom rules, not lists of photos")  # fmt: skip
    if result.unmatched:
        more = len(result.unmatched) - shown
        names = ", ".join(result.unmatched[:shown]) + (f", and {more} more" if more > 0 else "")
        lines.append(f"{len(result.unmatched)} file(s) in collections are not in the "
                     f"catalog (import their folders first): {names}")  # fmt: skip
    return lines


__all__: Sequence[str] = ["LightroomResult", "NotALightroomCatalogError", "import_lightroom",
                          "read_collections", "summary"]  # fmt: skip
