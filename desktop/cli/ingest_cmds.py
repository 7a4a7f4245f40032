"""``exiftree import`` and ``exiftree reprocess``: the ingest pipeline from the command line.

A rich progress bar while it runs, then a summary with every failure's file and reason, and
one line for each reason files were skipped (not a photo, already in the catalog, ...).
Exit codes: 0 when the batch ran to its end, even if some files failed (each is listed);
2 when it stopped early because the catalog could not be written (a full disk: one sentence
says so, and running the same import again finishes the rest); 130 after Ctrl-C, which
cancels between files and keeps everything already committed.
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from catalog.jobs import Cancel, JobObserver
from catalog.jobs import Progress as JobProgress
from desktop.cli.context import AppContext, pass_app

if TYPE_CHECKING:  # the pipeline (Pillow, numpy) and rich load only when a command runs
    from rich.progress import Progress

    from catalog.ingest import ImportResult


class _BarObserver(JobObserver):
    """Draws the job's progress on a rich bar (on stderr, so stdout stays the summary)."""

    def __init__(self, bar: Progress) -> None:
        self.bar = bar
        self.task = bar.add_task("importing", total=None)

    def started(self, total: int | None) -> None:
        self.bar.update(self.task, total=total)

    def progressed(self, progress: JobProgress) -> None:
        name = Path(progress.current).name if progress.current else ""
        self.bar.update(self.task, completed=progress.done, description=name[:40])

    def message(self, text: str) -> None:
        self.bar.console.print(text)


def _with_progress(job: Callable[[JobObserver, Cancel], ImportResult]) -> ImportResult:
    """Run ``job`` under a progress bar; Ctrl-C sets the cancel flag instead of killing."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    console = Console(stderr=True)
    cancel = Cancel()
    columns = (
        TextColumn("{task.description:<40}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    previous = signal.signal(signal.SIGINT, lambda *_: cancel.set())
    try:
        with Progress(*columns, console=console, transient=True) as bar:
            return job(_BarObserver(bar), cancel)
    finally:
        signal.signal(signal.SIGINT, previous)


EXIT_STOPPED, EXIT_CANCELLED = 2, 130


def _finish(result: ImportResult) -> None:
    """The summary on stdout; a stopped or cancelled batch also exits non-zero."""
    _summary(result)
    if result.stopped:
        click.echo(f"error: {result.stopped}", err=True)
        raise click.exceptions.Exit(EXIT_STOPPED)
    if result.cancelled:
        raise click.exceptions.Exit(EXIT_CANCELLED)


def _summary(result: ImportResult) -> None:
    click.echo(
        f"imported {result.imported}, skipped {result.skipped}, moved {result.moved}, "
        f"duplicates {result.duplicates}, rejected {result.rejected}, failed {result.failed}"
        + (" (cancelled)" if result.cancelled else "")
        + (" (stopped early)" if result.stopped else "")
    )
    skipped: dict[str, list[str]] = {}
    for outcome in result.outcomes:
        if outcome.status == "failed":
            click.echo(f"failed: {outcome.key}: {outcome.reason}")
        elif outcome.status == "rejected":
            click.echo(f"rejected: {outcome.key}: {outcome.reason}")
        elif outcome.status == "skipped":
            skipped.setdefault(outcome.reason or "skipped", []).append(outcome.key)
    for reason, keys in skipped.items():  # one line a reason: a rescan may skip 20,000
        examples = ", ".join(_short(key) for key in keys[:SKIP_EXAMPLES])
        more = ", ..." if len(keys) > SKIP_EXAMPLES else ""
        click.echo(f"skipped {len(keys)}: {reason} ({examples}{more})")


SKIP_EXAMPLES = 3


def _short(path: str) -> str:
    """Folder and name: enough to find the file, and to tell apart the READMEs of a tree."""
    return "/".join(Path(path).parts[-2:])


@click.command(name="import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, exists=False))
@click.option("--workers", type=click.IntRange(1, 256), help="Worker processes (default: cores).")
@click.option("--force", is_flag=True, help="Derive everything again, even for known files.")
@pass_app
def import_cmd(app: AppContext, paths: tuple[Path, ...], workers: int | None, force: bool) -> None:
    """Import the photos in PATH... (files or folders, recursively)."""
    catalog = app.catalog
    if not force:
        from catalog.ingest.rescan import unchanged_rescan  # sqlite3 and stat: no SQLAlchemy

        outcomes = unchanged_rescan(catalog, list(paths))
        if outcomes is not None:  # nothing new, changed or gone: the full import would skip all
            from catalog.ingest.result import ImportResult

            _finish(ImportResult.from_outcomes(outcomes, cancelled=False))
            return
    if workers != 1:  # there is work: the workers' imports overlap all of ours from here
        from catalog.ingest.forkserver import start_early

        start_early()
    from catalog.ingest import run_import

    result = _with_progress(
        lambda observer, cancel: run_import(
            catalog, list(paths), workers=workers, observer=observer, cancel=cancel, force=force
        )
    )
    _finish(result)


@click.command(name="reprocess")
@click.argument("photo_ids", nargs=-1)
@click.option("--failed", "failed_only", is_flag=True, help="Only photos whose import failed.")
@click.option("--workers", type=click.IntRange(1, 256), help="Worker processes (default: cores).")
@pass_app
def reprocess_cmd(
    app: AppContext, photo_ids: tuple[str, ...], failed_only: bool, workers: int | None
) -> None:
    """Read the originals again and rebuild EXIF, thumbnails, gear, place and hashes."""
    from catalog.ingest import reprocess
    from catalog.query import resolve_ids

    catalog = app.catalog
    ids = None
    if photo_ids:  # full ids or unique prefixes, as everywhere; an unknown one is an error
        with catalog.reading() as session:
            ids = resolve_ids(session, photo_ids)
    result = _with_progress(
        lambda observer, cancel: reprocess(
            catalog, ids, failed_only=failed_only, workers=workers, observer=observer,
            cancel=cancel,
        )
    )  # fmt: skip
    _finish(result)


@click.command(name="pair-source")
@click.argument("photo_id")
@click.argument("source", type=click.Choice(["raw", "jpeg"]))
@pass_app
def pair_source_cmd(app: AppContext, photo_id: str, source: str) -> None:
    """Which file of a RAW+JPEG pair the photo's pictures come from (default: the JPEG)."""
    from catalog.ingest import ImportResult
    from catalog.ingest.pair_source import PairSourceError, use_pair_source

    catalog = app.catalog
    from catalog.query import resolve_ids

    with catalog.reading() as session:
        (full_id,) = resolve_ids(session, (photo_id,))
    try:
        result = _with_progress(
            lambda observer, _cancel: (
                use_pair_source(catalog, full_id, source, observer)
                or ImportResult.from_outcomes([], cancelled=False)
            )
        )
    except PairSourceError as exc:
        raise click.ClickException(str(exc)) from exc
    _finish(result)


COMMANDS = [import_cmd, reprocess_cmd, pair_source_cmd]
