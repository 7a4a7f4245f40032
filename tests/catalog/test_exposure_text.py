"""Shutter speeds and focal lengths written as cameras write them, the same in the desktop,
the CLI and the site (the viewer has its own copy of the rules: held to the same answers)."""

from __future__ import annotations

import dataclasses

import pytest

from catalog.exposure import exposure_display, exposure_text, focal_text
from catalog.rows import PhotoRow
from desktop.views.inspector import exif_summary
from webviewer import filters

SHUTTER = [  # seconds, as stored, as shown
    (1 / 8000, "1/8000", "1/8000 s"),
    (1 / 250, "1/250", "1/250 s"),
    (1 / 4, "1/4", "1/4 s"),
    (0.3, "0.3", "0.3 s"),
    (1 / 3, "0.3", "0.3 s"),  # cameras show 0"3, not 1/3
    (0.4, "0.4", "0.4 s"),
    (0.6, "0.6", "0.6 s"),  # was "1/2"
    (1.0, "1", "1 s"),
    (2.5, "2.5", "2.5 s"),
    (30.0, "30", "30 s"),
]


@pytest.mark.parametrize(("seconds", "stored", "shown"), SHUTTER)
def test_shutter_speed_as_a_camera_shows_it(seconds, stored, shown) -> None:
    assert exposure_display(seconds) == stored
    assert exposure_text(stored) == shown
    assert filters.exposure(stored) == shown  # the site agrees


@pytest.mark.parametrize("old", ["2.5s", "1/250", "1/250 s"])
def test_rows_stored_by_older_versions_read_the_same_everywhere(old) -> None:
    assert exposure_text(old) == filters.exposure(old)
    assert exposure_text(old).endswith(" s") and "s s" not in exposure_text(old)


@pytest.mark.parametrize(
    ("mm", "shown"),
    [(1.60059, "1.6 mm"), (4.25, "4.2 mm"), (4.3, "4.3 mm"), (18.0, "18 mm"), (23.7, "24 mm"),
     (105.0, "105 mm"), (None, ""), (0.0, "")],
)  # fmt: skip
def test_focal_length_rounded_as_photographers_do(mm, shown) -> None:
    assert focal_text(mm) == shown
    assert filters.focal(mm) == shown


def test_desktop_summary_uses_the_same_words() -> None:
    required = {
        f.name: None
        for f in dataclasses.fields(PhotoRow)
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    }
    row = PhotoRow(**{**required, "focal_length": 1.60059, "aperture": 1.89, "exposure": "0.6",
                      "iso": 400})  # fmt: skip
    assert exif_summary(row) == ["1.6 mm", "ƒ/1.9", "0.6 s", "ISO 400"]
