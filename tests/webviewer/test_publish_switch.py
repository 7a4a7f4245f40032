"""The per-publish caches at publish time, and what they may hold.

A request that read the live publish just before a new one went live finishes on the old
one: it must get the old publish's answers without evicting the new publish's (which made
every next request reload the whole listing, at 1,000,000 photos a few seconds each). And
the facets' and searches' sequences are bounded by bytes: filter-only searches are a
visitor's to choose, and each is up to 8 bytes a photo and seed.
"""

from __future__ import annotations

from array import array
from typing import Any

import pytest
from sqlalchemy import create_engine, update
from starlette.testclient import TestClient

from tests.webviewer.conftest import Snap
from tests.webviewer.test_fragment_caches import _publish
from webviewer import queries
from webviewer import schema as s
from webviewer.app import create_app
from webviewer.context import Context, search_context
from webviewer.db import SnapshotDB, make_engine
from webviewer.listing import LRU, ranked, weight
from webviewer.snapshot import Snapshot


@pytest.fixture
def listing_loads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The publish seq of every listing read from the database."""
    loads: list[int] = []
    real = queries.load_listing

    def counting(conn: Any, seq: int) -> Any:
        loads.append(seq)
        return real(conn, seq)

    monkeypatch.setattr(queries, "load_listing", counting)
    return loads


def _no_change(conn: Any, seq: int) -> None:
    """A publish that changed nothing (still a new publish id and new caches)."""


def test_a_late_request_of_the_old_publish_keeps_the_new_publishs_caches(
    fresh_postgres_snap: Snap, listing_loads: list[int]
) -> None:
    snap = fresh_postgres_snap
    with TestClient(create_app(snap.settings())) as client:
        assert client.get("/").status_code == 200
        snapshot = client.app.state.viewer.snapshot  # type: ignore[attr-defined]
        old = snapshot.publish()
        _publish(snap, _no_change)
        new = snapshot.publish()
        assert new.id != old.id
        assert client.get("/").status_code == 200  # the new publish's listing is loaded
        listing = snapshot.listing(new)

        # A request that read the live publish just before the switch finishes now: it
        # is answered from the old publish...
        rows = snapshot.facet_rows(old)
        assert rows["tag"] and set(rows["tag"]) == set(snapshot.facet_rows(new)["tag"])
        assert len(snapshot.listing(old)) > 0

        # ...and the new publish's pages still find everything they need.
        tag = next(t for t in snap.facts.by_tag if t.isascii())
        for url in ("/?year=2020", "/", f"/tags/{tag}/"):
            assert client.get(url).status_code == 200
        assert snapshot.listing(new) is listing
        assert listing_loads.count(new.seq) == 1


def test_a_rollback_is_cached_again(fresh_postgres_snap: Snap, listing_loads: list[int]) -> None:
    """The live publish can go back to an earlier seq: its pages must not reload the
    listing on every request (the caches follow the live publish, not the highest seq)."""
    snap = fresh_postgres_snap
    with TestClient(create_app(snap.settings())) as client:
        client.get("/")
        snapshot = client.app.state.viewer.snapshot  # type: ignore[attr-defined]
        old = snapshot.publish()
        _publish(snap, _no_change)
        new = snapshot.publish()
        client.get("/")
        engine = create_engine(snap.url)
        with engine.begin() as conn:
            conn.execute(
                update(s.publishes).where(s.publishes.c.seq == new.seq).values(state=s.ROLLED_BACK)
            )
        engine.dispose()
        assert snapshot.publish() == old
        tag = next(t for t in snap.facts.by_tag if t.isascii())
        for url in ("/?year=2020", f"/tags/{tag}/", "/?partial=1"):  # none rendered before
            assert client.get(url).status_code == 200
        assert listing_loads == [old.seq, new.seq, old.seq]


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
