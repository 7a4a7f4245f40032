"""CPU time of a whole ``exiftree import --workers 1 FOLDER`` for two trees, in one run.

CPU (user + sys of the import process), not wall time, so that a shared machine's load
does not decide the comparison; the trees alternate round by round. Each import goes into
a new catalog created beforehand (untimed), as every import but an owner's first.

    .venv/bin/python bench/import_cpu.py FOLDER --baseline-tree /tmp/base [--rounds 3]

(``git worktree add /tmp/base REV`` makes the baseline tree.) Used for issue 12's "ingest
speed within 10 % of the Pillow reader": docs/metadata.md, "Cost per photo".
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-c", "import sys; from desktop.cli import main; sys.exit(main())"]


def import_cpu(tree: Path, folder: Path, scratch: Path) -> tuple[float, str]:
    """CPU seconds of one import by ``tree`` into a new catalog, and its summary line."""
    env = {**os.environ, "PYTHONPATH": str(tree), "EXIFTREE_HOME": str(scratch / "catalog"),
           "XDG_CACHE_HOME": str(scratch / "cache")}  # fmt: skip
    subprocess.run([*CLI, "list"], env=env, check=True, capture_output=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([*CLI, "import", "--workers", "1", str(folder)], env=env,
                          check=True, capture_output=True, text=True)  # fmt: skip
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return cpu, (done.stdout.strip().splitlines() or [""])[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--baseline-tree", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    trees = {"baseline": args.baseline_tree.resolve(), "this tree": REPO}
    cpu: dict[str, list[float]] = {name: [] for name in trees}
    for round_no in range(args.rounds):
        for name, tree in trees.items():
            with tempfile.TemporaryDirectory(prefix="exiftree-import-cpu-") as scratch:
                seconds, summary = import_cpu(tree, args.folder, Path(scratch))
            cpu[name].append(seconds)
        print(f"round {round_no + 1}: " + ", ".join(f"{n} {v[-1]:.2f} s" for n, v in cpu.items())
              + f"; load {os.getloadavg()[0]:.1f}; {summary}", flush=True)  # fmt: skip
    base, this = (statistics.median(cpu[name]) for name in trees)
    print(f"median CPU: baseline {base:.2f} s, this tree {this:.2f} s: {this / base:.3f}x")


if __name__ == "__main__":
    main()
