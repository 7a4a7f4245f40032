"""Render, audit and upload the photos whose objects are missing, in a thread pool.

Each worker renders one photo, re-reads the rendered bytes' metadata (refusing anything
beyond the allow-list) and uploads its objects with retries; the calling thread records
finished objects in the ledger in batches, so a killed publish redoes at most a batch.
"""

from __future__ import annotations

import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from functools import partial

from sqlalchemy import Engine

from catalog.jobs import Cancel, ItemOutcome, JobObserver, Progress
from publisher.audit import check_rendition
from publisher.errors import PrivacyAuditError, RenditionError
from publisher.ledger import LedgerEntry, record_objects
from publisher.plan import PublishPlan, ledger_renditions
from publisher.renditions import render_photo
from publisher.snapshot import utcnow
from publisher.state import Renditions
from publisher.storage import ObjectStore, store_call

LEDGER_BATCH = 200
LEDGER_FLUSH_S = 0.5  # a killed publish redoes at most this much work


@dataclass(frozen=True)
class UploadProgress(Progress):
    """Progress in photos, plus bytes sent and the rate, for the bar and the dialog."""

    bytes_done: int = 0
    bytes_total: int | None = None
    rate_bytes_s: float = 0.0


@dataclass(frozen=True)
class UploadResult:
    uploaded_objects: int
    uploaded_bytes: int
    failed: tuple[ItemOutcome, ...]
    ready: dict[str, Renditions]  # photos whose every object is now uploaded
    unrenderable: frozenset[str] = frozenset()  # failed ones whose files cannot be rendered


def upload_missing(
    plan: PublishPlan,
    store: ObjectStore,
    engine: Engine,
    known: frozenset[str],
    *,
    workers: int,
    observer: JobObserver,
    cancel: Cancel,
) -> UploadResult:
    """Make every object of ``plan.to_render`` present in the store and the ledger."""
    total = len(plan.to_render)
    observer.started(total)
    pending: list[LedgerEntry] = []
    failed: list[ItemOutcome] = []
    unrenderable: set[str] = set()
    ready: dict[str, Renditions] = {}
    done = sent = objects = 0
    started = time.monotonic()
    flush_at = started + LEDGER_FLUSH_S
    pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="publish")
    futures: dict[Future[list[tuple[LedgerEntry, bool]]], str] = {
        pool.submit(_publish_one, plan, pid, store, known, cancel): pid for pid in plan.to_render
    }
    try:
        remaining = set(futures)
        while remaining:
            finished, remaining = wait(remaining, timeout=0.5, return_when=FIRST_COMPLETED)
            for future in finished:
                pid = futures[future]
                try:
                    results = future.result()
                except (RenditionError, PrivacyAuditError) as exc:
                    where = str(plan.site.photos[pid].source.original or pid)  # the file, not an id
                    failed.append(ItemOutcome(where, "failed", exc.advice, photo_id=pid))
                    if isinstance(exc, RenditionError):
                        unrenderable.add(pid)
                    observer.item_finished(failed[-1])
                    results = []
                renditions = ledger_renditions(plan.keys[pid], {e.key: e for e, _ in results})
                if renditions is not None:
                    ready[pid] = renditions
                for entry, is_new in results:
                    pending.append(entry)
                    sent += entry.bytes if is_new else 0
                    objects += int(is_new)
                done += 1
                rate = sent / max(time.monotonic() - started, 1e-6)
                observer.progressed(
                    UploadProgress(done, total, pid, sent, plan.upload_bytes_estimate, rate)
                )
            if len(pending) >= LEDGER_BATCH or (pending and time.monotonic() > flush_at):
                record_objects(engine, pending)
                pending = []
                flush_at = time.monotonic() + LEDGER_FLUSH_S
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        record_objects(engine, pending)
        raise
    pool.shutdown(wait=True)
    record_objects(engine, pending)
    return UploadResult(objects, sent, tuple(failed), ready, frozenset(unrenderable))


def _publish_one(
    plan: PublishPlan, photo_id: str, store: ObjectStore, known: frozenset[str], cancel: Cancel
) -> list[tuple[LedgerEntry, bool]]:
    """Render one photo, audit each rendition, upload those not yet present."""
    if cancel.is_set():
        return []
    photo = plan.site.photos[photo_id]
    renditions, placeholder = render_photo(photo.source, tuple(plan.keys[photo_id]))
    for rendition in renditions:
        check_rendition(rendition.key, rendition.data)
    out: list[tuple[LedgerEntry, bool]] = []
    for r in renditions:
        is_new = r.key not in known
        if is_new:
            if cancel.is_set():
                break  # what is uploaded so far goes to the ledger; the rest next time
            store_call(r.key, partial(store.put, r.key, r.data, "image/jpeg"))
        entry = LedgerEntry(
            r.key, photo.content_hash, r.size, r.width, r.height, len(r.data), placeholder, utcnow()
        )
        out.append((entry, is_new))
    return out
