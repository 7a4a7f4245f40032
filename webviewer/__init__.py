"""webviewer."""
