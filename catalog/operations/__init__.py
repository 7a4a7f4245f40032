"""The one operations layer: every owner edit as ``op(catalog, …) -> Changes``.

The command line, the desktop and the tests call these, never the edit functions below them,
so each edit returns what it changed (for the views to refresh just that) and carries its
undo (for the desktop's Edit menu). See :mod:`catalog.operations.core` for how.
"""

from catalog.operations import collections
from catalog.operations.core import (
    Changes,
    NothingToUndoError,
    Restore,
    counted,
    forget_undo,
    invert,
    recorded,
    redo,
    undo,
)
from catalog.operations.gear import KINDS, GearCount, gear_counts, gear_row, merge, rename
from catalog.operations.photos import (
    add_tags,
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

__all__ = [
    "KINDS",
    "Changes",
    "NothingToUndoError",
    "Restore",
    "add_tags",
    "collections",
    "counted",
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
    "rotate",
    "set_description",
    "set_rating",
    "set_title",
    "set_visibility",
    "shift_time",
    "undo",
]
