"""What reading MakerNotes, XMP and IPTC with exiv2 adds to one photo's ingest, in one run.

    PYTHONPATH=$PWD python bench/metadata_cost.py [--rounds N]

A 24 MP JPEG (bench/ingest.py's generator) gets a real camera's metadata block (the Nikon
D300 file in tests/data: EXIF, MakerNote with LensData; plus an XMP packet and IPTC written
with exiv2), so exiv2 has a MakerNote to decode. Timed, interleaved: Pillow's EXIF alone
(``read_exif(image)``, what ingest did before), Pillow + exiv2 (``read_exif(image, data)``),
and the whole per-photo work (``process_file``), to put the difference in proportion.
Then the Canon MakerNote repair (``canon_makernote.repair``, run before exiv2 on every JPEG)
on a non-Canon photo, a Canon one with its MakerNote in place, and one an editor moved.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

import exiv2
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest import base_jpeg  # noqa: E402

from catalog.ingest import canon_makernote  # noqa: E402
from catalog.ingest.exif import read_exif  # noqa: E402
from catalog.ingest.metadata import _metadata_part  # noqa: E402
from catalog.ingest.validate import open_image  # noqa: E402
from catalog.ingest.worker import FileTask, process_file  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
DONOR = DATA / "Nikon_D300_lens_data.jpeg"
REPAIRS = {
    "a Nikon (not Canon)": DONOR,
    "a Canon, in place": DATA / "Canon_DIGITAL_IXUS_400.jpg",
    "a Canon, moved": DATA / "Canon_SX60_moved_makernote.jpg",
}


def photo_with_camera_metadata() -> bytes:
    """A 24 MP JPEG carrying the donor's EXIF and MakerNote, plus XMP and IPTC."""
    donor = exiv2.ImageFactory.open(DONOR.read_bytes())
    donor.readMetadata()
    target = exiv2.ImageFactory.open(base_jpeg(0))
    target.readMetadata()
    target.setExifData(donor.exifData())
    xmp = target.xmpData()
    xmp["Xmp.dc.title"] = "benchmark"
    xmp["Xmp.photoshop.DateCreated"] = "2012-07-14T16:30:12"
    iptc = target.iptcData()
    iptc["Iptc.Application2.Keywords"] = "benchmark"
    target.writeMetadata()
    return bytes(target.io().mmap())


def per_call_ms(work, repeat: int) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        work()
    return (time.perf_counter() - start) * 1000 / repeat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    data = photo_with_camera_metadata()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "DSC_0001.jpg"
        path.write_bytes(data)
        pillow, both, whole = [], [], []
        image = open_image(path, data)
        task = FileTask(str(path), skip_if_known=False)
        for _ in range(args.rounds):
            pillow.append(per_call_ms(lambda: read_exif(image), 200))
            both.append(per_call_ms(lambda: read_exif(image, data), 200))
            whole.append(per_call_ms(lambda: process_file(task, frozenset()), 3))
    a, b, w = (statistics.median(x) for x in (pillow, both, whole))
    with Image.open(io.BytesIO(data)) as opened:
        size = opened.size
    print(f"{size[0]}x{size[1]} JPEG, {len(data) / 1e6:.1f} MB, medians of {args.rounds} rounds")
    print(f"  read_exif, Pillow only:        {a:7.3f} ms")
    print(f"  read_exif, Pillow + exiv2:     {b:7.3f} ms  (+{b - a:.3f} ms)")
    print(f"  process_file (whole photo):    {w:7.1f} ms")
    print(f"  exiv2's share of a photo:      {100 * (b - a) / w:7.2f} %")
    for label, donor in REPAIRS.items():
        head = _metadata_part(donor.read_bytes())
        cost = min(per_call_ms(lambda h=head: canon_makernote.repair(h), 2000)
                   for _ in range(args.rounds))  # fmt: skip
        print(f"  Canon MakerNote repair, {label + ':':20} {cost * 1000:7.1f} µs")


if __name__ == "__main__":
    main()
