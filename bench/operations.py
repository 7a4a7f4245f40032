"""Operations benchmark: what an undoable bulk edit costs over the bare edit.

On a synthetic catalog of N photos (``bench/desktop.py``'s builder, cached in --workdir),
times, each in the same run:

* baseline: ``catalog.edits.set_rating`` on every photo (the edit alone, no undo);
* ``catalog.operations.set_rating`` on every photo (capture before + edit);
* its undo, and the redo;
* ``catalog.operations.add_tags`` of one tag on every photo, and its undo;
* ``catalog.operations.edit_tags`` (the inspector's tag field: one tag on, one off), and its undo;
* ``catalog.selection.summarise`` of every photo (the inspector's select-all).

    .venv/bin/python bench/operations.py [--photos 100000] [--workdir /tmp/exiftree-bench]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def timed(label: str, fn: Callable[[], Any]) -> Any:
    """Wall and CPU time (the machine is shared: CPU is the steadier figure)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"{label:<44} {wall:7.2f} s wall {cpu:7.2f} s CPU", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/exiftree-bench"))
    args = parser.parse_args()
    from bench.desktop import build_catalog
    from catalog import edits, operations
    from catalog.catalog import Catalog
    from catalog.models import Photo
    from catalog.selection import summarise

    source = args.workdir / f"catalog-{args.photos}"
    build_catalog(source, args.photos)  # once: it leaves a marker
    root = args.workdir / f"operations-{args.photos}"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(source, root, ignore=shutil.ignore_patterns("thumbs"))
    with Catalog.open(root) as catalog:
        with catalog.reading() as session:
            ids = list(session.scalars(Photo.__table__.select().with_only_columns(Photo.id)))
        n = len(ids)
        print(f"{n:,} photos; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        timed("baseline: edits.set_rating (no undo)", lambda: edits.set_rating(catalog, ids, 2))
        changes = timed("operations.set_rating (undoable)",
                        lambda: operations.set_rating(catalog, ids, 3))  # fmt: skip
        undone = timed("  undo", lambda: operations.undo(catalog, changes))
        timed("  redo", lambda: operations.redo(catalog, undone))
        tagged = timed("operations.add_tags (one tag, undoable)",
                       lambda: operations.add_tags(catalog, ids, ["bench"]))  # fmt: skip
        timed("  undo", lambda: operations.undo(catalog, tagged))
        edited = timed(
            "operations.edit_tags (+1 tag, -1 tag, undoable)",
            lambda: operations.edit_tags(catalog, ids, ["harbour"], ["sea"]),
        )
        timed("  undo", lambda: operations.undo(catalog, edited))
        with catalog.reading() as session:
            timed("selection.summarise (select all)", lambda: summarise(session, ids))


if __name__ == "__main__":
    main()
