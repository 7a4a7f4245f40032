"""Helpers for the ingest tests: a plain observer, hashing, and thumbnail comparison."""

from __future__ import annotations

import hashlib
import shutil
import struct
import zlib
from pathlib import Path

import numpy as np
from PIL import Image

from catalog.jobs import ItemOutcome, JobObserver, Progress

DATA = Path(__file__).resolve().parent.parent / "data"


class RecordingObserver(JobObserver):
    """What a front end would see, kept in lists."""

    def __init__(self) -> None:
        self.total: int | None = None
        self.outcomes: list[ItemOutcome] = []
        self.progress: list[Progress] = []

    def started(self, total: int | None) -> None:
        self.total = total

    def progressed(self, progress: Progress) -> None:
        self.progress.append(progress)

    def item_finished(self, outcome: ItemOutcome) -> None:
        self.outcomes.append(outcome)


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def copy_data(target: Path, *names: str) -> list[Path]:
    """Copy files from tests/data into ``target`` (writable copies)."""
    target.mkdir(parents=True, exist_ok=True)
    copies = []
    for name in names:
        copy = target / name
        shutil.copyfile(DATA / name, copy)
        copies.append(copy)
    return copies


def grey(path: Path, size: tuple[int, int] = (64, 48)) -> np.ndarray:
    """A small greyscale array of an image file, for comparing what the pixels show."""
    with Image.open(path) as image:
        return np.asarray(image.convert("L").resize(size), dtype=np.float64)


def pixel_difference(a: Path, b: Path) -> float:
    """Mean absolute difference (0-255) of two images shown at the same small size."""
    with Image.open(a) as image:
        size = (64, 48) if image.width >= image.height else (48, 64)
    return float(np.abs(grey(a, size) - grey(b, size)).mean())


def png_bomb(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )
