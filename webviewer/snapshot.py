"""The views' one door to the snapshot: the live publish and what is cached per publish.

The snapshot changes only when the owner publishes, so everything derived from it (the
listing, seeded orders, context lists, site settings) is cached under the
publish id and simply stops being used when a new publish goes live.
"""

from __future__ import annotations

import threading
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Connection

from webviewer import queries
from webviewer.context import Context
from webviewer.db import Publish, SnapshotDB
from webviewer.dialects import words
from webviewer.errors import NotFound
from webviewer.listing import LRU, Listing, PhotoSequence, fixed, ranked, weight, whole_stream
from webviewer.rows import Card

T = TypeVar("T")
MB = 1024 * 1024


@dataclass(frozen=True)
class Subject:
    """What a context is about, for headings: "Nikon D70", "#sunset", "Search: tokyo"."""

    kind: str
    title: str
    row: object | None = None


class Snapshot:
    """Per-publish caches over a read-only SnapshotDB."""

    def __init__(
        self,
        db: SnapshotDB,
        seeds: int,
        cache_bytes: int = 128 * MB,
        card_entries: int = 20_000,
        search_bytes: int = 32 * MB,
    ) -> None:
        self.db = db
        self.seeds = seeds
        # Bounded by bytes, not entries: a facet's or a filtered search's sequence is 8
        # bytes a photo and seed, so 2048 entries could hold 1-2 GB at 1,000,000 photos
        # (filter-only searches are a visitor's to choose). By estimate (each listed photo
        # in ~4 facets plus its tags) 128 MB holds every facet of a few seeds at 1,000,000
        # photos (~28 MB a seed with 3 tags a photo) and of all 16 seeds at 100,000.
        self._cache = LRU(cache_bytes, weight)
        self._card_entries = card_entries
        self._matches = LRU(search_bytes, weight)
        # What every page of a publish needs (listing, facets, site) is
        # pinned apart from the LRU: visitors' junk slugs and searches fill the LRU and must
        # never evict it (that reloaded the whole listing, a denial of service by URL).
        self._pinned: dict[tuple[str, str], object] = {}
        self._lock = threading.Lock()

    def publish(self) -> Publish:
        return self.db.live_publish()

    def read(self, work: Callable[[Connection], T]) -> T:
        return self.db.run(work)

    def cached(self, key: tuple, make: Callable[[], T]) -> T:
        """``make()`` once per key (keys start with the publish id)."""
        value = self._cache.get(key)
        if value is None:
            value = make()
            self._cache.put(key, value)
        return value  # type: ignore[return-value]

    def sequence_bytes(self) -> int:
        """About what the cached facets' and searches' sequences weigh (for the budget)."""
        return self._cache.size

    def pinned(
        self,
        publish: Publish,
        name: str,
        make: Callable[[], T],
        kept: Callable[[T], object] | None = None,
    ) -> T:
        """``make()`` once per publish, kept while it is the live one (``kept(value)`` is
        called when it is stored).

        Only the publish the latest lookup found live stores, and storing drops the other
        publishes' entries. A request that began just before a newer publish went live
        gets its value computed for itself: storing it evicted the newer publish's
        listing, and the next request evicted it again (a reload of the whole listing
        and of every seed's order per round, at publish time). A rollback is a lookup
        too, so the publish put back is cached again."""
        key = (publish.id, name)
        value = self._pinned.get(key)
        if value is not None:
            return value  # type: ignore[return-value]
        if not self._is_live(publish):
            return make()
        with self._lock:  # one load per publish even under concurrent first requests
            value = self._pinned.get(key)
            if value is None:
                value = make()
                if self._is_live(publish):  # (a newer one may have gone live meanwhile)
                    stale = [k for k in self._pinned if k[0] != publish.id]
                    for old in stale:  # another publish: nobody asks for it any more
                        del self._pinned[old]
                    self._pinned[key] = value
                    if kept is not None:
                        kept(value)
        return value  # type: ignore[return-value]

    def _is_live(self, publish: Publish) -> bool:
        """Whether ``publish`` is the one the latest lookup found (or none was made yet)."""
        live = self.db.last_live
        return live is None or live == publish

    def listing(self, publish: Publish) -> Listing:
        def load() -> Listing:
            return self.read(lambda c: queries.load_listing(c, publish.seq))

        # Every seed's order is computed ahead only for a listing that is kept.
        return self.pinned(publish, "listing", load, kept=lambda found: found.warm(self.seeds))

    def cards(self, publish: Publish, ids: list[str]) -> list[Card]:
        """Grid cards for ``ids`` in that order, kept per publish: a card seen on any page
        costs no query and no JSON parsing of its renditions the next time."""
        cache: LRU = self.pinned(publish, "cards", lambda: LRU(self._card_entries))
        found = {i: card for i in ids if (card := cache.get(i)) is not None}
        missing = [i for i in ids if i not in found]
        if missing:
            for card in self.read(lambda c: queries.cards(c, publish.seq, missing)):
                cache.put(card.id, card)
                found[card.id] = card
        return [found[i] for i in ids if i in found]  # type: ignore[misc]

    def facet_rows(self, publish: Publish) -> dict[str, dict[str, Any]]:
        """Every camera, lens, tag, city and collection row of the publish, by slug (small
        tables, read once per publish)."""
        return self.pinned(
            publish,
            "facet-rows",
            lambda: self.read(lambda c: queries.facet_rows_by_slug(c, publish.seq)),
        )

    def facets_by_id(self, publish: Publish) -> dict:
        return self.pinned(
            publish,
            "facets-by-id",
            lambda: self.read(lambda c: queries.facets_by_id(c, publish.seq)),
        )

    def site(self, publish: Publish) -> dict[str, str]:
        return self.pinned(
            publish, "site", lambda: self.read(lambda c: queries.site_settings(c, publish.seq))
        )

    def subject(self, publish: Publish, ctx: Context) -> Subject:
        """The heading of a context; unknown slugs are a 404."""
        if ctx.kind in queries.SLUG_TABLES:
            # One dict look-up: a query per unseen slug was most of a filtered search's
            # CPU (500 cities), and junk slugs find nothing to fill.
            row = self.facet_rows(publish)[ctx.kind].get(ctx.value)
            if row is None:
                raise NotFound(f"{ctx.kind} {ctx.value}")
            title = queries.link(row).name
            return Subject(ctx.kind, f"#{title}" if ctx.kind == "tag" else title, row)
        if ctx.kind == "year":
            return Subject("year", ctx.value)
        if ctx.is_search:
            q = ctx.search_params().get("q", "")
            return Subject("search", f"Search: {q}" if q else "Search")
        return Subject("stream", "")

    def sequence(self, publish: Publish, ctx: Context, seed: int) -> PhotoSequence:
        """The photos of ``ctx`` in order (the seed's shuffle; collections in the owner's)."""
        listing = self.listing(publish)
        seeded = listing.seeded(seed)
        if ctx.kind == "stream":
            return whole_stream(seeded)
        if ctx.kind == "collection":
            key: tuple[object, ...] = (publish.id, "seq", ctx.token)
            return self.cached(key, lambda: fixed(self._indices(publish, ctx, listing)))
        key = (publish.id, "seq", ctx.token, seed)
        return self.cached(key, lambda: ranked(self._indices(publish, ctx, listing), seeded.rank))

    def members(self, publish: Publish, kind: str) -> dict[object, list[int]]:
        """Every camera's (lens', city's, tag's, year's) listed photos as listing indices,
        from one read per kind and publish: ~4 bytes a photo and tag, where a query per facet
        page was most of a cold facet page's CPU."""

        def load() -> dict[object, list[int]]:
            index = self.listing(publish).index
            found: dict[object, list[int]] = {}
            for photo_id, key in self.read(lambda c: queries.memberships(c, publish.seq, kind)):
                at = index.get(photo_id)
                if at is not None:  # unlisted photos are in no stream
                    found.setdefault(key, []).append(at)
            return found

        return self.pinned(publish, f"members-{kind}", load)

    def _indices(self, publish: Publish, ctx: Context, listing: Listing) -> list[int]:
        if ctx.kind in queries.MEMBER_KINDS:
            key: object = int(ctx.value) if ctx.kind == "year" else self._row_id(publish, ctx)
            return list(self.members(publish, ctx.kind).get(key, ()))
        if ctx.is_search:
            return self._search_indices(publish, ctx, listing)
        ids = self._ids(publish, ctx, listing)
        index = listing.index
        return [index[i] for i in ids if i in index]

    def _row_id(self, publish: Publish, ctx: Context) -> str:
        row = self.subject(publish, ctx).row
        return str(row.id)  # type: ignore[attr-defined]

    def _ids(self, publish: Publish, ctx: Context, listing: Listing) -> list[str]:
        row = self.subject(publish, ctx).row
        return self.read(lambda c: queries.photo_ids_for(c, publish.seq, ctx.kind, row))

    def _search_indices(self, publish: Publish, ctx: Context, listing: Listing) -> list[int]:
        """Listing indices of the photos matching the words, narrowed by the filters."""
        params = ctx.search_params()
        found: set[int] | None = None
        if params.get("q"):
            found = set(self._text_matches(publish, params["q"], listing))
        for name in ("camera", "lens", "city", "year"):
            if name in params:  # an unknown filter slug: 404 (from subject)
                members = self._indices(publish, Context(name, params[name]), listing)
                found = set(members) if found is None else found.intersection(members)
        return sorted(found or ())

    def _text_matches(self, publish: Publish, q: str, listing: Listing) -> array:
        """The snapshot's own full-text index (one implementation per dialect), asked once
        per publish and set of words: the same words with other filters, or on the next
        page, reuse the answer (kept as listing indices, 4 bytes a photo)."""
        key = (publish.id, *sorted(set(words(q))))
        found = self._matches.get(key)
        if found is None:
            ids = self.read(lambda c: self.db.dialect.text_matches(c, publish.seq, q))
            index = listing.index
            found = array("i", [index[i] for i in ids if i in index])
            self._matches.put(key, found)
        return found  # type: ignore[return-value]
