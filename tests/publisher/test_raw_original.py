"""The optional 2,400 px "original" rendition of a camera RAW comes from LibRaw, upright:
Pillow would take a NEF's tiny IFD0 thumbnail, or refuse a DNG's mosaic."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image

from publisher.renditions import ExifSummary, RenditionSource, render_photo
from tests.catalog.raw_samples import painted, write_dng


def test_a_raw_original_renders_upright_at_2400(tmp_path: Path) -> None:
    original = write_dng(
        tmp_path / "DSC_0001.NEF", painted(3300, 2200), orientation=6, preview_px=3000
    )
    source = RenditionSource("p1", "ab" * 32, None, original, ExifSummary())

    (rendition,), _ = render_photo(source, (2400,))

    assert (rendition.width, rendition.height) == (1600, 2400)  # portrait: turned upright
    with Image.open(io.BytesIO(rendition.data)) as image:
        pixels = np.asarray(image.convert("RGB"), dtype=np.int32)
    right, left = pixels[1200, 1500], pixels[1200, 100]
    assert right[0] > right[2] + 80  # the red top, on the right once turned
    assert left[2] > left[0] + 80
