"""Describe photos: a bounded worker pool, the cache first, results written one at a time.

Each photo is its own unit: looked up in the cache, sent if it must be, and its answer (or
the reason it has none) written in one short transaction through ``catalog.writing()``. So
a stopped run loses nothing and a restarted one describes only what is missing.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, select

from catalog.ai import cache, store
from catalog.ai.client import DescriptionClient, RetryPolicy
from catalog.ai.errors import (
    AiConfigError,
    AiError,
    DescribeCancelled,
    PhotoSkipped,
    RefusalError,
)
from catalog.ai.estimate import OUTPUT_TOKENS, Estimate, estimate_tokens
from catalog.ai.image import jpeg_data_url, pick_thumbnail
from catalog.ai.photos import PhotoJob, load_job
from catalog.ai.prompt import load_template, prompt_version, render
from catalog.catalog import Catalog
from catalog.credentials import get_secret
from catalog.jobs import Cancel, ItemOutcome, JobObserver, Progress
from catalog.models import Photo
from catalog.privacy import ai_clause
from catalog.settings import Settings

log = logging.getLogger(__name__)

DESCRIBED, CACHED, SKIPPED, FAILED, REFUSED = "described", "cached", "skipped", "failed", "refused"
ESTIMATED = "estimated"  # a dry run's "would be sent"


@dataclass(frozen=True)
class DescribeResult:
    described: int = 0  # answered by the endpoint
    cached: int = 0  # answered from the cache, at no cost
    skipped: int = 0
    failed: int = 0
    refused: int = 0
    cancelled: bool = False
    requests: int = 0  # HTTP requests sent, retries included
    input_tokens: int = 0
    output_tokens: int = 0
    outcomes: tuple[ItemOutcome, ...] = ()
    estimate: Estimate | None = None  # set by a dry run, which sends nothing


@dataclass
class _Run:
    """What every worker shares during one run (read-only apart from the client's counters)."""

    catalog: Catalog
    settings: Settings
    model: str
    template: str
    version: str
    cancel: Cancel
    client: DescriptionClient | None = None
    estimated_tokens: list[int] = field(default_factory=list)  # dry run, one per request


def describe(
    catalog: Catalog,
    photo_ids: Sequence[str],
    *,
    settings: Settings,
    observer: JobObserver | None = None,
    cancel: Cancel | None = None,
    dry_run: bool = False,
    workers: int | None = None,
    base_url: str | None = None,
    model: str | None = None,
    retry: RetryPolicy | None = None,
) -> DescribeResult:
    """Describe ``photo_ids``; a failure is that photo's ``ai_error``, never the batch's."""
    observer = observer or JobObserver()
    photo_ids = list(dict.fromkeys(photo_ids))  # one request per photo, even if listed twice
    run = _Run(
        catalog=catalog,
        settings=settings,
        model=model or settings.ai_model,
        template=(template := load_template(settings.ai_prompt)),
        version=prompt_version(template),
        cancel=cancel or Cancel(),
    )
    if not dry_run:
        run.client = make_client(settings, run.model, base_url, run.cancel, retry)
    task = _estimate_one if dry_run else _describe_one
    observer.started(len(photo_ids))
    try:
        outcomes = _run_pool(run, photo_ids, task, observer, workers or settings.ai_workers)
    finally:
        if run.client is not None:
            run.client.close()
    return _result(run, outcomes, dry_run)


def make_client(
    settings: Settings,
    model: str,
    base_url: str | None,
    cancel: Cancel,
    retry: RetryPolicy | None,
) -> DescriptionClient:
    """The endpoint: the flag, else the setting, else ``OPENAI_BASE_URL``, else OpenAI's."""
    url = base_url or settings.ai_base_url or os.environ.get("OPENAI_BASE_URL") or None
    key = get_secret("openai_api_key")
    if key is None and url is None:
        raise AiConfigError(
            "no AI endpoint is set up: store an OpenAI API key in Settings (system keyring, "
            "or EXIFTREE_OPENAI_API_KEY / OPENAI_API_KEY), or give the URL of a local "
            "endpoint, which needs no key"
        )
    return DescriptionClient(
        model=model,
        base_url=url,
        api_key=key,
        timeout_s=settings.ai_timeout_s,
        retry=retry,
        cancel=cancel,
    )


def missing_ids(catalog: Catalog) -> list[str]:
    """Processed photos never described (failures included), oldest import first. Private
    photos are left out: they reach an endpoint only when the owner names them."""
    return _describable(catalog, Photo.ai_described_at.is_(None))


def all_ids(catalog: Catalog) -> list[str]:
    return _describable(catalog)


def _describable(catalog: Catalog, *conditions: ColumnElement[bool]) -> list[str]:
    """Processed, not private photos (and ``conditions``), oldest import first."""
    query = select(Photo.id).where(ai_clause(Photo), *conditions)  # private: never unasked
    with catalog.reading() as session:
        return list(session.scalars(query.order_by(Photo.created_at, Photo.id)))


def approve(catalog: Catalog, photo_ids: Sequence[str] | None = None) -> list[str]:
    """Approve AI text awaiting review (``None``: all of it); returns the approved ids."""
    if photo_ids is None:
        with catalog.writing() as session:
            return store.approve_review(session, None)
    approved: list[str] = []
    for start in range(0, len(photo_ids), 500):
        with catalog.writing() as session:
            approved += store.approve_review(session, photo_ids[start : start + 500])
    return approved


Task = Callable[[_Run, str], ItemOutcome]


def _run_pool(
    run: _Run, photo_ids: Sequence[str], task: Task, observer: JobObserver, workers: int
) -> list[ItemOutcome]:
    """At most ``workers`` photos in flight; a short queue, so cancel takes effect quickly."""
    outcomes: list[ItemOutcome] = []

    def collect(done: Iterable[Future[ItemOutcome]]) -> None:
        for future in done:
            outcome = future.result()
            outcomes.append(outcome)
            observer.item_finished(outcome)
            observer.progressed(Progress(len(outcomes), len(photo_ids), outcome.key))

    workers = max(1, workers)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ai") as pool:
        pending: set[Future[ItemOutcome]] = set()
        try:
            for photo_id in photo_ids:
                if run.cancel.is_set():
                    break
                if len(pending) >= workers * 2:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    collect(done)
                pending.add(pool.submit(_guarded, task, run, photo_id))
            collect(wait(pending).done)
        except KeyboardInterrupt:
            run.cancel.set()  # workers stop waiting to retry; what is written stays written
            raise
    return outcomes


def _guarded(task: Task, run: _Run, photo_id: str) -> ItemOutcome:
    """One photo's unexpected failure (a bug, a locked disk) must not end the batch."""
    try:
        return task(run, photo_id)
    except Exception as exc:  # noqa: BLE001 - reported as this photo's outcome
        log.exception("describing %s failed unexpectedly", photo_id)
        return _outcome(photo_id, FAILED, _redacted(run, f"{type(exc).__name__}: {exc}"))


def _describe_one(run: _Run, photo_id: str) -> ItemOutcome:
    if run.cancel.is_set():
        return _outcome(photo_id, SKIPPED, "cancelled")
    try:
        job, key, hit = _lookup(run, photo_id)
    except PhotoSkipped as exc:
        return _outcome(photo_id, SKIPPED, exc.reason)
    if hit is not None:
        return _save(run, job, key, hit, status=CACHED)
    assert run.client is not None
    try:
        image_url = jpeg_data_url(
            pick_thumbnail(run.catalog.thumb_path, job.content_hash, run.settings.ai_image_size_px),
            run.settings.ai_image_size_px,
        )
        answer = run.client.describe(render(run.template, job.facts), image_url)
    except RefusalError as exc:
        return _save(run, job, key, cache.Refusal(exc.text), status=REFUSED)
    except DescribeCancelled:
        return _outcome(photo_id, SKIPPED, "cancelled")
    except AiError as exc:
        return _fail(run, job, str(exc))
    return _save(run, job, key, answer, status=DESCRIBED)


def _save(
    run: _Run, job: PhotoJob, key: cache.CacheKey, answer: cache.Answer, *, status: str
) -> ItemOutcome:
    with run.catalog.writing() as session:
        photo = session.get(Photo, job.photo_id)
        if photo is None:
            return _outcome(job.photo_id, SKIPPED, "removed while it was being described")
        cache.store(session, key, answer)
        if isinstance(answer, cache.Refusal):
            reason = str(RefusalError(answer.text))
            store.record_error(session, photo, reason)
            return _outcome(job.photo_id, REFUSED, reason)
        store.apply_description(
            session,
            photo,
            answer,
            model=run.model,
            prompt_version=run.version,
            review_required=run.settings.ai_review_required,
        )
    return _outcome(job.photo_id, status)


def _fail(run: _Run, job: PhotoJob, reason: str) -> ItemOutcome:
    reason = _redacted(run, reason)
    with run.catalog.writing() as session:
        photo = session.get(Photo, job.photo_id)
        if photo is not None:
            store.record_error(session, photo, reason)
    return _outcome(job.photo_id, FAILED, reason)


def _estimate_one(run: _Run, photo_id: str) -> ItemOutcome:
    """Dry run: what this photo would cost, with nothing sent and nothing written."""
    try:
        job, _, hit = _lookup(run, photo_id)
    except PhotoSkipped as exc:
        return _outcome(photo_id, SKIPPED, exc.reason)
    if hit is not None:
        return _outcome(photo_id, CACHED)
    try:
        pick_thumbnail(run.catalog.thumb_path, job.content_hash, run.settings.ai_image_size_px)
    except AiError as exc:
        return _outcome(photo_id, FAILED, str(exc))
    tokens = estimate_tokens(render(run.template, job.facts), run.model)
    run.estimated_tokens.append(tokens)
    return _outcome(photo_id, ESTIMATED, f"~{tokens} input tokens")


def _lookup(run: _Run, photo_id: str) -> tuple[PhotoJob, cache.CacheKey, cache.Answer | None]:
    with run.catalog.reading() as session:
        job = load_job(session, photo_id, run.settings.privacy_zones)
        key = cache.CacheKey(job.content_hash, run.model, run.version)
        return job, key, cache.lookup(session, key)


def _result(run: _Run, outcomes: list[ItemOutcome], dry_run: bool) -> DescribeResult:
    counts = {s: 0 for s in (DESCRIBED, CACHED, SKIPPED, FAILED, REFUSED, ESTIMATED)}
    for outcome in outcomes:
        counts[outcome.status] += 1
    client = run.client
    estimate = None
    if dry_run:
        estimate = Estimate(
            photos=len(outcomes),
            cached=counts[CACHED],
            requests=counts[ESTIMATED],
            input_tokens=sum(run.estimated_tokens),
            output_tokens=OUTPUT_TOKENS * counts[ESTIMATED],
        )
    return DescribeResult(
        described=counts[DESCRIBED],
        cached=counts[CACHED],
        skipped=counts[SKIPPED],
        failed=counts[FAILED],
        refused=counts[REFUSED],
        cancelled=run.cancel.is_set(),
        requests=client.requests if client else 0,
        input_tokens=client.usage.input_tokens if client else 0,
        output_tokens=client.usage.output_tokens if client else 0,
        outcomes=tuple(outcomes),
        estimate=estimate,
    )


def _redacted(run: _Run, text: str) -> str:
    return run.client.redact(text) if run.client else text


def _outcome(photo_id: str, status: str, reason: str | None = None) -> ItemOutcome:
    return ItemOutcome(key=photo_id, status=status, reason=reason, photo_id=photo_id)
