"""The ingest pipeline: import folders of photos into the catalog, fast and safely.

Stages live in their own modules (discover, validate, exif, imaging, duplicates); the worker
side is :mod:`catalog.ingest.worker`, the single-writer side :mod:`catalog.ingest.commit`,
and :mod:`catalog.ingest.pipeline` assembles them in one readable ``run()``.

The pipeline is loaded on first use, not with the package: it brings numpy, scipy and
Pillow (~0.8 s), and a light stage module (``discover``'s file suffixes, which the
desktop's inspector reads) must not pay for them before the first window shows.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from catalog.ingest.pipeline import ImportResult, reprocess, run_import

_PIPELINE = {"ImportResult", "reprocess", "run_import"}


def __getattr__(name: str) -> Any:
    if name in _PIPELINE:
        from catalog.ingest import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'catalog.ingest' has no attribute {name!r}")


__all__ = ["ImportResult", "reprocess", "run_import"]
