"""The catalog's photo concepts. Import models from here."""

from catalog.models.collection import Collection, CollectionPhoto
from catalog.models.gear import Camera, CameraAlias, Lens, LensAlias
from catalog.models.photo import ExifData, Photo
from catalog.models.place import City
from catalog.models.setting import AiCacheEntry, Setting
from catalog.models.sidecar import PhotoSidecar
from catalog.models.tag import PhotoTag, Tag
from catalog.states import Source, Status, Visibility

__all__ = [
    "AiCacheEntry",
    "Camera",
    "CameraAlias",
    "City",
    "Collection",
    "CollectionPhoto",
    "ExifData",
    "Lens",
    "LensAlias",
    "Photo",
    "PhotoSidecar",
    "PhotoTag",
    "Setting",
    "Source",
    "Status",
    "Tag",
    "Visibility",
]
