"""The one privacy policy, as tables: each row is a case an owner would recognise."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import select

from catalog.catalog import Catalog
from catalog.models import Photo
from catalog.privacy import (
    ai_clause,
    ai_may_see,
    exif_tag_may_leave,
    is_listed,
    jpeg_segments,
    keep_allowed_segments,
    may_leave_clause,
    must_purge,
    photo_may_leave,
    place_may_leave,
    purge_clause,
    segment_may_leave,
    segments_refused,
    shown_visibility,
    text_may_leave,
)
from tests.factories import add_photo

# status, visibility -> may leave, listed, purged if it was published, shown as, AI may see
PHOTOS = [
    ("processed", "public", True, True, False, "public", True),
    ("processed", "unlisted", True, False, False, "unlisted", True),
    ("processed", "private", False, False, True, "private", False),
    ("failed", "public", False, False, True, "private", False),
    ("failed", "private", False, False, True, "private", False),
    ("rejected", "public", False, False, True, "private", False),
    ("rejected", "unlisted", False, False, True, "private", False),
    ("pending", "public", False, False, False, "public", False),  # being processed again
    ("processed", "shared", False, False, False, "shared", True),  # a value we never wrote
]


@pytest.mark.parametrize(
    ("status", "visibility", "leaves", "listed", "purge", "shown", "ai"), PHOTOS
)
def test_photo_policy(
    status: str, visibility: str, leaves: bool, listed: bool, purge: bool, shown: str, ai: bool
) -> None:
    verdict = photo_may_leave(status, visibility)
    assert verdict.allowed is leaves
    assert bool(verdict.reason) is not leaves  # every no says why
    assert is_listed(status, visibility) is listed
    assert must_purge(status, visibility) is purge
    assert shown_visibility(status, visibility) == shown
    assert ai_may_see(status, visibility).allowed is ai


def test_sql_filters_say_what_the_policy_says(catalog: Catalog) -> None:
    """The publisher reads the catalog through the SQL forms: they must never disagree."""
    ids = {}
    for status, visibility, *_ in PHOTOS:
        ids[add_photo(catalog, status=status, visibility=visibility).id] = (status, visibility)
    with catalog.reading() as session:
        leaving = set(session.scalars(select(Photo.id).where(may_leave_clause(Photo))))
        purged = set(session.scalars(select(Photo.id).where(purge_clause(Photo))))
        sent = set(session.scalars(select(Photo.id).where(ai_clause(Photo))))
    assert leaving == {i for i, case in ids.items() if photo_may_leave(*case)}
    assert purged == {i for i, case in ids.items() if must_purge(*case)}
    assert sent == {i for i, case in ids.items() if ai_may_see(*case)}


ZONE = ((43.46, 11.88, 5.0),)  # 5 km around Arezzo
PLACES = [
    (((43.46, 11.88),), ZONE, False),  # inside
    (((None, None), (43.47, 11.87)), ZONE, False),  # no GPS, but its city is inside
    (((48.85, 2.35),), ZONE, True),  # Paris
    (((43.46, 11.88),), (), True),  # no zones set
    (((None, None),), ZONE, True),  # nowhere known
]


@pytest.mark.parametrize(("points", "zones", "leaves"), PLACES)
def test_place_policy(points: tuple, zones: tuple, leaves: bool) -> None:
    assert place_may_leave(points, zones).allowed is leaves


TEXTS = [
    ("ai", "pending", True, False),
    ("ai", "pending", False, True),  # review not required
    ("ai", "approved", True, True),
    ("owner", "pending", True, True),  # the owner's words are never held back
    (None, None, True, True),
]


@pytest.mark.parametrize(("source", "review", "required", "leaves"), TEXTS)
def test_text_policy(source: str | None, review: str | None, required: bool, leaves: bool) -> None:
    assert text_may_leave(source, review, required).allowed is leaves


EXIF_TAGS = [
    ("IFD0", 0x010F, True),  # Make
    ("IFD0", 0x0110, True),  # Model
    ("IFD0", 0x0131, False),  # Software
    ("IFD0", 0x013B, False),  # Artist
    ("IFD0", 0x8825, False),  # the GPS IFD pointer
    ("EXIF", 0x829D, True),  # FNumber
    ("EXIF", 0xA431, False),  # BodySerialNumber
    ("GPS", 0x0002, False),  # GPSLatitude
    ("IFD1", 0x0201, False),  # an embedded thumbnail
]


@pytest.mark.parametrize(("ifd", "tag", "leaves"), EXIF_TAGS)
def test_exif_tag_policy(ifd: str, tag: int, leaves: bool) -> None:
    assert exif_tag_may_leave(ifd, tag) is leaves


SEGMENTS = [
    (0xE0, b"JFIF\x00\x01\x01", True),
    (0xE1, b"Exif\x00\x00MM", True),
    (0xE1, b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>", False),  # XMP
    (0xE2, b"ICC_PROFILE\x00\x01\x01", True),
    (0xE2, b"MPF\x00", False),
    (0xEC, b"Ducky\x00", False),  # APP12
    (0xED, b"Photoshop 3.0\x00", False),  # APP13: IPTC
    (0xEE, b"Adobe\x00", True),
    (0xFE, b"shot at home, 12 Elm St", False),  # COM
    (0xDB, b"\x00" * 65, True),  # quantisation table: image data
]


@pytest.mark.parametrize(("marker", "payload", "leaves"), SEGMENTS)
def test_segment_policy(marker: int, payload: bytes, leaves: bool) -> None:
    verdict = segment_may_leave(marker, payload)
    assert verdict.allowed is leaves and bool(verdict.reason) is not leaves


def _jpeg_with(*segments: tuple[int, bytes]) -> bytes:
    """A small real JPEG with ``segments`` spliced in after SOI."""
    out = io.BytesIO()
    Image.new("RGB", (16, 12), (90, 140, 200)).save(out, "JPEG", progressive=True)
    data = out.getvalue()
    extra = b"".join(bytes([0xFF, m]) + (len(p) + 2).to_bytes(2, "big") + p for m, p in segments)
    return data[:2] + extra + data[2:]


_exif = Image.Exif()
_exif[0x010F] = "NIKON"
_MAKE_ONLY_EXIF = _exif.tobytes()  # b"Exif\0\0" + TIFF


def test_keep_allowed_segments_strips_only_what_may_not_leave() -> None:
    leaky = _jpeg_with(
        (0xFE, b"my address"),
        (0xEC, b"Ducky\x00\x01"),
        (0xED, b"Photoshop 3.0\x00IPTC"),
        (0xE1, _MAKE_ONLY_EXIF),
    )
    assert segments_refused(leaky) == ["COM (a JPEG comment)", "APP12", "APP13"]
    clean = keep_allowed_segments(leaky)
    assert segments_refused(clean) == []
    assert b"my address" not in clean and b"Exif\x00\x00" in clean
    with Image.open(io.BytesIO(clean)) as image, Image.open(io.BytesIO(leaky)) as before:
        assert image.getpixel((8, 6)) == before.getpixel((8, 6))  # same pixels
        assert image.getexif()[0x010F] == "NIKON"
    assert keep_allowed_segments(clean) == clean
    assert [s.marker for s in jpeg_segments(clean)][-1] == 0xD9  # walked to the end


def test_a_malformed_jpeg_is_refused_not_trusted() -> None:
    cut = _jpeg_with((0xFE, b"x" * 100))[:30]
    assert segments_refused(cut) and "malformed" in segments_refused(cut)[0]
    assert segments_refused(b"GIF89a") == ["a malformed JPEG (not a JPEG)"]
