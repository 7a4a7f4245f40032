"""``exiftree publish``: to a folder, dry run, no-change, rollback, and clear errors."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from catalog.catalog import Catalog
from desktop.cli import cli
from tests.publisher.conftest import photo_with_thumbs
from tests.publisher.helpers import set_fields


def _run(catalog: Catalog, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--catalog", str(catalog.root), "publish", *args])
    return result.exit_code, result.output


def test_cli_publish_dry_run_then_publish_then_rollback(catalog: Catalog, tmp_path: Path) -> None:
    photo = photo_with_thumbs(catalog, title="First")
    site = str(tmp_path / "site")
    code, out = _run(catalog, "--to", site, "--dry-run")
    assert code == 0 and "1 photo(s) to add" in out and "Dry run" in out
    assert not (tmp_path / "site" / "media").exists()
    code, out = _run(catalog, "--to", site)
    assert code == 0 and "Published snapshot 1" in out
    assert (tmp_path / "site" / "snapshot.sqlite").is_file()
    assert len(list((tmp_path / "site" / "media").rglob("*.jpg"))) == 3
    code, out = _run(catalog, "--to", site)
    assert "Nothing changed" in out
    set_fields(catalog, photo.id, title="Second")
    code, out = _run(catalog, "--to", site, "--verify")
    assert code == 0 and "Published snapshot 2" in out
    code, out = _run(catalog, "--to", site, "--rollback")
    assert code == 0 and "snapshot 1 is live again" in out
    code, out = _run(catalog, "--to", site, "--rollback")
    assert code != 0 and "no earlier snapshot" in out


def test_cli_s3_target_without_database_is_a_clear_error(catalog: Catalog) -> None:
    code, out = _run(catalog, "--to", "s3://my-bucket", "--endpoint-url", "http://127.0.0.1:9")
    assert code != 0 and "--database-url" in out


def test_cli_unknown_named_target(catalog: Catalog) -> None:
    code, out = _run(catalog, "--target", "tigris")
    assert code != 0 and "no publish target named 'tigris'" in out


def test_viewer_reads_the_published_folder(catalog: Catalog, tmp_path: Path) -> None:
    """The contract end to end: the viewer's read-only connection sees the live publish."""
    from webviewer.db import SnapshotDB, make_engine

    photo_with_thumbs(catalog, title="Seen by the viewer")
    code, out = _run(catalog, "--to", str(tmp_path / "site"))
    assert code == 0 and "exiftree serve --from" in out
    engine = make_engine(f"sqlite:///{tmp_path / 'site' / 'snapshot.sqlite'}", 1000)
    assert SnapshotDB(engine).live_publish().seq == 1
    engine.dispose()


def test_a_photo_that_cannot_be_published_is_counted_apart_on_every_plan(
    catalog: Catalog, tmp_path: Path
) -> None:
    """The reviewer's probe: one good photo, one whose original is gone (no thumbnails).
    Every plan counts only what can go, and names the other apart, by file, until fixed."""
    from tests.factories import add_photo

    photo_with_thumbs(catalog, title="Good")
    add_photo(catalog, title="Gone", source_path=str(tmp_path / "card" / "IMG_0042.jpg"))
    site = str(tmp_path / "site")

    code, out = _run(catalog, "--to", site, "--dry-run")
    assert code == 0
    assert "1 photo(s) to add, 0 to update, 0 to remove" in out
    assert "1 photo(s) to render and upload" in out
    assert "1 photo(s) cannot be published:" in out and "IMG_0042.jpg: " in out

    code, out = _run(catalog, "--to", site)
    assert code == 1 and "Published snapshot 1" in out
    assert "1 photo(s) could not be published:" in out and "IMG_0042.jpg: " in out

    code, out = _run(catalog, "--to", site, "--dry-run")  # "Plan again"
    assert "0 photo(s) to add, 0 to update, 0 to remove" in out
    assert "0 photo(s) to render and upload" in out
    assert "1 photo(s) cannot be published:" in out

    code, out = _run(catalog, "--to", site)  # still said, never "up to date"
    assert code == 1 and "up to date" not in out
    assert "Nothing changed: the site is unchanged." in out
    assert "1 photo(s) could not be published:" in out and "IMG_0042.jpg: " in out
    assert "0 not published" not in out
