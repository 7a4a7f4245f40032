"""What every command is handed: the catalog folder, opened on first use.

Kept out of ``desktop/cli/main.py`` so that command modules never import the module that
registers them. (The Qt app's counterpart is ``desktop/context.py``'s ``DesktopContext``.)
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

if TYPE_CHECKING:  # SQLAlchemy and the models load when a command opens the catalog
    from catalog.catalog import Catalog


class AppContext:
    """What every command gets: the catalog folder, opened on first use."""

    def __init__(self, home: Path | None) -> None:
        self.home = home
        self._catalog: Catalog | None = None

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            from catalog.catalog import Catalog

            self._catalog = Catalog.open(self.home)
            _scheduled_backup(self._catalog)
        return self._catalog

    @property
    def root(self) -> Path:
        """The catalog folder, without opening the catalog (backup, restore)."""
        from catalog.paths import default_home

        return self.home if self.home is not None else default_home()

    def close(self) -> None:
        if self._catalog is not None:
            self._catalog.close()


def _scheduled_backup(catalog: Catalog) -> None:
    """The owner's daily (or other) backup; a failed backup warns but never stops the work."""
    from catalog.backup import BackupError, backup_on_schedule

    try:
        backup_on_schedule(catalog)
    except BackupError as exc:
        click.echo(f"warning: {exc}", err=True)


R = TypeVar("R")
_pass_context = click.make_pass_decorator(AppContext)


def pass_app(command: Callable[..., R]) -> Callable[..., R]:
    """Hand a command the :class:`AppContext` as its first argument, ``app`` (click's
    pass decorator, typed so that the argument may keep its name)."""
    return _pass_context(command)
