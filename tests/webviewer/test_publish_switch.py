"""The per-publish caches at publish time, and what they may hold.

A request that read the live publish just before a new one went live finishes on the old
one: it must get the old publish's answers without evicting the new publish's (which made
every next request reload the whole listing, at 1,000,000 photos a few seconds each). And
the facets' and searches' sequences are bounded by bytes: filter-only searches are a
visitor's to choose, and each is up to 8 bytes a photo and seed.
"""

from __future__ import annotations

from array import array

from tests.webviewer.conftest import Snap
from webviewer.context import Context, search_context
from webviewer.db import SnapshotDB, make_engine
from webviewer.listing import LRU, ranked, weight
from webviewer.snapshot import Snapshot


def test_the_sequence_cache_stays_within_its_byte_budget(sqlite_snap: Snap) -> None:
    settings = sqlite_snap.settings()
    db = SnapshotDB(make_engine(settings.database_url, settings.statement_timeout_ms))
    budget = 4 * 1024
    snapshot = Snapshot(db, settings.seeds, cache_bytes=budget)
    publish = snapshot.publish()
    facts = sqlite_snap.facts
    contexts = [Context("tag", tag) for tag in facts.by_tag if tag.isascii()]
    contexts += [Context("year", str(year)) for year in facts.by_year]
    contexts += [search_context("", {"year": str(year)}) for year in facts.by_year]

    first = {ctx: list(snapshot.sequence(publish, ctx, 0).items) for ctx in contexts}
    computed = 0
    for seed in range(settings.seeds):
        for ctx in contexts:
            computed += weight(snapshot.sequence(publish, ctx, seed))
            assert 0 < snapshot.sequence_bytes() <= budget
    assert computed > 4 * budget  # the bound was what kept it small

    # What was dropped is computed again, the same.
    for ctx, items in first.items():
        assert list(snapshot.sequence(publish, ctx, 0).items) == items


def test_a_byte_budget_counts_the_arrays_and_keeps_none_larger_than_itself() -> None:
    cache = LRU(1000, weight)
    for i in range(10):
        cache.put(i, array("i", range(100)))  # 400 bytes of items each
        assert cache.size <= 1000
    assert len(cache) == 2 and cache.get(9) is not None and cache.get(0) is None

    cache.put("big", array("i", range(1000)))  # 4000 bytes: computed for one use only
    assert cache.get("big") is None and cache.get(9) is not None

    sequence = ranked(list(range(1000)), array("i", range(1000)))
    assert weight(sequence) >= 8 * 1000  # its items and their ranks
