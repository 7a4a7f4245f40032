"""The ``exiftree`` command line, Qt-free: ``main`` (the entry point), the top-level ``cli``
group, the shared :class:`~desktop.cli.context.AppContext`, one ``*_cmds`` module per area
(each exports ``COMMANDS``)."""

from desktop.cli.main import cli, main

__all__ = ["cli", "main"]
