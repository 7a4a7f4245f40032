"""Where the style sheet, icons and prompts are: in a checkout or inside a PyInstaller bundle.

Its own module so that views can find their icons without importing the application's
entry point (``desktop/qt_app.py`` imports the views).
"""

from __future__ import annotations

import sys
from pathlib import Path

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def resources_dir() -> Path:
    """The resources folder, in a checkout or inside a PyInstaller bundle."""
    bundled = Path(getattr(sys, "_MEIPASS", "")) / "resources"
    return bundled if bundled.is_dir() else RESOURCES
