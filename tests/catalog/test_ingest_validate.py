"""Validation: every kind of bad file gets a specific reason before any decode."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from catalog.ingest.errors import (
    EmptyFileError,
    ImageTooLargeError,
    NotAnImageError,
    TruncatedImageError,
)
from catalog.ingest.validate import open_image
from catalog.ingest.worker import Failed, FileTask, Processed, process_file
from tests.catalog.ingest_helpers import DATA, png_bomb


def test_empty_file() -> None:
    with pytest.raises(EmptyFileError, match=r"empty file \(0 bytes\)"):
        open_image(Path("x.jpg"), b"")


def test_not_an_image() -> None:
    with pytest.raises(NotAnImageError, match="not an image"):
        open_image(Path("x.jpg"), b"<html>this is a web page</html>")


def test_unsupported_format(tmp_path: Path) -> None:
    Image.new("RGB", (8, 8)).save(tmp_path / "x.gif")
    with pytest.raises(NotAnImageError, match="unsupported image format GIF"):
        open_image(tmp_path / "x.gif", (tmp_path / "x.gif").read_bytes())


def test_decompression_bomb_is_refused_from_the_header() -> None:
    with pytest.raises(ImageTooLargeError, match="decompression bomb"):
        open_image(Path("bomb.png"), png_bomb(50_000, 50_000))


def test_pixel_limit_is_configurable() -> None:
    data = (DATA / "landscape_1.jpg").read_bytes()
    with pytest.raises(ImageTooLargeError, match="over the limit of 1,000 pixels"):
        open_image(Path("x.jpg"), data, max_pixels=1000)


def test_truncated_jpeg_fails_at_decode(tmp_path: Path) -> None:
    data = (DATA / "landscape_1.jpg").read_bytes()
    (tmp_path / "cut.jpg").write_bytes(data[: len(data) // 2])
    result = process_file(FileTask(str(tmp_path / "cut.jpg")), set())
    assert isinstance(result, Failed)
    assert result.reason.startswith("truncated or corrupt image data")
    assert TruncatedImageError.__name__  # the typed error behind that reason


def test_good_file_passes(tmp_path: Path) -> None:
    result = process_file(FileTask(str(DATA / "Canon_40D.jpg")), set())
    assert isinstance(result, Processed)
    assert (result.width, result.height) == (100, 68)
