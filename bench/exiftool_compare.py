"""Field by field, what ExifTree reads against what exiftool reads, over a folder of photos.

    PYTHONPATH=$PWD python bench/exiftool_compare.py [FOLDER ...] [--show N]

For every image file, exiftool (``-j -G1 -n``, plus its printed ``LensID``) and ExifTree's
own ingest (:func:`catalog.ingest.worker.process_file`, exactly what an import runs) read it.
Per field it prints: files where exiftool finds a value, files where ExifTree has it too
(coverage), and disagreements (a value both have that differs beyond rounding). The camera
name has no exiftool counterpart: the script lists our name beside exiftool's Make/Model.

Needs Debian's ``libimage-exiftool-perl``. Results go in docs/metadata.md.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from catalog.gear.lenses import normalise_lens
from catalog.gear.names import camera_display_name, normalise_camera
from catalog.ingest.exif import ExifFields, parse_date
from catalog.ingest.worker import Failed, FileTask, Processed, process_file
from catalog.places.gps import parse_gps

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "exif-samples"
SUFFIXES = {".jpg", ".jpeg", ".tif", ".tiff", ".png", ".webp", ".heic", ".heif"}

Tags = dict[str, Any]


def exiftool(paths: list[Path]) -> dict[str, Tags]:
    """exiftool's numeric values by file, with the printed lens name as ``LensName``."""
    numeric = _run(["-j", "-G1", "-n", "-a"], paths)
    printed = _run(["-j", "-LensID", "-Lens", "-LensModel", "-ExifIFD:ExposureTime"], paths)
    for name, tags in printed.items():
        if name in numeric:
            for key in ("LensID", "LensModel", "Lens"):
                value = tags.get(key)
                if value not in (None, "", "Unknown", "n/a") and "Unknown" not in str(value):
                    numeric[name].setdefault("LensName", str(value))
            if "ExposureTime" in tags:
                numeric[name]["ExposurePrinted"] = str(tags["ExposureTime"])
    return numeric


def _run(options: list[str], paths: list[Path]) -> dict[str, Tags]:
    out = subprocess.run(
        ["exiftool", "-q", "-q", *options, *map(str, paths)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return {str(Path(row["SourceFile"])): row for row in json.loads(out.stdout or "[]")}


_EMPTY = (None, "", 0, "0000:00:00 00:00:00", "    :  :     :  :  ")


def first(tags: Tags, *names: str) -> Any:
    """The first of ``names`` (``Group:Tag``, or ``*:Tag`` for any group) with a value."""
    for name in names:
        group, _, tag = name.rpartition(":")
        for key, value in tags.items():
            in_group = group in ("*", "") or key.startswith(group + ":")
            if key.rpartition(":")[2] == tag and in_group and value not in _EMPTY:
                return value
    return None


def expected_date(tags: Tags) -> datetime | None:
    """The date a photographer means by "taken", in ExifTree's documented order."""
    for name in ("ExifIFD:DateTimeOriginal", "ExifIFD:CreateDate", "XMP-photoshop:DateCreated",
                 "XMP-xmp:CreateDate", "XMP-exif:DateTimeOriginal"):  # fmt: skip
        date = parse_date(str(first(tags, name) or ""))
        if date is not None:
            return date
    day = first(tags, "IPTC:DateCreated")
    if day:
        return parse_date(f"{day} {first(tags, 'IPTC:TimeCreated') or '00:00:00'}")
    return parse_date(str(first(tags, "PictureInfo:DateTimeOriginal") or ""))


def expected_35mm(tags: Tags) -> float | None:
    value = first(tags, "*:FocalLengthIn35mmFormat")
    if value:
        return float(value)
    scale = first(tags, "Composite:ScaleFactor35efl")
    focal = first(tags, "*:FocalLength")
    if scale and focal and abs(float(scale) - 1.0) > 0.01:
        return float(scale) * float(focal)
    return None


@dataclass
class Tally:
    expected: int = 0
    covered: int = 0
    wrong: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)


def close(a: float, b: float, rel: float = 0.02, absolute: float = 0.0) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=absolute)


def _lens(ours: ExifFields) -> str | None:
    return normalise_lens(ours.lens_make, ours.lens_model, ours.make)


_RANGE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:-\s*(\d+(?:\.\d+)?))?\s*mm", re.IGNORECASE)


def _focal_range(name: str | None) -> tuple[float, ...]:
    """The focal lengths a lens name states ("7.4 - 22.2 mm" and "7.4-22.2mm" agree)."""
    match = _RANGE.search(name or "")
    return tuple(float(v) for v in match.groups() if v) if match else ()


def _gps(ours: ExifFields) -> tuple[float, float] | None:
    lat, lon, _ = parse_gps(ours.gps_latitude, ours.gps_latitude_ref,
                            ours.gps_longitude, ours.gps_longitude_ref)  # fmt: skip
    return None if lat is None or lon is None else (lat, lon)


def _exif_gps(tags: Tags) -> tuple[float, float] | None:
    lat, lon = first(tags, "Composite:GPSLatitude"), first(tags, "Composite:GPSLongitude")
    if lat is None or lon is None:
        lat, lon = first(tags, "*:GPSLatitude"), first(tags, "*:GPSLongitude")
    try:
        return None if lat is None or lon is None else (float(lat), float(lon))
    except (TypeError, ValueError):
        return None


def _expected_iso(tags: Tags) -> float | None:
    """The EXIF ISO, else exiftool's (from MakerNotes); 65535 means "unknown" in EXIF."""
    value = first(tags, "ExifIFD:ISO", "Composite:ISO", "*:ISO")
    return None if value is None or float(value) >= 65535 else float(value)


def _display(text: str | None) -> str:
    return (text or "").replace(" ", "").removesuffix("s")


Check = Callable[[Tags, ExifFields], tuple[Any, Any, bool]]  # expected, ours, agree

CHECKS: dict[str, Check] = {
    "lens": lambda t, o: (
        t.get("LensName"),
        (g := _lens(o)),
        g is None or _focal_range(t.get("LensName")) == _focal_range(g),
    ),
    "35 mm equivalent": lambda t, o: (
        (e := expected_35mm(t)),
        o.focal_length_35mm,
        e is None or o.focal_length_35mm is None or close(e, o.focal_length_35mm, 0.06),
    ),
    "ISO": lambda t, o: (
        (e := _expected_iso(t)),
        o.iso,
        e is None or o.iso is None or close(e, o.iso, 0.05),
    ),
    "aperture": lambda t, o: (
        (e := first(t, "Composite:Aperture", "*:FNumber")),
        o.aperture,
        e is None or o.aperture is None or close(float(e), o.aperture, 0.03),
    ),
    "date taken": lambda t, o: ((e := expected_date(t)), o.date_taken, e == o.date_taken),
    "exposure": lambda t, o: (
        (e := first(t, "*:ExposureTime")),
        o.exposure_time_s,
        e is None or o.exposure_time_s is None or close(float(e), o.exposure_time_s, 0.02),
    ),
    "exposure as shown": lambda t, o: (
        t.get("ExposurePrinted") if first(t, "*:ExposureTime") else None,
        o.exposure_display,
        _display(o.exposure_display) == _display(t.get("ExposurePrinted")),
    ),
    "GPS": lambda t, o: (
        (e := _exif_gps(t)),
        (g := _gps(o)),
        e is None or g is None or (close(e[0], g[0], 0, 1e-4) and close(e[1], g[1], 0, 1e-4)),
    ),
}


def compare(paths: list[Path], show: int) -> None:
    tools = exiftool(paths)
    tallies = {name: Tally() for name in CHECKS}
    cameras: dict[str, str] = {}
    failures: list[str] = []
    for path in paths:
        result = process_file(FileTask(str(path), skip_if_known=False), frozenset())
        if isinstance(result, Failed):
            failures.append(f"{path.name}: {result.reason}")
            continue
        assert isinstance(result, Processed)
        tags, ours = tools.get(str(path), {}), result.exif
        for name, check in CHECKS.items():
            expected, got, agree = check(tags, ours)
            if expected in (None, ""):
                continue
            tally = tallies[name]
            tally.expected += 1
            if got in (None, ""):
                tally.missed.append(f"{path.name}: exiftool {expected!r}")
                continue
            tally.covered += 1
            if not agree:
                tally.wrong.append(f"{path.name}: exiftool {expected!r}, ExifTree {got!r}")
        names = normalise_camera(ours.make, ours.model)
        raw = f"{first(tags, '*:Make')!s} / {first(tags, '*:Model')!s}"
        cameras[raw] = camera_display_name(*names) if names else "-"
    _report(paths, tallies, cameras, failures, show)


def _report(paths: list[Path], tallies: dict[str, Tally], cameras: dict[str, str],
            failures: list[str], show: int) -> None:  # fmt: skip
    print(f"{len(paths)} files, {len(paths) - len(failures)} processed\n")
    print("| field | exiftool has it | ExifTree has it | coverage | disagreements |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, t in tallies.items():
        share = f"{100 * t.covered / t.expected:.0f}%" if t.expected else "-"
        print(f"| {name} | {t.expected} | {t.covered} | {share} | {len(t.wrong)} |")
    for name, t in tallies.items():
        for label, rows in (("missed", t.missed), ("DISAGREES", t.wrong)):
            for row in rows[:show]:
                print(f"  {name} {label}: {row}")
    print("\nfailed files:")
    for row in failures:
        print(f"  {row}")
    print("\ncameras (exiftool Make / Model -> ExifTree):")
    for raw, ours in sorted(cameras.items()):
        print(f"  {raw} -> {ours}")


def image_files(folders: list[Path]) -> list[Path]:
    return sorted(p for folder in folders for p in folder.rglob("*")
                  if p.is_file() and p.suffix.lower() in SUFFIXES)  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*", type=Path, default=[DEFAULT_CORPUS])
    parser.add_argument("--show", type=int, default=40, help="rows listed per field")
    args = parser.parse_args()
    try:
        subprocess.run(["exiftool", "-ver"], capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        print("exiftool is not installed (Debian: libimage-exiftool-perl)", file=sys.stderr)
        return 2
    compare(image_files(args.folders), args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
