"""The ingest pipeline: import folders of photos into the catalog, fast and safely.

Stages live in their own modules (discover, validate, exif, imaging, duplicates); the worker
side is :mod:`catalog.ingest.worker`, the single-writer side :mod:`catalog.ingest.commit`,
and :mod:`catalog.ingest.pipeline` assembles them in one readable ``run()``.
"""

from catalog.ingest.pipeline import ImportResult, reprocess, run_import

__all__ = ["ImportResult", "reprocess", "run_import"]
