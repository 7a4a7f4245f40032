"""The thumbnail cache: JPEGs decoded to QImage in worker threads, QPixmap on the GUI thread.

The catalog writes the thumbnail files (by content hash; rewritten only by a reprocess or a
rotation, which say so through ``CatalogChanges.thumbnails``); this cache only reads them.
Requests are deduplicated while in flight, requests for photos that have scrolled out of
view are dropped before decoding (the grid says what is wanted), and the in-memory pixmaps
are bounded by bytes, least recently used first out.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from cachetools import LRUCache
from PySide6.QtCore import QObject, QRunnable, QSize, Qt, QThreadPool, Signal, Slot
from PySide6.QtGui import QImage, QImageReader, QPixmap, QTransform

Key = tuple[str, int]  # (content hash, size in px)
GRID_BOX = QSize(176, 146)  # what a grid cell shows: decode straight to it, never rescale
DECODE_BOX = {300: GRID_BOX, 800: QSize(400, 400)}  # 1600: full size (the loupe)


class _Loaded(QObject):
    """Carries decoded images back to the GUI thread (one per cache, lives there)."""

    image_loaded = Signal(object, object)  # Key, QImage | None


def read_image(path: Path, box: QSize | int | None = None) -> QImage | None:
    """Decode a file into a QImage (any thread), scaled down to fit ``box`` (a size, or a
    longest side in px); None when it is missing or unreadable."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    if isinstance(box, int):
        box = QSize(box, box)
    size = reader.size()
    if (
        box is not None
        and size.isValid()
        and (size.width() > box.width() or size.height() > box.height())
    ):
        reader.setScaledSize(size.scaled(box, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    return None if image.isNull() else image


def turned(image: QImage | None, turns: int) -> QImage | None:
    """``image`` turned clockwise by the owner's quarter ``turns`` (an original, which the
    catalog never rewrites; the thumbnails are turned on disk already)."""
    if image is None or turns % 4 == 0:
        return image
    return image.transformed(QTransform().rotate(90 * (turns % 4)))


class _Loader(QRunnable):
    """Decodes queued thumbnails until the queue is empty: a few long runs rather than a
    runnable per image, because every QThreadPool.start hands the GIL to a new thread."""

    def __init__(self, cache: ThumbnailCache) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self._cache = cache
        self.done = False  # set under the cache's lock when the queue ran dry

    def run(self) -> None:
        cache = self._cache
        while (job := cache._next_job(self)) is not None:
            key, path = job
            if not cache.is_wanted(key):  # scrolled away before we got to it
                cache._carrier.image_loaded.emit(key, "dropped")
                continue
            cache._carrier.image_loaded.emit(key, read_image(path, DECODE_BOX.get(key[1])))


class ThumbnailCache(QObject):
    """Pixmaps by (content hash, size); ``thumbnail_ready`` says one has arrived."""

    thumbnail_ready = Signal(str, int)

    def __init__(
        self,
        path_of: Callable[[str, int], Path],
        max_mb: int = 256,
        threads: int = 2,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._path_of = path_of  # (hash, size) -> Path: the catalog's thumb_path
        self.max_bytes = max_mb * 1024 * 1024
        # least recently painted first out, by decoded size
        self._pixmaps: LRUCache[Key, QPixmap] = LRUCache(self.max_bytes, getsizeof=_size_of)
        self._missing: set[Key] = set()
        self._in_flight: set[Key] = set()
        self._wanted: set[Key] | None = None  # None: everything is wanted
        self._lock = threading.Lock()
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._carrier = _Loaded()
        self._carrier.image_loaded.connect(self._store)
        self._queue: list[tuple[Key, Path]] = []  # newest last: served first (on screen)
        self._loaders: list[_Loader] = []  # references kept while they run
        self._threads = threads

    def pixmap(self, content_hash: str, size_px: int = 300) -> QPixmap | None:
        """The cached pixmap, or None after asking a worker to load it."""
        key = (content_hash, size_px)
        found = self._pixmaps.get(key)
        if found is not None:
            return found
        if key not in self._in_flight and key not in self._missing:
            self._request(key)
        return None

    def is_missing(self, content_hash: str, size_px: int = 300) -> bool:
        return (content_hash, size_px) in self._missing

    def set_wanted(self, keys: Iterable[Key] | None) -> None:
        """Only these may still be decoded (None: all). Called as the grid scrolls."""
        with self._lock:
            self._wanted = None if keys is None else set(keys)

    def is_wanted(self, key: Key) -> bool:
        with self._lock:
            return self._wanted is None or key in self._wanted or key[1] != 300

    def _request(self, key: Key) -> None:
        self._in_flight.add(key)
        with self._lock:  # asked for while painting: it is on screen now
            if self._wanted is not None:
                self._wanted.add(key)
            self._queue.append((key, self._path_of(*key)))
            self._loaders = [loader for loader in self._loaders if not loader.done]
            if len(self._loaders) >= self._threads:
                return
            loader = _Loader(self)
            self._loaders.append(loader)
        self._pool.start(loader)

    def _next_job(self, loader: _Loader) -> tuple[Key, Path] | None:
        """The most recently asked-for thumbnail, or None (and ``loader`` stops)."""
        with self._lock:
            if self._queue:
                return self._queue.pop()
            loader.done = True
            return None

    @Slot(object, object)
    def _store(self, key: Key, image: QImage | str | None) -> None:
        self._in_flight.discard(key)
        if isinstance(image, str):  # dropped: may be asked for again later
            return
        if image is None:
            self._missing.add(key)
        else:
            pixmap = QPixmap.fromImage(image)
            if _size_of(pixmap) <= self.max_bytes:  # larger than the whole cache: not kept
                self._pixmaps[key] = pixmap
        self.thumbnail_ready.emit(key[0], key[1])

    def forget(self, content_hashes: Iterable[str]) -> None:
        """Drop what is known about these photos (after a reprocess or removal)."""
        hashes = set(content_hashes)
        for key in [k for k in self._pixmaps if k[0] in hashes]:
            del self._pixmaps[key]
        self._missing = {k for k in self._missing if k[0] not in hashes}

    def wait_for_done(self, msecs: int = 10000) -> bool:
        return self._pool.waitForDone(msecs)

    @property
    def cached_bytes(self) -> int:
        return int(self._pixmaps.currsize)


def _size_of(pixmap: QPixmap) -> int:
    return pixmap.width() * pixmap.height() * 4
