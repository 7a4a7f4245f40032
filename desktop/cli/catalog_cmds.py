"""Catalog commands that need no pipeline: where the catalog is."""

from __future__ import annotations

import click

from desktop.cli.context import AppContext, pass_app


@click.command()
@pass_app
def where(app: AppContext) -> None:
    """Print the catalog folder."""
    click.echo(str(app.catalog.root))


COMMANDS = [where]
