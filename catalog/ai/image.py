"""The image the model sees: a cached thumbnail, downscaled, as a JPEG data URL.

Never the original: it may be 50 MB, carry GPS, and costs more tokens for no better
captions. The smallest cached thumbnail at least as large as the target is used.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from pathlib import Path

from PIL import Image

from catalog.ai.errors import ThumbnailMissingError

THUMB_SIZES_PX = (300, 800, 1600)
JPEG_QUALITY = 85


def pick_thumbnail(thumb_path: Callable[[str, int], Path], content_hash: str, size_px: int) -> Path:
    """The smallest existing thumbnail not smaller than ``size_px``, else the largest one."""
    existing = [s for s in THUMB_SIZES_PX if thumb_path(content_hash, s).is_file()]
    if not existing:
        raise ThumbnailMissingError(content_hash)
    big_enough = [s for s in existing if s >= size_px]
    return thumb_path(content_hash, min(big_enough) if big_enough else max(existing))


def jpeg_data_url(path: Path, size_px: int) -> str:
    """Downscale so the longest side is at most ``size_px``; re-encode as a small JPEG."""
    try:
        with Image.open(path) as opened:
            image = opened.convert("RGB")
            image.thumbnail((size_px, size_px), Image.Resampling.BICUBIC)  # ample for a model
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    except OSError as exc:
        raise ThumbnailMissingError(path.stem.split("_")[0]) from exc
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f"data:image/jpeg;base64,{encoded}"
