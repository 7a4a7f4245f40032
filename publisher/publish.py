"""The publish, start to finish: plan → audit → objects first → snapshot rows second → GC.

Objects are uploaded before any row points at them, and every row of a publish commits in
one transaction, so the live site is the previous snapshot until the instant it is the new
one. A publish killed at any point leaves the ledger knowing what was uploaded, and the
intents what may have been; the next publish does only the remaining work and deletes what
it no longer needs. The database is checked before anything is uploaded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlalchemy import Connection, Engine, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from catalog import journal
from catalog.catalog import Catalog
from catalog.jobs import Cancel, ItemOutcome, JobObserver
from catalog.journal import JournalPosition
from catalog.models import Photo
from catalog.privacy import needs_confirmation, purge_clause
from catalog.settings import Settings, load_settings
from publisher import intents, lock
from publisher.catalog_view import CatalogSite, read_catalog
from publisher.cursor import Cursor, advance_cursor, is_current, read_cursor, save_cursor
from publisher.errors import PublishCancelled, PublishNotConfirmed, SnapshotDatabaseError
from publisher.fingerprint import CatalogMark, catalog_fingerprint, catalog_mark
from publisher.gc import GcResult, collect_garbage
from publisher.incremental import Delta, plan_changes
from publisher.ledger import lookup_objects, verify_ledger
from publisher.plan import PublishPlan, incremental_plan, make_plan
from publisher.renditions import ORIGINAL_SIZE_PX, SIZES_PX
from publisher.rows import build_rows, photo_row
from publisher.set_aside import SetAside, read_set_aside, save_set_aside, source_signature
from publisher.snapshot import (
    KEEP_SNAPSHOTS,
    REPLACED_GRACE_S,
    closed_photo_ids,
    connect_snapshot,
    digested,
    pictures_of,
    rollback,
    shown_url,
    utcnow,
    write_delta,
    write_snapshot,
)
from publisher.snapshot_migrations import migrate_snapshot
from publisher.state import (
    Renditions,
    digest,
    live_seq,
    load_state,
    newest_seq,
    set_fingerprint,
    stored_fingerprint,
)
from publisher.targets import Target
from publisher.tuning import DEFAULT_WORKERS
from publisher.upload import UploadResult, upload_missing
from webviewer.dialects import DIALECTS


@dataclass(frozen=True)
class PublishResult:
    plan: PublishPlan | None  # None: the catalog's fingerprint showed nothing had changed
    dry_run: bool
    seq: int | None = None  # the new live publish (None: nothing written)
    publish_id: str | None = None
    uploaded_objects: int = 0
    uploaded_bytes: int = 0
    rows_closed: int = 0
    rows_inserted: int = 0
    photos_on_site: int | None = None  # photos the new snapshot shows (None: nothing written)
    deleted_objects: int = 0
    failed: tuple[ItemOutcome, ...] = ()
    missing_found: tuple[str, ...] = ()  # ledger entries --verify found absent
    damaged_found: tuple[str, ...] = ()  # ... or of the wrong size (re-uploaded too)


def publish(
    catalog: Catalog,
    target: Target,
    *,
    settings: Settings | None = None,
    dry_run: bool = False,
    verify: bool = False,
    force: bool = False,
    with_originals: bool = False,
    workers: int = DEFAULT_WORKERS,
    keep_snapshots: int = KEEP_SNAPSHOTS,
    replaced_grace_s: float = REPLACED_GRACE_S,
    observer: JobObserver | None = None,
    cancel: Cancel | None = None,
    after_upload: Callable[[], None] | None = None,
    confirm: Callable[[PublishPlan], bool] | None = None,
    incremental: bool = True,
) -> PublishResult:
    """Publish the catalog's public and unlisted photos to ``target``.

    A dry run plans as the publish would (only what changed since the last publish, when
    the catalog's journal allows it) and writes nothing: no journal stamp, no object, no
    row. ``incremental`` off: plan from the whole catalog (as ``verify`` and ``force`` do;
    the incremental plan's oracle in tests).

    ``confirm`` is asked (before anything is uploaded) when the privacy policy wants the
    owner's yes: more than a handful of photos going online for the first time; no yes raises
    PublishNotConfirmed. Objects only a replaced snapshot uses outlive it by
    ``replaced_grace_s`` (pages of it may still be on visitors' screens); a photo made private
    is purged at once.
    """
    observer = observer or JobObserver()
    cancel = cancel or Cancel()
    if settings is None:
        with catalog.reading() as session:
            settings = load_settings(session)
    sizes = SIZES_PX + ((ORIGINAL_SIZE_PX,) if with_originals else ())
    run = _Run(
        settings, sizes, dry_run, verify, force, workers, keep_snapshots, observer, cancel, confirm
    )
    run = replace(run, grace_s=replaced_grace_s, incremental=incremental)
    engine = connect_snapshot(_snapshot_url(target, dry_run), reading=dry_run)  # fails early
    try:
        if dry_run:  # reads only
            return _publish(catalog, target, engine, run, after_upload)
        with lock.exclusive(engine):
            migrate_snapshot(engine)  # the viewer reads only the current contract
            return _publish(catalog, target, engine, run, after_upload)
    except SQLAlchemyError as exc:  # the database went away mid-publish: the site is unchanged
        where = shown_url(target.database_url)
        cause = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise SnapshotDatabaseError(where, cause) from exc
    finally:
        engine.dispose()


@dataclass(frozen=True)
class _Run:
    settings: Settings
    sizes: tuple[int, ...]
    dry_run: bool
    verify: bool
    force: bool
    workers: int
    keep_snapshots: int
    observer: JobObserver
    cancel: Cancel
    confirm: Callable[[PublishPlan], bool] | None = None
    grace_s: float = REPLACED_GRACE_S
    incremental: bool = True  # read only what changed, when the journal allows it
    reruns: int = 0  # an incremental write a failure changed: planned again (once)
    stamped: JournalPosition | None = None  # the stamp of the first try (a rerun keeps it)


def _publish(
    catalog: Catalog,
    target: Target,
    engine: Engine,
    run: _Run,
    after_upload: Callable[[], None] | None,
) -> PublishResult:
    if not run.dry_run:
        target.store.check()
    mark = catalog_mark(catalog.db_path, run.settings, run.sizes)  # before the catalog is read
    # A journalled catalog answers "what changed?" itself; the fingerprint (seconds of
    # aggregates at a million photos) is for catalogs without a journal.
    journalled = mark.position is not None
    fingerprint = (
        None if journalled else catalog_fingerprint(catalog.db_path, run.settings, run.sizes)
    )
    if not (run.dry_run or run.verify or run.force) and _unchanged(engine, fingerprint, mark):
        return PublishResult(None, False)
    if journalled and not run.dry_run:  # what this publish will remember: its own stamp
        # (one per publish: a second would drop the stamp the live publish remembers)
        mark = replace(mark, position=run.stamped or journal.stamp(catalog.db_path))
    missing, damaged = verify_ledger(engine, target.store) if run.verify else ([], [])
    found = PublishResult(None, False, missing_found=tuple(missing), damaged_found=tuple(damaged))
    plan, is_live_newest = _plan(catalog, engine, run, mark)
    if run.dry_run:
        return replace(found, plan=plan, dry_run=True)
    asks = run.confirm is not None and needs_confirmation(len(plan.first_public))
    if asks and not (run.confirm and run.confirm(plan)):
        raise PublishNotConfirmed(len(plan.first_public))  # before any upload
    if plan.is_noop and is_live_newest and not (run.force or run.verify):
        swept = intents.sweep(engine, target.store, _site_keys(plan))  # a killed run's strays
        save_set_aside(engine, plan.set_aside)  # the next plan looks at them again
        with engine.begin() as conn:  # next time, the fingerprint alone will answer
            # (a catalog without a journal: the fingerprint cannot see a file fixed, so a
            # photo that could not go makes the next publish plan again)
            set_fingerprint(conn, plan.state.seq, None if plan.cannot_render else fingerprint)
            _remember(conn, plan, mark)
        return PublishResult(plan, False, deleted_objects=swept, failed=plan.cannot_render)
    upload = _upload(plan, target, engine, run)
    if run.cancel.is_set():
        raise PublishCancelled("publish cancelled; the live site is unchanged")
    if after_upload is not None:
        after_upload()  # tests kill the process here: objects uploaded, rows not yet written
    failed = plan.cannot_render + upload.failed
    save_set_aside(engine, {**plan.set_aside, **_unrenderable(plan, upload)})
    saved_fingerprint = None if failed else fingerprint  # failed photos: retry them next time
    # A photo set aside is looked at again by every plan (publisher/set_aside.py); any other
    # failure (a privacy audit refusal) is retried by reading the journal again.
    retry = any(o.photo_id not in upload.unrenderable for o in upload.failed)
    purged_pictures = _purged_pictures(catalog, engine, plan.purged)  # before their rows go
    kept = _as_last_published(plan, upload)
    written = _write(
        engine, plan, upload, kept, run.force, saved_fingerprint, None if retry else mark
    )
    if written is None:  # incremental, but a new photo failed: counts and covers change
        # Planned again: incrementally, now that the failed photos are set aside, if
        # nothing but that failed; else (or again) by the full publish.
        again = replace(
            run,
            reruns=run.reruns + 1,
            incremental=not retry and run.reruns == 0,
            stamped=mark.position,
        )
        return _publish(catalog, target, engine, again, None)
    seq, publish_id, closed, inserted, on_site = written
    gc = GcResult(0)
    if seq is not None or run.verify:
        gc = collect_garbage(
            engine,
            target.store,
            keep=run.keep_snapshots,
            grace_s=run.grace_s,
            purged_hashes=purged_pictures,
            full=run.verify or run.force,
        )
    # Settled even when nothing was written (every photo to render failed): a photo that
    # did not render uploaded nothing, so its intents go now; kept, they would send the next
    # publish down the full path. What any kept snapshot shows is never swept.
    swept = intents.sweep(engine, target.store, _site_keys(plan, upload.unrenderable))
    return PublishResult(
        plan,
        False,
        seq=seq,
        publish_id=publish_id,
        rows_closed=closed,
        rows_inserted=inserted,
        photos_on_site=None if seq is None else on_site,
        uploaded_objects=upload.uploaded_objects,
        uploaded_bytes=upload.uploaded_bytes,
        deleted_objects=gc.deleted_objects + swept,
        failed=plan.cannot_render
        + tuple(_kept_note(o) if o.photo_id in kept else o for o in upload.failed),
        missing_found=found.missing_found,
        damaged_found=found.damaged_found,
    )


def _snapshot_url(target: Target, dry_run: bool) -> str:
    """A dry run against a folder that was never published plans against an empty snapshot."""
    url = make_url(target.database_url)
    dialect = DIALECTS.get(url.get_backend_name())  # None: connect_snapshot says why
    if dry_run and dialect is not None and dialect.is_missing(url):
        return "sqlite://"
    return target.database_url


def _plan(
    catalog: Catalog, engine: Engine, run: _Run, mark: CatalogMark | None
) -> tuple[PublishPlan, bool]:
    if mark is not None and run.incremental and not (run.verify or run.force):
        now = utcnow()  # a dry run too: it reads what the publish would read, no more
        changes = plan_changes(
            catalog, engine, run.settings, run.sizes, mark, now, own_intents=run.reruns > 0
        )
        if changes is not None:  # the newest publish is live: incremental.start checked
            return incremental_plan(changes, run.sizes, now), True
    site = read_catalog(catalog, run.settings)
    with engine.connect() as conn:
        state = load_state(conn)
        is_live_newest = state.seq == live_seq(conn)
        remembered = {} if run.force else read_set_aside(conn)  # --force: try them all
    published = set(state.table("photos")) | closed_photo_ids(engine)
    purged = photos_to_purge(catalog, engine, published, site)
    lookup = lambda keys: lookup_objects(engine, keys)  # noqa: E731
    plan = make_plan(
        site,
        run.sizes,
        state,
        lookup,
        purged,
        force=run.force,
        trust_state=not run.verify,
        now=utcnow(),
        ever_published=published,
        remembered=remembered,
    )
    return plan, is_live_newest


def photos_to_purge(
    catalog: Catalog, engine: Engine, published_ids: set[str], site: CatalogSite
) -> set[str]:
    """Published photos that are now private, failed or rejected: to erase everywhere. With
    them, earlier ids of the same pictures (a photo removed, then imported again) whose
    picture is now hidden: the content, not the id, is what the owner made private."""
    candidates = sorted(published_ids - set(site.photos))
    hidden: set[str] = set()
    present: set[str] = set()
    with catalog.reading() as session:
        for start in range(0, len(candidates), 500):
            chunk = candidates[start : start + 500]
            query = select(Photo.id, purge_clause(Photo)).where(Photo.id.in_(chunk))
            for pid, is_hidden in session.execute(query):
                present.add(pid)
                if is_hidden:
                    hidden.add(pid)
    gone = [pid for pid in candidates if pid not in present]  # removed from the catalog
    if gone:
        with engine.connect() as conn:
            pictures = pictures_of(conn, gone)
        hidden_pictures = _hidden_pictures(catalog, set().union(*pictures.values()))
        hidden.update(pid for pid, shown in pictures.items() if shown & hidden_pictures)
    return hidden


def _hidden_pictures(catalog: Catalog, hashes: set[str]) -> set[str]:
    ordered, hidden = sorted(hashes), set[str]()
    with catalog.reading() as session:
        for start in range(0, len(ordered), 500):
            query = select(Photo.content_hash).where(
                Photo.content_hash.in_(ordered[start : start + 500]), purge_clause(Photo)
            )
            hidden.update(session.scalars(query))
    return hidden


def _purged_pictures(catalog: Catalog, engine: Engine, photo_ids: tuple[str, ...]) -> set[str]:
    """What the purged photos show: from the catalog, and from the snapshot for ids the
    catalog no longer has (read before the purge erases their rows)."""
    if not photo_ids:
        return set()
    with catalog.reading() as session:
        hashes = set(session.scalars(select(Photo.content_hash).where(Photo.id.in_(photo_ids))))
    with engine.connect() as conn:
        for shown in pictures_of(conn, photo_ids).values():
            hashes |= shown
    return hashes


def _upload(plan: PublishPlan, target: Target, engine: Engine, run: _Run) -> UploadResult:
    if not plan.to_render:
        return UploadResult(0, 0, (), {})
    planned = [k for pid in plan.to_render for k in plan.keys[pid].values() if k not in plan.known]
    intents.announce(engine, planned)  # before the first upload: see publisher.intents
    return upload_missing(
        plan,
        target.store,
        engine,
        plan.known,
        workers=run.workers,
        observer=run.observer,
        cancel=run.cancel,
    )


def _unrenderable(plan: PublishPlan, upload: UploadResult) -> dict[str, SetAside]:
    """The photos whose files could not be rendered, as they are now: the next plan sets
    them aside until their files change."""
    found = {}
    for outcome in upload.failed:
        pid = outcome.photo_id
        if pid is None or pid not in upload.unrenderable:
            continue
        signature = source_signature(plan.site.photos[pid].source, plan.keys[pid])
        found[pid] = SetAside(pid, signature, outcome.key, outcome.reason or "")
    return found


def _site_keys(plan: PublishPlan, unrendered: frozenset[str] = frozenset()) -> set[str]:
    """Every object key of the photos this publish puts on the site (but for photos that
    could not be rendered: nothing of them was uploaded)."""
    return {
        key for pid, keys in plan.keys.items() if pid not in unrendered for key in keys.values()
    }


def _unchanged(engine: Engine, fingerprint: str | None, mark: CatalogMark) -> bool:
    """Nothing to do: the catalog is as last published (its journal where the newest, live
    publish read it; else its fingerprint), and no killed publish left strays."""
    with engine.connect() as conn:
        if intents.outstanding(conn) or read_set_aside(conn):  # those: see if fixed
            return False
        if fingerprint is not None:
            return stored_fingerprint(conn) == fingerprint
        seq = newest_seq(conn)
        return (
            seq is not None and seq == live_seq(conn) and is_current(read_cursor(conn, seq), mark)
        )


def _as_last_published(plan: PublishPlan, upload: UploadResult) -> dict[str, Renditions]:
    """Live photos whose new renditions could not be made keep the ones they have (their
    objects are in the store, and the new snapshot's rows keep them there): a failure never
    takes a photo off the site."""
    failed = {o.photo_id for o in upload.failed}
    return {
        pid: current
        for pid in failed
        if pid is not None and (current := plan.state.renditions.get(pid)) and current[0]
    }


def _on_site(plan: PublishPlan, upload: UploadResult, kept: dict[str, Renditions]) -> int:
    """Photos the new snapshot shows: all the plan wanted but the failed ones not kept."""
    return len(plan.site.photos) - sum(o.photo_id not in kept for o in upload.failed)


def _kept_note(outcome: ItemOutcome) -> ItemOutcome:
    reason = f"{outcome.reason} Meanwhile the site keeps showing it as last published."
    return replace(outcome, reason=reason)


def _remember(conn: Connection, plan: PublishPlan, mark: CatalogMark | None) -> None:
    """A publish with nothing to write still read the catalog up to ``mark``."""
    if mark is None or mark.position is None or plan.state.seq is None:
        return
    if plan.delta is not None:  # its own mark: the journal as the plan listed it
        advance_cursor(conn, plan.state.seq, plan.delta.mark.position)
    else:
        cursor = Cursor(mark.position, mark.basis, len(plan.desired["photos"]))
        save_cursor(conn, plan.state.seq, cursor)


def _write(
    engine: Engine,
    plan: PublishPlan,
    upload: UploadResult,
    kept: dict[str, Renditions],
    force: bool,
    fingerprint: str | None,
    mark: CatalogMark | None,
) -> tuple[int | None, str | None, int, int, int] | None:
    """Rows for every photo whose objects are all present (or kept from the live snapshot),
    committed as the new live snapshot. None: an incremental plan that a failure changed
    (a photo new to the site could not be made): publish in full instead."""
    if plan.delta is not None:
        return _write_delta(engine, plan, plan.delta, upload, kept, fingerprint, mark is None)
    ready = {**plan.ready, **kept, **upload.ready}
    if set(upload.ready) == set(plan.to_render):  # as planned: fill in the new renditions
        desired = {**plan.desired, "photos": dict(plan.desired["photos"])}
        for pid, photo_renditions in upload.ready.items():
            first = plan.state.first_published.get(pid, plan.now)
            row = photo_row(plan.site.photos[pid], plan.site, photo_renditions, first)
            desired["photos"][pid] = (row, digest("photos", row))
    else:  # some photos failed: counts and covers change, so build everything again
        desired = digested(build_rows(plan.site, ready, plan.state.first_published, plan.now))
    listed = sum(1 for row, _ in desired["photos"].values() if row["listed"])
    renditions = {pid: ready[pid] for pid in desired["photos"]}
    cursor = None
    if mark is not None and mark.position is not None:
        cursor = Cursor(mark.position, mark.basis, len(desired["photos"]))
    result = write_snapshot(
        engine,
        desired,
        renditions,
        plan.state,
        photo_count=listed,
        purge_photo_ids=plan.purged,
        force=force,
        fingerprint=fingerprint,
        cursor=cursor,
    )
    on_site = _on_site(plan, upload, kept)
    return result.seq, result.publish_id, result.rows_closed, result.rows_inserted, on_site


def _write_delta(
    engine: Engine,
    plan: PublishPlan,
    delta: Delta,
    upload: UploadResult,
    kept: dict[str, Renditions],
    fingerprint: str | None,
    retry: bool,
) -> tuple[int | None, str | None, int, int, int] | None:
    """The incremental write: the planned rows, with the new renditions filled in."""
    failed = {o.photo_id for o in upload.failed}
    if failed - set(kept):
        return None  # a row the plan counted will be missing: counts and covers change
    desired = {**plan.desired, "photos": dict(plan.desired["photos"])}
    for pid, photo_renditions in {**kept, **upload.ready}.items():
        first = plan.state.first_published.get(pid, plan.now)
        row = photo_row(plan.site.photos[pid], plan.site, photo_renditions, first)
        desired["photos"][pid] = (row, digest("photos", row))
    listed = delta.listed_others + sum(1 for r, _ in desired["photos"].values() if r["listed"])
    on_site = delta.photo_rows_before - len(delta.old["photos"]) + len(desired["photos"])
    position = delta.cursor.position if retry else delta.mark.position  # read them again
    assert position is not None  # an incremental plan read the journal
    cursor = Cursor(position, delta.mark.basis, on_site)
    result = write_delta(
        engine,
        delta.seq,
        delta.old,
        desired,
        photo_count=listed,
        purge_photo_ids=plan.purged,
        fingerprint=fingerprint,
        cursor=cursor,
    )
    return result.seq, result.publish_id, result.rows_closed, result.rows_inserted, on_site


def roll_back(target: Target) -> tuple[int, int]:
    """Make the previous snapshot live again; its objects are still in the store."""
    engine = connect_snapshot(target.database_url)
    try:
        with lock.exclusive(engine):
            migrate_snapshot(engine)
            return rollback(engine)
    finally:
        engine.dispose()
