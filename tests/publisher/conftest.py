"""Publisher fixtures: photos with thumbnails, and both targets (folder+SQLite, moto+PostgreSQL)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from PIL import Image, ImageCms
from sqlalchemy import create_engine, select, update

from catalog.catalog import THUMB_SIZES_PX, Catalog
from catalog.models import Photo
from publisher.targets import Target, local_target, s3_target
from tests.conftest import MotoServer
from tests.factories import add_photo, make_jpeg
from webviewer import schema

BUCKET = "exiftree-test"
# Tags a thumbnail might carry that must never reach a rendition.
LEAKY_EXIF = {
    0x8825: {1: "N", 2: (52.0, 22.0, 1.0), 3: "E", 4: (4.0, 53.0, 2.0)},  # GPS IFD
    0x0131: "Secret Software 1.0",  # Software
    0x013B: "Jane Owner",  # Artist
    0x8298: "(c) Jane Owner",  # Copyright
}


def make_thumbs(
    catalog: Catalog, content_hash: str, seed: int = 0, scale: int = 10, icc: bool = False
) -> None:
    """Thumbnails where ingest would put them (1/``scale`` of their real size, to be quick),
    carrying GPS and owner tags that must be stripped. With ``icc``, an embedded profile:
    each must then be decoded, converted and encoded again (slow, as a real upload is)."""
    for size in THUMB_SIZES_PX:
        path = catalog.thumb_path(content_hash, size)
        make_jpeg(path, (size // scale, size * 2 // 3 // scale), exif=None, seed=seed)
        with Image.open(path) as image:
            image.load()
            colours = bytes.fromhex(content_hash)
            for x in range(min(image.width, 10)):  # a per-photo stripe: distinct bytes
                image.putpixel((x, 0), tuple(colours[3 * x : 3 * x + 3]))
            exif = image.getexif()
            for tag, value in LEAKY_EXIF.items():
                if tag == 0x8825:
                    exif.get_ifd(tag).update(value)
                else:
                    exif[tag] = value
            profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
            extra = {"icc_profile": profile} if icc else {}
            image.save(path, "JPEG", exif=exif.tobytes(), **extra)


def photo_with_thumbs(
    catalog: Catalog, thumb_scale: int = 10, slow_to_render: bool = False, **fields: Any
) -> Photo:
    """A processed photo row plus its thumbnails (``slow_to_render``: see make_thumbs)."""
    fields.setdefault(
        "exif",
        {
            "make": "NIKON CORPORATION",
            "model": "NIKON D70",
            "exposure_time_s": 1 / 250,
            "aperture": 5.6,
            "iso": 200,
            "focal_length_mm": 35.0,
            "gps_latitude": 52.37,
            "gps_longitude": 4.89,
        },
    )
    photo = add_photo(catalog, **fields)
    seed = int(photo.content_hash[:4], 16) % 97
    make_thumbs(catalog, photo.content_hash, seed=seed, scale=thumb_scale, icc=slow_to_render)
    return photo


@dataclass
class Site:
    """A publish target and ways to look inside it, whatever its kind."""

    kind: str
    target: Target
    s3: Any = None
    server: Any = None
    bucket: str = BUCKET

    def object_keys(self) -> set[str]:
        return set(self.target.store.list_objects())

    def read(self, key: str) -> bytes:
        if self.s3 is not None:
            return self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        return (self.target.store.root / key).read_bytes()  # type: ignore[attr-defined]

    def engine(self):  # noqa: ANN201 - Engine
        return create_engine(self.target.database_url)

    def live_seq(self) -> int | None:
        if (
            self.kind == "local"
            and not (self.target.store.root.parent / "snapshot.sqlite").exists()
        ):  # type: ignore[attr-defined]
            return None
        engine = self.engine()
        try:
            with engine.connect() as conn:
                p = schema.publishes
                return conn.scalar(
                    select(p.c.seq).where(p.c.state == schema.LIVE).order_by(p.c.seq.desc())
                )
        finally:
            engine.dispose()

    def live_publish(self) -> dict:
        engine = self.engine()
        try:
            with engine.connect() as conn:
                p = schema.publishes
                query = select(p).where(p.c.state == schema.LIVE).order_by(p.c.seq.desc())
                return dict(conn.execute(query).mappings().first() or {})
        finally:
            engine.dispose()

    def age_publishes(self, seconds: float) -> None:
        """Move every publish ``seconds`` into the past, as if that much time had gone by."""
        engine = self.engine()
        try:
            with engine.begin() as conn:
                p = schema.publishes
                for seq, at in conn.execute(select(p.c.seq, p.c.published_at)).all():
                    earlier = at - timedelta(seconds=seconds)
                    conn.execute(update(p).where(p.c.seq == seq).values(published_at=earlier))
        finally:
            engine.dispose()

    def live_rows(self, table: Any) -> list[dict]:
        """The rows of ``table`` a visitor sees now."""
        seq = self.live_seq()
        if seq is None:
            return []
        engine = self.engine()
        try:
            with engine.connect() as conn:
                rows = conn.execute(select(table).where(schema.visible_in(table, seq)))
                return [dict(r) for r in rows.mappings()]
        finally:
            engine.dispose()


def make_s3_site(s3_server: Any, postgres_url: str, bucket: str = BUCKET) -> Site:
    client = boto3.client("s3", endpoint_url=s3_server.url, region_name="us-east-1")
    client.create_bucket(Bucket=bucket)
    target = s3_target(
        bucket,
        endpoint_url=s3_server.url,
        database_url=postgres_url,
        media_url="https://media.example.com/",
        region="us-east-1",
    )
    return Site("s3", target, s3=client, server=s3_server, bucket=bucket)


@pytest.fixture(scope="session")
def shared_moto() -> Iterator[MotoServer]:
    """One moto server for the tests that never stop it (each gets its own bucket)."""
    server = MotoServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=["local", "s3"])
def site(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Site]:
    """Each publish test runs against the folder target and the moto + PostgreSQL one.

    Tests marked ``stops_storage`` get a moto server of their own, which they may kill.
    """
    if request.param == "local":
        yield Site("local", local_target(tmp_path / "site"))
        return
    postgres_url = request.getfixturevalue("postgres_url")
    if request.node.get_closest_marker("stops_storage"):
        yield make_s3_site(request.getfixturevalue("s3_server"), postgres_url)
        return
    for name, value in (("AWS_ACCESS_KEY_ID", "test"), ("AWS_SECRET_ACCESS_KEY", "test")):
        monkeypatch.setenv(name, value)
    server = request.getfixturevalue("shared_moto")
    bucket = f"exiftree-{uuid.uuid4().hex[:12]}"
    yield make_s3_site(server, postgres_url, bucket)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "stops_storage: the test stops its S3 server")
