"""Looking after the catalog itself: backups, restoring one, and originals that moved.

``backup`` and ``restore`` work on the catalog folder without opening the catalog through
the usual front door (a damaged catalog must still be restorable).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from desktop.commands.app import AppContext, pass_app


def _local(made_at_utc: datetime) -> str:
    return made_at_utc.replace(tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M")


@click.command()
@click.option("--list", "listing", is_flag=True, help="List the backups instead of making one.")
@pass_app
def backup(app: AppContext, listing: bool) -> None:
    """Back up the catalog now (a consistent copy into the catalog's backups/ folder)."""
    from catalog.backup import MANUAL, list_backups, make_backup

    root = app.root
    if listing:
        backups = list_backups(root)
        if not backups:
            click.echo(f"No backups yet in {root / 'backups'} (make one: exiftree backup).")
        for item in backups:
            size_mb = item.size / 1e6
            click.echo(f"{_local(item.made_at)}  {item.kind:<16} {size_mb:8.1f} MB  {item.path}")
        return
    from catalog.catalog import Catalog
    from catalog.settings import load_settings

    # Opened directly (not through app.catalog): no scheduled backup just before this one.
    with Catalog.open(root) as catalog, catalog.reading() as session:  # refuses a damaged one
        keep = load_settings(session).backups_kept
    made = make_backup(root, MANUAL, keep=keep)
    click.echo(f"Backed up the catalog to {made.path} ({made.size / 1e6:.1f} MB).")


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_app
def restore(app: AppContext, file: Path) -> None:
    """Replace the catalog with the backup FILE (the current catalog is backed up first)."""
    from catalog.backup import restore as restore_backup

    done = restore_backup(app.root, file)
    click.echo(f"Restored the catalog {done.catalog} from {done.restored_from}.")
    if done.safety_copy is not None:
        click.echo(f"The catalog it replaced is kept as {done.safety_copy.path}.")


COMMANDS = [backup, restore]
