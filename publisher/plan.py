"""Plan, then act: what a publish would add, update and remove, in photos and bytes.

Computed from the catalog, the ledger and the snapshot's open rows without rendering or
uploading anything, so ``--dry-run`` and the desktop's confirm step are cheap and exact
about rows (upload bytes are estimated from the thumbnails they will be made from).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING

from catalog.jobs import ItemOutcome
from publisher.audit import AuditReport, audit_site
from publisher.catalog_view import CatalogSite
from publisher.errors import RenditionError
from publisher.ledger import LedgerEntry
from publisher.renditions import missing_source, rendition_key
from publisher.rows import build_rows
from publisher.set_aside import SetAside, source_signature
from publisher.snapshot import count_changes, diff_table, digested
from publisher.state import Renditions, Row, SnapshotState

if TYPE_CHECKING:
    from publisher.incremental import Changes, Delta

Lookup = Callable[[Iterable[str]], dict[str, LedgerEntry]]


@dataclass(frozen=True)
class PublishPlan:
    site: CatalogSite
    sizes: tuple[int, ...]
    state: SnapshotState  # the newest snapshot, as the plan saw it
    keys: dict[str, dict[int, str]]  # photo id -> size -> object key
    ready: dict[str, Renditions]  # photos whose objects are all uploaded already
    known: frozenset[str]  # keys of to_render photos that are uploaded already
    to_render: tuple[str, ...]  # photos with at least one object not yet uploaded
    desired: dict[str, dict[str, tuple[Row, str]]]  # rows (with digests) once all are uploaded
    now: datetime
    added: tuple[str, ...]
    updated: tuple[str, ...]
    removed: tuple[str, ...]
    purged: tuple[str, ...]  # made private (or failed/rejected): erased from every snapshot
    upload_bytes_estimate: int
    purge_bytes: int
    rows_changed: int  # rows a write would touch, counting photos to render as changed
    audit: AuditReport
    # photos with no pixels to render: counted in none of the above (nor in ``site``); a live
    # one stays as last published
    cannot_render: tuple[ItemOutcome, ...] = ()
    cannot_render_hashes: dict[str, str] = field(default_factory=dict)  # id -> content hash
    # what a publish of this plan remembers of them (publisher/set_aside.py)
    set_aside: dict[str, SetAside] = field(default_factory=dict)
    first_public: tuple[str, ...] = ()  # photos in no kept snapshot yet: online for the first time
    # An incremental plan (publisher/incremental/): ``site``, ``keys`` and ``desired`` hold
    # only the photos and rows that changed, and this the old rows they replace.
    delta: Delta | None = None

    @property
    def is_noop(self) -> bool:
        return not (self.to_render or self.rows_changed or self.purged)

    def lines(self, failures: bool = True) -> list[str]:
        """The plan as the owner reads it before confirming (``failures``: with a line for
        each photo that cannot be published; a front end may show those its own way)."""
        mb = 1024 * 1024
        lines = [
            f"{len(self.added)} photo(s) to add, {len(self.updated)} to update, "
            f"{len(self.removed)} to remove",
            *(
                [f"{len(self.first_public)} photo(s) will go public for the first time"]
                if self.first_public
                else []
            ),
            f"{len(self.to_render)} photo(s) to render and upload "
            f"(about {self.upload_bytes_estimate / mb:.1f} MB)",
        ]
        if self.purged:
            lines.append(
                f"{len(self.purged)} photo(s) no longer public: erased from the site and every "
                f"kept snapshot ({self.purge_bytes / mb:.1f} MB deleted)"
            )
        lines += self.audit.lines()
        if failures and self.cannot_render:
            lines.append(f"{len(self.cannot_render)} photo(s) cannot be published:")
            lines += [f"  {o.key}: {o.reason}" for o in self.cannot_render]
        return lines


def ledger_renditions(keys: dict[int, str], ledger: dict[str, LedgerEntry]) -> Renditions | None:
    """A photo's renditions JSON from ledger entries, or None if any object is missing."""
    entries = [ledger.get(key) for key in keys.values()]
    if any(e is None for e in entries):
        return None
    items = [
        {"size": e.size, "key": e.key, "width": e.width, "height": e.height, "bytes": e.bytes}
        for e in entries
        if e is not None
    ]
    return items, entries[0].placeholder_color if entries[0] else None


def make_plan(
    site: CatalogSite,
    sizes: tuple[int, ...],
    state: SnapshotState,
    lookup: Lookup,
    purged: set[str],
    *,
    force: bool = False,
    trust_state: bool = True,
    now: datetime,
    ever_published: set[str] | None = None,
    remembered: dict[str, SetAside] | None = None,
) -> PublishPlan:
    """``force``: treat every object as missing; ``trust_state`` off: ask the ledger for all.
    ``ever_published``: photo ids in any kept snapshot (default: the newest one's).
    ``remembered``: photos an earlier publish could not render (publisher/set_aside.py).

    A photo that cannot be rendered is counted nowhere (not added, not going public, not
    rendered): it is listed in ``cannot_render`` and left out of the plan's ``site``, so the
    counts the owner reads are what the site will show. A live one keeps its last renditions.
    """
    keys = rendition_keys(site, sizes)
    ready: dict[str, Renditions] = {}
    for pid, wanted in keys.items():
        current = state.renditions.get(pid)
        if (
            trust_state
            and not force
            and current
            and [r["key"] for r in current[0]] == list(wanted.values())
        ):
            ready[pid] = current
    pending_keys = [k for pid, wanted in keys.items() if pid not in ready for k in wanted.values()]
    found = {} if force else lookup(pending_keys)
    for pid, wanted in keys.items():
        if pid not in ready and (r := ledger_renditions(wanted, found)) is not None:
            ready[pid] = r
    aside = set_aside(site, sizes, state.renditions, keys, ready, remembered or {})
    site, keys = aside.site, aside.keys
    to_render = tuple(sorted(set(keys) - set(ready)))
    pending: dict[str, Renditions] = {pid: ([], None) for pid in to_render}
    desired = digested(build_rows(site, {**ready, **pending}, state.first_published, now))
    before = state.table("photos")
    changed = {k for k, (_, d) in desired["photos"].items() if before.get(k, (0, None))[1] != d}
    return PublishPlan(
        site=site,
        sizes=sizes,
        state=state,
        keys=keys,
        ready=ready,
        known=frozenset(found),
        to_render=to_render,
        desired=desired,
        now=now,
        added=tuple(sorted(set(keys) - set(before))),
        first_public=tuple(sorted(set(keys) - (set(before) | (ever_published or set())))),
        updated=tuple(sorted(changed & set(before))),
        removed=tuple(sorted(set(before) - set(keys) - purged)),
        purged=tuple(sorted(purged)),
        upload_bytes_estimate=sum(_estimate(site, pid, tuple(keys[pid])) for pid in to_render),
        purge_bytes=sum(r["bytes"] for pid in purged for r in state.renditions.get(pid, ([],))[0]),
        rows_changed=count_changes(state, desired),
        audit=audit_site(site),
        cannot_render=aside.outcomes,
        cannot_render_hashes=aside.hashes,
        set_aside=aside.records,
    )


def rendition_keys(site: CatalogSite, sizes: tuple[int, ...]) -> dict[str, dict[int, str]]:
    """Each photo's object key per size: content-addressed, so an unchanged photo keeps its
    keys and is never uploaded again."""
    return {
        pid: {
            s: rendition_key(p.content_hash, p.source.exif, s, p.source.turns)
            for s in p.source.sizes(sizes)
        }
        for pid, p in site.photos.items()
    }


# A photo set aside from an earlier try: its files look as they did then, so it is not tried
# again; a file mended in place (copied back with its size and time, as ``cp -p`` does) looks
# the same, and only --force tries it.
NOT_TRIED = (
    "(Not tried again: its files look as they did when it failed. If you have mended them "
    "and it still shows here, run `exiftree publish --force`.)"
)


@dataclass(frozen=True)
class Aside:
    """What :func:`set_aside` decided: the plan's photos and keys without the photos set
    aside (a live one stays, with its current renditions), why each was, and what to
    remember of them."""

    site: CatalogSite
    keys: dict[str, dict[int, str]]
    outcomes: tuple[ItemOutcome, ...]
    hashes: dict[str, str]  # id -> content hash: the desktop shows its catalog thumbnail
    records: dict[str, SetAside]


def set_aside(
    site: CatalogSite,
    sizes: tuple[int, ...],
    current: dict[str, Renditions],
    keys: dict[str, dict[int, str]],
    ready: dict[str, Renditions],
    remembered: dict[str, SetAside],
) -> Aside:
    """Photos to render that have no pixels to render from, or that an earlier publish
    could not render from the very same files (``remembered``). A live one stays as last
    published (``ready`` takes its ``current`` renditions): a failure never takes a photo
    off the site. The full and the incremental plan both ask this."""
    outcomes, records = [], {}
    keys = dict(keys)
    for pid in sorted(set(keys) - set(ready)):
        source = site.photos[pid].source
        outcome = _cannot_render(site, pid, sizes)
        signature = None
        reason = None  # what is remembered: the advice, without the notes added here
        if outcome is None and pid in remembered:
            signature = source_signature(source, keys[pid])
            was = remembered[pid]
            if was.signature == signature:
                reason = was.reason
                outcome = ItemOutcome(was.file, "failed", f"{reason} {NOT_TRIED}", photo_id=pid)
        if outcome is None:
            continue
        signature = signature or source_signature(source, keys[pid])
        records[pid] = SetAside(pid, signature, outcome.key, reason or outcome.reason or "")
        live = current.get(pid)
        if live and live[0]:
            ready[pid] = live
            keys[pid] = {r["size"]: r["key"] for r in live[0]}
            kept = f"{outcome.reason} Meanwhile the site keeps showing it as last published."
            outcome = replace(outcome, reason=kept)
        outcomes.append(outcome)
    hashes = {pid: site.photos[pid].content_hash for pid in records}
    left_out = set(records) - set(ready)
    if left_out:
        site = replace(site, photos={k: p for k, p in site.photos.items() if k not in left_out})
        keys = {pid: wanted for pid, wanted in keys.items() if pid not in left_out}
    return Aside(site, keys, tuple(sorted(outcomes, key=lambda o: o.key)), hashes, records)


def _cannot_render(site: CatalogSite, photo_id: str, sizes: tuple[int, ...]) -> ItemOutcome | None:
    """The file and what to do, when a photo has neither thumbnails nor its original."""
    source = site.photos[photo_id].source
    cause = missing_source(source, source.sizes(sizes))
    if cause is None:
        return None
    advice = RenditionError(photo_id, cause).advice
    return ItemOutcome(str(source.original or photo_id), "failed", advice, photo_id=photo_id)


def _estimate(site: CatalogSite, photo_id: str, sizes: tuple[int, ...]) -> int:
    total = 0
    source = site.photos[photo_id].source
    for size in sizes:
        try:
            total += source.thumb(size).stat().st_size
        except OSError:
            total += size * size // 8  # rough bytes of a web JPEG of that size
    return total


def incremental_plan(changes: Changes, sizes: tuple[int, ...], now: datetime) -> PublishPlan:
    """A plan of the changed photos and rows only (publisher/incremental/), in the same
    terms as :func:`make_plan`'s, so the upload, the confirm step and the CLI read it alike."""
    site, delta, desired = changes.site, changes.delta, changes.desired
    keys = changes.keys
    to_render = tuple(sorted(set(keys) - set(changes.ready)))
    before = delta.old["photos"]
    new = desired["photos"]
    changed = {k for k, (_, d) in new.items() if before.get(k, (0, None))[1] != d}
    state = SnapshotState(delta.seq)
    state.renditions = {pid: r for pid, r in changes.current.items() if pid in before}
    state.first_published = dict(changes.first_published)
    rows_changed = sum(
        len(close) + len(inserts)
        for name, rows in desired.items()
        for close, inserts in [diff_table(delta.old.get(name, {}), rows)]
    )
    return PublishPlan(
        site=site,
        sizes=sizes,
        state=state,
        keys=keys,
        ready=dict(changes.ready),
        known=changes.known,
        to_render=to_render,
        desired=desired,
        now=now,
        added=tuple(sorted(set(keys) - set(before))),
        first_public=tuple(sorted(set(keys) - changes.ever_published)),
        updated=tuple(sorted(changed & set(before))),
        removed=tuple(sorted(set(before) - set(keys) - changes.purged)),
        purged=tuple(sorted(changes.purged)),
        upload_bytes_estimate=sum(_estimate(site, pid, tuple(keys[pid])) for pid in to_render),
        purge_bytes=sum(
            r["bytes"] for pid in changes.purged for r in state.renditions.get(pid, ([],))[0]
        ),
        rows_changed=rows_changed,
        audit=audit_site(site),
        cannot_render=changes.aside.outcomes,
        cannot_render_hashes=changes.aside.hashes,
        set_aside=changes.aside.records,
        delta=delta,
    )
