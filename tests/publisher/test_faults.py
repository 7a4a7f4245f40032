"""Faults: storage down mid-upload, database unreachable, the process killed at any point.

After each, the live site must still be the previous snapshot with all its objects, and the
next publish must finish the job doing only what is left.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from catalog.catalog import Catalog
from catalog.jobs import Cancel, JobObserver, Progress
from catalog.models import Photo
from publisher import lock
from publisher.errors import (
    PublishBusyError,
    PublishCancelled,
    SnapshotDatabaseError,
    StorageError,
)
from publisher.publish import PublishResult, publish, roll_back
from publisher.snapshot import connect_snapshot
from publisher.tables import publish_objects
from publisher.targets import local_target, s3_target
from tests.conftest import REPO, MotoServer, free_port
from tests.publisher.conftest import BUCKET, Site, photo_with_thumbs
from tests.publisher.helpers import assert_consistent
from webviewer import schema

# Real processes killed and servers stopped: minutes, so `make test` runs them, not test-fast.
pytestmark = pytest.mark.slow


class StorageBreaker(JobObserver):
    """Breaks the store after a few photos are uploaded, like a network or server failure."""

    def __init__(self, site: Site, after: int) -> None:
        self.site, self.after, self.broken = site, after, False

    def progressed(self, progress: Progress) -> None:
        if progress.done >= self.after and not self.broken:
            self.broken = True
            break_storage(self.site)


def break_storage(site: Site) -> None:
    if site.server is not None:
        site.server.stop()
    else:
        # Swap the folder for a dangling symlink. Other upload threads may re-create the
        # folder, or write into it while it is being removed, so retry until the swap holds.
        media = site.target.store.root  # type: ignore[attr-defined]
        media.rename(media.with_name("media.away"))
        link = media.with_name("media.link")
        link.symlink_to(media.with_name("nowhere"))
        while True:
            try:
                os.replace(link, media)
                return
            except IsADirectoryError:
                shutil.rmtree(media, ignore_errors=True)


def repair_storage(site: Site) -> None:
    if site.server is not None:  # a new, empty moto on the same port: it forgot everything
        server = MotoServer()
        server.port, server.url = site.server.port, site.server.url
        server.start()
        site.server.process = server.process
        site.s3.create_bucket(Bucket=BUCKET)
    else:
        media = site.target.store.root  # type: ignore[attr-defined]
        media.unlink()
        media.with_name("media.away").rename(media)


@pytest.mark.stops_storage
def test_storage_down_mid_upload_keeps_previous_snapshot(catalog: Catalog, site: Site) -> None:
    for i in range(2):
        photo_with_thumbs(catalog, title=f"First {i}")
    first = publish(catalog, site.target)
    for i in range(12):
        photo_with_thumbs(catalog, title=f"Second {i}")

    with pytest.raises(StorageError, match="publish again"):
        publish(catalog, site.target, observer=StorageBreaker(site, after=3), workers=2)

    assert site.live_seq() == first.seq
    assert {r["title"] for r in site.live_rows(schema.photos)} == {"First 0", "First 1"}
    repair_storage(site)
    again = publish(catalog, site.target, verify=True)  # moto lost its objects: verify sees it
    assert again.seq is not None and not again.failed
    assert len(site.live_rows(schema.photos)) == 14
    assert_consistent(site)


def test_database_unreachable_fails_before_any_upload(
    catalog: Catalog, shared_moto: MotoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import boto3

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    bucket = "exiftree-no-database"
    client = boto3.client("s3", endpoint_url=shared_moto.url, region_name="us-east-1")
    client.create_bucket(Bucket=bucket)
    photo_with_thumbs(catalog)
    url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/snapshot"
    target = s3_target(bucket, endpoint_url=shared_moto.url, database_url=url, media_url=None)
    with pytest.raises(SnapshotDatabaseError, match="127.0.0.1") as error:
        publish(catalog, target)
    assert "Connection refused" in str(error.value) or "connect" in str(error.value)
    assert target.store.list_objects() == {}


def test_unusable_snapshot_file_fails_before_any_upload(catalog: Catalog, tmp_path: Path) -> None:
    target = local_target(tmp_path / "site")
    (tmp_path / "site" / "snapshot.sqlite").mkdir(parents=True)  # a folder where the file goes
    photo_with_thumbs(catalog)
    with pytest.raises(SnapshotDatabaseError, match="snapshot.sqlite"):
        publish(catalog, target)
    assert target.store.list_objects() == {}


KILL_BETWEEN_UPLOAD_AND_SNAPSHOT = """
import json, os, signal, sys
from pathlib import Path
from catalog.catalog import Catalog
from publisher.publish import publish
from publisher.tables import publish_objects
from publisher.targets import local_target, s3_target

args = json.loads(sys.argv[1])
if args["kind"] == "local":
    target = local_target(Path(args["folder"]))
else:
    target = s3_target(args["bucket"], endpoint_url=args["endpoint"],
                       database_url=args["database"], media_url=None, region="us-east-1")
with Catalog.open(Path(args["catalog"])) as catalog:
    publish(catalog, target, after_upload=lambda: os.kill(os.getpid(), signal.SIGKILL))
"""


def _target_args(site: Site, catalog: Catalog) -> dict:
    if site.kind == "local":
        return {"kind": "local", "folder": str(site.target.store.root.parent)}  # type: ignore[attr-defined]
    return {
        "kind": "s3",
        "bucket": site.bucket,
        "endpoint": site.server.url,
        "database": site.target.database_url,
    }


def _run_python(code: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=REPO, capture_output=True, timeout=120
    )


def test_killed_between_upload_and_snapshot_then_resumes(catalog: Catalog, site: Site) -> None:
    photo_with_thumbs(catalog, title="Before")
    first = publish(catalog, site.target)
    for i in range(3):
        photo_with_thumbs(catalog, title=f"New {i}")
    args = {**_target_args(site, catalog), "catalog": str(catalog.root)}

    killed = _run_python(KILL_BETWEEN_UPLOAD_AND_SNAPSHOT, json.dumps(args))

    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()[-2000:]
    assert site.live_seq() == first.seq
    assert [r["title"] for r in site.live_rows(schema.photos)] == ["Before"]
    assert len(site.object_keys()) == 12  # the new objects were uploaded before the kill
    assert_consistent(site)
    resumed = publish(catalog, site.target)
    assert resumed.uploaded_objects == 0 and resumed.plan.to_render == ()
    assert len(site.live_rows(schema.photos)) == 4
    assert_consistent(site)


KILL_BEFORE_THE_LEDGER_HEARS = KILL_BETWEEN_UPLOAD_AND_SNAPSHOT.replace(
    "publish(catalog, target, after_upload=lambda: os.kill(os.getpid(), signal.SIGKILL))",
    "publish(catalog, target, workers=1, observer=KillAfterFirst())",
).replace(
    "args = json.loads",
    """from catalog.jobs import JobObserver
class KillAfterFirst(JobObserver):
    def progressed(self, progress):  # one photo's objects are up; the ledger flushes later
        os.kill(os.getpid(), signal.SIGKILL)
args = json.loads""",
)


def _killed_before_the_ledger_hears(
    catalog: Catalog, site: Site, title: str
) -> tuple[PublishResult, Photo]:
    """A site with one photo; then a new photo whose publish is killed after its upload."""
    photo_with_thumbs(catalog, title="Before")
    first = publish(catalog, site.target)
    photo = photo_with_thumbs(catalog, title=title)
    args = {**_target_args(site, catalog), "catalog": str(catalog.root)}
    killed = _run_python(KILL_BEFORE_THE_LEDGER_HEARS, json.dumps(args))
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()[-2000:]
    return first, photo


def test_photo_hidden_after_a_killed_publish_leaves_no_object_behind(
    catalog: Catalog, site: Site
) -> None:
    """Objects uploaded by a publish killed before its ledger heard of them are deleted by
    the next publish once their photo is private: the write-ahead intents remember them."""
    first, hidden = _killed_before_the_ledger_hears(catalog, site, "Soon private")

    assert site.live_seq() == first.seq
    assert _ledger_size(site) == 3  # the first publish's objects only
    assert any(hidden.content_hash in key for key in site.object_keys())  # up, unrecorded
    with catalog.writing() as session:
        session.get(Photo, hidden.id).visibility = "private"

    again = publish(catalog, site.target)

    assert not [key for key in site.object_keys() if hidden.content_hash in key]
    assert again.deleted_objects == 3
    assert [r["title"] for r in site.live_rows(schema.photos)] == ["Before"]
    assert_consistent(site)


def test_strays_of_a_photo_deleted_after_a_killed_publish_are_swept(
    catalog: Catalog, site: Site
) -> None:
    """Deleting the photo puts the catalog back as it was last published: the fingerprint
    alone would say "nothing to do", but the leftover intents still get swept."""
    _, gone = _killed_before_the_ledger_hears(catalog, site, "Soon deleted")
    with catalog.writing() as session:
        session.delete(session.get(Photo, gone.id))

    assert publish(catalog, site.target).deleted_objects == 3
    assert not [key for key in site.object_keys() if gone.content_hash in key]
    assert publish(catalog, site.target).plan is None  # settled: the fast path answers again


def test_a_photo_reimported_after_a_killed_publish_keeps_its_objects(
    catalog: Catalog, site: Site
) -> None:
    """Removed and imported again, the same picture is a new photo id with the same object
    keys: the sweep must see the keys are wanted, whoever announced them."""
    _, first = _killed_before_the_ledger_hears(catalog, site, "Twice")
    with catalog.writing() as session:
        session.delete(session.get_one(Photo, first.id))
    second = photo_with_thumbs(catalog, title="Twice", content_hash=first.content_hash)
    assert second.id != first.id

    again = publish(catalog, site.target)

    assert again.seq is not None and not again.failed
    assert {r["title"] for r in site.live_rows(schema.photos)} == {"Before", "Twice"}
    assert_consistent(site)  # every live row's objects are still in the store


# Enough full-size photos that their upload outlasts a few ledger flushes (LEDGER_FLUSH_S):
# with 12, a quiet machine uploaded them all before the first flush, and the kill came late.
BATCH = 36


def _cli_args(site: Site, catalog: Catalog) -> list[str]:
    main = "import sys; from desktop.cli import main; sys.exit(main(sys.argv[1:]))"
    base = [sys.executable, "-c", main, "--catalog", str(catalog.root), "publish", "--yes"]
    if site.kind == "local":
        return [*base, "--to", str(site.target.store.root.parent), "--workers", "1"]  # type: ignore[attr-defined]
    return [
        *base,
        "--to",
        f"s3://{site.bucket}",
        "--endpoint-url",
        site.server.url,
        "--database-url",
        site.target.database_url,
        "--media-url",
        "https://media.example.com/",
        "--region",
        "us-east-1",
        "--workers",
        "1",
    ]


def _ledger_size(site: Site) -> int:
    engine = site.engine()
    try:
        with engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(publish_objects))
    finally:
        engine.dispose()


def test_cli_killed_mid_upload_site_stays_consistent(catalog: Catalog, site: Site) -> None:
    photo_with_thumbs(catalog, title="Before")
    first = publish(catalog, site.target)
    for i in range(BATCH):  # full-size thumbnails to convert: the publish takes a while, as
        # uploads to a real bucket do (thumbnails as imported would publish in a blink)
        photo_with_thumbs(catalog, title=f"Batch {i}", thumb_scale=1, slow_to_render=True)
    process = subprocess.Popen(
        _cli_args(site, catalog), cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 60
        while (
            _ledger_size(site) < 3 + 3  # the killed run has recorded some of its uploads
            and process.poll() is None
            and time.monotonic() < deadline
        ):
            assert site.live_seq() == first.seq  # visitors see the old site while it uploads
            assert_consistent(site)
            time.sleep(0.02)
    finally:
        process.kill()  # SIGKILL
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL, stderr.decode()[-2000:]
    assert site.live_seq() == first.seq
    assert_consistent(site)
    recorded = _ledger_size(site) - 3
    assert recorded > 0  # uploads the killed run finished are remembered
    resumed = publish(catalog, site.target)
    assert not resumed.failed
    assert resumed.uploaded_objects <= BATCH * 3 - recorded  # only what was left
    assert len(site.live_rows(schema.photos)) == BATCH + 1
    assert_consistent(site)


class CancelAfter(JobObserver):
    def __init__(self, cancel: Cancel, after: int) -> None:
        self.cancel, self.after = cancel, after

    def progressed(self, progress: Progress) -> None:
        if progress.done >= self.after:
            self.cancel.set()


def test_cancelled_publish_keeps_work_for_the_next(catalog: Catalog, site: Site) -> None:
    for i in range(8):
        photo_with_thumbs(catalog, title=f"P{i}")
    cancel = Cancel()
    with pytest.raises(PublishCancelled):
        publish(catalog, site.target, cancel=cancel, observer=CancelAfter(cancel, 2), workers=1)
    assert site.live_seq() is None
    done = _ledger_size(site)
    assert 6 <= done < 24
    resumed = publish(catalog, site.target)
    assert resumed.uploaded_objects == 24 - done
    assert len(site.live_rows(schema.photos)) == 8
    assert_consistent(site)


def test_database_lost_between_upload_and_snapshot(
    catalog: Catalog, site: Site, postgres_server_url: str
) -> None:
    """PostgreSQL refuses connections after the upload: a clear error, the old site stays."""
    if site.kind != "s3":
        pytest.skip("PostgreSQL only")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    photo_with_thumbs(catalog, title="Before")
    first = publish(catalog, site.target)
    photo_with_thumbs(catalog, title="After")
    name = make_url(site.target.database_url).database
    admin = create_engine(postgres_server_url, isolation_level="AUTOCOMMIT")

    def database_goes_away() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": name},
            )

    try:
        with pytest.raises(SnapshotDatabaseError, match="not usable"):
            publish(catalog, site.target, after_upload=database_goes_away)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        admin.dispose()
    assert site.live_seq() == first.seq
    assert_consistent(site)
    resumed = publish(catalog, site.target)
    assert resumed.uploaded_objects == 0  # the ledger had already recorded the upload
    assert {r["title"] for r in site.live_rows(schema.photos)} == {"Before", "After"}


def test_a_second_publish_to_the_same_site_is_refused_while_one_runs(
    catalog: Catalog, site: Site
) -> None:
    """Two publishers would each sweep the other's fresh objects: one at a time per site."""
    photo_with_thumbs(catalog, title="First")
    publish(catalog, site.target)
    photo_with_thumbs(catalog, title="Second")
    engine = connect_snapshot(site.target.database_url)
    try:
        with lock.exclusive(engine):  # another publisher holds the site
            with pytest.raises(PublishBusyError, match="another publish to .* is running"):
                publish(catalog, site.target)
            with pytest.raises(PublishBusyError):
                roll_back(site.target)
            assert publish(catalog, site.target, dry_run=True).plan.added  # reading is fine
    finally:
        engine.dispose()
    assert publish(catalog, site.target).seq is not None  # released: the next one runs
    assert len(site.live_rows(schema.photos)) == 2


def test_a_password_in_the_database_url_never_reaches_a_message(
    catalog: Catalog, shared_moto: MotoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Passwords hide in the user part and in query parameters: neither may be shown."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    photo_with_thumbs(catalog)
    port = free_port()
    for url in (
        f"postgresql+psycopg://u:Us3rPassw0rd@127.0.0.1:{port}/snapshot",
        f"postgresql+psycopg://u@127.0.0.1:{port}/snapshot?password=Qu3ryPassw0rd",
    ):
        target = s3_target("exiftree-pw", endpoint_url=shared_moto.url, database_url=url,
                           media_url=None)  # fmt: skip
        with pytest.raises(SnapshotDatabaseError) as error:
            publish(catalog, target)
        assert "Passw0rd" not in str(error.value) and "127.0.0.1" in str(error.value)


def test_ctrl_c_stops_a_cli_publish_between_photos(catalog: Catalog, site: Site) -> None:
    """Ctrl-C asks the publish to stop, as it does an import: the live site stays as it was
    and the next publish finishes the job (a KeyboardInterrupt inside a ledger write used
    to leave the snapshot database locked for 30 s)."""
    photo_with_thumbs(catalog, title="Before")
    first = publish(catalog, site.target)
    for i in range(BATCH):  # slow to render: see test_cli_killed_mid_upload_site_stays_consistent
        photo_with_thumbs(catalog, title=f"Batch {i}", thumb_scale=1, slow_to_render=True)
    process = subprocess.Popen(
        _cli_args(site, catalog), cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 60
    while _ledger_size(site) < 3 + 3 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=20)

    assert process.returncode == 1 and b"cancelled" in stderr, stderr.decode()[-2000:]
    assert site.live_seq() == first.seq
    assert_consistent(site)
    assert not publish(catalog, site.target).failed
    assert len(site.live_rows(schema.photos)) == BATCH + 1
