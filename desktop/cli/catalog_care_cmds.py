"""Looking after the catalog itself: backups, restoring one, and originals that moved.

``backup`` and ``restore`` work on the catalog folder without opening the catalog through
the usual front door (a damaged catalog must still be restorable).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from desktop.cli.context import AppContext, pass_app


def _local(made_at_utc: datetime) -> str:
    return made_at_utc.replace(tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M")


@click.command()
@click.option("--list", "listing", is_flag=True, help="List the backups instead of making one.")
@click.option(
    "--every-days",
    type=click.IntRange(0, 3650),
    help="Set the schedule: a backup when ExifTree runs and this many days have passed "
    "(0: never; default 1). Makes no backup.",
)
@click.option(
    "--keep",
    type=click.IntRange(1, 10000),
    help="Set how many backups of each kind are kept (default 7). Makes no backup.",
)
@pass_app
def backup(app: AppContext, listing: bool, every_days: int | None, keep: int | None) -> None:
    """Back up the catalog now (a consistent copy into the catalog's backups/ folder).

    ExifTree also backs up before every migration and on a schedule (daily by default, when
    the app or a command runs). Thumbnails are not backed up: they are made again from the
    originals."""
    from catalog.backup import MANUAL, list_backups, make_backup

    root = app.root
    if every_days is not None or keep is not None:
        _set_schedule(app, every_days, keep)
        return
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


def _set_schedule(app: AppContext, every_days: int | None, keep: int | None) -> None:
    from catalog.catalog import Catalog
    from catalog.settings import load_settings, save_settings

    # Opened directly: setting "never" must not be preceded by one more scheduled backup.
    with Catalog.open(app.root) as catalog, catalog.writing() as session:
        settings = load_settings(session)
        settings = settings.replace(
            backup_every_days=settings.backup_every_days if every_days is None else every_days,
            backups_kept=settings.backups_kept if keep is None else keep,
        )
        save_settings(session, settings)
    often = (
        "never on a schedule"
        if not settings.backup_every_days
        else f"every {settings.backup_every_days} day(s) when ExifTree runs"
    )
    click.echo(f"Catalog backups: {often}; the last {settings.backups_kept} of each kind kept.")


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


@click.command()
@click.argument("folders", nargs=-1, type=click.Path(path_type=Path))
@pass_app
def check(app: AppContext, folders: tuple[Path, ...]) -> None:
    """Check that every photo's original is still there (only under FOLDERS when given).

    A photo whose original is gone is marked missing, never failed: it keeps everything
    you did and still publishes from its thumbnails. Exits 1 when some are missing."""
    from catalog.originals import check_originals, missing_folders

    result = check_originals(app.catalog, list(folders) or None)
    click.echo(f"Checked {result.checked} photos: {len(result.missing)} missing "
               f"({result.newly_missing} newly), {result.found_again} found again.")  # fmt: skip
    if not result.missing:
        return
    with app.catalog.reading() as session:
        folders_missing = missing_folders(session)
    click.echo("Missing originals, by folder:")
    for folder, count in folders_missing:
        click.echo(f"  {count:>6}  {folder}")
    click.echo("Reconnect the drive, or re-link a moved folder with: "
               "exiftree relocate OLD_FOLDER NEW_FOLDER")  # fmt: skip
    raise click.exceptions.Exit(1)


@click.command()
@click.argument("old_prefix", type=click.Path(path_type=Path))
@click.argument("new_prefix", type=click.Path(path_type=Path))
@pass_app
def relocate(app: AppContext, old_prefix: Path, new_prefix: Path) -> None:
    """Re-link the photos under OLD_PREFIX to their files under NEW_PREFIX.

    Each file is accepted only when its SHA-256 is the photo's: same relative path first,
    else any file of the same size under NEW_PREFIX (renamed files are found too)."""
    from catalog.relocate import relocate as relocate_folder

    result = relocate_folder(app.catalog, old_prefix, new_prefix)
    if not result.considered:
        click.echo(f"No photo in the catalog is under {old_prefix}.")
        raise click.exceptions.Exit(1)
    click.echo(f"Re-linked {len(result.relinked)} of {result.considered} photos "
               f"from {old_prefix} to {new_prefix}.")  # fmt: skip
    if result.not_found:
        click.echo(f"{len(result.not_found)} not found under {new_prefix} "
                   "(no file there has their content):", err=True)  # fmt: skip
        for path in result.not_found[:20]:
            click.echo(f"  {path}", err=True)
        if len(result.not_found) > 20:
            click.echo(f"  … and {len(result.not_found) - 20} more", err=True)
        raise click.exceptions.Exit(1)


COMMANDS = [backup, restore, check, relocate]
