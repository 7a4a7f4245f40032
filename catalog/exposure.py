"""How photographers write shutter speed, focal length and aperture, in one place.

Cameras show ``1/250`` under 0.3 s and decimals from there (``0.3``, ``0.6``, ``2.5``), never
``1/2`` for 0.6 s; focal lengths as whole millimetres, with one decimal only for the short
focal lengths of phones and compacts (``4.2 mm``). The catalog stores the shutter speed as
written here without its unit; the desktop and the CLI add it through :func:`exposure_text`.
The web viewer imports nothing of the catalog: ``webviewer/filters.py`` mirrors these rules,
and a test holds the two to the same answers.
"""

from __future__ import annotations

FRACTION_BELOW_S = 0.3  # 1/x only for exposures shorter than this, as cameras do


def exposure_display(seconds: float | None) -> str | None:
    """``1/250``, ``1/4``, then ``0.3``, ``0.6``, ``1``, ``2.5``, ``30``: the number a camera
    shows, stored without its unit."""
    if seconds is None or not seconds > 0:
        return None
    if seconds < FRACTION_BELOW_S:
        return f"1/{round(1 / seconds)}"
    if seconds < 10:
        return f"{round(seconds, 1):g}"
    return f"{round(seconds)}"


def exposure_text(display: str | None) -> str:
    """A stored shutter speed with its unit: ``1/250 s``, ``0.6 s`` (older rows wrote
    ``2.5s``: the same)."""
    if not display:
        return ""
    return f"{display.strip().removesuffix('s').strip()} s"


def focal_text(mm: float | None) -> str:
    """``50 mm``, ``4.2 mm`` (one decimal under 10 mm), never ``1.60059 mm``."""
    if not mm or mm <= 0:
        return ""
    return f"{round(mm, 1):g} mm" if mm < 10 else f"{round(mm)} mm"


def aperture_text(f_number: float | None) -> str:
    """One decimal, as on the lens: EXIF's APEX-derived 1.89 is ƒ/1.9."""
    return "" if not f_number else f"ƒ/{round(f_number, 1):g}"
