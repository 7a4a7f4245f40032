"""XMP sidecars: the curation other tools (Lightroom, darktable, digiKam, Capture One) left
beside a photo, read on import and written back on request — through libexiv2, Qt-free.

Which file: ``FILE.EXT.xmp`` (darktable, digiKam: one sidecar per file) is looked for first,
then ``FILE.xmp`` (Lightroom, Capture One); the suffix's case does not matter. Writing goes
to the sidecar found, or to a new ``FILE.xmp``.

Keywords: ``dc:subject`` holds flat keywords, ``lr:hierarchicalSubject`` paths such as
``Places|Italy|Arezzo``. ExifTree tags a photo with each path's *leaf* ("Arezzo", what search
and the site's tag pages show) and with every flat keyword; the full paths are kept in the
catalog's sidecar record and written back unchanged while their leaf is still a tag (a
tag the owner added in ExifTree is written as a one-level path). digiKam's own
``digiKam:TagsList`` (``Places/Italy/Arezzo``) stands in when a sidecar has no
``lr:hierarchicalSubject``; its ``digiKam:PickLabel`` (1 rejected, 3 accepted) and colour
label number, and darktable's ``darktable:colorlabels`` numbers, are read as the rejection,
pick and label they are. No tool writes its collections or albums to XMP (see
docs/formats.md): there is none to read.

Writing merges: the existing packet is parsed whole and only the properties ExifTree owns
are replaced — ``xmp:Rating``, ``dc:title``, ``dc:description``, ``dc:subject``,
``lr:hierarchicalSubject`` and ``exiftree:visibility`` (ExifTree's own namespace,
``http://ns.exiftree.org/1.0/``: xmp:Label is the owner's colour label in Lightroom and
Bridge, not ours to take). Everything else another tool wrote stays. A rating of 0 over a
sidecar's −1 keeps the −1: ExifTree has no "rejected" rating of its own to lose it with.
The new packet is written to a temp file and moved over the old one; the original photo
is never opened for writing.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import exiv2

from catalog.errors import CatalogError
from catalog.files import write_atomically
from catalog.sidecar_files import SIDECAR_SUFFIXES as SIDECAR_SUFFIXES
from catalog.sidecar_files import find_sidecar as find_sidecar
from catalog.sidecar_files import fingerprint as fingerprint
from catalog.sidecar_files import sidecar_owner_names as sidecar_owner_names

exiv2.LogMsg.setLevel(exiv2.LogMsg.Level.mute)
log = logging.getLogger(__name__)

EXIFTREE_NS = "http://ns.exiftree.org/1.0/"
exiv2.XmpProperties.registerNs(EXIFTREE_NS, "exiftree")

HIERARCHY_SEPARATOR = "|"
EMPTY_PACKET = (
    b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>\n'
    b'<?xpacket end="w"?>'
)


class SidecarError(CatalogError):
    """A sidecar that cannot be read or written, said for the owner."""


@dataclass(frozen=True)
class XmpValues:
    """What ExifTree takes from an XMP packet; None (or empty) where the packet is silent."""

    rating: int | None = None  # 0-5; a −1 (rejected) is ``rejected`` with rating None
    rejected: bool = False
    picked: bool = False
    label: str | None = None  # the colour label, kept as written ("Red", "Green"...)
    title: str | None = None
    description: str | None = None
    keywords: tuple[str, ...] = ()  # dc:subject, as written
    hierarchies: tuple[str, ...] = ()  # lr:hierarchicalSubject paths, "A|B|C"
    date_created: datetime | None = None
    position: tuple[float, float] | None = None  # signed decimal degrees
    visibility: str | None = None  # exiftree:visibility, when ExifTree wrote the sidecar

    @property
    def tags(self) -> tuple[str, ...]:
        """The tag names for the catalog: flat keywords and the leaf of every path."""
        leaves = (path.split(HIERARCHY_SEPARATOR)[-1] for path in self.hierarchies)
        names = (" ".join(n.split()) for n in (*self.keywords, *leaves))
        return tuple(dict.fromkeys(n for n in names if n))

    def merged_over(self, base: XmpValues) -> XmpValues:
        """These values, with ``base``'s where these are silent (a sidecar over the
        embedded XMP)."""
        mine = self.__dict__
        return XmpValues(**{k: v if v not in (None, (), False) else base.__dict__[k]
                            for k, v in mine.items()})  # fmt: skip

    @property
    def empty(self) -> bool:
        return self == XmpValues()


@dataclass(frozen=True)
class OwnerValues:
    """What ExifTree writes back: the catalog's owner values of one photo."""

    rating: int
    title: str | None
    description: str | None
    tags: Sequence[str] = ()
    visibility: str = "private"
    hierarchies: Sequence[str] = field(default_factory=tuple)  # the paths read on import
    owns_title: bool = True  # False: the title is the AI's, and the sidecar's stays as it is
    owns_description: bool = True


def read_sidecar(path: Path | str) -> XmpValues:
    """The values of a sidecar file; :class:`SidecarError` when it is not XMP at all."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise SidecarError(f"{path}: the sidecar cannot be read ({exc.strerror or exc})") from exc
    try:
        return values_of(_xmp_data(data))
    except Exception as exc:  # noqa: BLE001 - exiv2 raises its own error for any damage
        raise SidecarError(f"{path}: not a readable XMP sidecar ({_why(exc)})") from exc


def _why(exc: Exception) -> str:
    """exiv2's own sentence, without its error-code tuple."""
    message = getattr(exc, "message", None)
    return str(message) if message else str(exc)


def read_embedded(photo: Path | str) -> XmpValues:
    """The XMP embedded in a photo file (empty when it has none or exiv2 cannot read it)."""
    try:
        image = exiv2.ImageFactory.open(str(photo))
        image.readMetadata()
        return values_of(image.xmpData())
    except Exception as exc:  # noqa: BLE001 - no XMP is no news
        log.debug("no embedded XMP in %s: %s", photo, exc)
        return XmpValues()


def _xmp_data(data: bytes) -> exiv2.XmpData:
    image = exiv2.ImageFactory.open(data)
    image.readMetadata()
    return image.xmpData()


def values_of(xmp: exiv2.XmpData) -> XmpValues:
    """ExifTree's reading of an XMP packet's properties."""
    found = {datum.key(): datum for datum in xmp}

    def text(key: str) -> str | None:
        datum = found.get(key)
        if datum is None:
            return None
        if datum.typeId() == exiv2.TypeId.langAlt:
            value = datum.toString(0) if datum.count() else ""
        else:
            value = datum.toString()
        value = value.replace("\x00", "").strip()
        return value or None

    def items(key: str) -> tuple[str, ...]:
        datum = found.get(key)
        if datum is None:
            return ()
        if datum.typeId() in (exiv2.TypeId.xmpBag, exiv2.TypeId.xmpSeq, exiv2.TypeId.xmpAlt):
            values = (datum.toString(i) for i in range(datum.count()))
        else:
            values = iter(datum.toString().split(","))
        return tuple(dict.fromkeys(v.strip() for v in values if v.strip()))

    rating = _number(text("Xmp.xmp.Rating"))
    pick = _number(text("Xmp.xmpDM.pick"))
    digikam_pick = _number(text("Xmp.digiKam.PickLabel"))  # 1 rejected, 2 pending, 3 accepted
    rejected = (rating is not None and rating < 0) or (pick is not None and pick < 0)
    good = (text("Xmp.xmpDM.good") or "").lower() == "true"
    return XmpValues(
        rating=None if rating is None or rating < 0 else min(5, int(rating)),
        rejected=rejected or digikam_pick == 1,
        picked=(pick is not None and pick > 0) or good or digikam_pick == 3,
        label=text("Xmp.xmp.Label")
        or _listed(DIGIKAM_LABELS, text("Xmp.digiKam.ColorLabel"))
        or _listed(DARKTABLE_LABELS, next(iter(items("Xmp.darktable.colorlabels")), None)),
        title=text("Xmp.dc.title"),
        description=text("Xmp.dc.description"),
        keywords=items("Xmp.dc.subject"),
        hierarchies=items("Xmp.lr.hierarchicalSubject")
        or tuple(t.replace("/", HIERARCHY_SEPARATOR) for t in items("Xmp.digiKam.TagsList")),
        date_created=_date(text("Xmp.photoshop.DateCreated")),
        position=_position(text("Xmp.exif.GPSLatitude"), text("Xmp.exif.GPSLongitude")),
        visibility=text("Xmp.exiftree.visibility"),
    )


# Colour labels as numbers, by tool, in Lightroom's names (xmp:Label) where it has one
DIGIKAM_LABELS = (None, "Red", "Orange", "Yellow", "Green", "Blue", "Purple", "Gray", "Black",
                  "White")  # fmt: skip
DARKTABLE_LABELS = ("Red", "Yellow", "Green", "Blue", "Purple")


def _listed(names: Sequence[str | None], value: str | None) -> str | None:
    number = _number(value)
    if number is None or not 0 <= number < len(names) or number != int(number):
        return None
    return names[int(number)]


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _date(value: str | None) -> datetime | None:
    """photoshop:DateCreated ("2019-06-01T18:30:00", maybe with zone or fraction) as the
    local time it names; a bare year or month is not a moment and is left out."""
    if not value or len(value) < 16:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=None, microsecond=0)


def _position(latitude: str | None, longitude: str | None) -> tuple[float, float] | None:
    lat, lon = _degrees(latitude, "SN"), _degrees(longitude, "WE")
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def _degrees(value: str | None, refs: str) -> float | None:
    """XMP's "DDD,MM.mmmmR" or "DDD,MM,SSR" as signed degrees (R one of ``refs``)."""
    if not value or value[-1].upper() not in refs:
        return None
    try:
        parts = [float(p) for p in value[:-1].split(",")]
    except ValueError:
        return None
    if not 1 <= len(parts) <= 3:
        return None
    degrees = sum(p / 60**i for i, p in enumerate(parts))
    return -degrees if value[-1].upper() == refs[0] else degrees


def sidecar_target(photo: Path | str) -> Path:
    """Where the sidecar of ``photo`` is written: the one it has, or a new ``FILE.xmp``."""
    photo = Path(photo)
    return find_sidecar(photo) or photo.with_name(photo.stem + ".xmp")


def write_sidecar(photo: Path | str, values: OwnerValues) -> Path:
    """Write ``values`` into ``photo``'s sidecar, merging with what is there; returns the
    sidecar's path. A sidecar that cannot be parsed is never replaced (SidecarError)."""
    target = sidecar_target(photo)
    try:
        old = target.read_bytes() if target.exists() else EMPTY_PACKET
    except OSError as exc:
        raise SidecarError(f"{target}: the sidecar cannot be read ({exc.strerror or exc})") from exc
    try:
        image = exiv2.ImageFactory.open(old)
        image.readMetadata()
    except Exception as exc:  # noqa: BLE001 - never overwrite what we could not read
        raise SidecarError(
            f"{target}: not a readable XMP sidecar ({_why(exc)}); it was left as it is"
        ) from exc
    xmp = image.xmpData()
    _set_owner_values(xmp, values)
    # exiv2 mirrors a sidecar's XMP into EXIF and IPTC on reading and copies them back on
    # writing: emptied, they can neither bring back a removed keyword nor reformat GPS.
    image.clearExifData()
    image.clearIptcData()
    try:
        image.writeMetadata()
        io = image.io()
        data = bytes(io.mmap())[: io.size()]
    except Exception as exc:  # noqa: BLE001
        raise SidecarError(f"{target}: the sidecar could not be encoded ({exc})") from exc
    try:
        write_atomically(target, data)
    except OSError as exc:
        raise SidecarError(
            f"{target}: the sidecar cannot be written ({exc.strerror or exc})"
        ) from exc
    return target


def _set_owner_values(xmp: exiv2.XmpData, values: OwnerValues) -> None:
    current = values_of(xmp)
    rating = values.rating
    if rating == 0 and current.rejected and current.rating is None:
        rating = -1  # the sidecar's reject stands (see the module docstring)
    xmp["Xmp.xmp.Rating"] = str(rating)
    if values.owns_title:
        _set_lang_alt(xmp, "Xmp.dc.title", values.title)
    if values.owns_description:
        _set_lang_alt(xmp, "Xmp.dc.description", values.description)
    tags = list(dict.fromkeys(values.tags))
    _set_bag(xmp, "Xmp.dc.subject", tags)
    kept = [p for p in values.hierarchies if p.split(HIERARCHY_SEPARATOR)[-1] in tags]
    leaves = {p.split(HIERARCHY_SEPARATOR)[-1] for p in kept}
    paths = [*kept, *(t for t in tags if t not in leaves)]
    if paths or "Xmp.lr.hierarchicalSubject" in {d.key() for d in xmp}:
        _set_bag(xmp, "Xmp.lr.hierarchicalSubject", paths)
    xmp["Xmp.exiftree.visibility"] = values.visibility


def _remove(xmp: exiv2.XmpData, key: str) -> None:
    while key in {d.key() for d in xmp}:
        del xmp[key]


def _set_lang_alt(xmp: exiv2.XmpData, key: str, text: str | None) -> None:
    """The default language's text replaced, the translations another tool wrote kept;
    no text clears them all (the owner cleared the title)."""
    current = next((d for d in xmp if d.key() == key), None)
    if not text:
        _remove(xmp, key)
        return
    if current is not None and current.typeId() == exiv2.TypeId.langAlt:
        value = current.getValue()
    else:
        _remove(xmp, key)
        value = exiv2.Value.create(exiv2.TypeId.langAlt)
    value.read(f'lang="x-default" {text}')
    xmp[key] = value


def _set_bag(xmp: exiv2.XmpData, key: str, items: Sequence[str]) -> None:
    _remove(xmp, key)
    if items:
        value = exiv2.Value.create(exiv2.TypeId.xmpBag)
        for item in items:
            value.read(item)
        xmp.add(exiv2.XmpKey(key), value)
