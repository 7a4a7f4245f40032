"""Near-duplicate grouping: vectorised distances, groups that merge when a photo bridges them."""

from __future__ import annotations

import numpy as np
from sqlalchemy import select

from catalog.ingest.duplicates import NearDuplicateIndex, distances, hamming
from catalog.models import Photo
from tests.factories import add_photo


def test_distances_match_bit_counts() -> None:
    hashes = np.array([0, 0xFF, 0xFFFFFFFFFFFFFFFF], dtype=np.uint64)
    assert distances(hashes, "0000000000000000").tolist() == [0, 8, 64]
    assert hamming("00000000000000ff", "0000000000000f0f") == 8


def test_photos_within_the_threshold_share_a_group_and_bridges_merge(catalog) -> None:
    a = add_photo(catalog, phash="0000000000000000")
    b = add_photo(catalog, phash="00000000000000ff")  # 8 bits from a: not a near-duplicate
    with catalog.reading() as session:
        index = NearDuplicateIndex.load(session, max_bits=6)
    assert index.matches("0000000000000000", exclude_id=a.id) == []
    bridge = add_photo(catalog, phash="000000000000000f")  # 4 bits from both
    with catalog.writing() as session:
        photo = session.get(Photo, bridge.id)
        group = index.assign(session, photo)
    with catalog.reading() as session:
        groups = dict(session.execute(select(Photo.id, Photo.dup_group)).all())
    assert group is not None
    assert groups[a.id] == groups[b.id] == groups[bridge.id] == group
    far = add_photo(catalog, phash="ffffffffffffffff")
    with catalog.writing() as session:
        assert index.assign(session, session.get(Photo, far.id)) is None
