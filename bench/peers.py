"""Folder → live gallery: ExifTree against the static gallery generators, in the same run.

    .venv/bin/python bench/peers.py [--photos 120] [--rounds 3] [--workers 2] [--no-thumbsup]

What a photographer who times their own workflow sees. The same generated folder of 24 MP
JPEGs with EXIF (bench/ingest.py's generator; every fourth photo needs turning upright) is
turned into a gallery by:

- ExifTree: ``exiftree import --workers 2 FOLDER`` then ``exiftree publish --yes`` to the
  catalog's local site folder (three renditions a photo, 300/800/1600 px, plus a catalog,
  perceptual hashes, SHA-256 and an atomic snapshot). New imports are made public first
  (``default_visibility``, a one-time setting, untimed), as sigal publishes everything.
- sigal (from PyPI, pinned, in a throwaway venv): ``sigal build -n 2`` with
  ``img_size=(1600, 1600)`` and ``thumb_size=(300, 300)``.
- thumbsup (from npm, in a throwaway folder) with ``--large-size 1600 --thumb-size 300
  --concurrency 2``, when it installs and runs here (it needs Debian's exiftool and
  GraphicsMagick); otherwise the bench says why and goes on without it.

Two jobs, each tool's runs interleaved round by round (the order turns each round, so a
neighbour's burst on a shared machine does not always hit the same tool): (a) first run,
into a fresh catalog / output folder; (b) the same command again with nothing changed
(ExifTree: the import's rescan + a publish that finds nothing to do). Each run is a fresh
process, as a user runs it, so the figures include each command's start. Reported: the
median wall time, its range, the children's CPU time (user+sys, fairer under load) and the
ratio ExifTree / sigal per round. ``uptime`` is printed before and after.

Installs (once, cached under --tools, default /tmp/exiftree-peers-tools):
``python3 -m venv DIR/sigal && DIR/sigal/bin/pip install sigal==2.6.1``;
``apt-get install graphicsmagick`` (exiftool: libimage-exiftool-perl) and
``npm install --prefix DIR/thumbsup thumbsup@2.18``.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIGAL_VERSION = "2.6.1"
THUMBSUP_VERSION = "2.18"
SIGAL_CONF = """\
img_size = (1600, 1600)
thumb_size = (300, 300)
"""
THUMBSUP_TIMEOUT_S = 15 * 60


@dataclass
class Timing:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)


def run_timed(
    cmd: list[str],
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float | None = None,
) -> tuple[float, float]:
    """Wall and CPU seconds (user+sys, of the command and every process it started) of one
    command; its output is shown only when it fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    wall = time.perf_counter() - start
    reap_orphans()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {done.returncode}:\n{done.stdout}{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def become_subreaper() -> None:
    """Processes a command leaves behind (the import's forkserver, which reaps its workers)
    become ours when it exits, so their CPU time is counted when :func:`reap_orphans` waits
    for them; otherwise it would be lost with them (Linux only; elsewhere CPU undercounts)."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


def reap_orphans(patience_s: float = 10.0) -> None:
    deadline = time.monotonic() + patience_s
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return  # none left
        if pid == 0:
            time.sleep(0.02)  # an orphan still finishing (a forkserver sees its EOF)


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


# --- the tools ----------------------------------------------------------------------------


def install_sigal(tools: Path) -> Path:
    venv = tools / "sigal"
    exe = venv / "bin" / "sigal"
    if not exe.exists():
        print(f"installing sigal {SIGAL_VERSION} into {venv} ...", flush=True)
        subprocess.run(["python3", "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "-q", f"sigal=={SIGAL_VERSION}"], check=True
        )
    return exe


def install_thumbsup(tools: Path) -> tuple[Path | None, str]:
    """thumbsup's executable, or None and why it is left out."""
    for need, package in (("exiftool", "libimage-exiftool-perl"), ("gm", "graphicsmagick")):
        if shutil.which(need) is None:
            return None, f"no {need} on the PATH (apt-get install {package})"
    if shutil.which("npm") is None:
        return None, "no npm"
    folder = tools / "thumbsup"
    exe = folder / "node_modules" / ".bin" / "thumbsup"
    if not exe.exists():
        print(f"installing thumbsup {THUMBSUP_VERSION} into {folder} ...", flush=True)
        folder.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                str(folder),
                "--no-audit",
                "--no-fund",
                f"thumbsup@{THUMBSUP_VERSION}",
            ],
            capture_output=True,
            text=True,
            timeout=THUMBSUP_TIMEOUT_S,
        )
        if done.returncode != 0 or not exe.exists():
            tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            return None, "npm install failed: " + " / ".join(tail)
    return exe, ""


def exiftree_env(catalog: Path, tree: Path = ROOT) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(tree), EXIFTREE_HOME=str(catalog))
    env.pop("QT_QPA_PLATFORM", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed exiftree has its bytecode
    return env


def compile_tree(tree: Path) -> None:
    """Write the checkout's bytecode once, untimed, as ``pip install`` does for a user (and
    for sigal here): otherwise each command would compile every module it loads."""
    packages = [str(tree / p) for p in ("catalog", "desktop", "publisher", "webviewer")]
    subprocess.run([sys.executable, "-m", "compileall", "-q", *packages], check=True)


def exiftree_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "desktop.cli", *args]


def new_public_catalog(catalog: Path, tree: Path = ROOT) -> None:
    """A catalog whose new imports are public (sigal publishes everything): untimed setup."""
    code = (
        "from pathlib import Path\n"
        "from catalog.catalog import Catalog\n"
        "from catalog.settings import load_settings, save_settings\n"
        f"c = Catalog.open(Path({str(catalog)!r}))\n"
        "with c.writing() as s:\n"
        "    save_settings(s, load_settings(s).replace(default_visibility='public'))\n"
        "c.close()\n"
    )
    subprocess.run(
        [sys.executable, "-c", code], env=exiftree_env(catalog, tree), cwd=tree, check=True
    )


class Peer:
    name: str
    rounds: int | None = None  # None: every round

    def first(self, round_dir: Path) -> tuple[float, float]:
        raise NotImplementedError

    def again(self, round_dir: Path) -> tuple[float, float]:
        raise NotImplementedError


@dataclass
class ExifTree(Peer):
    photos: Path
    workers: int
    name: str = "ExifTree"
    tree: Path = ROOT  # the checkout to run (--baseline-tree: another one, same run)
    parts: dict[str, list[float]] = field(default_factory=dict)

    def _both(self, catalog: Path, label: str) -> tuple[float, float]:
        env = exiftree_env(catalog, self.tree)
        cwd = self.tree  # `python -m` puts the working folder first on the path
        imp = run_timed(
            exiftree_cmd("import", "--workers", str(self.workers), str(self.photos)),
            env=env,
            cwd=cwd,
        )
        pub = run_timed(exiftree_cmd("publish", "--yes"), env=env, cwd=cwd)
        for part, (wall, cpu) in (("import", imp), ("publish", pub)):
            self.parts.setdefault(f"{label} {part}", []).append(wall)
            self.parts.setdefault(f"{label} {part} CPU", []).append(cpu)
        return imp[0] + pub[0], imp[1] + pub[1]

    def first(self, round_dir: Path) -> tuple[float, float]:
        catalog = round_dir / "exiftree"
        new_public_catalog(catalog, self.tree)
        result = self._both(catalog, "first")
        site = catalog / "site"
        count = sum(1 for _ in site.rglob("*.jpg"))
        if count < count_jpegs(self.photos):  # at least one rendition a photo
            raise RuntimeError(f"ExifTree published only {count} renditions into {site}")
        return result

    def again(self, round_dir: Path) -> tuple[float, float]:
        return self._both(round_dir / "exiftree", "again")


@dataclass
class Sigal(Peer):
    exe: Path
    photos: Path
    workers: int
    name: str = "sigal"

    def _build(self, round_dir: Path) -> tuple[float, float]:
        conf = round_dir / "sigal.conf.py"
        conf.write_text(SIGAL_CONF)
        out = round_dir / "sigal"
        cmd = [
            str(self.exe),
            "build",
            "-q",
            "-c",
            str(conf),
            "-n",
            str(self.workers),
            str(self.photos),
            str(out),
        ]
        return run_timed(cmd, cwd=round_dir)

    def first(self, round_dir: Path) -> tuple[float, float]:
        return self._build(round_dir)

    def again(self, round_dir: Path) -> tuple[float, float]:
        return self._build(round_dir)


@dataclass
class Thumbsup(Peer):
    exe: Path
    photos: Path
    workers: int
    name: str = "thumbsup"
    rounds: int | None = 1

    def _build(self, round_dir: Path) -> tuple[float, float]:
        cmd = [
            str(self.exe),
            "--input",
            str(self.photos),
            "--output",
            str(round_dir / "thumbsup"),
            "--thumb-size",
            "300",
            "--large-size",
            "1600",
            "--concurrency",
            str(self.workers),
            "--log",
            "default",
        ]
        return run_timed(cmd, cwd=round_dir, timeout=THUMBSUP_TIMEOUT_S)

    def first(self, round_dir: Path) -> tuple[float, float]:
        return self._build(round_dir)

    def again(self, round_dir: Path) -> tuple[float, float]:
        return self._build(round_dir)


# --- the run ------------------------------------------------------------------------------


def count_jpegs(folder: Path) -> int:
    return sum(1 for p in folder.iterdir() if p.suffix.lower() in (".jpg", ".jpeg"))


def generate_photos(folder: Path, count: int) -> None:
    from bench.ingest import generate  # 24 MP, detail at every scale, its own EXIF each

    start = time.perf_counter()
    generate(folder, count)
    size = sum(p.stat().st_size for p in folder.glob("*.jpg")) / 1e6
    print(f"generated {count} photos ({size:.0f} MB) in {time.perf_counter() - start:.0f} s")


def fmt(values: list[float]) -> str:
    if not values:
        return "-"
    med = statistics.median(values)
    return f"{med:.2f} s ({min(values):.2f}–{max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=120, help="24 MP photos to generate")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-thumbsup", action="store_true", help="leave thumbsup out")
    parser.add_argument(
        "--thumbsup-rounds", type=int, default=1, help="rounds thumbsup runs in (it is slow)"
    )
    parser.add_argument(
        "--baseline-tree", type=Path, help="also run the ExifTree of this checkout (before/after)"
    )
    parser.add_argument(
        "--tools", type=Path, default=Path(tempfile.gettempdir()) / "exiftree-peers-tools"
    )
    parser.add_argument(
        "--photos-dir",
        type=Path,
        help="photos to use as they are; generated here when empty or missing",
    )
    args = parser.parse_args()

    args.tools.mkdir(parents=True, exist_ok=True)
    become_subreaper()
    with tempfile.TemporaryDirectory(prefix="exiftree-peers-") as tmp:
        work = Path(tmp)
        photos = args.photos_dir or work / "photos"
        if any(photos.glob("*")):  # a folder given: used as it is, never changed
            print(f"using the {count_jpegs(photos)} JPEGs in {photos} as they are")
        else:
            generate_photos(photos, args.photos)
        exiftree = ExifTree(photos, args.workers)
        compile_tree(ROOT)
        peers: list[Peer] = [exiftree, Sigal(install_sigal(args.tools), photos, args.workers)]
        baseline = None
        if args.baseline_tree:
            tree = args.baseline_tree.resolve()
            baseline = ExifTree(photos, args.workers, name=f"ExifTree@{tree.name}", tree=tree)
            compile_tree(tree)
            peers.insert(1, baseline)
        if not args.no_thumbsup:
            exe, why = install_thumbsup(args.tools)
            if exe is None:
                print(f"thumbsup left out: {why}")
            else:
                peers.append(Thumbsup(exe, photos, args.workers, rounds=args.thumbsup_rounds))
        print(f"before: {uptime()}", flush=True)
        first = {p.name: Timing() for p in peers}
        again = {p.name: Timing() for p in peers}
        for r in range(args.rounds):
            order = peers[r % len(peers) :] + peers[: r % len(peers)]
            for peer in order:
                if peer.rounds is not None and r >= peer.rounds:
                    continue
                round_dir = work / f"round{r}-{peer.name}"
                round_dir.mkdir()
                for job, table in (("first", first), ("again", again)):
                    run: Callable[[Path], tuple[float, float]] = getattr(peer, job)
                    wall, cpu = run(round_dir)
                    table[peer.name].wall.append(wall)
                    table[peer.name].cpu.append(cpu)
                    print(
                        f"round {r + 1} {peer.name:9} {job:5}: {wall:6.2f} s wall, "
                        f"{cpu:6.2f} s CPU",
                        flush=True,
                    )
                shutil.rmtree(round_dir)
        print(f"after:  {uptime()}")
        print(
            f"\n{args.photos} photos, {args.workers} workers, {os.cpu_count()} cores, "
            f"median (range) of {args.rounds} rounds, wall; CPU user+sys median"
        )
        against = ["sigal"] + ([baseline.name] if baseline else [])
        heads = [p.name for p in peers] + [f"ExifTree / {name}" for name in against]
        print("| job | " + " | ".join(heads) + " |")
        print("| --- |" + " --- |" * len(heads))
        for label, table in (("first run", first), ("nothing changed", again)):
            cells = [
                f"{fmt(table[p.name].wall)}; CPU {statistics.median(table[p.name].cpu):.1f} s"
                for p in peers
            ]
            for name in against:
                ratios = [
                    e / s for e, s in zip(table["ExifTree"].wall, table[name].wall, strict=True)
                ]
                cells.append(
                    f"{statistics.median(ratios):.2f}× ({min(ratios):.2f}–{max(ratios):.2f})"
                )
            print(f"| {label} | " + " | ".join(cells) + " |")
        print()
        for tool in [exiftree] + ([baseline] if baseline else []):
            for part, values in tool.parts.items():
                print(f"{tool.name} {part}: {fmt(values)}")


if __name__ == "__main__":
    main()
