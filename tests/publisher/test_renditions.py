"""Renditions and the byte-level audit: sizes, sRGB JPEG, allow-listed EXIF only."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageCms

from catalog.catalog import Catalog
from publisher.audit import check_rendition, metadata_outside_allow_list
from publisher.errors import PrivacyAuditError, RenditionError
from publisher.publish import publish
from publisher.renditions import ExifSummary, RenditionSource, render_photo
from publisher.targets import local_target
from tests.factories import make_jpeg
from tests.publisher.conftest import LEAKY_EXIF, photo_with_thumbs
from tests.publisher.helpers import exif_tags_outside_allow_list
from webviewer import schema


def _original_with_gps(path: Path) -> Path:
    make_jpeg(path, (3000, 2000), seed=3)
    with Image.open(path) as image:
        image.load()
        exif = image.getexif()
        exif.get_ifd(0x8825).update(LEAKY_EXIF[0x8825])
        exif[0x0131] = "Secret Software 1.0"
        exif[0x0112] = 6  # rotated: the renditions must come out upright (portrait)
        image.save(path, "JPEG", exif=exif.tobytes())
    return path


def test_renders_from_original_when_thumbnails_are_missing(tmp_path: Path) -> None:
    original = _original_with_gps(tmp_path / "IMG_1.jpg")
    summary = ExifSummary(make="Nikon", model="D70", iso=400, aperture=2.8)
    source = RenditionSource("p1", "ab" * 32, None, original, summary)
    renditions, colour = render_photo(source, (300, 800, 1600, 2400))
    assert [max(r.width, r.height) for r in renditions] == [300, 800, 1600, 2400]
    assert all(r.height > r.width for r in renditions)  # orientation applied
    assert colour.startswith("#") and len(colour) == 7
    for r in renditions:
        assert exif_tags_outside_allow_list(r.data) == []
        with Image.open(io.BytesIO(r.data)) as image:
            assert image.info.get("progressive") and image.mode == "RGB"
            assert image.getexif()[0x0110] == "D70"


def test_wide_gamut_thumbnail_is_converted_to_srgb(tmp_path: Path) -> None:
    thumb = tmp_path / "t.jpg"
    lab = ImageCms.createProfile("LAB")
    Image.new("RGB", (40, 30), (200, 30, 30)).save(
        thumb, "JPEG", icc_profile=ImageCms.ImageCmsProfile(lab).tobytes()
    )
    source = RenditionSource("p1", "cd" * 32, lambda _h, _s: thumb, None, ExifSummary())
    (rendition,), _ = render_photo(source, (300,))
    with Image.open(io.BytesIO(rendition.data)) as image:
        assert "icc_profile" not in image.info  # plain sRGB


def test_audit_refuses_bytes_with_gps_or_owner_tags(tmp_path: Path) -> None:
    leaky = _original_with_gps(tmp_path / "leaky.jpg").read_bytes()
    found = metadata_outside_allow_list(leaky)
    assert any("Software" in f for f in found)
    with pytest.raises(PrivacyAuditError, match="refusing to upload"):
        check_rendition("p/xx/key.jpg", leaky)


def test_photo_that_cannot_be_rendered_is_skipped_and_the_rest_publish(
    catalog: Catalog, tmp_path: Path
) -> None:
    good = photo_with_thumbs(catalog, title="Good")
    from tests.factories import add_photo

    bad = add_photo(catalog, title="No pixels anywhere", source_path=str(tmp_path / "gone.jpg"))
    target = local_target(tmp_path / "site")
    result = publish(catalog, target)
    assert [o.photo_id for o in result.failed] == [bad.id]
    assert "original is missing" in (result.failed[0].reason or "")
    from sqlalchemy import create_engine, select

    engine = create_engine(target.database_url)
    with engine.connect() as conn:
        ids = set(conn.scalars(select(schema.photos.c.id)))
    engine.dispose()
    assert ids == {good.id}


def test_a_live_photo_whose_new_renditions_fail_stays_on_the_site(
    catalog: Catalog, tmp_path: Path
) -> None:
    """Never dropped: it keeps its last published images until the next publish can redo them."""
    import shutil

    from tests.publisher.conftest import Site
    from tests.publisher.helpers import assert_consistent, live_keys, set_fields

    photo = photo_with_thumbs(catalog, title="Harbour", source_path=str(tmp_path / "gone.jpg"))
    site = Site("local", local_target(tmp_path / "site"))
    first = publish(catalog, site.target)
    assert not first.failed
    before = live_keys(site)
    shutil.rmtree(catalog.root / "thumbs")  # the cache is emptied and the original is gone...
    set_fields(catalog, photo.id, rotation=1, title="Harbour, turned")  # ...when it needs redoing

    plan = publish(catalog, site.target, dry_run=True).plan
    assert plan is not None and plan.to_render == () and plan.removed == ()
    assert plan.updated == (photo.id,)  # its new title, with the images it has
    assert [o.photo_id for o in plan.cannot_render] == [photo.id]
    result = publish(catalog, site.target)

    assert [o.key for o in result.failed] == [str(tmp_path / "gone.jpg")]
    assert "keeps showing it as last published" in (result.failed[0].reason or "")
    (row,) = site.live_rows(schema.photos)
    assert row["title"] == "Harbour, turned" and live_keys(site) == before
    assert_consistent(site)


def _thumbnail_as_imported(path: Path, size: tuple[int, int], **exif_tags: Any) -> Path:
    """A thumbnail as the import writes it (upright sRGB, its encoder), plus ``exif_tags``."""
    from catalog.ingest.imaging import encode_jpeg

    make_jpeg(path, size, seed=5)
    with Image.open(path) as image:
        data = encode_jpeg(image.convert("RGB"))
    if exif_tags:
        with Image.open(io.BytesIO(data)) as image:
            exif = image.getexif()
            exif.update({int(k[1:], 16): v for k, v in exif_tags.items()})
            out = io.BytesIO()
            image.save(out, "JPEG", quality=88, exif=exif.tobytes())
            data = out.getvalue()
    path.write_bytes(data)
    return path


def _pixels(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGB").tobytes()


def test_imported_thumbnail_is_published_with_its_pixels_untouched(tmp_path: Path) -> None:
    """No second generation of JPEG loss: the visitor gets the very pixels of the thumbnail,
    with the allow-listed EXIF in place of the thumbnail's own."""
    thumb = _thumbnail_as_imported(tmp_path / "t.jpg", (1600, 1067))
    summary = ExifSummary(make="Nikon", model="D850", iso=200, artist="Ada")
    source = RenditionSource("p1", "ef" * 32, lambda _h, _s: thumb, None, summary)
    (rendition,), colour = render_photo(source, (1600,))
    assert (rendition.width, rendition.height) == (1600, 1067)
    assert _pixels(rendition.data) == _pixels(thumb.read_bytes())
    assert exif_tags_outside_allow_list(rendition.data) == []
    check_rendition(rendition.key, rendition.data)
    with Image.open(io.BytesIO(rendition.data)) as image:
        assert image.getexif()[0x0110] == "D850" and image.getexif()[0x013B] == "Ada"
        assert "icc_profile" not in image.info  # plain sRGB, as the import made it
    assert colour.startswith("#") and len(colour) == 7


def test_thumbnail_with_leaky_tags_loses_them(catalog: Catalog) -> None:
    photo = photo_with_thumbs(catalog)  # thumbnails carrying GPS, Software, Artist...
    source = RenditionSource(
        photo.id, photo.content_hash, catalog.thumb_path, None, ExifSummary(model="D70")
    )
    renditions, _ = render_photo(source, (300, 800, 1600))
    for r in renditions:
        assert exif_tags_outside_allow_list(r.data) == []
        with Image.open(io.BytesIO(r.data)) as image:
            exif = image.getexif()
            assert 0x8825 not in exif and exif.get(0x013B) is None and exif[0x0110] == "D70"


@pytest.mark.parametrize(
    ("size", "tags", "expected"),
    [
        ((160, 120), {"x0112": 6}, (120, 160)),  # an Orientation tag: turned upright
        ((400, 300), {}, (300, 225)),  # larger than the size asked: made smaller
    ],
)
def test_thumbnail_that_is_not_a_rendition_as_it_is_gets_converted(
    tmp_path: Path, size: tuple[int, int], tags: dict[str, int], expected: tuple[int, int]
) -> None:
    thumb = _thumbnail_as_imported(tmp_path / "t.jpg", size, **tags)
    source = RenditionSource("p1", "ab" * 32, lambda _h, _s: thumb, None, ExifSummary())
    (rendition,), _ = render_photo(source, (300,))
    assert (rendition.width, rendition.height) == expected
    with Image.open(io.BytesIO(rendition.data)) as image:
        assert image.size == expected and image.getexif().get(0x0112) is None


def test_thumbnail_cut_short_is_not_published_as_it_is(tmp_path: Path) -> None:
    thumb = _thumbnail_as_imported(tmp_path / "t.jpg", (300, 200))
    thumb.write_bytes(thumb.read_bytes()[:-400])  # a damaged cache file
    original = make_jpeg(tmp_path / "IMG_2.jpg", (600, 400), seed=1)
    source = RenditionSource("p1", "ab" * 32, lambda _h, _s: thumb, original, ExifSummary())
    try:
        (rendition,), _ = render_photo(source, (300,))
    except RenditionError:
        return  # refused with a reason: fine too
    with Image.open(io.BytesIO(rendition.data)) as image:
        image.load()  # a complete JPEG, whatever the decoder made of the damaged one
        assert image.size == (300, 200)


@pytest.mark.parametrize(
    "tail",
    [b"\xff\xfe\x00\x0csecret-gps\xff\xd9", b"\xff\xd9owner's notes\xff\xd9"],
    ids=["comment after the scan", "bytes after the end"],
)
def test_nothing_after_a_thumbnails_scan_is_published(tmp_path: Path, tail: bytes) -> None:
    """Only the header is filtered segment by segment; whatever follows the picture data
    (a comment, trailing bytes) must not reach a visitor either."""
    thumb = _thumbnail_as_imported(tmp_path / "t.jpg", (300, 200))
    data = thumb.read_bytes()
    thumb.write_bytes(data[:-2] + tail)  # data[-2:] is the thumbnail's own EOI
    source = RenditionSource("p1", "ab" * 32, lambda _h, _s: thumb, None, ExifSummary())
    (rendition,), _ = render_photo(source, (300,))
    assert b"secret" not in rendition.data and b"owner" not in rendition.data
    with Image.open(io.BytesIO(rendition.data)) as image:
        image.load()
        assert image.size == (300, 200)
