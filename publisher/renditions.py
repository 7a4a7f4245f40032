"""Web renditions: sRGB JPEGs at fixed sizes, carrying only allow-listed EXIF.

They are the catalog's cached thumbnails (already upright, sRGB, at these sizes), their
picture data kept byte for byte and only their metadata swapped for the allow-listed EXIF
(publisher.splice): no second decode, no second generation of JPEG loss. A thumbnail that
needs converting is decoded and encoded as a progressive JPEG; the original is decoded, once,
only when a thumbnail is missing or for the 2400 px size. Keys are content-addressed
(photo content hash + rendition version + a digest of the embedded EXIF), so an object,
once uploaded, never changes and can be cached forever.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import cast

from PIL import Image, ImageCms, ImageOps
from PIL.TiffImagePlugin import IFDRational

from catalog.privacy import ALLOWED_EXIF as ALLOWED_EXIF  # re-exported: a rendition is
from catalog.privacy import ALLOWED_IFD0 as ALLOWED_IFD0  # where the policy's EXIF
from catalog.privacy import EXIF_IFD, keep_allowed_segments  # allow-list is written
from publisher.errors import RenditionError
from publisher.splice import splice_exif

RENDITION_VERSION = 1
SIZES_PX = (300, 800, 1600)
ORIGINAL_SIZE_PX = 2400
SIZES_RULE = "no-upscale"  # in the catalog fingerprint: sites published before it re-plan
JPEG_QUALITY = 82


@dataclass(frozen=True)
class ExifSummary:
    """What the viewer may show, and therefore all a rendition may embed."""

    make: str | None = None
    model: str | None = None
    lens: str | None = None
    exposure_time_s: float | None = None
    aperture: float | None = None
    iso: int | None = None
    focal_length_mm: float | None = None
    date_taken: datetime | None = None
    artist: str | None = None  # the owner, as credited in the site settings
    copyright: str | None = None  # "© 2008 Ada Lovelace. CC BY 4.0"

    @cached_property
    def digest(self) -> str:
        """Eight hex digits: part of the key, so an EXIF edit makes new objects. Without a
        credit the digest is what it was before credits existed (no mass re-upload)."""
        values = tuple(getattr(self, f.name) for f in fields(self))
        if not (self.artist or self.copyright):
            values = values[:-2]
        return hashlib.blake2b(repr(values).encode(), digest_size=4).hexdigest()


@dataclass(frozen=True)
class RenditionSource:
    """Where a photo's pixels come from: thumbnails by size, else the original."""

    photo_id: str
    content_hash: str
    thumb_path: Callable[[str, int], Path] | None  # Catalog.thumb_path (None: no thumbnails)
    original: Path | str | None
    exif: ExifSummary
    turns: int = 0  # the owner's clockwise quarter turns (the thumbnails already have them)
    long_side: int | None = None  # of the picture as shown, in px (None: not known)

    def sizes(self, wanted: tuple[int, ...]) -> tuple[int, ...]:
        """The sizes of ``wanted`` worth making: each below the picture's long side, then
        the first at or above it (the picture at its own size). Never an upscale, never two
        files of the same pixels; all of them when the size is not known."""
        if not self.long_side:
            return wanted
        ordered = sorted(wanted)
        below = [s for s in ordered if s < self.long_side]
        return tuple(below + [s for s in ordered if s >= self.long_side][:1])

    def thumb(self, size: int) -> Path:
        """Where the catalog keeps this photo's thumbnail of ``size`` (Catalog.thumb_path)."""
        if self.thumb_path is None:
            return Path("/nonexistent")
        return self.thumb_path(self.content_hash, size)


@dataclass(frozen=True)
class Rendition:
    size: int
    key: str
    width: int
    height: int
    data: bytes


def rendition_key(content_hash: str, exif: ExifSummary, size: int, turns: int = 0) -> str:
    """Immutable, content-addressed object key, relative to the media base URL. A photo the
    owner turned gets new keys (``r1``-``r3``); an unturned one keeps the keys it always had."""
    version = f"{exif.digest}r{turns}" if turns else exif.digest
    return f"p/{content_hash[:2]}/{content_hash}-v{RENDITION_VERSION}-{version}-{size}.jpg"


def picture_of_key(key: str) -> str:
    """The content hash a key of :func:`rendition_key` was made for."""
    return key.split("/")[-1].split("-", 1)[0]


def render_photo(source: RenditionSource, sizes: tuple[int, ...]) -> tuple[list[Rendition], str]:
    """Every rendition of one photo, and its placeholder colour ("#rrggbb")."""
    original = _lazy_original(source)
    renditions: list[Rendition] = []
    for size in sizes:
        thumb = source.thumb(size)
        if size != ORIGINAL_SIZE_PX and thumb.is_file():
            spliced = _from_thumbnail_bytes(thumb, size, source)
            if spliced is not None:
                renditions.append(spliced)
                continue
            image = _open_upright(thumb, source.photo_id)
        else:
            image = original()
        renditions.append(_encode(image, size, source))
    return renditions, placeholder_color(renditions[0].data)


def _from_thumbnail_bytes(thumb: Path, size: int, source: RenditionSource) -> Rendition | None:
    """The thumbnail as it is, with only the allow-listed EXIF (None: decode it instead)."""
    try:
        data = thumb.read_bytes()
    except OSError:
        return None  # the decode path says what is wrong with it
    spliced = splice_exif(data, allowed_exif(source.exif).tobytes(), size)
    if spliced is None:
        return None
    key = rendition_key(source.content_hash, source.exif, size, source.turns)
    return Rendition(size, key, spliced.width, spliced.height, spliced.data)


def missing_source(source: RenditionSource, sizes: tuple[int, ...]) -> str | None:
    """Why :func:`render_photo` would fail for want of pixels (None: every size has one),
    found with a few ``stat`` calls, so a dry run can say so before anything is uploaded."""
    needs_original = any(s == ORIGINAL_SIZE_PX or not source.thumb(s).is_file() for s in sizes)
    if needs_original and not (source.original and Path(source.original).is_file()):
        return "no thumbnail in the catalog and the original is missing"
    return None


def placeholder_color(jpeg: bytes) -> str:
    """The image's average colour, shown while it loads."""
    with Image.open(io.BytesIO(jpeg)) as image:
        pixel = image.convert("RGB").resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
    r, g, b = cast(tuple[int, int, int], pixel)  # an RGB image's pixel is always a 3-tuple
    return f"#{r:02x}{g:02x}{b:02x}"


def _lazy_original(source: RenditionSource) -> Callable[[], Image.Image]:
    """Decode the original at most once, and only if some size needs it."""
    cache: list[Image.Image] = []

    def load() -> Image.Image:
        if not cache:
            path = Path(source.original) if source.original else None
            if path is None or not path.is_file():
                raise RenditionError(
                    source.photo_id, "no thumbnail in the catalog and the original is missing"
                )
            upright = _open_upright(path, source.photo_id)
            cache.append(upright.rotate(-90 * source.turns, expand=True))  # the owner's turn
        return cache[0]

    return load


def _open_upright(path: Path, photo_id: str) -> Image.Image:
    from catalog.ingest.discover import RAW_SUFFIXES  # here: the package loads the whole
    # ingest (scipy, numpy: ~1-4 s), which a publish from thumbnails never needs

    if path.suffix.lower() in RAW_SUFFIXES:  # a camera RAW: LibRaw, not Pillow
        from catalog.ingest.errors import IngestError
        from catalog.ingest.raw import open_raw_upright

        try:
            return open_raw_upright(path, ORIGINAL_SIZE_PX)
        except (IngestError, OSError) as exc:
            raise RenditionError(photo_id, f"{path}: {getattr(exc, 'reason', exc)}") from exc
    try:
        with Image.open(path) as image:
            image.draft("RGB", (ORIGINAL_SIZE_PX, ORIGINAL_SIZE_PX))
            upright = ImageOps.exif_transpose(image)
            return _to_srgb(upright)
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise RenditionError(photo_id, f"{path}: {exc}") from exc


def _to_srgb(image: Image.Image) -> Image.Image:
    """Convert embedded-profile pixels to sRGB, so browsers show the colours the owner saw."""
    icc = image.info.get("icc_profile")
    if icc:
        try:
            src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(
                image.convert("RGB"), src, ImageCms.createProfile("sRGB"), outputMode="RGB"
            )
            if converted is not None:
                return converted
        except ImageCms.PyCMSError:
            pass  # a broken profile: treat the pixels as sRGB
    return image.convert("RGB")


def _encode(image: Image.Image, size: int, source: RenditionSource) -> Rendition:
    copy = image.copy()
    copy.thumbnail((size, size), Image.Resampling.LANCZOS)
    copy.info = {}  # Pillow writes a source's comment (COM) back out unless told otherwise
    out = io.BytesIO()
    copy.save(
        out,
        "JPEG",
        quality=JPEG_QUALITY,
        progressive=True,
        optimize=True,
        exif=allowed_exif(source.exif).tobytes(),
    )
    key = rendition_key(source.content_hash, source.exif, size, source.turns)
    data = keep_allowed_segments(out.getvalue())  # whatever the encoder added, only the allowed
    return Rendition(size, key, copy.width, copy.height, data)


def allowed_exif(summary: ExifSummary) -> Image.Exif:
    """An EXIF block holding only the allow-listed fields (and never GPS)."""
    exif = Image.Exif()
    if summary.make:
        exif[0x010F] = summary.make
    if summary.model:
        exif[0x0110] = summary.model
    if summary.artist:
        exif[0x013B] = summary.artist
    if summary.copyright:
        exif[0x8298] = summary.copyright
    ifd = exif.get_ifd(EXIF_IFD)
    if summary.exposure_time_s:
        ifd[0x829A] = _rational(summary.exposure_time_s, 100000)
    if summary.aperture:
        ifd[0x829D] = _rational(summary.aperture, 1000)
    if summary.iso:
        ifd[0x8827] = int(summary.iso)
    if summary.focal_length_mm:
        ifd[0x920A] = _rational(summary.focal_length_mm, 1000)
    if summary.date_taken:
        ifd[0x9003] = summary.date_taken.strftime("%Y:%m:%d %H:%M:%S")
    if summary.lens:
        ifd[0xA434] = summary.lens
    return exif


def _rational(value: float, max_denominator: int) -> IFDRational:
    numerator, denominator = IFDRational(value).limit_rational(max_denominator)
    return IFDRational(int(numerator), denominator)  # a Fraction's numerator: already an int
