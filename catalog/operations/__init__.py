"""The one operations layer: every owner edit as ``op(catalog, …) -> Changes``.

The command line, the desktop and the tests call these, never the edit functions below them,
so each edit returns what it changed (for the views to refresh just that) and carries its
undo (for the desktop's Edit menu). See :mod:`catalog.operations.core` for how.
"""

from typing import Any

from catalog.operations import collections
from catalog.operations.core import (
    Changes,
    NothingToUndoError,
    Restore,
    UndoConflictError,
    counted,
    forget_undo,
    invert,
    recorded,
    redo,
    undo,
)
from catalog.operations.pair_source import pair_sources, use_pair_source
from catalog.operations.photos import (
    add_tags,
    approve_ai_text,
    edit_tags,
    fill_date_taken,
    fix_place,
    remove_photos,
    remove_tags,
    resolve_duplicates,
    rotate,
    set_description,
    set_rating,
    set_title,
    set_visibility,
    shift_time,
)

_GEAR = {"KINDS", "GearCount", "add_alias", "gear_counts", "gear_row", "merge", "rename"}


def __getattr__(name: str) -> Any:
    """Gear edits load the maker tables and places: only when one is asked for (the
    desktop's start and most commands never need them)."""
    if name in _GEAR:
        from catalog.operations import gear

        return getattr(gear, name)
    raise AttributeError(f"module 'catalog.operations' has no attribute {name!r}")


__all__ = [
    "KINDS",
    "Changes",
    "NothingToUndoError",
    "Restore",
    "UndoConflictError",
    "add_tags",
    "add_alias",
    "approve_ai_text",
    "collections",
    "counted",
    "edit_tags",
    "fill_date_taken",
    "fix_place",
    "forget_undo",
    "GearCount",
    "gear_counts",
    "gear_row",
    "invert",
    "merge",
    "recorded",
    "redo",
    "remove_photos",
    "remove_tags",
    "resolve_duplicates",
    "rename",
    "pair_sources",
    "rotate",
    "set_description",
    "set_rating",
    "set_title",
    "set_visibility",
    "use_pair_source",
    "shift_time",
    "undo",
]
