"""The listed photos of a publish and their seeded orders: the keyset behind every stream.

A visitor's shuffle seed comes from a finite set, so each seed's order is computed once
per publish (an array of positions, ~0.8 MB per seed for 100,000 photos) and every page is
"the photos after this one" — a keyset on (seeded position), never an OFFSET scan.
"""

from __future__ import annotations

import heapq
import sys
import threading
from array import array
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from cachetools import LRUCache

_MASK = 0x7FFFFFFF
_CHUNK = 20_000  # keys sorted per C call (see Listing._compute)


def seed_constants(seed: int) -> tuple[int, int]:
    """The seed's xor mask and odd multiplier: ``((key ^ mask) * mult) mod 2**31`` is a
    bijection of 31-bit keys, so each seed permutes the (random) shuffle keys its own way."""
    mask = (seed * 0x5BD1E995 + 0x2545F491) & _MASK
    mult = ((seed * 0x9E3779B1) | 1) & _MASK
    return mask, mult


@dataclass
class SeededOrder:
    """One seed's order: ``order[pos]`` is a photo index, ``rank[index]`` its position."""

    order: array
    rank: array


@dataclass
class Listing:
    """Every listed photo of one publish, by index."""

    ids: list[str]
    keys: list[int]
    index: dict[str, int] = field(init=False)
    _orders: dict[int, SeededOrder] = field(default_factory=dict, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    def __post_init__(self) -> None:
        self.index = {photo_id: i for i, photo_id in enumerate(self.ids)}

    def __len__(self) -> int:
        return len(self.ids)

    def seeded(self, seed: int) -> SeededOrder:
        """The seed's order, computed on first use."""
        found = self._orders.get(seed)
        if found is None:
            with self._lock:
                found = self._orders.get(seed) or self._compute(seed)
                self._orders[seed] = found
        return found

    def warm(self, seeds: int) -> threading.Thread:
        """Compute every seed's order in the background, so visitors rarely wait for one."""
        thread = threading.Thread(
            target=lambda: [self.seeded(seed) for seed in range(seeds)],
            name="listing-warm",
            daemon=True,
        )
        thread.start()
        return thread

    def _compute(self, seed: int) -> SeededOrder:
        """Sort once by the mixed key; ties (rare) by position, which is stable because the
        listing is loaded in id order (``* n + i`` makes every key unique).

        Sorted in chunks then merged: one ``sorted()`` of 500,000 keys is a single C call
        that holds the GIL for ~0.3 s, and the warm thread ran 16 of them after each
        publish: every visitor waited behind them (home's p99 was ~2 s for a minute at
        1,000,000 photos). A chunk's sort is ~5 ms; the merge is Python-level and yields."""
        mask, mult = seed_constants(seed)
        n = len(self.ids)
        mixed = [(((k ^ mask) * mult) & _MASK) * n + i for i, k in enumerate(self.keys)]
        chunks = [sorted(mixed[at : at + _CHUNK]) for at in range(0, n, _CHUNK)]
        order = array("i", [m % n for m in heapq.merge(*chunks)])
        rank = array("i", bytes(4 * n))
        for pos, i in enumerate(order):
            rank[i] = pos
        return SeededOrder(order=order, rank=rank)


@dataclass(frozen=True)
class PhotoSequence:
    """An ordered list of photo indices with a way to find where any photo sits in it."""

    items: Sequence[int]
    position: Callable[[int], int | None]  # index of a photo → its position, None if absent
    after: Callable[[int], int]  # index of a photo → where the page after it starts
    nbytes: int = 0  # what it holds of its own (for the caches' byte budgets)

    def page(self, after_index: int | None, size: int) -> list[int]:
        start = 0 if after_index is None else self.after(after_index)
        return list(self.items[start : start + size])

    def neighbours(self, index: int) -> tuple[int | None, int | None]:
        pos = self.position(index)
        if pos is None:
            return None, None
        prev = self.items[pos - 1] if pos > 0 else None
        nxt = self.items[pos + 1] if pos + 1 < len(self.items) else None
        return prev, nxt


def ranked(items: list[int], rank: array) -> PhotoSequence:
    """``items`` in the seed's order; positions by binary search on the rank. Kept as
    arrays (4 bytes an entry, not a list's 8 plus an int object): every facet of a seed
    is cached at once."""
    items.sort(key=rank.__getitem__)
    keys = array("i", [rank[i] for i in items])
    items = array("i", items)  # type: ignore[assignment]

    def position(index: int) -> int | None:
        pos = bisect_right(keys, rank[index]) - 1
        return pos if pos >= 0 and items[pos] == index else None

    nbytes = 2 * 4 * len(keys)  # items and keys
    return PhotoSequence(items, position, lambda index: bisect_right(keys, rank[index]), nbytes)


def whole_stream(seeded: SeededOrder) -> PhotoSequence:
    """Every listed photo in the seed's order (no copy: the seed's own arrays)."""
    return PhotoSequence(
        seeded.order, lambda index: seeded.rank[index], lambda index: seeded.rank[index] + 1
    )


def fixed(items: list[int]) -> PhotoSequence:
    """``items`` in the owner's order (collections)."""
    where = {index: pos for pos, index in enumerate(items)}
    nbytes = sys.getsizeof(items) + sys.getsizeof(where) + _INT_BYTES * len(items)
    return PhotoSequence(
        items, where.get, lambda index: where[index] + 1 if index in where else len(items), nbytes
    )


_INT_BYTES = 32  # an int object past the small ones CPython shares
_ITEM_BYTES = 200  # a rough guess for an element of another cached list (a link, a row)


def weight(value: object) -> int:
    """About how many bytes ``value`` keeps alive: exact for the big ones (sequences and
    index arrays, which are what can fill memory), a generous guess for small lists."""
    if isinstance(value, PhotoSequence):
        return 128 + value.nbytes
    if isinstance(value, array):
        return 64 + value.itemsize * len(value)
    size = sys.getsizeof(value)
    if isinstance(value, (list, tuple, dict, set, frozenset)):
        size += _ITEM_BYTES * len(value)
    return size


class LRU:
    """A least-recently-used cache shared by the server's threads: cachetools' LRUCache,
    which is not thread-safe by itself, behind a lock.

    ``capacity`` counts entries, or with ``sizeof`` (e.g. ``weight``) whatever it measures:
    a byte budget for caches whose entries range from a few bytes to megabytes. A value
    larger than the whole budget is not kept."""

    def __init__(self, capacity: int, sizeof: Callable[[object], int] | None = None) -> None:
        self.capacity = capacity
        self._data: LRUCache[object, object] = LRUCache(maxsize=capacity, getsizeof=sizeof)
        self._lock = threading.Lock()

    @property
    def size(self) -> int:
        """What the entries weigh together (their count without ``sizeof``)."""
        with self._lock:
            return int(self._data.currsize)

    def __len__(self) -> int:
        with self._lock:
            return len(self._data)

    def get(self, key: object) -> object | None:
        with self._lock:
            return self._data.get(key)

    def put(self, key: object, value: object) -> None:
        with self._lock:
            try:
                self._data[key] = value
            except ValueError:  # larger than the whole budget: computed for this use only
                self._data.pop(key, None)
