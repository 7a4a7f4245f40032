"""Targets from settings and secrets, --verify, and the optional 2400 px downloads."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.catalog import Catalog
from catalog.credentials import set_secret
from catalog.settings import PublishTarget, Settings
from publisher.errors import TargetError
from publisher.publish import publish
from publisher.targets import local_target, named_target, with_password
from tests.factories import make_jpeg
from tests.publisher.conftest import Site, photo_with_thumbs
from tests.publisher.helpers import assert_consistent, live_keys
from webviewer import schema


def test_verify_reuploads_objects_missing_from_the_store(catalog: Catalog, site: Site) -> None:
    photo_with_thumbs(catalog, title="A")
    photo_with_thumbs(catalog, title="B")
    publish(catalog, site.target)
    lost = sorted(site.object_keys())[0]
    site.target.store.delete([lost])
    result = publish(catalog, site.target, verify=True)
    assert result.missing_found == (lost,)
    assert result.uploaded_objects == 1  # only the lost object is uploaded again
    assert_consistent(site)


def test_verify_reuploads_objects_the_store_holds_cut_short(catalog: Catalog, site: Site) -> None:
    """A storage server killed mid-upload can leave an empty or truncated object under a live
    key; --verify compares sizes with what was uploaded and puts the whole object back."""
    photo_with_thumbs(catalog, title="A")
    publish(catalog, site.target)
    empty, cut = sorted(site.object_keys())[:2]
    whole = site.read(cut)
    site.target.store.put(empty, b"", "image/jpeg")
    site.target.store.put(cut, whole[: len(whole) // 3], "image/jpeg")

    result = publish(catalog, site.target, verify=True)

    assert sorted(result.damaged_found) == [empty, cut] and result.missing_found == ()
    assert site.read(cut) == whole and len(site.read(empty)) > 0
    assert_consistent(site)
    assert publish(catalog, site.target, verify=True).damaged_found == ()


def test_originals_are_published_at_2400_px(catalog: Catalog, tmp_path: Path) -> None:
    original = make_jpeg(tmp_path / "IMG_big.jpg", (3000, 2000), seed=5)
    photo_with_thumbs(
        catalog, title="Big", source_path=str(original), width=3000, height=2000
    )  # the catalog knows its size: 2400 px is no upscale
    site = Site("local", local_target(tmp_path / "site"))
    publish(catalog, site.target, with_originals=True)
    (row,) = site.live_rows(schema.photos)
    sizes = {r["size"]: (r["width"], r["height"]) for r in row["renditions"]}
    assert sizes[2400] == (2400, 1600) and (row["width"], row["height"]) == (2400, 1600)
    assert live_keys(site) == site.object_keys()


def test_named_local_target_from_settings(tmp_path: Path) -> None:
    settings = Settings(
        publish_targets=(PublishTarget(name="home", kind="local", folder=str(tmp_path / "out")),)
    )
    target = named_target(settings, "home")
    assert target.database_url.endswith("out/snapshot.sqlite")
    with pytest.raises(TargetError, match="no publish target named 'cloud'"):
        named_target(settings, "cloud")


def test_database_password_comes_from_the_keyring_not_the_url() -> None:
    set_secret("database_password", "s3cr3t")
    url = with_password("postgres://owner@db.example.com/site")
    assert url == "postgresql+psycopg://owner:s3cr3t@db.example.com/site"
    assert with_password("postgresql+psycopg://a:given@h/db").endswith("a:given@h/db")


def test_s3_credentials_come_from_the_keyring(
    catalog: Catalog, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    if site.kind != "s3":
        pytest.skip("S3 only")
    from publisher.targets import s3_target

    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    set_secret("s3_access_key_id", "test")
    set_secret("s3_secret_access_key", "test")
    target = s3_target(
        site.bucket,
        endpoint_url=site.server.url,
        database_url=site.target.database_url,
        media_url=None,
        region="us-east-1",
    )
    photo_with_thumbs(catalog)
    assert publish(catalog, target).uploaded_objects == 3


def test_site_settings_reach_the_snapshot(catalog: Catalog, tmp_path: Path) -> None:
    """Title, tagline, photographer and licence set in the catalog are what the site shows."""
    photo_with_thumbs(catalog, title="A")
    settings = Settings(
        site_title="Harbour Light",
        site_tagline="Boats at first light",
        owner_name="Ada Lovelace",
        licence="cc-by-4.0",
    )
    site = Site("local", local_target(tmp_path / "site"))
    publish(catalog, site.target, settings=settings)
    values = {row["key"]: row["value"] for row in site.live_rows(schema.site)}
    assert values["title"] == "Harbour Light"
    assert values["description"] == "Boats at first light"
    assert values["author"] == "Ada Lovelace"
    assert values["license"] == "CC BY 4.0"
    assert values["license_url"] == "https://creativecommons.org/licenses/by/4.0/"
    publish(catalog, site.target, settings=settings.replace(licence="all-rights-reserved"))
    values = {row["key"]: row["value"] for row in site.live_rows(schema.site)}
    assert (values["license"], values["license_url"]) == ("All rights reserved", "")


def test_renditions_credit_the_owner_in_exif(catalog: Catalog, tmp_path: Path) -> None:
    """EXIF Artist and Copyright come from the site settings; without a name, none."""
    import io

    import exifread

    from tests.publisher.helpers import exif_tags_outside_allow_list

    photo_with_thumbs(catalog, title="A")
    site = Site("local", local_target(tmp_path / "site"))
    settings = Settings(owner_name="Ada Lovelace", licence="cc-by-4.0")
    publish(catalog, site.target, settings=settings)
    (row,) = site.live_rows(schema.photos)
    for rendition in row["renditions"]:
        data = site.read(rendition["key"])
        tags = exifread.process_file(io.BytesIO(data), details=False)
        assert str(tags["Image Artist"]) == "Ada Lovelace"
        assert str(tags["Image Copyright"]).endswith("Ada Lovelace. CC BY 4.0")
        assert exif_tags_outside_allow_list(data) == []
    anonymous = Site("local", local_target(tmp_path / "anonymous"))
    publish(catalog, anonymous.target, settings=Settings())
    (row,) = anonymous.live_rows(schema.photos)
    tags = exifread.process_file(io.BytesIO(anonymous.read(row["renditions"][0]["key"])))
    assert "Image Artist" not in tags and "Image Copyright" not in tags
