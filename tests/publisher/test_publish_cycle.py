"""Publish, edit, hide, delete, add, publish again: the site matches the catalog exactly."""

from __future__ import annotations

import io

from PIL import Image

from catalog.catalog import Catalog
from catalog.edits import rotate
from catalog.settings import Settings
from publisher.publish import publish
from publisher.snapshot import KEEP_SNAPSHOTS, REPLACED_GRACE_S
from tests.publisher.conftest import Site, photo_with_thumbs
from tests.publisher.helpers import (
    add_collection,
    all_snapshot_text,
    assert_consistent,
    delete_photo,
    exif_tags_outside_allow_list,
    live_keys,
    publishable_ids,
    set_fields,
)
from webviewer import schema

AMSTERDAM = ("Amsterdam", "North Holland", "NL")


def _four_photos(catalog: Catalog) -> list:
    return [
        photo_with_thumbs(catalog, title="Canal at dawn", tags=["water"], city=AMSTERDAM),
        photo_with_thumbs(catalog, title="Secret garden party", tags=["party"], city=AMSTERDAM),
        photo_with_thumbs(catalog, title="Old mill", tags=["water"], lens="Nikkor 50mm f/1.8"),
        photo_with_thumbs(catalog, title="Tram", visibility="unlisted", tags=["party"]),
    ]


def test_publish_edit_hide_delete_add_matches_catalog(catalog: Catalog, site: Site) -> None:
    canal, secret, mill, tram = _four_photos(catalog)
    photo_with_thumbs(catalog, title="Never shown", visibility="private")
    photo_with_thumbs(catalog, title="Broken file", status="failed")
    add_collection(catalog, "Favourites", [secret.id, canal.id])
    first = publish(catalog, site.target)
    assert first.seq is not None and not first.failed
    secret_keys = {k for k in first.plan.keys[secret.id].values()}
    assert secret_keys <= site.object_keys()
    secret_blobs = {site.read(k) for k in secret_keys}

    set_fields(catalog, canal.id, title="Canal at sunrise")
    set_fields(catalog, secret.id, visibility="private")
    delete_photo(catalog, mill.id)
    added = photo_with_thumbs(catalog, title="New bridge", tags=["water"])
    second = publish(catalog, site.target)

    assert second.plan.added == (added.id,)
    assert second.plan.purged == (secret.id,)
    assert second.uploaded_objects == 3  # only the new photo's renditions
    rows = {r["id"]: r for r in site.live_rows(schema.photos)}
    assert set(rows) == publishable_ids(catalog) == {canal.id, tram.id, added.id}
    assert rows[canal.id]["title"] == "Canal at sunrise"
    assert rows[tram.id]["listed"] is False
    assert_consistent(site)
    # The private photo: no title, row or object anywhere, in any kept snapshot.
    text = all_snapshot_text(site)
    assert "Secret garden party" not in text and secret.id not in text
    assert secret.content_hash not in text  # not even in the ledger
    assert "Never shown" not in text and "Broken file" not in text
    assert not secret_keys & site.object_keys()
    assert not any(site.read(k) in secret_blobs for k in site.object_keys())
    # Lists and counts: listed photos only.
    tags = {t["name"]: t["photo_count"] for t in site.live_rows(schema.tags)}
    assert tags == {"water": 2}  # canal + new bridge; "party" only has the unlisted tram
    collection = site.live_rows(schema.collections)[0]
    assert collection["photo_count"] == 1 and collection["cover_photo_id"] == canal.id
    members = site.live_rows(schema.collection_photos)
    assert [(m["photo_id"], m["position"]) for m in members] == [(canal.id, 0)]
    assert site.live_publish()["photo_count"] == 2  # listed photos: canal, new bridge


def test_every_uploaded_jpeg_has_only_allowed_exif(catalog: Catalog, site: Site) -> None:
    for i in range(3):
        photo_with_thumbs(catalog, title=f"Photo {i}", lens="Nikkor 35mm")
    publish(catalog, site.target)
    keys = site.object_keys()
    assert len(keys) == 9
    for key in keys:
        data = site.read(key)
        assert data[:2] == b"\xff\xd8"
        assert exif_tags_outside_allow_list(data) == [], key
        assert b"Jane Owner" not in data and b"Secret Software" not in data


def test_objects_carry_immutable_cache_headers(catalog: Catalog, site: Site) -> None:
    photo_with_thumbs(catalog)
    publish(catalog, site.target)
    if site.s3 is None:
        return  # a folder has no headers; the viewer serves it
    for key in site.object_keys():
        head = site.s3.head_object(Bucket=site.bucket, Key=key)
        assert head["ContentType"] == "image/jpeg"
        assert head["CacheControl"] == "public, max-age=31536000, immutable"


def test_no_change_publish_writes_and_uploads_nothing(catalog: Catalog, site: Site) -> None:
    photo_with_thumbs(catalog, title="Still life")
    first = publish(catalog, site.target)
    again = publish(catalog, site.target)
    assert again.seq is None and again.uploaded_objects == 0
    assert again.plan is None  # the catalog's fingerprint answered: no photo was read
    assert site.live_seq() == first.seq


def test_edit_to_a_private_photo_publishes_nothing(catalog: Catalog, site: Site) -> None:
    photo_with_thumbs(catalog, title="Public")
    hidden = photo_with_thumbs(catalog, title="Hidden", visibility="private")
    first = publish(catalog, site.target)
    set_fields(catalog, hidden.id, title="Still hidden")
    result = publish(catalog, site.target)
    assert result.plan is not None and result.plan.is_noop and result.seq is None
    assert site.live_seq() == first.seq and "Still hidden" not in all_snapshot_text(site)
    assert publish(catalog, site.target).plan is None


def test_title_edit_rewrites_only_changed_rows(catalog: Catalog, site: Site) -> None:
    photos = [photo_with_thumbs(catalog, title=f"P{i}", tags=["t"]) for i in range(5)]
    publish(catalog, site.target)
    set_fields(catalog, photos[2].id, title="Renamed")
    result = publish(catalog, site.target)
    assert result.uploaded_objects == 0
    assert (result.rows_closed, result.rows_inserted) == (1, 1)
    assert result.plan.updated == (photos[2].id,)


def test_dry_run_plans_without_touching_anything(catalog: Catalog, site: Site) -> None:
    photo_with_thumbs(catalog, title="A")
    photo_with_thumbs(catalog, title="B", visibility="unlisted")
    result = publish(catalog, site.target, dry_run=True)
    assert len(result.plan.added) == 2 and len(result.plan.to_render) == 2
    assert result.plan.audit.unlisted and any("unlisted" in line for line in result.plan.lines())
    assert site.object_keys() == set() and site.live_seq() is None


def test_privacy_zone_photo_publishes_with_no_place(catalog: Catalog, site: Site) -> None:
    home = photo_with_thumbs(catalog, title="Home", city=("Haarlem", "North Holland", "NL"))
    away = photo_with_thumbs(catalog, title="Away", city=AMSTERDAM)
    with catalog.writing() as session:
        from catalog.models import City

        for city in session.query(City):
            city.latitude, city.longitude = (
                (52.38, 4.64) if city.name == "Haarlem" else (52.37, 4.89)
            )
    settings = Settings(privacy_zones=((52.39, 4.63, 3.0),))
    result = publish(catalog, site.target, settings=settings)
    assert result.plan.audit.placeless == (home.id,)
    rows = {r["id"]: r for r in site.live_rows(schema.photos)}
    assert rows[home.id]["city_id"] is None and rows[away.id]["city_id"] is not None
    assert [c["name"] for c in site.live_rows(schema.cities)] == ["Amsterdam"]
    assert "Haarlem" not in all_snapshot_text(site)


def test_unreviewed_ai_text_stays_home(catalog: Catalog, site: Site) -> None:
    photo = photo_with_thumbs(
        catalog, title="AI wrote this", title_source="ai", ai_review="pending"
    )
    result = publish(catalog, site.target, settings=Settings(ai_review_required=True))
    assert result.plan.audit.awaiting_review == (photo.id,)
    assert site.live_rows(schema.photos)[0]["title"] is None


def test_rollback_puts_previous_snapshot_live_with_its_objects(
    catalog: Catalog, site: Site
) -> None:
    from publisher.publish import roll_back

    photo = photo_with_thumbs(catalog, title="Before")
    publish(catalog, site.target)
    set_fields(catalog, photo.id, title="After")
    newcomer = photo_with_thumbs(catalog, title="Newcomer")
    publish(catalog, site.target)
    old, live = roll_back(site.target)
    assert (old, live) == (2, 1)
    rows = site.live_rows(schema.photos)
    assert [r["title"] for r in rows] == ["Before"]
    assert_consistent(site)
    again = publish(catalog, site.target)  # publishing again restores the catalog's state
    assert {r["title"] for r in site.live_rows(schema.photos)} == {"After", "Newcomer"}
    assert again.uploaded_objects == 0 and newcomer.id in {
        r["id"] for r in site.live_rows(schema.photos)
    }


def test_removed_photo_objects_are_collected_after_kept_snapshots(
    catalog: Catalog, site: Site
) -> None:
    keeper = photo_with_thumbs(catalog, title="Keeper")
    gone = photo_with_thumbs(catalog, title="Gone")
    first = publish(catalog, site.target, keep_snapshots=2)
    gone_keys = set(first.plan.keys[gone.id].values())
    delete_photo(catalog, gone.id)
    publish(catalog, site.target, keep_snapshots=2)
    assert (
        gone_keys <= site.object_keys()
    )  # the previous snapshot (rollback target) still uses them
    set_fields(catalog, keeper.id, title="Keeper, renamed")
    publish(catalog, site.target, keep_snapshots=2, replaced_grace_s=0)
    assert not gone_keys & site.object_keys()
    assert site.object_keys() == live_keys(site)
    assert KEEP_SNAPSHOTS >= 2


def test_objects_of_a_snapshot_visitors_may_still_see_outlive_it(
    catalog: Catalog, site: Site
) -> None:
    """Publishes in quick succession must not delete images that pages of a snapshot
    replaced seconds ago still link to; once the grace has passed they go."""
    keeper = photo_with_thumbs(catalog, title="Keeper")
    gone = photo_with_thumbs(catalog, title="Gone")
    first = publish(catalog, site.target, keep_snapshots=2)
    gone_keys = set(first.plan.keys[gone.id].values())
    delete_photo(catalog, gone.id)
    for title in ("One", "Two", "Three"):  # three publishes within seconds
        set_fields(catalog, keeper.id, title=title)
        publish(catalog, site.target, keep_snapshots=2)
    assert gone_keys <= site.object_keys()  # the first snapshot was live moments ago

    site.age_publishes(REPLACED_GRACE_S + 60)  # a quarter of an hour later
    set_fields(catalog, keeper.id, title="Later")
    publish(catalog, site.target, keep_snapshots=2)
    assert not gone_keys & site.object_keys()
    assert site.object_keys() == live_keys(site)


def test_a_turned_photo_publishes_new_objects_turned(catalog: Catalog, site: Site) -> None:
    """Turning a photo changes its pixels, so it must get new immutable objects (browsers and
    CDNs keep the old ones forever) with width and height swapped; the rest stay as they are."""
    turned, still = photo_with_thumbs(catalog, title="Sideways"), photo_with_thumbs(catalog)
    first = publish(catalog, site.target)
    old_keys = set(first.plan.keys[turned.id].values())

    rotate(catalog, [turned.id], 1)
    second = publish(catalog, site.target)

    assert second.uploaded_objects == 3  # the turned photo's three sizes, nothing else
    new_keys = set(second.plan.keys[turned.id].values())
    assert not new_keys & old_keys
    rows = {r["id"]: r for r in site.live_rows(schema.photos)}
    still_keys = [r["key"] for r in rows[still.id]["renditions"]]
    assert still_keys == list(first.plan.keys[still.id].values())  # the other is untouched
    for rendition in rows[turned.id]["renditions"]:
        assert rendition["key"] in new_keys
        assert rendition["height"] > rendition["width"]  # the thumbnails were landscape
        with Image.open(io.BytesIO(site.read(rendition["key"]))) as image:
            assert image.size == (rendition["width"], rendition["height"])
    assert_consistent(site)
