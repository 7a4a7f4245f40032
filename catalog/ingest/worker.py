"""The CPU-bound part of the pipeline, run per file in a worker process (or inline).

Reads the bytes once (the SHA-256 needs them), stops early when the content is already in the
catalog, else validates, reads EXIF, decodes once and encodes the three thumbnails. It never
touches the database: the parent process is the only writer.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import hashlib
import os
import signal
import threading
from multiprocessing.connection import Connection
from pathlib import Path

from catalog.ingest.errors import (
    IngestError,
    TransientReadError,
    UnreadableError,
    is_transient_read,
)
from catalog.ingest.exif import read_exif
from catalog.ingest.imaging import (
    decode_scaled,
    displayed_size,
    encode_jpeg,
    implied_profile,
    make_thumbnails,
    perceptual_hash,
    turn,
)
from catalog.ingest.raw import decode_raw, is_raw, raw_format
from catalog.ingest.tasks import AlreadyKnown as AlreadyKnown
from catalog.ingest.tasks import Failed as Failed
from catalog.ingest.tasks import FileResult as FileResult
from catalog.ingest.tasks import FileStat as FileStat
from catalog.ingest.tasks import FileTask as FileTask
from catalog.ingest.tasks import Processed as Processed
from catalog.ingest.validate import DEFAULT_MAX_PIXELS, open_image


def process_file(
    task: FileTask, known_hashes: frozenset[str] | set[str], max_pixels: int = DEFAULT_MAX_PIXELS
) -> FileResult:
    """One file's whole CPU-side work; every problem becomes :class:`Failed`, never a raise."""
    path = Path(task.path)
    try:
        data, stat, content_hash = read_and_hash(path)
    except TransientReadError as exc:
        return Failed(FileStat(task.path, 0, 0), exc.reason, transient=True)
    except IngestError as exc:
        return Failed(FileStat(task.path, 0, 0), exc.reason)
    except MemoryError:
        return Failed(FileStat(task.path, 0, 0), "too large to read into memory")
    if task.skip_if_known and content_hash in known_hashes:
        return AlreadyKnown(stat, content_hash)
    try:
        return derive(path, data, stat, content_hash, max_pixels, task.turns)
    except IngestError as exc:
        return _failed_unless_settling(path, stat, exc.reason)
    except Exception as exc:  # noqa: BLE001 - a decoder bug is one file's failure, not the batch's
        return _failed_unless_settling(
            path, stat, f"could not be processed: {type(exc).__name__}: {exc}"
        )


def _failed_unless_settling(path: Path, stat: FileStat, reason: str) -> Failed:
    """A bad file is a ``failed`` photo, unless it changed since it was read (still being
    copied, or rewritten by another program): then the next import reads it again."""
    try:
        now = os.stat(path)
    except OSError:
        return Failed(stat, f"{reason}; it has gone since (the next import looks again)", True)
    if (now.st_size, now.st_mtime_ns) != (stat.size, stat.mtime_ns):
        return Failed(stat, f"{reason}; it changed while being read, still being copied? "
                      "(the next import tries it again)", transient=True)  # fmt: skip
    return Failed(stat, reason)


def read_and_hash(path: Path) -> tuple[bytearray, FileStat, str]:
    """The whole file, the size and mtime of what was read, and its SHA-256.

    Each chunk is hashed right after it is read, while it is still in the CPU's cache: hashing
    the whole 10 MB afterwards read it back from memory, ~1.5 ms more a 24 MP photo.
    """
    try:
        with open(path, "rb", buffering=0) as handle:
            info = os.fstat(handle.fileno())
            data, digest, size = bytearray(info.st_size), hashlib.sha256(), 0
            with memoryview(data) as view:
                while size < len(data) and (got := handle.readinto(view[size : size + _CHUNK])):
                    digest.update(view[size : size + got])
                    size += got
            del data[size:]  # the file shrank since fstat
            rest = handle.read()  # or grew
            data += rest
            digest.update(rest)
    except OSError as exc:
        if is_transient_read(exc):
            reason = f"cannot be read now ({exc.strerror or exc}); the next import tries again"
            raise TransientReadError(path, reason) from exc
        raise UnreadableError(path, f"cannot be read: {exc.strerror or exc}") from exc
    return data, FileStat(str(path), len(data), info.st_mtime_ns), digest.hexdigest()


_CHUNK = 1 << 20  # fits the cache of any CPU this runs on


def derive(
    path: Path,
    data: bytes | bytearray,
    stat: FileStat,
    content_hash: str,
    max_pixels: int,
    turns: int = 0,
) -> Processed:
    """Validate, EXIF, one scaled decode, three thumbnails and the perceptual hash.

    The hash is taken before the owner's ``turns``: it stands for the picture, so a photo
    the owner turned still matches its copies."""
    if is_raw(path):
        scaled, exif, icc, stored_size = decode_raw(path, data, max_pixels)
        file_format = raw_format(path)
    else:
        image = open_image(path, data, max_pixels)
        exif = read_exif(image, data)
        icc = image.info.get("icc_profile") or implied_profile(exif.colour_space)
        stored_size, file_format = image.size, str(image.format)
        scaled = decode_scaled(path, image, data)
    thumbs = make_thumbnails(scaled, exif.orientation, icc)
    phash = perceptual_hash(thumbs[300])
    width, height = displayed_size(stored_size, exif.orientation, turns)
    return Processed(
        file=stat,
        content_hash=content_hash,
        format=file_format,
        width=width,
        height=height,
        orientation=exif.orientation,
        phash=phash,
        exif=exif,
        thumbnails={size: encode_jpeg(turn(img, turns)) for size, img in thumbs.items()},
        turns=turns % 4,
    )


# --- worker-process plumbing: state set once per process by the pool initializer ---

_known: frozenset[str] = frozenset()
_max_pixels: int = DEFAULT_MAX_PIXELS


def init_worker(
    known_hashes: frozenset[str], max_pixels: int, parent_alive: Connection | None = None
) -> None:
    """Pool initializer: the catalog's hashes at the start of the run, the pixel limit, and
    the pipe whose end tells this worker that the import is gone."""
    global _known, _max_pixels
    _known, _max_pixels = known_hashes, max_pixels
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it cancels
    _die_with_parent(parent_alive)
    _keep_big_buffers()


def _die_with_parent(parent_alive: Connection | None) -> None:
    """Exit as soon as the import that started this worker is gone, however it went.

    A pool worker blocks on its task queue, and holds both ends of that queue itself, so it
    never sees the import die: after a kill -9 or a crash, workers used to stay forever.
    Portable: a thread waits for end-of-file on a pipe only the import holds open. On Linux
    the kernel also kills the worker when its own parent (the fork server) dies."""
    _linux_parent_death_signal()
    if parent_alive is None:
        return

    def watch() -> None:
        with contextlib.suppress(EOFError, OSError):
            parent_alive.recv_bytes()  # nothing is ever sent: returns only at end-of-file
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _linux_parent_death_signal() -> None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the pipe alone does it
        pass


_PR_SET_PDEATHSIG = 1


def _keep_big_buffers() -> None:
    """Let glibc reuse each photo's large buffers instead of unmapping them.

    By default every buffer over 128 KiB is mmap'd and returned to the kernel when freed, so
    each photo's ~30 MB of decode buffers were faulted in afresh: 15-20 ms of kernel time a
    photo in a worker process. Raising the mmap and trim thresholds keeps them in the heap.
    """
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(_M_MMAP_THRESHOLD, 128 * 2**20)
        libc.mallopt(_M_TRIM_THRESHOLD, 256 * 2**20)
    except (OSError, AttributeError):  # not glibc (macOS, musl): nothing to tune
        pass


_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameter numbers


def process_in_worker(task: FileTask) -> FileResult:
    return process_file(task, _known, _max_pixels)
