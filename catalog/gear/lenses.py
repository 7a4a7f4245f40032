"""Canonical lens names, and the focal range and widest aperture a lens name states.

``Canon`` + ``Canon EF 24-70 mm F2.8L USM`` → ``Canon EF 24-70mm f/2.8L USM``: the maker
once, spacing collapsed, apertures written one way, so the same lens is one row.
"""

from __future__ import annotations

import re
from functools import lru_cache

from catalog.gear.makers import LENS_LINES, find_maker, leading_maker, maker_by_name
from catalog.gear.names import clean_text

# Placeholders bodies write when no lens reports itself.
_NO_LENS = re.compile(r"^(?:-+|0|none|unknown|n/?a|0(?:\.0)?\s*mm\s*f/?0(?:\.0)?)$", re.I)
_FOCAL = re.compile(
    r"(?<![\d.])(\d+(?:\.\d+)?)(?:\s*-\s*(\d+(?:\.\d+)?))?\s*mm(?![a-eg-z])", re.IGNORECASE
)
_APERTURE = re.compile(
    r"(?:(?:(?<![a-z])|(?<=mm))f\s*/?\s*|\b1\s*:\s*)(\d+(?:\.\d+)?)(?:\s*-\s*(\d+(?:\.\d+)?))?",
    re.IGNORECASE,
)


def _number(text: str) -> str:
    """'18.0' → '18', '2.80' → '2.8': how people write focal lengths and f-numbers."""
    value = float(text)
    return f"{value:g}"


def _tidy_focal(match: re.Match[str]) -> str:
    low, high = match.group(1), match.group(2)
    return f"{_number(low)}-{_number(high)}mm" if high else f"{_number(low)}mm"


def _tidy_aperture(match: re.Match[str]) -> str:
    low, high = match.group(1), match.group(2)
    return f"f/{_number(low)}-{_number(high)}" if high else f"f/{_number(low)}"


def tidy_lens_text(text: str) -> str:
    """Collapse spacing and spell focal lengths and apertures one way."""
    text = _FOCAL.sub(_tidy_focal, text)
    text = _APERTURE.sub(_tidy_aperture, text)
    text = re.sub(r"mm(?=f/)", "mm ", text)
    return " ".join(text.split())


def _line_brand(text: str) -> str | None:
    """The brand of a lens line named in ``text`` ("Nikkor" → Nikon, "Fujinon" → Fujifilm)."""
    folded = text.casefold()
    for line, brand in LENS_LINES.items():
        if re.search(rf"(?<!\w){re.escape(line)}(?!\w)", folded):
            return brand
    return None


def _lens_maker(lens_make: str, model: str, camera_make: str) -> str | None:
    """The lens's brand: its LensMake, a brand or lens line in its name, else the body's."""
    for text in (lens_make, model):
        maker = find_maker(text) if text else None
        if maker is not None:
            return maker.name
        brand = _line_brand(text) if text else None
        if brand is not None:
            return brand
    if lens_make:
        return lens_make  # a maker the table does not know yet: keep its own word
    if camera_make:
        maker = maker_by_name(camera_make) or find_maker(camera_make)
        return maker.name if maker is not None else camera_make
    return None


# A lens spec and nothing else: "100.0 mm f/2.8", "18-70mm F3.5-4.5", a compact's "7.4-22.2mm"
_BARE_SPEC = re.compile(
    r"^\s*\d+(?:\.\d+)?(?:\s*-\s*\d+(?:\.\d+)?)?\s*mm"
    r"(?:\s*(?:f\s*/?\s*|1\s*:\s*)\d+(?:\.\d+)?(?:\s*-\s*\d+(?:\.\d+)?)?)?\s*$",
    re.IGNORECASE,
)


def body_brand(
    lens_make: str | None, lens_model: str | None, camera_make: str | None = None
) -> str | None:
    """The camera's brand when the lens names none of its own (a bare spec such as
    "100.0 mm f/2.8"): the system the lens was on, which is not who made it, so it keeps
    such lenses of different systems apart without being shown as their maker."""
    make, model = clean_text(lens_make), clean_text(lens_model)
    if make or not model or not _BARE_SPEC.match(model) or _line_brand(model):
        return None
    camera = clean_text(camera_make)
    if not camera:
        return None
    maker = maker_by_name(camera) or find_maker(camera)
    return maker.name if maker is not None else camera


@lru_cache(maxsize=4096)  # few lenses, many photos: the regexes run once per spelling
def normalise_lens(
    lens_make: str | None, lens_model: str | None, camera_make: str | None = None
) -> str | None:
    """The canonical lens name, or None when EXIF names no lens. A bare spec without a
    LensMake keeps no brand: the body's maker did not necessarily make the lens (exiftool's
    LensID, Lightroom and digiKam show "100.0mm f/2.8" too)."""
    make, model = clean_text(lens_make), clean_text(lens_model)
    if not model or _NO_LENS.match(model):
        return None
    if body_brand(make, model, camera_make) is not None:
        camera_make = None
    brand = _lens_maker(make, model, clean_text(camera_make))
    while (led := leading_maker(model)) is not None and (brand is None or led[0].name == brand):
        model = led[1]  # "Canon Canon EF…" → "EF…"
    model = tidy_lens_text(model)
    if not model:
        return brand
    named = find_maker(model)
    if brand is None or (named is not None and named.name == brand):
        return model  # "smc PENTAX-DA 18-55mm": the brand is already in the name
    return f"{brand} {model}"


def lens_spec(
    name: str, specification: tuple[float, float, float, float] | None
) -> tuple[float | None, float | None, float | None]:
    """(shortest focal mm, longest focal mm, widest f-number) from EXIF LensSpecification,
    else from the name. Zeros in the specification mean "unknown" and are ignored."""
    low = high = aperture = None
    if specification is not None and len(specification) >= 3:
        values = [_positive(v) for v in specification[:4]]
        low, high, aperture = values[0], values[1], values[2]
    match = _FOCAL.search(name or "")
    if match and low is None:
        low = float(match.group(1))
        high = float(match.group(2)) if match.group(2) else low
    if high is None:
        high = low
    f_match = _APERTURE.search(name or "")
    if f_match and aperture is None:
        aperture = float(f_match.group(1))
    return low, high, aperture


def _positive(value: object) -> float | None:
    """A float from a number, a Fraction or an exifread Ratio; None for 0, NaN or junk."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return number if number > 0 and number == number else None
