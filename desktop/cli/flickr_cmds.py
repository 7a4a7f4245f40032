"""``exiftree import-flickr DIR``: a Flickr account export into the catalog.

The photos go through the normal import (same progress bar, summary and exit codes as
``exiftree import``), then Flickr's titles, descriptions, tags, albums, privacy and places
are applied as the owner's values; see :mod:`catalog.flickr`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from catalog.jobs import Cancel, JobObserver
from desktop.cli.context import AppContext, pass_app
from desktop.cli.ingest_cmds import _finish, _with_progress

if TYPE_CHECKING:
    from catalog.ingest import ImportResult


@click.command(name="import-flickr")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--workers", type=click.IntRange(1, 256), help="Worker processes (default: cores).")
@pass_app
def import_flickr_cmd(app: AppContext, folder: Path, workers: int | None) -> None:
    """Import FOLDER, an unzipped Flickr account data export (photos and metadata)."""
    from catalog.flickr import FlickrResult, import_flickr, read_export, summary

    read_export(folder)  # a folder that is no export is refused before any progress bar
    catalog = app.catalog
    results: list[FlickrResult] = []

    def job(observer: JobObserver, cancel: Cancel) -> ImportResult:
        results.append(
            import_flickr(catalog, folder, workers=workers, observer=observer, cancel=cancel)
        )
        return results[0].imported

    imported = _with_progress(job)
    for line in summary(results[0]):
        click.echo(line)
    _finish(imported)


COMMANDS = [import_flickr_cmd]
