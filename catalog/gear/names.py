"""Canonical camera names from the raw EXIF ``Make`` and ``Model``.

``NIKON CORPORATION`` + ``NIKON D70`` → (``Nikon``, ``D70``); ``Canon`` + ``Canon EOS 40D`` →
(``Canon``, ``EOS 40D``). The maker table does the heavy lifting; the rules here clean what
cameras append (firmware versions, "DIGITAL CAMERA", alternative market names).
"""

from __future__ import annotations

import re
from functools import lru_cache

from catalog.gear.makers import CORPORATE_WORDS, Maker, find_maker, leading_maker

_FIRMWARE = re.compile(
    r"\s*(?:\((?:v|ver\.?\s*)?\d[\w.]*\)|\s(?:ver\.?|v|firmware|fw)\s*\d+(?:\.\d+)+)\s*$",
    re.IGNORECASE,
)
_CAMERA_SUFFIX = re.compile(r"\s+digital\s+(?:still\s+)?camera$", re.IGNORECASE)
_SHOUTED = {"ZOOM": "Zoom", "DIGITAL": "Digital", "CAMERA": "Camera", "EASYSHARE": "EasyShare"}
_SHOUTED_WORD = re.compile(rf"\b({'|'.join(_SHOUTED)})\b")
_ALTERNATIVE = re.compile(r"\s+/\s+")  # "KENOX S730 / Samsung S730": two market names


def clean_text(value: object) -> str:
    """A raw EXIF string with NULs, control characters and runs of spaces removed."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    text = "".join(c if c.isprintable() else " " for c in str(value).replace("\x00", " "))
    return " ".join(text.split())


def _unknown_maker_name(make: str) -> str:
    """An unknown maker without its corporate words, shouting turned to title case."""
    words = " ".join(CORPORATE_WORDS.sub(" ", make).replace(",", " ").split()).strip(" .,")
    words = words or make
    if words.isupper() and len(words) > 3:
        return words.title()
    return words


def _clean_model(model: str) -> str:
    """Drop wrapping brackets, alternative market names, firmware and 'DIGITAL CAMERA'."""
    model = model.replace("_", " ").strip().strip("<>").strip()  # "HTC_TyTN_II"
    model = _ALTERNATIVE.split(model, 1)[0]
    if "," in model:  # "C960Z,D460Z", "<Digimax i50 MP3, Samsung #1 MP3>"
        first, rest = (part.strip() for part in model.split(",", 1))
        if not any(c.isdigit() for c in first) and any(c.isdigit() for c in rest):
            # "EASYSHARE Touch Camera, M5370": the number after the comma is the model's
            first = re.sub(r"\s+camera$", "", first, flags=re.IGNORECASE)
            model = f"{first} {rest.split(',')[0].strip()}"
        else:
            model = first
    model = _FIRMWARE.sub("", model)
    model = _CAMERA_SUFFIX.sub("", model)
    model = " ".join(model.split())
    if model.islower():  # "photosmart 735": a maker that wrote it all in lower case
        model = " ".join(w.capitalize() if w.isalpha() else w for w in model.split())
    return _SHOUTED_WORD.sub(lambda m: _SHOUTED[m.group(1)], model).strip()


def _strip_maker(model: str, maker: Maker | None, raw_make: str) -> str:
    """``model`` without a leading repeat of its maker ("NIKON D70" → "D70")."""
    if maker is not None:
        while (led := leading_maker(model)) is not None and led[0].name == maker.name:
            model = led[1]  # "HP HP PhotoSmart", "hp hp photosmart": every repeat
        return model
    while raw_make and model.casefold().startswith(raw_make.casefold() + " "):
        model = model[len(raw_make) :].strip()
    return model


@lru_cache(maxsize=4096)  # a catalog holds few cameras and many photos of each
def normalise_camera(make: str | None, model: str | None) -> tuple[str, str] | None:
    """(canonical make, canonical model), or None when EXIF names no camera at all."""
    raw_make, raw_model = clean_text(make), clean_text(model)
    if not raw_make and not raw_model:
        return None
    model_text = _clean_model(raw_model)
    maker = find_maker(raw_make) if raw_make else None
    led = leading_maker(model_text)
    if led is not None and (maker is None or led[0].name != maker.name):
        maker = led[0]  # the model names its brand: Pentax by Ricoh, Nokia by HMD
    model_text = _strip_maker(model_text, maker, raw_make)
    if maker is not None:
        if maker.model_prefix and not model_text.startswith(maker.model_prefix):
            model_text = f"{maker.model_prefix} {model_text}".strip()
        make_name = maker.name
    else:
        make_name = _unknown_maker_name(raw_make) if raw_make else ""
    if model_text.casefold() == make_name.casefold():
        model_text = ""  # "Jolla" + "Jolla": the phone is just "Jolla"
    if not make_name:
        make_name, _, model_text = model_text.partition(" ")
    return make_name, model_text


def camera_display_name(make: str, model: str) -> str:
    """The name shown to people: "Nikon D70"; a maker alone when the model adds nothing."""
    return f"{make} {model}".strip()
