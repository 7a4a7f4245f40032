"""The privacy audit: what a publish would reveal beyond the obvious, and a last check of bytes.

The report is shown with the plan (before the owner confirms); ``check_rendition`` re-reads
every rendered file before upload and refuses any that carries more than the allow-list.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import ExifTags, Image

from catalog.privacy import EXIF_IFD, exif_tag_may_leave, segments_refused
from publisher.catalog_view import CatalogSite
from publisher.errors import PrivacyAuditError


@dataclass(frozen=True)
class AuditReport:
    """Photo ids the owner should know about before confirming."""

    placeless: tuple[str, ...]  # city inside a privacy zone: published with no place
    unlisted: tuple[str, ...]  # reachable by link only
    awaiting_review: tuple[str, ...]  # AI text held back until reviewed

    @property
    def is_clean(self) -> bool:
        return not (self.placeless or self.unlisted or self.awaiting_review)

    def lines(self) -> list[str]:
        out = []
        if self.placeless:
            out.append(f"{len(self.placeless)} photo(s) in a privacy zone: published with no place")
        if self.unlisted:
            out.append(f"{len(self.unlisted)} unlisted photo(s): reachable by link, in no list")
        if self.awaiting_review:
            out.append(
                f"{len(self.awaiting_review)} photo(s) await AI review: published without AI text"
            )
        return out


def audit_site(site: CatalogSite) -> AuditReport:
    photos = sorted(site.photos.values(), key=lambda p: p.id)
    return AuditReport(
        placeless=tuple(p.id for p in photos if p.in_privacy_zone),
        unlisted=tuple(p.id for p in photos if not p.listed),
        awaiting_review=tuple(p.id for p in photos if p.awaiting_review),
    )


def metadata_outside_allow_list(data: bytes) -> list[str]:
    """Everything in a JPEG's metadata that the privacy policy does not let leave (empty:
    clean): its segments, then the tags of its EXIF."""
    found = [f"segment {name}" for name in segments_refused(data)]
    with Image.open(io.BytesIO(data)) as image:
        if image.format != "JPEG":
            return [f"format {image.format}"]
        exif = image.getexif()
        found += [f"IFD0 tag {_name(t)}" for t in exif if not exif_tag_may_leave("IFD0", t)]
        ifd = exif.get_ifd(EXIF_IFD)
        found += [f"EXIF tag {_name(t)}" for t in ifd if not exif_tag_may_leave("EXIF", t)]
        if exif.get_ifd(ExifTags.IFD.GPSInfo):
            found.append("a GPS IFD")
        if exif.get_ifd(ExifTags.IFD.IFD1):
            found.append("an EXIF thumbnail")
    return found


def check_rendition(key: str, data: bytes) -> None:
    """Refuse (PrivacyAuditError) a rendition carrying anything beyond the allow-list."""
    found = metadata_outside_allow_list(data)
    if found:
        raise PrivacyAuditError(key, found)


def _name(tag: int) -> str:
    return ExifTags.TAGS.get(tag, hex(tag))
