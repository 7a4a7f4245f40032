"""``exiftree import-lightroom CATALOG.lrcat``: Lightroom Classic's collections (which it never
writes to XMP) for photos already imported; see :mod:`catalog.lightroom`."""

from __future__ import annotations

from pathlib import Path

import click

from desktop.cli.context import AppContext, pass_app


@click.command(name="import-lightroom")
@click.argument("lrcat", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@pass_app
def import_lightroom_cmd(app: AppContext, lrcat: Path) -> None:
    """Make Lightroom Classic's collections in LRCAT ExifTree collections (import the photos'
    folders first: their ratings, keywords and titles come from their XMP)."""
    from catalog.lightroom import import_lightroom, summary

    for line in summary(import_lightroom(app.catalog, lrcat)):
        click.echo(line)


COMMANDS = [import_lightroom_cmd]
