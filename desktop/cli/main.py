"""The ``exiftree`` command line: composes catalog, publisher and webviewer.

Each command group lives in its own ``desktop/cli/*_cmds.py``; this module owns the
top-level group, the shared ``--catalog`` option and the one place where errors become
messages and exit codes (no traceback ever reaches the user).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from catalog.errors import CatalogError
from desktop.cli.context import AppContext


@click.group()
@click.version_option(package_name="exiftree")
@click.option(
    "--catalog",
    "home",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="EXIFTREE_HOME",
    help="Catalog folder (default: $EXIFTREE_HOME, else the user data folder).",
)
@click.pass_context
def cli(ctx: click.Context, home: Path | None) -> None:
    """ExifTree: your photo catalog, published as a portfolio."""
    app = AppContext(home)
    ctx.obj = app
    ctx.call_on_close(app.close)


def _register() -> None:
    """Attach every command group; one line per ``*_cmds`` module in desktop/cli/."""
    from desktop.cli import (
        ai_cmds,
        catalog_care_cmds,
        catalog_cmds,
        flickr_cmds,
        gear_cmds,
        ingest_cmds,
        lightroom_cmds,
        photo_cmds,
        publish_cmds,
        serve_cmds,
        sidecar_cmds,
        site_cmds,
    )

    for module in (
        catalog_cmds,
        catalog_care_cmds,
        ai_cmds,
        photo_cmds,
        gear_cmds,
        ingest_cmds,
        flickr_cmds,
        lightroom_cmds,
        publish_cmds,
        serve_cmds,
        sidecar_cmds,
        site_cmds,
    ):
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


def main(argv: list[str] | None = None) -> int:
    """Entry point: every error becomes a message and an exit code, never a traceback
    (known ones exit 2; anything unforeseen exits 1, naming its type so it can be reported)."""
    args = sys.argv[1:] if argv is None else argv
    for arg in args:  # an undecodable byte in a name would fail deep inside, on first use
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            click.echo(f"error: argument {arg!r} is not valid UTF-8 text", err=True)
            return 2
    try:
        code = cli.main(args=args, prog_name="exiftree", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except CatalogError as exc:
        click.echo(f"error: {exc}", err=True)
        return 2
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        return 130
    except Exception as exc:  # noqa: BLE001 - the last resort: a sentence, not a traceback
        from catalog.db import damage_of, is_busy  # SQLAlchemy: not for --help (issue 15)

        if is_busy(exc):
            click.echo("error: the catalog is busy (another ExifTree is writing); try again "
                       "when it has finished", err=True)  # fmt: skip
            return 2
        if damage := damage_of(exc):
            click.echo(f"error: the catalog is damaged ({damage}). Restore a backup: "
                       "exiftree backup --list, then exiftree restore FILE", err=True)  # fmt: skip
            return 2
        return _unexpected(exc)
    return code if isinstance(code, int) else 0  # e.g. describe's Exit(1) when photos failed


def _unexpected(exc: BaseException) -> int:
    click.echo(f"error: {type(exc).__name__}: {exc}", err=True)
    click.echo("(an unexpected error: please report it with the command that caused it)", err=True)
    return 1
