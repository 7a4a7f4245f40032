"""Validation: every kind of bad file gets a specific reason before any decode."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import pytest
from PIL import Image

from catalog.ingest import worker
from catalog.ingest.errors import (
    EmptyFileError,
    ImageTooLargeError,
    NotAnImageError,
    TruncatedImageError,
)
from catalog.ingest.validate import MemoryFile, open_image
from catalog.ingest.worker import Failed, FileTask, Processed, process_file, read_and_hash
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


def test_truncated_jpeg_fails_at_decode_saying_how_much_is_missing(tmp_path: Path) -> None:
    data = (DATA / "landscape_1.jpg").read_bytes()
    (tmp_path / "cut.jpg").write_bytes(data[: len(data) // 2])
    result = process_file(FileTask(str(tmp_path / "cut.jpg")), set())
    assert isinstance(result, Failed)
    assert result.reason.startswith("damaged JPEG: the picture data stops early (")
    share = int(result.reason.split("(")[1].split("%")[0])
    assert 35 <= share <= 65  # half the bytes: about half the picture
    assert TruncatedImageError.__name__  # the typed error behind that reason


def test_jpeg_missing_only_its_end_marker_is_accepted_whole(tmp_path: Path) -> None:
    data = (DATA / "landscape_1.jpg").read_bytes()
    assert data.endswith(b"\xff\xd9")
    (tmp_path / "no_eoi.jpg").write_bytes(data[:-2])
    (tmp_path / "whole.jpg").write_bytes(data)
    cut = process_file(FileTask(str(tmp_path / "no_eoi.jpg")), set())
    whole = process_file(FileTask(str(tmp_path / "whole.jpg")), set())
    assert isinstance(cut, Processed) and isinstance(whole, Processed)
    assert cut.phash == whole.phash and (cut.width, cut.height) == (whole.width, whole.height)


def test_a_jpeg_losing_a_few_blocks_is_still_refused(tmp_path: Path) -> None:
    data = (DATA / "landscape_1.jpg").read_bytes()
    (tmp_path / "short.jpg").write_bytes(data[:-3000])
    result = process_file(FileTask(str(tmp_path / "short.jpg")), set())
    assert isinstance(result, Failed) and "of the picture is missing" in result.reason


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        ("height0", "damaged JPEG: its frame header says 600x0 pixels"),
        ("header_cut", "damaged JPEG: the file ends inside its header (at byte 300)"),
        ("bigtiff", "BigTIFF is not supported (save it as a standard TIFF or a JPEG)"),
    ],
)
def test_unreadable_files_say_what_is_wrong(tmp_path: Path, damage: str, reason: str) -> None:
    data = (DATA / "landscape_1.jpg").read_bytes()
    if damage == "height0":
        sof = data.find(b"\xff\xc0")
        broken = data[: sof + 5] + b"\x00\x00" + data[sof + 7 :]
    elif damage == "header_cut":
        broken = data[:300]
    else:
        broken = b"II\x2b\x00\x08\x00\x00\x00" + bytes(64)
    (tmp_path / "bad.jpg").write_bytes(broken)
    result = process_file(FileTask(str(tmp_path / "bad.jpg")), set())
    assert isinstance(result, Failed) and result.reason == reason


def test_good_file_passes(tmp_path: Path) -> None:
    result = process_file(FileTask(str(DATA / "Canon_40D.jpg")), set())
    assert isinstance(result, Processed)
    assert (result.width, result.height) == (100, 68)


def test_read_and_hash_gives_the_file_and_its_sha256(tmp_path: Path) -> None:
    """Hashed chunk by chunk while reading: the same bytes and digest as reading it whole."""
    photo = tmp_path / "big.jpg"
    photo.write_bytes(os.urandom(3 * (1 << 20) + 12345))  # several chunks and a partial one
    data, stat, digest = read_and_hash(photo)
    assert bytes(data) == photo.read_bytes()
    assert digest == hashlib.sha256(photo.read_bytes()).hexdigest()
    assert (stat.size, stat.mtime_ns) == (photo.stat().st_size, photo.stat().st_mtime_ns)


def test_memory_file_reads_and_seeks_like_a_file() -> None:
    data = bytearray(b"0123456789")
    file = MemoryFile(data)
    assert file.read(3) == b"012"
    assert file.seek(-2, io.SEEK_END) == 8
    assert file.read() == b"89"
    assert file.seek(4) == 4 and file.read(2) == b"45" and file.tell() == 6
    assert file.seek(100) == 100 and file.read(1) == b""


def test_a_file_too_big_for_memory_is_one_failure(tmp_path: Path, monkeypatch) -> None:
    """Reading a huge file can run out of memory: that file fails, the batch goes on."""
    photo = tmp_path / "huge.tif"
    photo.write_bytes(b"II*\x00" + bytes(100))

    def no_memory(_path: Path) -> None:
        raise MemoryError

    monkeypatch.setattr(worker, "read_and_hash", no_memory)
    result = process_file(FileTask(str(photo)), set())
    assert isinstance(result, Failed) and result.reason == "too large to read into memory"
