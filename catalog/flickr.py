"""Import a Flickr account data export: the photos through the normal import, then what the
owner wrote on Flickr (title, description, tags, albums, privacy, place) as the owner's
values, through the operations layer.

Flickr's export ("Download all your content") unzips into photo files named
``<title>_<photoid>_o.jpg`` or ``<photoid>_<secret>_o.jpg`` and a metadata folder with one
``photo_<id>.json`` per photo and an ``albums.json``. A photo is matched to its catalog row
by content hash, so a file already imported from elsewhere gets its Flickr values too.

Running it again changes nothing already right: albums are found again by name, tags are a
union, a title or description is only filled where the photo has none (an owner's later
edit is kept), Flickr's public only makes newly imported photos public, while anything not
public on Flickr is made private every time (private stays private).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from catalog import operations as ops
from catalog.catalog import Catalog
from catalog.collections import find_collection
from catalog.errors import CatalogError, NotFoundError
from catalog.ingest.fallbacks import parse_date
from catalog.jobs import Cancel, JobObserver
from catalog.models import ExifData, Photo
from catalog.rows import chunked

if TYPE_CHECKING:  # the pipeline (Pillow, numpy) loads only when an import runs
    from catalog.ingest import ImportResult

METADATA = re.compile(r"^photo_(\d+)\.json$")
PUBLIC = "public"  # Flickr's other values: friends, family, "friend & family", private


class NotAFlickrExportError(CatalogError):
    """A folder without Flickr's metadata files."""

    def __init__(self, folder: Path, why: str) -> None:
        super().__init__(
            f"{folder} is not a Flickr export: {why}. Unzip Flickr's account data (the "
            "photo zips and the metadata zip with photo_<id>.json files) into one folder."
        )


@dataclass(frozen=True)
class FlickrPhoto:
    """What the owner wrote on Flickr about one photo."""

    flickr_id: str
    title: str | None = None
    description: str | None = None
    tags: tuple[str, ...] = ()
    albums: tuple[tuple[str, str], ...] = ()  # (album id, album title)
    privacy: str = "private"
    position: tuple[float, float] | None = None
    taken: datetime | None = None

    @property
    def visibility(self) -> str:
        return "public" if self.privacy.strip().lower() == PUBLIC else "private"


@dataclass
class FlickrExport:
    """An export folder read: metadata by Flickr id, photo files, albums in Flickr's order."""

    photos: dict[str, FlickrPhoto] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)  # Flickr id -> photo file
    unmatched: list[Path] = field(default_factory=list)  # photo files with no metadata
    albums: dict[str, tuple[str, list[str]]] = field(default_factory=dict)  # id -> (title, ids)
    problems: list[str] = field(default_factory=list)

    @property
    def media(self) -> list[Path]:
        return sorted([*self.files.values(), *self.unmatched])


@dataclass(frozen=True)
class FlickrResult:
    """The import's own result and what of Flickr's values was applied."""

    imported: ImportResult
    matched: int
    titled: int
    described: int
    tagged: int
    made_private: int
    made_public: int
    placed: int
    dated: int
    collections_created: int
    problems: tuple[str, ...]


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _position(geo: Any) -> tuple[float, float] | None:
    """Flickr's geo (a list of one, or the object alone); its coordinates come as text, in
    degrees or in millionths of one."""
    if isinstance(geo, list):
        geo = geo[0] if geo else None
    if not isinstance(geo, dict):
        return None
    try:
        lat, lon = float(geo["latitude"]), float(geo["longitude"])
    except (KeyError, TypeError, ValueError):
        return None
    if abs(lat) > 90 or abs(lon) > 180:
        lat, lon = lat / 1e6, lon / 1e6
    if (lat, lon) == (0.0, 0.0) or abs(lat) > 90 or abs(lon) > 180:
        return None
    return lat, lon


def parse_photo(data: dict[str, Any], fallback_id: str) -> FlickrPhoto:
    """One ``photo_<id>.json``; a field of the wrong shape is ignored, never fatal."""
    tags = [t.get("tag") if isinstance(t, dict) else t for t in data.get("tags") or []]
    albums = [
        (str(a["id"]), str(a.get("title") or a["id"]))
        for a in data.get("albums") or []
        if isinstance(a, dict) and a.get("id")
    ]
    return FlickrPhoto(
        flickr_id=str(data.get("id") or fallback_id),
        title=_text(data.get("name")),
        description=_text(data.get("description")),
        tags=tuple(dict.fromkeys(t.strip() for t in tags if isinstance(t, str) and t.strip())),
        albums=tuple(albums),
        privacy=_text(data.get("privacy")) or "private",
        position=_position(data.get("geo")),
        taken=parse_date(_text(data.get("date_taken"))),
    )


def _load_json(path: Path, problems: list[str]) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        problems.append(f"{path.name}: not readable JSON ({exc}); skipped, the rest goes on")
        return None


def _photo_id_of(path: Path, known: set[str]) -> str | None:
    """The Flickr id in a photo's file name: a run of digits between underscores."""
    runs = re.findall(r"(?:^|_)(\d{5,})(?=_|$)", path.stem)
    return next((r for r in reversed(runs) if r in known), None)


def read_export(folder: Path) -> FlickrExport:
    """Read an unzipped export (any nesting); raises when it is none."""
    if not folder.is_dir():
        raise NotAFlickrExportError(folder, "it is not a folder")
    export = FlickrExport()
    metadata, others, album_files = [], [], []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if METADATA.match(path.name):
            metadata.append(path)
        elif path.name == "albums.json":
            album_files.append(path)
        elif path.suffix.lower() != ".json" and not path.name.startswith("."):
            others.append(path)
    if not metadata:
        raise NotAFlickrExportError(folder, "it holds no photo_<id>.json metadata files")
    for path in metadata:
        data = _load_json(path, export.problems)
        if isinstance(data, dict):
            photo = parse_photo(data, METADATA.match(path.name).group(1))  # type: ignore[union-attr]
            export.photos[photo.flickr_id] = photo
        elif data is not None:
            export.problems.append(f"{path.name}: not a Flickr photo record; skipped")
    known = set(export.photos)
    for path in others:
        flickr_id = _photo_id_of(path, known)
        if flickr_id is None:
            export.unmatched.append(path)
        else:
            export.files.setdefault(flickr_id, path)
    for path in album_files:
        _read_albums(_load_json(path, export.problems), export)
    for photo in export.photos.values():  # albums only named in the photo records
        for album_id, title in photo.albums:
            export.albums.setdefault(album_id, (title, []))
            if photo.flickr_id not in export.albums[album_id][1]:
                export.albums[album_id][1].append(photo.flickr_id)
    return export


def _read_albums(data: Any, export: FlickrExport) -> None:
    albums = data.get("albums") if isinstance(data, dict) else None
    for album in albums if isinstance(albums, list) else []:
        if isinstance(album, dict) and album.get("id"):
            title = _text(album.get("title")) or str(album["id"])
            ids = [str(i) for i in album.get("photos") or [] if str(i) != "0"]
            export.albums[str(album["id"])] = (title, ids)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _photo_ids(catalog: Catalog, files: dict[str, Path]) -> dict[str, str]:
    """Flickr id -> catalog photo id, by the content hash of each file."""
    hashes: dict[str, str] = {}
    for flickr_id, path in files.items():
        try:
            hashes[_sha256(path)] = flickr_id
        except OSError:
            continue  # the import has reported it
    found: dict[str, str] = {}
    with catalog.reading() as session:
        for part in chunked(list(hashes)):
            rows = session.execute(
                select(Photo.content_hash, Photo.id).where(Photo.content_hash.in_(part))
            )
            found.update({hashes[h]: photo_id for h, photo_id in rows})
    return found


def _photo_ids_before(catalog: Catalog) -> set[str]:
    """The catalog's photo ids before the import: Flickr's public applies only to the new."""
    with catalog.reading() as session:
        return set(session.scalars(select(Photo.id)))


def import_flickr(
    catalog: Catalog,
    folder: Path,
    *,
    workers: int | None = None,
    observer: JobObserver | None = None,
    cancel: Cancel | None = None,
) -> FlickrResult:
    """Import the export's photos, then apply Flickr's values (see the module's docstring)."""
    from catalog.ingest import run_import

    export = read_export(folder)
    before = _photo_ids_before(catalog)
    result = run_import(catalog, export.media, workers=workers, observer=observer, cancel=cancel)
    ids = _photo_ids(catalog, export.files)
    counts = _apply(catalog, export, ids, new={p for p in ids.values() if p not in before})
    return FlickrResult(imported=result, matched=len(ids), problems=tuple(export.problems),
                        **counts)  # fmt: skip


def _apply(
    catalog: Catalog, export: FlickrExport, ids: dict[str, str], new: set[str]
) -> dict[str, int]:
    counts = dict.fromkeys(("titled", "described", "tagged", "made_private", "made_public",
                            "placed", "dated", "collections_created"), 0)  # fmt: skip
    with catalog.reading() as session:
        rows = session.execute(
            select(Photo.id, Photo.title, Photo.description, Photo.visibility,
                   ExifData.gps_latitude, Photo.date_taken)
            .outerjoin(ExifData, ExifData.photo_id == Photo.id)
            .where(Photo.id.in_(list(ids.values())))
        ).all()  # fmt: skip
    current = {row[0]: row for row in rows}
    private, public = [], []
    undated: dict[datetime, list[str]] = {}
    for flickr_id, photo_id in ids.items():
        flickr = export.photos[flickr_id]
        _, title, description, visibility, latitude, taken = current[photo_id]
        if flickr.title and not title:
            ops.set_title(catalog, [photo_id], flickr.title)
            counts["titled"] += 1
        if flickr.description and not description:
            ops.set_description(catalog, [photo_id], flickr.description)
            counts["described"] += 1
        if flickr.tags:
            ops.add_tags(catalog, [photo_id], list(flickr.tags))
            counts["tagged"] += 1
        if flickr.visibility == "private" and visibility != "private":
            private.append(photo_id)
        elif flickr.visibility == "public" and photo_id in new and visibility != "public":
            public.append(photo_id)
        if flickr.position and latitude is None and _place(catalog, photo_id, flickr, export):
            counts["placed"] += 1
        if flickr.taken and taken is None:
            undated.setdefault(flickr.taken, []).append(photo_id)
    for when, photo_ids in undated.items():
        counts["dated"] += len(ops.fill_date_taken(catalog, photo_ids, when).photo_ids)
    if private:
        ops.set_visibility(catalog, private, "private")
    if public:
        ops.set_visibility(catalog, public, "public")
    counts["made_private"], counts["made_public"] = len(private), len(public)
    counts["collections_created"] = _collections(catalog, export, ids)
    return counts


def _place(catalog: Catalog, photo_id: str, flickr: FlickrPhoto, export: FlickrExport) -> bool:
    """Flickr's position for a photo whose file has none; one that cannot be used is
    reported, never fatal."""
    try:
        ops.fix_place(catalog, [photo_id], position=flickr.position)
    except NotFoundError:
        export.problems.append(f"photo {flickr.flickr_id}: its file has no EXIF to hold "
                               "Flickr's position; left unplaced")  # fmt: skip
        return False
    except CatalogError as exc:
        export.problems.append(f"photo {flickr.flickr_id}: position not used ({exc})")
        return False
    return True


def _collections(catalog: Catalog, export: FlickrExport, ids: dict[str, str]) -> int:
    """Each album as a collection of the same name, found again on a re-run."""
    created = 0
    for title, members in export.albums.values():
        photo_ids = [ids[m] for m in members if m in ids]
        if not photo_ids:
            continue
        try:
            with catalog.reading() as session:
                coll_id = find_collection(session, title).id
        except NotFoundError:
            changes = ops.collections.create_collection(catalog, title)
            coll_id, created = next(iter(changes.collection_ids)), created + 1
        ops.collections.add_photos(catalog, coll_id, photo_ids)
    return created


def summary(result: FlickrResult) -> list[str]:
    """The lines a front end shows after the import."""
    return [
        f"Flickr: {result.matched} photo(s) matched to their metadata; "
        f"{result.titled} titled, {result.described} described, {result.tagged} tagged, "
        f"{result.placed} placed, {result.dated} dated, {result.made_private} made private, "
        f"{result.made_public} made public, {result.collections_created} collection(s) created",
        *result.problems,
    ]


__all__: Sequence[str] = ["FlickrExport", "FlickrPhoto", "FlickrResult", "NotAFlickrExportError",
                          "import_flickr", "read_export", "summary"]  # fmt: skip
