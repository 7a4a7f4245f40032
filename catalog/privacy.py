"""The one privacy policy: what may leave this machine, and why not.

Every place that publishes a photo, a field or a byte (``publisher/``), sends a photo away
(AI descriptions) or shows an owner what will happen (the CLI, the desktop) asks here, so
"private" means one thing everywhere. Pure: no I/O, no Qt; the SQL filters below are
expressions built from the same sets as the Python answers (a test checks they agree).

What may leave, in short:

- a photo: processed, and public (listed) or unlisted. Private photos never leave; failed,
  rejected and not-yet-processed ones never leave, whatever visibility they carry.
- once published, a photo that becomes private, failed or rejected is *purged* (erased from
  every kept snapshot); one that is only being processed again is left out of the next
  snapshot, not purged.
- a place: not when the photo or its city lies inside one of the owner's privacy zones.
- AI-written text: not while it awaits the owner's review (when review is required).
- image bytes: JPEG data plus the JFIF, EXIF and ICC segments, and in EXIF only the tags
  of :data:`ALLOWED_IFD0` / :data:`ALLOWED_EXIF` (never GPS, never an embedded thumbnail).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from catalog.places.zones import Zone, in_zone
from catalog.states import Status, Visibility

if TYPE_CHECKING:  # the SQL filters are built from a model the caller hands in
    from sqlalchemy import ColumnElement

SAFE_DEFAULT_VISIBILITY = Visibility.PRIVATE.value  # new imports: nothing leaves unasked
PUBLISHABLE_STATUSES = frozenset({Status.PROCESSED.value})
PUBLISHED_VISIBILITIES = frozenset({Visibility.PUBLIC.value, Visibility.UNLISTED.value})
LISTED_VISIBILITIES = frozenset({Visibility.PUBLIC.value})
NEVER_PUBLISHABLE_STATUSES = frozenset({Status.FAILED.value, Status.REJECTED.value})
CONFIRM_FIRST_PUBLIC_OVER = 5  # more photos than this going online for the first time: ask

_STATUS_REASONS = {
    Status.FAILED.value: "it could not be imported",
    Status.REJECTED.value: "a cleanup rule rejected it",
    Status.PENDING.value: "it is not processed yet",
}


@dataclass(frozen=True)
class Verdict:
    """An answer, and when it is no, why not in the owner's words."""

    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


YES = Verdict(True)


def photo_may_leave(status: str, visibility: str) -> Verdict:
    """May this photo be published (its files and its row)?"""
    if status not in PUBLISHABLE_STATUSES:
        return Verdict(False, _STATUS_REASONS.get(status, f"its status is {status!r}"))
    if visibility == Visibility.PRIVATE.value:
        return Verdict(False, "it is private")
    if visibility not in PUBLISHED_VISIBILITIES:
        return Verdict(False, f"its visibility {visibility!r} is not one ExifTree publishes")
    return YES


def is_listed(status: str, visibility: str) -> bool:
    """Published *and* shown in lists, feeds and counts (unlisted photos: by link only)."""
    return bool(photo_may_leave(status, visibility)) and visibility in LISTED_VISIBILITIES


def needs_confirmation(first_public: int) -> bool:
    """Does a publish that puts ``first_public`` photos online for the first time need the
    owner to say yes (a prompt, ``--yes``, the desktop's question)? More than a handful do."""
    return first_public > CONFIRM_FIRST_PUBLIC_OVER


def must_purge(status: str, visibility: str) -> bool:
    """Hidden by the owner (private) or unfit (failed, rejected): if it was ever published,
    it is erased from every kept snapshot, not only left out of the next one."""
    return visibility == Visibility.PRIVATE.value or status in NEVER_PUBLISHABLE_STATUSES


def shown_visibility(status: str, visibility: str) -> str:
    """The visibility a list or the desktop shows: failed and rejected photos are private in
    effect (they can never be published), whatever value they carry."""
    if status in NEVER_PUBLISHABLE_STATUSES:
        return Visibility.PRIVATE.value
    return visibility


def may_leave_clause(photo: Any) -> ColumnElement[bool]:
    """SQL for :func:`photo_may_leave` over the ``photos`` table (``Photo`` or an alias)."""
    return photo.status.in_(sorted(PUBLISHABLE_STATUSES)) & photo.visibility.in_(
        sorted(PUBLISHED_VISIBILITIES)
    )


def purge_clause(photo: Any) -> ColumnElement[bool]:
    """SQL for :func:`must_purge`."""
    return (photo.visibility == Visibility.PRIVATE.value) | photo.status.in_(
        sorted(NEVER_PUBLISHABLE_STATUSES)
    )


def ai_may_see(status: str, visibility: str) -> Verdict:
    """May a photo be sent to an AI endpoint unasked (a batch describe)? Private photos go
    only when the owner names them."""
    if status not in PUBLISHABLE_STATUSES:
        return Verdict(False, _STATUS_REASONS.get(status, f"its status is {status!r}"))
    if visibility == Visibility.PRIVATE.value:
        return Verdict(False, "it is private")
    return YES


def ai_clause(photo: Any) -> ColumnElement[bool]:
    """SQL for :func:`ai_may_see`."""
    return photo.status.in_(sorted(PUBLISHABLE_STATUSES)) & (
        photo.visibility != Visibility.PRIVATE.value
    )


def place_may_leave(
    points: Iterable[tuple[float | None, float | None]], zones: tuple[Zone, ...]
) -> Verdict:
    """May a photo's place (city) be published? Not if any of ``points`` (its GPS, its
    city's centre) lies inside a privacy zone."""
    if zones and any(in_zone(lat, lon, zones) for lat, lon in points):
        return Verdict(False, "it was taken inside a privacy zone")
    return YES


def text_may_leave(source: str | None, ai_review: str | None, review_required: bool) -> Verdict:
    """May a title, description or tag written by ``source`` ("ai" / "owner") be published?"""
    if review_required and ai_review == "pending" and source == "ai":
        return Verdict(False, "AI text awaits the owner's review")
    return YES


# --- bytes: what a published image file may carry ------------------------------------------

EXIF_IFD = 0x8769
ALLOWED_IFD0 = {  # + the owner's Artist/Copyright (from the site settings)
    0x010F: "Make",
    0x0110: "Model",
    0x013B: "Artist",
    0x8298: "Copyright",
    EXIF_IFD: "ExifOffset",
}
ALLOWED_EXIF = {
    0x829A: "ExposureTime",
    0x829D: "FNumber",
    0x8827: "ISOSpeedRatings",
    0x920A: "FocalLength",
    0x9003: "DateTimeOriginal",
    0xA434: "LensModel",
}

_APP0, _APP1, _APP2, _APP14, _COM = 0xE0, 0xE1, 0xE2, 0xEE, 0xFE
_SOI, _EOI = 0xD8, 0xD9
_ALLOWED_APP = {
    _APP0: (b"JFIF\x00",),
    _APP1: (b"Exif\x00",),
    _APP2: (b"ICC_PROFILE\x00",),
    _APP14: (b"Adobe",),  # colour-transform flag Pillow writes for some modes; no metadata
}


def exif_tag_may_leave(ifd: str, tag: int) -> bool:
    """``ifd``: "IFD0" or "EXIF". GPS, interoperability and thumbnail IFDs never leave."""
    if ifd == "IFD0":
        return tag in ALLOWED_IFD0
    if ifd == "EXIF":
        return tag in ALLOWED_EXIF
    return False


def segment_name(marker: int) -> str:
    if marker == _COM:
        return "COM (a JPEG comment)"
    if 0xE0 <= marker <= 0xEF:
        return f"APP{marker - 0xE0}"
    return f"marker 0x{marker:02X}"


def segment_may_leave(marker: int, payload: bytes) -> Verdict:
    """May a JPEG segment (``marker`` 0xC0-0xFE, ``payload`` after its length) be published?
    Image data may; comments and application segments only as allowed above."""
    if marker == _COM:
        return Verdict(False, "a JPEG comment may hold anything (names, software, captions)")
    if 0xE0 <= marker <= 0xEF:
        if any(payload.startswith(p) for p in _ALLOWED_APP.get(marker, ())):
            return YES
        return Verdict(False, f"{segment_name(marker)} is not on the metadata allow-list")
    return YES


@dataclass(frozen=True)
class Segment:
    marker: int
    start: int  # offset of its 0xFF (fill bytes included)
    end: int  # offset just past it
    payload: bytes


def jpeg_segments(data: bytes) -> Iterator[Segment]:
    """The marker segments of a JPEG, in order (entropy-coded data is stepped over).
    ValueError when ``data`` is not a JPEG or a segment runs past the end."""
    if data[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG")
    i, n = 2, len(data)
    while i < n:
        if data[i] != 0xFF:  # scan data: the next marker is the next 0xFF
            i = data.find(b"\xff", i)
            if i < 0:
                return
            continue
        j = i
        while j + 1 < n and data[j + 1] == 0xFF:  # fill bytes
            j += 1
        if j + 1 >= n:
            return
        marker = data[j + 1]
        if marker == 0x00 or marker == 0x01 or 0xD0 <= marker <= 0xD7 or marker == _SOI:
            i = j + 2  # stuffed byte, TEM, restart markers: part of the scan, no length
            continue
        if marker == _EOI:
            yield Segment(marker, i, j + 2, b"")
            return
        if j + 4 > n:
            raise ValueError("a JPEG segment is cut off")
        end = j + 2 + int.from_bytes(data[j + 2 : j + 4], "big")
        if end > n:
            raise ValueError("a JPEG segment runs past the end of the file")
        yield Segment(marker, i, end, data[j + 4 : end])
        i = end


def segments_refused(data: bytes) -> list[str]:
    """What in a JPEG's segments may not leave (empty: every segment may)."""
    try:
        return [
            segment_name(s.marker)
            for s in jpeg_segments(data)
            if not segment_may_leave(s.marker, s.payload)
        ]
    except ValueError as exc:
        return [f"a malformed JPEG ({exc})"]


def keep_allowed_segments(data: bytes) -> bytes:
    """The JPEG without the segments that may not leave (pixels untouched)."""
    out, last = bytearray(), 0
    for s in jpeg_segments(data):
        if not segment_may_leave(s.marker, s.payload):
            out += data[last : s.start]
            last = s.end
    if last == 0:
        return data
    out += data[last:]
    return bytes(out)
