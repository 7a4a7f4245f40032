"""Fixtures for the AI tests: the fake endpoint, settings aimed at it, photos with thumbnails.

Import the fixtures into a test module (``from tests.catalog.ai_fixtures import ai_server``)
rather than from a shared conftest, which other areas own.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PIL import Image, ImageDraw

from catalog.ai import RetryPolicy
from catalog.catalog import Catalog
from catalog.models import Photo
from catalog.settings import Settings
from tests.catalog.ai_server import FakeOpenAI
from tests.factories import add_photo, make_settings

# Real waits, kept tiny: the behaviour under test is the same as with the defaults.
FAST_RETRY = RetryPolicy(max_attempts=3, base_delay_s=0.01, max_delay_s=0.05)


@pytest.fixture
def ai_server() -> Iterator[FakeOpenAI]:
    """A fresh endpoint per test; it fails the test if any request was malformed."""
    server = FakeOpenAI().start()
    yield server
    server.stop()
    assert server.violations == [], f"malformed requests: {server.violations}"


def ai_settings(server: FakeOpenAI, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "ai_base_url": server.url,
        "ai_model": server.model,
        "ai_image_size_px": server.max_image_px,
        "ai_timeout_s": 5.0,
    }
    return make_settings(**{**values, **overrides})


def add_photo_with_thumb(catalog: Catalog, *, thumb_px: int = 800, **fields: Any) -> Photo:
    """A processed photo and its cached thumbnail (a real JPEG, as ingest would write)."""
    photo = add_photo(catalog, **fields)
    path = catalog.thumb_path(photo.content_hash, thumb_px)
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", (thumb_px, thumb_px * 2 // 3), (30, 90, 150))
    draw = ImageDraw.Draw(image)
    draw.ellipse((thumb_px // 4, thumb_px // 8, thumb_px // 2, thumb_px // 3), fill=(240, 200, 60))
    image.save(path, "JPEG", quality=85)
    return photo
