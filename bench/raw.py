"""RAW ingest benchmark: a RAW's picture from its embedded preview vs from a demosaic.

    .venv/bin/python bench/raw.py [--count N] [--repeat N] [--megapixels MP]

Files: DNGs written by tests/catalog/raw_samples.py at --megapixels (default 24, 6000x4000,
16-bit RGGB mosaic, ~48 MB) with a full-size embedded JPEG preview (as Nikon, Canon, Sony
and Fujifilm bodies embed), each with its own bytes (own SHA-256).

Each round runs ``process_file`` (read, SHA-256, EXIF through exiv2, LibRaw open, picture,
three thumbnails, phash: everything but the catalog write) on every file three ways, in the
same process, interleaved:

- **preview**: what the import does: the embedded JPEG (>= 1,600 px), scaled decode;
- **half-size demosaic**: what it does when the preview is too small (``PREVIEW_MIN_PX``
  raised so every preview is refused): LibRaw ``postprocess(half_size=True)``;
- **full demosaic**: LibRaw's default AHD at full size, what a naive import would do.

CPU time per photo (this process): fair on a shared machine. Median over rounds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from catalog.ingest import raw as raw_module  # noqa: E402
from catalog.ingest.worker import FileTask, Processed, process_file  # noqa: E402
from tests.catalog.raw_samples import write_dng  # noqa: E402


def _picture(width: int, height: int, seed: int) -> np.ndarray:
    """Smooth structure plus noise: detail at every scale, like a photo."""
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 255, (height // 100 + 1, width // 100 + 1, 3), dtype=np.uint8)
    from PIL import Image

    base = np.asarray(Image.fromarray(small).resize((width, height), Image.Resampling.BICUBIC))
    noise = rng.integers(-12, 12, (height, width, 1), dtype=np.int16)
    return np.clip(base.astype(np.int16) + noise, 0, 255).astype(np.uint8)


def _full_demosaic(path: Path) -> None:
    rawpy = raw_module._rawpy()
    with rawpy.imread(str(path)) as raw:
        raw.postprocess(use_camera_wb=True, output_bps=8)


def _timed(action: Callable[[], object]) -> float:
    start = time.process_time()
    action()
    return time.process_time() - start


def _run(path: Path) -> None:
    result = process_file(FileTask(str(path), skip_if_known=False), frozenset())
    assert isinstance(result, Processed), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--megapixels", type=float, default=24.0)
    args = parser.parse_args()
    height = int((args.megapixels * 1e6 / 1.5) ** 0.5) // 2 * 2
    width = int(height * 1.5) // 2 * 2
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        picture = _picture(width, height, 0)
        for i in range(args.count):
            picture[0, 0] = (i, i, i)  # own bytes, own hash
            files.append(
                write_dng(Path(tmp) / f"DSC_{i:04d}.dng", picture, preview_px=max(width, height))
            )
        print(f"{args.count} DNGs of {width}x{height}, {files[0].stat().st_size / 1e6:.0f} MB each")
        default_min = raw_module.PREVIEW_MIN_PX
        timings: dict[str, list[float]] = {"preview": [], "half-size demosaic": [], "full": []}
        for _ in range(args.repeat):
            for path in files:
                raw_module.PREVIEW_MIN_PX = default_min
                timings["preview"].append(_timed(lambda p=path: _run(p)))
                raw_module.PREVIEW_MIN_PX = 10**9  # every preview refused
                timings["half-size demosaic"].append(_timed(lambda p=path: _run(p)))
                raw_module.PREVIEW_MIN_PX = default_min
                timings["full"].append(_timed(lambda p=path: _full_demosaic(p)))
        preview = statistics.median(timings["preview"])
        print(f"{'per photo (CPU s, median)':<40}{'':>8}")
        for name, values in timings.items():
            label = "full demosaic (LibRaw AHD, decode only)" if name == "full" else name
            median = statistics.median(values)
            print(f"{label:<40}{median:>8.3f}  {median / preview:>5.1f}x the preview")


if __name__ == "__main__":
    main()
