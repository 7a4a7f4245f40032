"""What every command is handed: the catalog folder, opened on first use.

Kept out of ``desktop/cli/main.py`` so that command modules never import the module that
registers them. (The Qt app's counterpart is ``desktop/context.py``'s ``DesktopContext``.)
"""

from __future__ import annotations

from pathlib import Path

import click

from catalog.catalog import Catalog


class AppContext:
    """What every command gets: the catalog folder, opened on first use."""

    def __init__(self, home: Path | None) -> None:
        self.home = home
        self._catalog: Catalog | None = None

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            self._catalog = Catalog.open(self.home)
        return self._catalog

    def close(self) -> None:
        if self._catalog is not None:
            self._catalog.close()


pass_app = click.make_pass_decorator(AppContext)
