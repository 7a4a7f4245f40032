"""The import job: discover → skip known → (workers) read, hash, validate, EXIF, decode once,
thumbnails, phash → (parent) place, rules, near-duplicates, one atomic commit per photo.

:func:`run_import` is the UI-facing entry point; it reports through a :class:`JobObserver`
(the CLI draws a progress bar, the desktop emits Qt signals) and stops between files when
``cancel`` is set. ``workers=1`` runs everything inline: the sequential mode for tests and
debugging. A killed import loses at most the photos not yet committed; the next run skips
what is done (same path, size and mtime) and finishes the rest.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from catalog.catalog import Catalog
from catalog.ingest.discover import Candidate, Unusable, discover, without_sidecars
from catalog.ingest.faults import ImportStopped
from catalog.ingest.known import KnownFiles
from catalog.ingest.pairs import Pair, attach, is_raw, split_pairs
from catalog.ingest.result import ImportResult
from catalog.ingest.sidecars import SeenPhoto, apply_xmp
from catalog.jobs import Cancel, ItemOutcome, JobObserver, Progress
from catalog.models import Photo, Status
from catalog.originals import check_originals
from catalog.settings import Settings, load_settings

if TYPE_CHECKING:  # the imaging side (numpy, Pillow) loads only when a file needs it
    from catalog.ingest.commit import PhotoWriter
    from catalog.ingest.tasks import FileResult, FileTask


GEOCODE_BATCH = 32
GEOCODE_MAX_WAIT_S = 2.0
_SEEN = frozenset({"imported", "moved", "skipped", "rejected"})  # outcomes whose XMP counts


def run_import(
    catalog: Catalog,
    paths: Sequence[Path],
    *,
    workers: int | None = None,
    observer: JobObserver | None = None,
    cancel: Cancel | None = None,
    settings: Settings | None = None,
    force: bool = False,
    max_pixels: int | None = None,
) -> ImportResult:
    """Import the photos under ``paths``; one file's failure never stops the batch.
    ``workers``: None or 0, the settings' (whose 0 is one per core); ``max_pixels``: None,
    :data:`catalog.ingest.tasks.DEFAULT_MAX_PIXELS`."""
    if settings is None:
        with catalog.reading() as session:
            settings = load_settings(session)
    job = ImportJob(catalog, settings, observer or JobObserver(), cancel or Cancel(), force)
    return job.run(paths, workers or settings.workers, max_pixels)


def reprocess(
    catalog: Catalog,
    photo_ids: Sequence[str] | None = None,
    *,
    failed_only: bool = False,
    workers: int | None = None,
    observer: JobObserver | None = None,
    cancel: Cancel | None = None,
) -> ImportResult:
    """Derive everything again from the originals of ``photo_ids`` (all, or the failed)."""
    query = select(Photo.source_path)
    if photo_ids is not None:
        query = query.where(Photo.id.in_(list(photo_ids)))
    if failed_only:
        query = query.where(Photo.status == Status.FAILED.value)
    with catalog.reading() as session:
        paths = [Path(p) for p in session.scalars(query)]
    if not paths:
        return ImportResult.from_outcomes([], cancelled=False)
    return run_import(catalog, paths, workers=workers, observer=observer, cancel=cancel, force=True)


class ImportJob:
    """One run of the pipeline; see the module docstring for the stages."""

    def __init__(
        self,
        catalog: Catalog,
        settings: Settings,
        observer: JobObserver,
        cancel: Cancel,
        force: bool,
    ) -> None:
        self.catalog, self.settings = catalog, settings
        self.observer, self.cancel, self.force = observer, cancel, force
        self.outcomes: list[ItemOutcome] = []
        self.total = 0

    def run(self, paths: Sequence[Path], workers: int, max_pixels: int | None) -> ImportResult:
        """The whole pipeline, readable top to bottom."""
        with self.catalog.reading() as session:
            known = KnownFiles.load(session)
        known_before = frozenset(known.by_id)
        found = without_sidecars(discover(paths, exclude=[self.catalog.root]))
        self.total = len(found)
        self.observer.started(self.total)
        singles, pairs = split_pairs(found, known.by_path)
        tasks = self.triage(singles, known)
        stopped = None
        if tasks or pairs:  # else a rescan that found nothing new: no imaging library loads
            stopped = self.process(tasks, pairs, known, workers, max_pixels)
        if stopped is None:
            self.read_xmp(known_before)
            self.report_missing(paths, found)
        cancelled = self.cancel.is_set() and stopped is None
        return ImportResult.from_outcomes(self.outcomes, cancelled, stopped)

    def process(
        self,
        tasks: list[FileTask],
        pairs: Sequence[Pair],
        known: KnownFiles,
        workers: int,
        max_pixels: int | None,
    ) -> str | None:
        """Decode, derive and commit the new and changed files; why the batch stopped early
        (None: it did not)."""
        if len(tasks) > 1 and (workers if workers > 0 else os.cpu_count() or 1) > 1:
            from catalog.ingest.forkserver import start_early

            start_early()  # its imports overlap ours below
        from catalog.ingest.commit import PhotoWriter
        from catalog.ingest.duplicates import NearDuplicateIndex
        from catalog.ingest.executors import run_tasks, worker_count
        from catalog.ingest.tasks import DEFAULT_MAX_PIXELS, FileTask
        from catalog.rules import load_rules

        pixels = DEFAULT_MAX_PIXELS if max_pixels is None else max_pixels
        processes = worker_count(workers)
        rules = load_rules(self.catalog.rules_path)
        with self.catalog.reading() as session:
            near = NearDuplicateIndex.load(session, self.settings.near_duplicate_max_bits)
        writer = PhotoWriter(self.catalog, self.settings, rules, known, near, self.force)
        known_hashes = frozenset(known.by_hash)
        results = run_tasks(tasks, processes, known_hashes, pixels, self.cancel)
        try:
            self.commit_all(results, writer)
            alone = self.attach_pairs(pairs)
            if alone:  # their JPEG is no photo: each RAW is imported on its own
                results.close()
                tasks = [FileTask(str(c.path), skip_if_known=not self.force) for c in alone]
                results = run_tasks(tasks, processes, known_hashes, pixels, self.cancel)
                self.commit_all(results, writer)
        except ImportStopped as stop:  # the catalog's disk: every next file would fail too
            return stop.sentence
        finally:
            results.close()  # the worker processes stop now, whatever happened
        return None

    def attach_pairs(self, pairs: Sequence[Pair]) -> list[Candidate]:
        """Record each pair's second file on its partner's photo (one photo, two files);
        the files whose partner did not become a photo, to be imported on their own."""
        if not pairs or self.cancel.is_set():
            return []
        alone: list[Candidate] = []
        attached: list[ItemOutcome] = []
        with self.catalog.writing() as session:
            for pair in pairs:
                photo_id = attach(session, pair)
                if photo_id is None:
                    alone.append(pair.companion)
                    continue
                kind = "RAW" if is_raw(pair.companion.path) else "JPEG"
                reason = f"the {kind} of {Path(pair.source).name}: one photo with it (RAW + JPEG)"
                path = str(pair.companion.path)
                attached.append(ItemOutcome(path, "skipped", reason, photo_id))
        self.report_all(attached)
        return alone

    def read_xmp(self, known_before: frozenset[str]) -> None:
        """The owner's earlier curation from sidecars (new or changed) and embedded XMP."""
        seen = [SeenPhoto(o.photo_id, o.key, o.photo_id not in known_before)
                for o in self.outcomes if o.photo_id and o.status in _SEEN]  # fmt: skip
        report = apply_xmp(self.catalog, seen)
        for problem in report.unreadable:
            self.observer.message(problem)
        if report.applied:
            self.observer.message(
                f"{report.applied} photo(s) took ratings, titles or keywords from XMP "
                "(sidecars and the files' own): they are your values now"
            )

    def report_missing(self, paths: Sequence[Path], found: list[Candidate | Unusable]) -> None:
        """Photos under these folders whose originals are gone get the missing state."""
        seen = {str(c.path): (c.size, c.mtime_ns) for c in found if isinstance(c, Candidate)}
        gone = check_originals(self.catalog, paths, seen).newly_missing  # or back, or taken
        if gone:
            self.observer.message(
                f"{gone} photo(s) under these folders are missing now (their originals are not "
                "there any more; everything you did is kept): exiftree check lists them, "
                "exiftree relocate OLD NEW re-links a moved folder"
            )

    def triage(self, found: Iterable[Candidate | Unusable], known: KnownFiles) -> list[FileTask]:
        """Report unusable entries, skip unchanged files unread; the rest become tasks."""
        tasks: list[FileTask] = []
        for item in found:
            if isinstance(item, Unusable):
                self.report(ItemOutcome(str(item.path), item.status, item.reason))
                continue
            path = str(item.path)
            if not self.force and known.is_unchanged(path, item.size, item.mtime_ns):
                row = known.by_path[path]
                reason = (
                    "failed before and unchanged since (exiftree reprocess --failed retries)"
                    if row.status == Status.FAILED.value
                    else "already in the catalog"
                )
                self.report(ItemOutcome(path, "skipped", reason, row.id))
                continue
            from catalog.ingest.tasks import FileTask  # reached only for a new or changed file

            same_path = known.by_path.get(path)
            turns = same_path.turns if same_path is not None else 0  # the owner's, kept
            tasks.append(FileTask(path, skip_if_known=not self.force, turns=turns))
        return tasks

    def commit_all(self, results: Iterable[FileResult], writer: PhotoWriter) -> None:
        """Commit each result as it arrives; photos with GPS wait briefly for a batch."""
        from catalog.ingest.commit import has_position
        from catalog.ingest.tasks import Processed

        located: list[Processed] = []
        oldest = 0.0
        for result in results:
            if has_position(result):
                assert isinstance(result, Processed)
                oldest = oldest if located else time.monotonic()
                located.append(result)
            else:
                self.report(writer.write(result))
            if located and (
                len(located) >= GEOCODE_BATCH or time.monotonic() - oldest > GEOCODE_MAX_WAIT_S
            ):
                self.report_all(writer.write_geocoded(located))
                located = []
        if located:
            self.report_all(writer.write_geocoded(located))

    def report_all(self, outcomes: Iterable[ItemOutcome]) -> None:
        for outcome in outcomes:
            self.report(outcome)

    def report(self, outcome: ItemOutcome) -> None:
        self.outcomes.append(outcome)
        self.observer.item_finished(outcome)
        self.observer.progressed(Progress(len(self.outcomes), self.total, outcome.key))
