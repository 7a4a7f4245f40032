"""Cameras and lenses: canonical names from raw EXIF, and the owner's aliases and merges.

City merges and renames live in :mod:`catalog.places` and are re-exported here, so the
owner's three kinds of "gear" edits have one home.
"""

from catalog.gear.cameras import add_camera_alias, merge_cameras, rename_camera, resolve_camera
from catalog.gear.city_rows import add_city_alias, merge_cities, rename_city
from catalog.gear.errors import GearConflictError
from catalog.gear.lens_rows import add_lens_alias, merge_lenses, rename_lens, resolve_lens
from catalog.gear.lenses import lens_spec, normalise_lens
from catalog.gear.names import camera_display_name, normalise_camera

__all__ = [
    "GearConflictError",
    "add_camera_alias",
    "add_city_alias",
    "add_lens_alias",
    "camera_display_name",
    "lens_spec",
    "merge_cameras",
    "merge_cities",
    "merge_lenses",
    "normalise_camera",
    "normalise_lens",
    "rename_camera",
    "rename_city",
    "rename_lens",
    "resolve_camera",
    "resolve_lens",
]
