"""Stage 6: decode once at the smallest scale that covers 1600 px, derive everything from it.

JPEG goes through libjpeg-turbo's M/8 scaled decode (simplejpeg); anything else, or a JPEG
simplejpeg refuses, through Pillow's ``draft()``/``reduce()``. We resize to 1600 first (libvips'
cubic for 8-bit RGB and grey, at 40% of Pillow's cost) and orient after (cheap at that size),
convert to sRGB only when the profile is not sRGB, then take 800 from 1600 and 300 from 800
(integer ``reduce()`` first, then the same cubic for the rest). The perceptual hash comes
from the upright 300 px image, so a rotated copy hashes like the original. Measurements:
../shared/notes/ingest-speed.md and docs/performance/ingest.md.
"""

from __future__ import annotations

import functools
import io
import math
from pathlib import Path
from types import ModuleType

import numpy as np
import simplejpeg
from PIL import Image, ImageCms, ImageStat

from catalog.ingest.damage import JXL_DAMAGED, decode_without_eoi, missing_share
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
_CLOCKWISE = {  # the owner's quarter turns, clockwise
    1: Image.Transpose.ROTATE_270,
    2: Image.Transpose.ROTATE_180,
    3: Image.Transpose.ROTATE_90,
}
_SRGB = ImageCms.createProfile("sRGB")
ADOBE_RGB_ICC = (
    Path(__file__).resolve().parents[2] / "resources" / "icc" / "compatibleWithAdobeRGB1998.icc"
)  # a free profile with Adobe RGB (1998)'s primaries: resources/icc/README.md


def _srgb_exif() -> bytes:
    """EXIF saying only ColorSpace = sRGB (50 bytes): colour-managed viewers then agree that
    our thumbnails are sRGB instead of guessing."""
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0xA001] = 1
    return exif.tobytes()


_SRGB_EXIF = _srgb_exif()


@functools.cache
def implied_profile(colour_space: str | None) -> bytes | None:
    """The ICC profile EXIF implies when the file embeds none: cameras set to Adobe RGB mark
    it as ColorSpace "uncalibrated" + InteropIndex "R03" (DCF), without a profile."""
    if colour_space == "Adobe RGB":
        return ADOBE_RGB_ICC.read_bytes()
    return None


Scaled = np.ndarray | Image.Image  # 8-bit pixels straight from simplejpeg, or a Pillow image


def displayed_size(size: tuple[int, int], orientation: int, turns: int = 0) -> tuple[int, int]:
    """Width and height as a viewer shows them: swapped for the 90-degree orientations, and
    again for each odd number of the owner's quarter ``turns``."""
    swapped = (orientation in (5, 6, 7, 8)) != (turns % 2 == 1)
    return (size[1], size[0]) if swapped else size


def turn(image: Image.Image, turns: int) -> Image.Image:
    """``image`` turned clockwise by ``turns`` quarter turns (the owner's rotation)."""
    step = _CLOCKWISE.get(turns % 4)
    return image if step is None else image.transpose(step)


def turn_jpeg(data: bytes, turns: int) -> bytes:
    """A thumbnail's JPEG turned clockwise by ``turns`` quarter turns, encoded as at import."""
    with Image.open(io.BytesIO(data)) as image:
        return encode_jpeg(turn(image.convert("RGB"), turns))


def decode_scaled(
    path: Path, image: Image.Image, data: bytes | bytearray, box_px: int = 1600
) -> Scaled:
    """Pixels at the smallest scale whose longest side still covers ``box_px``.

    A JPEG comes back as simplejpeg's array (height x width x 3, or x 1 for grey), so the
    resize reads it in place instead of copying it into a Pillow image first.
    """
    min_w, min_h = _cover(image.size, box_px)
    if image.format in ("JPEG", "MPO") and image.mode in ("RGB", "L"):
        try:
            colorspace = "GRAY" if image.mode == "L" else "RGB"
            return simplejpeg.decode_jpeg(
                data, colorspace=colorspace, min_width=min_w, min_height=min_h
            )
        except ValueError:
            complete = decode_without_eoi(data, (min_w, min_h))
            if complete is not None:
                return complete  # every pixel is there: only the end marker is missing
            # else a warning simplejpeg treats as fatal: let Pillow judge the file
    try:
        return _decode_with_pillow(path, image, (min_w, min_h), box_px)
    except TruncatedImageError:
        if image.format not in ("JPEG", "MPO"):
            raise
        raise TruncatedImageError(path, _missing_reason(data)) from None


def _missing_reason(data: bytes | bytearray) -> str:
    share = missing_share(data)
    if share is None or share <= 0:
        return "damaged JPEG: the picture data is corrupt and cannot be decoded"
    if share >= 0.995:
        return "damaged JPEG: the picture data stops before any pixel"
    amount = f"{share:.0%}" if share >= 0.01 else "less than 1%"
    return f"damaged JPEG: the picture data stops early ({amount} of the picture is missing)"


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
    except (OSError, SyntaxError, ValueError, RuntimeError) as exc:
        said = " ".join(str(exc).split())
        if image.format in ("HEIF", "AVIF"):  # the decoder's words, after the kind of file
            kind, decoder = (
                ("HEIF/HEIC", "libheif") if image.format == "HEIF" else ("AVIF", "libavif")
            )
            reason = f"damaged {kind}: its picture data cannot be decoded ({decoder}: {said})"
            raise TruncatedImageError(path, reason) from exc
        if image.format == "JXL":
            raise TruncatedImageError(path, JXL_DAMAGED) from exc
        raise TruncatedImageError(path, f"truncated or corrupt image data: {said}") from exc
    image = _without_palette(image)
    factor = max(image.size) // box_px
    if factor >= 2:
        image = image.reduce(factor)
    return image


def _without_palette(image: Image.Image) -> Image.Image:
    """Palette, 1-bit and 16-bit grey images in modes ``reduce()`` takes: it refuses P, 1 and
    I;16 (a 16-bit scan over 3200 px failed), and ``resize()`` would go nearest-neighbour."""
    if image.mode in ("P", "PA"):
        alpha = image.mode == "PA" or "transparency" in image.info
        return image.convert("RGBA" if alpha else "RGB")
    if image.mode.startswith("I;16"):
        return image.convert("I")
    return image.convert("L") if image.mode == "1" else image


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
        transform = _to_srgb(icc_profile, image.mode)
        if transform is not None:
            try:
                converted = ImageCms.applyTransform(image, transform)
            except (ImageCms.PyCMSError, ValueError):
                converted = None  # an unusable profile: show the numbers as they are
            if converted is not None:  # (applyTransform gives None only when in place)
                return converted
    return image if image.mode == "RGB" else image.convert("RGB")


@functools.lru_cache(maxsize=16)
def _to_srgb(icc_profile: bytes, mode: str) -> ImageCms.ImageCmsTransform | None:
    """The transform from ``icc_profile`` to sRGB, or None when it is sRGB or unusable.

    Cached: a camera embeds the same few profiles in every file, and building a transform
    costs ~2 ms of the ~27 ms an Adobe RGB photo's conversion takes at 1600 px.
    """
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        if "srgb" in ImageCms.getProfileDescription(source).lower():
            return None
        return ImageCms.buildTransform(source, _SRGB, mode, "RGB")
    except (ImageCms.PyCMSError, OSError, ValueError):
        return None


def _scale_to_8bit(image: Image.Image) -> Image.Image:
    """16-bit and float greyscale (some TIFFs) stretched to 8 bits."""
    pixels = np.asarray(image, dtype=np.float64)
    top = pixels.max() or 1.0
    return Image.fromarray((pixels * (255.0 / top)).clip(0, 255).astype(np.uint8))


def make_thumbnails(
    scaled: Scaled, orientation: int, icc_profile: bytes | None
) -> dict[int, Image.Image]:
    """Upright sRGB 1600, 800 and 300 px images (longest side), never upscaled."""
    first = orient(to_display_rgb(fit_first(scaled, THUMB_SIZES_PX[0]), icc_profile), orientation)
    middle = fit(first, THUMB_SIZES_PX[1], Image.Resampling.BICUBIC)  # 2x: a plain reduce(2)
    small = fit(middle, THUMB_SIZES_PX[2], Image.Resampling.BICUBIC)
    return {THUMB_SIZES_PX[0]: first, THUMB_SIZES_PX[1]: middle, THUMB_SIZES_PX[2]: small}


def orient(image: Image.Image, orientation: int) -> Image.Image:
    """``image`` (stored as the camera wrote it) turned upright by its EXIF ``orientation``."""
    for step in _TRANSPOSE.get(orientation, []):
        image = image.transpose(step)
    return image


def fit_first(scaled: Scaled, box_px: int) -> Image.Image:
    """The biggest thumbnail; 8-bit RGB and grey through libvips, other modes through Pillow.

    The decode leaves 1-2x the target (2250 -> 1600 for 24 MP), the largest cost after the
    decode: libvips' cubic (Catmull-Rom) takes ~11 ms of CPU where Pillow's BICUBIC takes ~30.
    Its lanczos3 costs 3 ms more for no difference left after the JPEG encode (0.04 dB), and
    its linear 3 ms less but loses a fifth of the fine detail (docs/performance/ingest.md).
    """
    if isinstance(scaled, Image.Image):
        scaled = _without_palette(scaled)
        if scaled.mode not in ("RGB", "L") or max(scaled.size) <= box_px:
            return fit(scaled, box_px, Image.Resampling.HAMMING)
        scaled = np.asarray(scaled)
    height, width = scaled.shape[:2]
    scale = box_px / max(width, height)
    bands = 1 if scaled.ndim == 2 else scaled.shape[2]
    mode = "L" if bands == 1 else "RGB"
    if scale >= 1:
        return Image.fromarray(scaled.reshape(height, width) if bands == 1 else scaled)
    pixels = np.ascontiguousarray(scaled)
    source = _vips().Image.new_from_memory(pixels.data, width, height, bands, "uchar")
    hscale, vscale = max(scale, 1 / width), max(scale, 1 / height)  # a strip keeps a row
    target = source.resize(hscale, vscale=vscale, kernel="cubic")
    return Image.frombytes(mode, (target.width, target.height), target.write_to_memory())


@functools.cache
def _vips() -> ModuleType:
    """libvips, loaded on first use inside the worker (not in the forkserver before forking:
    libvips keeps threads and global state), on one thread (the pool gives one worker a core)
    and with no operation cache (the cache could outlive the numpy buffer it points into)."""
    import pyvips

    pyvips.concurrency_set(1)
    pyvips.cache_set_max(0)
    return pyvips


def fit(image: Image.Image, box_px: int, resample: Image.Resampling) -> Image.Image:
    """``image`` scaled so its longest side is at most ``box_px``.

    Whole factors go through ``reduce()`` (a box average: 1600 -> 800 in ~1.5 ms where a
    resize takes 6-10), and only what remains through ``resample``.
    """
    factor = max(image.size) // box_px
    if factor >= 2 and image.mode not in ("P", "1"):  # reduce() would average palette indices
        image = image.reduce(factor)
    width, height = image.size
    scale = box_px / max(width, height)
    if scale >= 1:
        return image
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return image.resize(size, resample)


def encode_jpeg(image: Image.Image) -> bytes:
    """Baseline JPEG tagged sRGB, no ``optimize`` (it costs ~11 ms a photo for ~1.6 % fewer
    bytes)."""
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, exif=_SRGB_EXIF)
    return out.getvalue()


# Below this spread of grey levels (0-255) a picture has no features a perceptual hash can
# tell apart: flat grey, black frames, lens-cap shots and 1x1 images all hash alike.
FEATURELESS_STDDEV = 4.0


# imagehash.phash's DCT-II (scipy.fftpack's, unnormalised) of a 32 x 32 grey image, as the
# only rows it keeps: the 8 lowest frequencies. A matrix product gives the same hash (a test
# checks it against imagehash) without importing scipy.fft, ~0.2 s before every import's
# first photo, and in each worker.
_PHASH_SIZE, _PHASH_SAMPLE = 8, 32
_PHASH_DCT = 2 * np.cos(
    np.pi * np.outer(np.arange(_PHASH_SIZE), 2 * np.arange(_PHASH_SAMPLE) + 1) / (2 * _PHASH_SAMPLE)
)


def perceptual_hash(image: Image.Image) -> str | None:
    """64-bit DCT hash as 16 hex digits (imagehash's ``phash``), from the upright 300 px
    image; None for a near-featureless image, which would otherwise "match" every other
    flat frame."""
    grey = image.convert("L")
    if ImageStat.Stat(grey).stddev[0] < FEATURELESS_STDDEV:
        return None
    small = grey.resize((_PHASH_SAMPLE, _PHASH_SAMPLE), Image.Resampling.LANCZOS)
    low = _PHASH_DCT @ np.asarray(small, dtype=np.float64) @ _PHASH_DCT.T
    return np.packbits(low > np.median(low)).tobytes().hex()
