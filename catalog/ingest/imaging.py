"""Stage 6: decode once at the smallest scale that covers 1600 px, derive everything from it.

JPEG goes through libjpeg-turbo's M/8 scaled decode (simplejpeg); anything else, or a JPEG
simplejpeg refuses, through Pillow's ``draft()``/``reduce()``. We resize to 1600 first and
orient after (cheap at that size), convert to sRGB only when the profile is not sRGB, then
take 800 from 1600 and 300 from 800. The perceptual hash comes from the upright 300 px image,
so a rotated copy hashes like the original. Measurements: ../shared/notes/ingest-speed.md.
"""

from __future__ import annotations

import io
import math
import os
import tempfile
from pathlib import Path

import imagehash
import numpy as np
import scipy.fftpack  # noqa: F401 - phash imports it lazily (~1 s): load it once, pre-fork
import simplejpeg
from PIL import Image, ImageCms

from catalog.ingest.errors import TruncatedImageError

THUMB_SIZES_PX = (1600, 800, 300)
JPEG_QUALITY = 88

_TRANSPOSE = {
    2: [Image.Transpose.FLIP_LEFT_RIGHT],
    3: [Image.Transpose.ROTATE_180],
    4: [Image.Transpose.FLIP_TOP_BOTTOM],
    5: [Image.Transpose.TRANSPOSE],
    6: [Image.Transpose.ROTATE_270],
    7: [Image.Transpose.TRANSVERSE],
    8: [Image.Transpose.ROTATE_90],
}
_SRGB = ImageCms.createProfile("sRGB")


def displayed_size(size: tuple[int, int], orientation: int) -> tuple[int, int]:
    """Width and height as a viewer shows them: swapped for the 90-degree orientations."""
    return (size[1], size[0]) if orientation in (5, 6, 7, 8) else size


def decode_scaled(path: Path, image: Image.Image, data: bytes, box_px: int = 1600) -> Image.Image:
    """Pixels at the smallest scale whose longest side still covers ``box_px``."""
    min_w, min_h = _cover(image.size, box_px)
    if image.format in ("JPEG", "MPO") and image.mode in ("RGB", "L"):
        try:
            colorspace = "GRAY" if image.mode == "L" else "RGB"
            pixels = simplejpeg.decode_jpeg(
                data, colorspace=colorspace, min_width=min_w, min_height=min_h
            )
            return Image.fromarray(pixels[:, :, 0] if colorspace == "GRAY" else pixels)
        except ValueError:
            pass  # a warning simplejpeg treats as fatal: let Pillow judge the file
    return _decode_with_pillow(path, image, (min_w, min_h), box_px)


def _cover(size: tuple[int, int], box_px: int) -> tuple[int, int]:
    """The output size (in stored orientation) a scaled decode must reach."""
    scale = min(1.0, box_px / max(size))
    return math.ceil(size[0] * scale), math.ceil(size[1] * scale)


def _decode_with_pillow(
    path: Path, image: Image.Image, cover: tuple[int, int], box_px: int
) -> Image.Image:
    try:
        if image.format in ("JPEG", "MPO"):
            image.draft(image.mode, cover)
        image.load()
    except (OSError, SyntaxError, ValueError) as exc:
        raise TruncatedImageError(path, f"truncated or corrupt image data: {exc}") from exc
    factor = max(image.size) // box_px
    if factor >= 2:
        image = image.reduce(factor)
    return image


def to_display_rgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """RGB in sRGB: alpha flattened on white, other profiles converted, odd modes mapped."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        image = flat
    elif image.mode.startswith("I") or image.mode == "F":
        image = _scale_to_8bit(image)
    if icc_profile and image.mode in ("RGB", "CMYK", "L"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            if "srgb" not in ImageCms.getProfileDescription(source).lower():
                return ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # an unusable profile: show the numbers as they are
    return image if image.mode == "RGB" else image.convert("RGB")


def _scale_to_8bit(image: Image.Image) -> Image.Image:
    """16-bit and float greyscale (some TIFFs) stretched to 8 bits."""
    pixels = np.asarray(image, dtype=np.float64)
    top = pixels.max() or 1.0
    return Image.fromarray((pixels * (255.0 / top)).clip(0, 255).astype(np.uint8))


def make_thumbnails(
    scaled: Image.Image, orientation: int, icc_profile: bytes | None
) -> dict[int, Image.Image]:
    """Upright sRGB 1600, 800 and 300 px images (longest side), never upscaled."""
    first = fit(scaled, THUMB_SIZES_PX[0], Image.Resampling.HAMMING)
    first = to_display_rgb(first, icc_profile)
    for step in _TRANSPOSE.get(orientation, []):
        first = first.transpose(step)
    middle = fit(first, THUMB_SIZES_PX[1], Image.Resampling.BOX)  # ~2x: area average, 1.5 ms
    small = fit(middle, THUMB_SIZES_PX[2], Image.Resampling.LANCZOS)  # sharp, cheap at 800 px
    return {THUMB_SIZES_PX[0]: first, THUMB_SIZES_PX[1]: middle, THUMB_SIZES_PX[2]: small}


def fit(image: Image.Image, box_px: int, resample: Image.Resampling) -> Image.Image:
    """``image`` scaled so its longest side is at most ``box_px``."""
    width, height = image.size
    scale = box_px / max(width, height)
    if scale >= 1:
        return image
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return image.resize(size, resample)


def encode_jpeg(image: Image.Image) -> bytes:
    """Baseline JPEG, no ``optimize`` (it costs ~11 ms a photo for ~1.6 % fewer bytes)."""
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY)
    return out.getvalue()


def perceptual_hash(image: Image.Image) -> str:
    """64-bit DCT hash as 16 hex digits, from the upright 300 px image."""
    return str(imagehash.phash(image))


def write_atomically(path: Path, data: bytes) -> None:
    """Temp file in the same folder, then ``os.replace``: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
