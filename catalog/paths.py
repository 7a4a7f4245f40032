"""Where the catalog lives: ``--catalog DIR``, else ``$EXIFTREE_HOME``, else the user data dir."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs


def default_home() -> Path:
    """The catalog folder a new user gets, honouring ``EXIFTREE_HOME``."""
    override = os.environ.get("EXIFTREE_HOME")
    if override:
        return Path(override).expanduser()
    return platformdirs.user_data_path("exiftree", appauthor=False)
