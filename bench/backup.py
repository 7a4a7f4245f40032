"""Catalog care at scale: a backup, the checks at open, and `check` over every original.

Builds (or reuses) a synthetic catalog with ``bench/query.py``'s ``build_catalog`` and times,
in the same run, each step against the straightforward way:

- backup (SQLite backup API + quick_check, while the catalog is open) vs a plain file copy
  of ``catalog.sqlite`` after a checkpoint (what copying the file by hand does; not safe
  while anything writes);
- ``Catalog.open`` on an up-to-date catalog (with the damage and read-only checks) vs
  opening the SQLite file and reading one row;
- ``check_originals`` over every photo (one stat each) vs a bare ``os.stat`` loop.

    .venv/bin/python bench/backup.py [--photos 100000] [--catalog DIR] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import closing, suppress
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from catalog.backup import make_backup, prune  # noqa: E402
from catalog.catalog import Catalog  # noqa: E402
from catalog.originals import check_originals  # noqa: E402


def timed(fn: Callable[[], object], repeat: int) -> float:
    """The median of ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--photos", type=int, default=100_000)
    parser.add_argument("--catalog", type=Path, help="reuse or create the catalog here")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    root = args.catalog or Path(tempfile.mkdtemp(prefix="exiftree-bench-backup-"))
    if not (root / "catalog.sqlite").exists():
        from bench.query import build_catalog

        t0 = time.perf_counter()
        build_catalog(root, args.photos).close()
        print(f"built {args.photos} photos in {time.perf_counter() - t0:.1f} s at {root}")
    catalog = Catalog.open(root)
    size_mb = catalog.db_path.stat().st_size / 1e6
    scratch = Path(tempfile.mkdtemp(prefix="exiftree-bench-copy-"))

    def plain_copy() -> None:
        with closing(sqlite3.connect(catalog.db_path)) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copyfile(catalog.db_path, scratch / "copy.sqlite")

    def backup() -> None:
        make_backup(catalog.root, "bench")
        prune(catalog.root, 1, "bench")

    def bare_open() -> None:
        with closing(sqlite3.connect(catalog.db_path)) as db:
            db.execute("SELECT version_num FROM alembic_version").fetchone()

    def paths() -> list[str]:
        with closing(sqlite3.connect(catalog.db_path)) as db:
            return [r[0] for r in db.execute("SELECT source_path FROM photos")]

    def bare_stats() -> None:
        for path in paths():
            with suppress(OSError):
                os.stat(path)

    rows = [
        ("backup (backup API + quick_check)", backup, "plain file copy", plain_copy),
        (
            "Catalog.open, up to date",
            lambda: Catalog.open(root).close(),
            "sqlite3 open + 1 row",
            bare_open,
        ),  # fmt: skip
        (
            "check_originals, every photo",
            lambda: check_originals(catalog),
            "os.stat loop",
            bare_stats,
        ),  # fmt: skip
    ]
    print(f"catalog: {size_mb:.0f} MB, {len(paths())} photos; median of {args.repeat}")
    print(f"{'step':<36} {'ExifTree':>10} {'baseline':>10}  ratio  (baseline)")
    for name, ours, base_name, base in rows:
        mine, theirs = timed(ours, args.repeat), timed(base, args.repeat)
        print(f"{name:<36} {mine:>9.3f}s {theirs:>9.3f}s {mine / theirs:6.1f}×  ({base_name})")
    catalog.close()
    shutil.rmtree(scratch)


if __name__ == "__main__":
    main()
