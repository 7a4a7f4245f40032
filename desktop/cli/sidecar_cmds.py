"""``exiftree sidecars write``: the owner's values into XMP sidecars, for other tools.

Thin: picks the photos (ids, unique id prefixes or file paths; none: every photo whose
original is there) and calls :func:`catalog.sidecar_writes.write_sidecars`.
"""

from __future__ import annotations

import click

from desktop.cli.context import AppContext, pass_app


@click.group(name="sidecars")
def sidecars() -> None:
    """XMP sidecars beside the originals (FILE.xmp), as Lightroom and darktable read them."""


@sidecars.command(name="write")
@click.argument("photos", nargs=-1)
@pass_app
def write(app: AppContext, photos: tuple[str, ...]) -> None:
    """Write rating, title, description, keywords and visibility to each photo's sidecar,
    merging with what other tools wrote there; the originals are never touched."""
    from catalog.sidecar_writes import all_photo_ids, named_photo_ids, write_sidecars

    catalog = app.catalog
    ids = named_photo_ids(catalog, photos) if photos else all_photo_ids(catalog)
    report = write_sidecars(catalog, ids)
    for problem in report.problems:
        click.echo(f"warning: {problem}", err=True)
    count = len(report.written)
    click.echo(f"Wrote {count} sidecar{'s' if count != 1 else ''}.")
    if report.problems:
        raise click.exceptions.Exit(1)


COMMANDS = [sidecars]
