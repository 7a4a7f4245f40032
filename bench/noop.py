"""The commands a user runs when nothing changed, timed for two ExifTree trees in one run.

    PYTHONPATH=. .venv/bin/python bench/noop.py [--photos 120] [--rounds 7]
        [--baseline /work/main] [--candidate .]

Issue 15's "nothing changed" row: ``exiftree import FOLDER`` (a rescan of an imported
folder) then ``exiftree publish --yes`` (to the catalog's own ``site/`` folder), against
sigal's no-op rebuild (0.29-0.38 s for 120 photos; ``bench/peers.py`` runs sigal itself).
Also the CLI start row: ``--help``, ``--version`` and ``list`` of an empty catalog.

Each tree gets its own copy of one catalog (imported, made public and published once), so
neither rewrites the other's publish fingerprint, and its own cache folder (the remembered
migrations head). Commands run as fresh processes, the way the console script runs them,
interleaved round by round so both trees share the machine's load; the figures are the
median wall time and the median CPU time (user + system) of the child processes, which a
shared machine distorts less. The photos are small (1200 px): a no-op reads none of them.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest import with_exif  # noqa: E402
from PIL import Image  # noqa: E402

HERE = Path(__file__).resolve().parent.parent
CLI = "import sys; from desktop.cli import main; sys.exit(main())"  # as the console script


def generate(folder: Path, count: int) -> None:
    """``count`` 1200x800 JPEGs, each with its own EXIF (so its own SHA-256)."""
    folder.mkdir(parents=True)
    bases = []
    for seed in range(3):
        image = Image.effect_noise((1200, 800), 30 + 10 * seed).convert("RGB")
        out = io.BytesIO()
        image.save(out, "JPEG", quality=85)
        bases.append(out.getvalue())
    for i in range(count):
        (folder / f"DSC_{i:05d}.jpg").write_bytes(with_exif(bases[i % 3], i))


def run(tree: Path, cache: Path, args: list[str], home: Path | None) -> tuple[float, float, str]:
    """One command in a fresh process: (wall s, CPU s of the child, its stdout)."""
    env = {**os.environ, "PYTHONPATH": str(tree), "XDG_CACHE_HOME": str(cache)}
    if home is not None:
        env["EXIFTREE_HOME"] = str(home)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CLI, *args],
        env=env,
        cwd=cache.parent,  # not a tree: -c puts the working folder first on the path
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"{tree}: exiftree {' '.join(args)} failed:\n{done.stderr}")
    return wall, cpu, done.stdout


def prepare(root: Path, count: int) -> Path:
    """A catalog that imported ``count`` photos, made them public and published them."""
    photos, home, cache = root / "photos", root / "catalog", root / "cache-prepare"
    generate(photos, count)
    run(HERE, cache, ["import", "--workers", "2", str(photos)], home)
    listed = run(HERE, cache, ["list", "--json"], home)[2]
    ids = [json.loads(line)["id"] for line in listed.splitlines()]
    run(HERE, cache, ["set", "--public", *ids], home)
    run(HERE, cache, ["publish", "--yes"], home)
    return home


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=120)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--baseline", type=Path, default=Path("/work/main"))
    parser.add_argument("--candidate", type=Path, default=HERE)
    args = parser.parse_args()
    trees = {"baseline": args.baseline.resolve(), "candidate": args.candidate.resolve()}
    print(f"load before: {os.getloadavg()[0]:.2f}; {os.cpu_count()} cores; trees: {trees}")
    with tempfile.TemporaryDirectory(prefix="exiftree-noop-") as temp:
        root = Path(temp)
        master = prepare(root, args.photos)
        jobs: dict[str, list[tuple[str, list[str], Path | None]]] = {}
        for name, tree in trees.items():
            home, empty, cache = root / f"cat-{name}", root / f"empty-{name}", root / name
            shutil.copytree(master, home)
            for warm in (["import", str(root / "photos")], ["publish", "--yes"], ["list"]):
                run(tree, cache, warm, empty if warm == ["list"] else home)  # settle caches
            run(tree, cache, ["publish", "--yes"], home)  # its own fingerprint format, then
            jobs[name] = [
                ("import (rescan)", ["import", str(root / "photos")], home),
                ("publish --yes", ["publish", "--yes"], home),
                ("list, empty catalog", ["list"], empty),
                ("--help", ["--help"], None),
                ("--version", ["--version"], None),
            ]
        times: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for _ in range(args.rounds):
            for name, tree in trees.items():
                for label, command, home in jobs[name]:
                    wall, cpu, out = run(tree, root / name, command, home)
                    if label == "publish --yes":
                        assert "Nothing changed" in out, out
                    times.setdefault((name, label), []).append((wall, cpu))
        report(times, trees, args)
    print(f"load after: {os.getloadavg()[0]:.2f}")


def report(times: dict, trees: dict[str, Path], args: argparse.Namespace) -> None:
    labels = [label for (name, label) in times if name == "baseline"]
    print(f"\nmedian of {args.rounds} rounds, {args.photos} photos: wall s / CPU s")
    print(f"{'command':<22} {'baseline':>15} {'candidate':>15}   CPU ratio")
    sums = {name: [0.0, 0.0] for name in trees}
    for label in labels:
        cells = []
        for name in trees:
            runs = times[name, label]
            wall = statistics.median(w for w, _ in runs)
            cpu = statistics.median(c for _, c in runs)
            if label in ("import (rescan)", "publish --yes"):
                sums[name][0] += wall
                sums[name][1] += cpu
            cells.append((wall, cpu))
        (bw, bc), (cw, cc) = cells
        print(f"{label:<22} {bw:6.2f} / {bc:5.2f}   {cw:6.2f} / {cc:5.2f}   {bc / cc:5.1f}x less")
    (bw, bc), (cw, cc) = sums["baseline"], sums["candidate"]
    print(f"{'no-op import+publish':<22} {bw:6.2f} / {bc:5.2f}   {cw:6.2f} / {cc:5.2f}   "
          f"{bc / cc:5.1f}x less  (sigal's no-op: 0.29-0.38 s wall, issue 15)")  # fmt: skip


if __name__ == "__main__":
    main()
