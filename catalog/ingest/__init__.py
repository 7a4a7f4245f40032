"""The ingest pipeline: import folders of photos into the catalog, fast and safely.

Stages live in their own modules (discover, validate, exif, imaging, duplicates); the worker
side is :mod:`catalog.ingest.worker`, the single-writer side :mod:`catalog.ingest.commit`,
and :mod:`catalog.ingest.pipeline` assembles them in one readable ``run()``.

The pipeline (numpy, Pillow) loads on first use of one of its names, not when a
light sibling such as :mod:`catalog.ingest.sidecars` is imported (issue 15: ``exiftree
list`` paid a second and a half for it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from catalog.ingest.pipeline import reprocess, run_import
    from catalog.ingest.result import ImportResult

__all__ = ["ImportResult", "reprocess", "run_import"]


def __getattr__(name: str) -> Any:
    if name == "ImportResult":
        from catalog.ingest.result import ImportResult

        return ImportResult
    if name in __all__:
        from catalog.ingest import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
