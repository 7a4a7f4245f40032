"""Seeded orders are computed in chunks (the GIL changes hands): the order must be the one
a plain sort by the mixed key gives, ties included, on both sides of a chunk boundary."""

from __future__ import annotations

import random

import pytest

from webviewer.listing import _CHUNK, _MASK, Listing, seed_constants


def _plain_order(keys: list[int], seed: int) -> list[int]:
    mask, mult = seed_constants(seed)
    n = len(keys)
    mixed = [(((k ^ mask) * mult) & _MASK) * n + i for i, k in enumerate(keys)]
    return sorted(range(n), key=mixed.__getitem__)


@pytest.mark.parametrize("n", [0, 1, 2, 7, _CHUNK - 1, _CHUNK, _CHUNK + 1, 2 * _CHUNK + 17])
def test_chunked_orders_equal_a_plain_sort(n: int) -> None:
    rng = random.Random(n)
    keys = [rng.randrange(2**31) if i % 4 else 42 for i in range(n)]  # every 4th ties
    listing = Listing([f"{i:08d}" for i in range(n)], keys)
    for seed in (0, 3, 15):
        order = listing.seeded(seed)
        expected = _plain_order(keys, seed)
        assert list(order.order) == expected
        assert [order.rank[i] for i in expected] == list(range(n))
