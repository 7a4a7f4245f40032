"""Bad input on the command line gets a sentence and an exit code, never a traceback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desktop.cli import main
from tests.factories import add_photo


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    return code, captured.err


@pytest.mark.parametrize(
    "damage",
    [b"garbage, not a database", b"SQLite format 3\x00" + b"\x00" * 5000],
    ids=["not-a-database", "truncated"],
)
def test_a_damaged_catalog_is_named_not_crashed_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: bytes
) -> None:
    (tmp_path / "cat").mkdir()
    (tmp_path / "cat" / "catalog.sqlite").write_bytes(damage)
    code, err = _run(capsys, "--catalog", str(tmp_path / "cat"), "list")
    assert code == 2 and "catalog.sqlite" in err


def test_a_catalog_from_a_newer_exiftree_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--catalog", str(tmp_path / "cat"), "list"]) == 0
    with sqlite3.connect(tmp_path / "cat" / "catalog.sqlite") as db:
        db.execute("UPDATE alembic_version SET version_num = 'ffff9999'")
    code, err = _run(capsys, "--catalog", str(tmp_path / "cat"), "list")
    assert code == 2 and "newer ExifTree" in err


def test_a_locked_catalog_is_busy_not_a_traceback(
    catalog, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    photo = add_photo(catalog)
    monkeypatch.setattr("catalog.db.BUSY_TIMEOUT_S", 0.2)  # for the CLI's new engine
    blocker = sqlite3.connect(catalog.db_path, timeout=1)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        code, err = _run(capsys, "--catalog", str(catalog.root), "set", photo.id, "--rating", "3")
    finally:
        blocker.rollback()
        blocker.close()
    assert code == 2 and "busy" in err


def test_text_that_is_not_utf8_is_refused_up_front(
    catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _run(capsys, "--catalog", str(catalog.root), "collection", "create", "x\udcff")
    assert code == 2 and "not valid UTF-8" in err


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--to", "{file}"], "not usable"),
        (
            [
                "--to",
                "s3://bucket1",
                "--endpoint-url",
                "not a url",
                "--database-url",
                "postgresql://u@127.0.0.1:1/db",
            ],
            "endpoint URL cannot be used",
        ),  # fmt: skip
        (["--to", "s3://bucket1", "--database-url", "garbage"], "cannot be read"),
        (["--to", "s3://bucket1", "--database-url", "mysql://a@b/c"], "PostgreSQL or SQLite"),
    ],
    ids=["folder-is-a-file", "bad-endpoint", "bad-database-url", "other-database"],
)
def test_publish_to_an_unusable_target_says_why(
    catalog, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], said: str
) -> None:
    add_photo(catalog)
    (tmp_path / "afile").write_text("a file where the site folder goes")
    args = [a.replace("{file}", str(tmp_path / "afile")) for a in args]
    code, err = _run(capsys, "--catalog", str(catalog.root), "publish", *args)
    assert code != 0 and said in err, err


def test_describe_with_an_unusable_endpoint_url_says_why(
    catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    photo = add_photo(catalog)
    code, err = _run(capsys, "--catalog", str(catalog.root), "describe", photo.id,
                     "--base-url", "http://[::1", "--model", "x")  # fmt: skip
    assert code == 2 and "AI endpoint URL cannot be used" in err


def test_serve_needs_the_media_folder_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "snapshot.sqlite").write_bytes(b"")
    code, err = _run(capsys, "serve", "--from", str(site))
    assert code != 0 and "no media/ folder" in err


def test_publish_needs_at_least_one_worker(catalog, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _run(capsys, "--catalog", str(catalog.root), "publish", "--workers", "0")
    assert code == 2 and "--workers" in err
