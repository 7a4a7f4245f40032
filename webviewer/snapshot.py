"""The views' one door to the snapshot: the live publish and what is cached per publish.

The snapshot changes only when the owner publishes, so everything derived from it (the
listing, seeded orders, context lists, search indices, site settings) is cached under the
publish id and simply stops being used when a new publish goes live.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar, cast

from sqlalchemy import Connection

from webviewer import queries, search
from webviewer.context import Context
from webviewer.db import Publish, SnapshotDB
from webviewer.errors import NotFound
from webviewer.listing import LRU, Listing, PhotoSequence, fixed, ranked, whole_stream

T = TypeVar("T")


@dataclass(frozen=True)
class Subject:
    """What a context is about, for headings: "Nikon D70", "#sunset", "Search: tokyo"."""

    kind: str
    title: str
    row: object | None = None


class Snapshot:
    """Per-publish caches over a read-only SnapshotDB."""

    def __init__(self, db: SnapshotDB, seeds: int, cache_entries: int = 512) -> None:
        self.db = db
        self.seeds = seeds
        self._cache = LRU(cache_entries)
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

    def listing(self, publish: Publish) -> Listing:
        def load() -> Listing:
            with self._lock:  # one load per publish even under concurrent first requests
                # this key only ever holds a Listing (the cache itself is heterogeneous)
                found = cast("Listing | None", self._cache.get((publish.id, "listing")))
                if found is None:
                    found = self.read(lambda c: queries.load_listing(c, publish.seq))
                    found.warm(self.seeds)
                return found

        return self.cached((publish.id, "listing"), load)

    def facets_by_id(self, publish: Publish) -> dict:
        return self.cached(
            (publish.id, "facets-by-id"),
            lambda: self.read(lambda c: queries.facets_by_id(c, publish.seq)),
        )

    def site(self, publish: Publish) -> dict[str, str]:
        return self.cached(
            (publish.id, "site"), lambda: self.read(lambda c: queries.site_settings(c, publish.seq))
        )

    def subject(self, publish: Publish, ctx: Context) -> Subject:
        """The heading of a context; unknown slugs are a 404."""
        if ctx.kind in queries.SLUG_TABLES:
            row = self.cached(
                (publish.id, "row", ctx.kind, ctx.value),
                lambda: (
                    self.read(lambda c: queries.find_by_slug(c, publish.seq, ctx.kind, ctx.value))
                    or False
                ),
            )
            if not row:
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

    def _indices(self, publish: Publish, ctx: Context, listing: Listing) -> list[int]:
        ids = self._ids(publish, ctx, listing)
        index = listing.index
        return [index[i] for i in ids if i in index]

    def _ids(self, publish: Publish, ctx: Context, listing: Listing) -> list[str]:
        seq = publish.seq
        if ctx.kind == "year":
            return self.read(lambda c: queries.photo_ids_for_year(c, seq, int(ctx.value)))
        if ctx.is_search:
            return self._search_ids(publish, ctx, listing)
        row = self.subject(publish, ctx).row
        return self.read(lambda c: queries.photo_ids_for(c, seq, ctx.kind, row))

    def _search_ids(self, publish: Publish, ctx: Context, listing: Listing) -> list[str]:
        params = ctx.search_params()
        found: set[str] | None = None
        if params.get("q"):
            found = set(self._text_matches(publish, params["q"]))
        for name in ("camera", "lens", "city", "year"):
            if name in params:
                sub = Context(name, params[name])
                if name != "year":
                    self.subject(publish, sub)  # unknown filter slug: 404
                ids = set(self._ids(publish, sub, listing))
                found = ids if found is None else found & ids
        return sorted(found or ())

    def _text_matches(self, publish: Publish, q: str) -> list[str]:
        if self.db.dialect == "postgresql":
            return self.read(lambda c: search.postgres_matches(c, publish.seq, q))
        index = self.cached(
            (publish.id, "fts"),
            lambda: self.read(lambda c: search.MemoryIndex(c, publish.seq)),
        )
        return index.matches(q)
