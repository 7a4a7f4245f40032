"""A picture is its content, not its photo id: a photo removed and imported again is a new id
with the same object keys. Deleting, pruning and purging must go by the picture, and a kill
at any point of a deletion must never leave the ledger claiming an object the store lost."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

import publisher.intents as intents
from catalog.catalog import Catalog
from catalog.edits import rotate
from catalog.models import Photo
from publisher.publish import publish, roll_back
from publisher.snapshot import KEEP_SNAPSHOTS
from publisher.storage import S3Store
from tests.publisher.conftest import Site, photo_with_thumbs
from tests.publisher.helpers import all_snapshot_text, assert_consistent, set_fields
from webviewer import schema


def _import_again(catalog: Catalog, photo: Photo, **fields: object) -> Photo:
    """The owner removes the photo, then imports the same file again: a new id."""
    with catalog.writing() as session:
        session.delete(session.get_one(Photo, photo.id))
    again = photo_with_thumbs(catalog, content_hash=photo.content_hash, **fields)
    assert again.id != photo.id
    return again


def _publish_edits(catalog: Catalog, site: Site, photo: Photo, times: int) -> None:
    for i in range(times):
        set_fields(catalog, photo.id, title=f"Edit {i}")
        publish(catalog, site.target)


def test_pruning_the_old_id_keeps_the_objects_the_new_id_shows(
    catalog: Catalog, site: Site
) -> None:
    other = photo_with_thumbs(catalog, title="Other")
    first = photo_with_thumbs(catalog, title="Twice")
    publish(catalog, site.target)
    _import_again(catalog, first, title="Twice")
    assert publish(catalog, site.target).uploaded_objects == 0  # the same keys, already up

    _publish_edits(catalog, site, other, KEEP_SNAPSHOTS)  # the old id's rows get pruned

    assert_consistent(site)
    titles = sorted(r["title"] for r in site.live_rows(schema.photos))
    assert titles == [f"Edit {KEEP_SNAPSHOTS - 1}", "Twice"]


def test_hiding_a_picture_erases_its_earlier_ids_from_every_kept_snapshot(
    catalog: Catalog, site: Site
) -> None:
    photo_with_thumbs(catalog, title="Visible")
    first = photo_with_thumbs(catalog, title="Beach picture")
    publish(catalog, site.target)
    again = _import_again(catalog, first, title="Beach picture")
    publish(catalog, site.target)

    set_fields(catalog, again.id, visibility="private")
    publish(catalog, site.target)

    assert "Beach picture" not in all_snapshot_text(site)
    assert not [k for k in site.object_keys() if first.content_hash in k]
    roll_back(site.target)
    roll_back(site.target)  # as far back as the first publish: still no trace
    assert [r["title"] for r in site.live_rows(schema.photos)] == ["Visible"]
    assert_consistent(site)


def test_a_picture_removed_then_imported_as_private_is_erased(catalog: Catalog, site: Site) -> None:
    photo_with_thumbs(catalog, title="Visible")
    first = photo_with_thumbs(catalog, title="Picture")
    publish(catalog, site.target)

    _import_again(catalog, first, title="Picture", visibility="private")
    result = publish(catalog, site.target)

    assert result.deleted_objects == 3
    assert "Picture" not in all_snapshot_text(site).replace("Visible", "")
    roll_back(site.target)
    assert [r["title"] for r in site.live_rows(schema.photos)] == ["Visible"]


def test_a_private_photos_only_tag_and_place_leave_every_kept_snapshot(
    catalog: Catalog, site: Site
) -> None:
    photo_with_thumbs(catalog, title="Visible", tags=["harbour"])
    secret = photo_with_thumbs(
        catalog, title="Secret", tags=["harbour", "their-house"], city=("Hiddenville", "", "NL")
    )
    publish(catalog, site.target)

    set_fields(catalog, secret.id, visibility="private")
    publish(catalog, site.target)

    text = all_snapshot_text(site)
    assert "their-house" not in text and "Hiddenville" not in text
    roll_back(site.target)
    assert [t["name"] for t in site.live_rows(schema.tags)] == ["harbour"]  # still shown
    assert site.live_rows(schema.cities) == []


class Killed(BaseException):
    """What a SIGKILL looks like from inside: nothing after it runs."""


@pytest.mark.parametrize("where", ["before the store deletes", "after the store deleted"])
def test_a_deletion_killed_midway_never_leaves_a_false_present(
    catalog: Catalog, site: Site, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    other = photo_with_thumbs(catalog, title="Other")
    turned = photo_with_thumbs(catalog, title="Turned")
    publish(catalog, site.target)
    rotate(catalog, [turned.id], 1)  # new keys; the old ones live on in the kept snapshots
    publish(catalog, site.target)
    _publish_edits(catalog, site, other, KEEP_SNAPSHOTS - 2)

    def killed(*_args: object) -> None:
        raise Killed(where)

    if where == "before the store deletes":
        monkeypatch.setattr(type(site.target.store), "delete", killed)
    else:
        monkeypatch.setattr(intents, "_let_go", killed)
    set_fields(catalog, other.id, title="The publish that prunes the old keys")
    with pytest.raises(Killed):
        publish(catalog, site.target, replaced_grace_s=0)  # prunes at once
    monkeypatch.undo()

    rotate(catalog, [turned.id], -1)  # back to the keys that were being deleted
    publish(catalog, site.target)

    assert_consistent(site)
    assert publish(catalog, site.target).plan is None  # settled: nothing outstanding


def test_a_key_s3_would_not_delete_is_an_error_not_forgotten() -> None:
    class Refusing:
        def delete_objects(self, **_kwargs: object) -> dict:
            return {"Errors": [{"Key": "p/ab/x.jpg", "Code": "AccessDenied", "Message": "no"}]}

    store = S3Store("exiftree-test", endpoint_url="http://127.0.0.1:9")
    store.client = Refusing()  # boto3's answer, as S3 gives it for a refused key
    with pytest.raises(ClientError, match="1 object\\(s\\) not deleted, e.g. p/ab/x.jpg: no"):
        store.delete(["p/ab/x.jpg", "p/cd/y.jpg"])
