"""How the EXIF bar writes numbers for people."""

from __future__ import annotations

import pytest

from webviewer.filters import aperture, focal


@pytest.mark.parametrize(
    ("value", "shown"),
    [(1.89, "f/1.9"), (2.8, "f/2.8"), (5.6, "f/5.6"), (11.0, "f/11"), (None, ""), (0.0, "")],
)
def test_aperture_is_shown_as_on_the_lens(value: float | None, shown: str) -> None:
    assert aperture(value) == shown


def test_focal_length_keeps_its_decimals() -> None:
    assert (focal(5.7), focal(50.0), focal(None)) == ("5.7 mm", "50 mm", "")
