"""The maker table: every spelling cameras write in EXIF ``Make``, and the brand it means.

Patterns match on word boundaries, so ``Fujinon`` is not ``Fuji`` and ``Ricoh`` is not
``Pentax``. A brand named at the start of ``Model`` wins over ``Make`` (``RICOH IMAGING`` +
``PENTAX K-3`` is a Pentax; ``HMD Global`` + ``Nokia 8.3 5G`` is a Nokia).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Maker:
    """A canonical brand, the words that name it, and a model prefix some makes imply."""

    name: str
    patterns: tuple[str, ...]
    model_prefix: str = ""  # Ricoh's Caplio cameras write "Caplio" as their Make


MAKERS: tuple[Maker, ...] = (
    Maker("Konica Minolta", ("konica minolta", "konica-minolta", "konicaminolta")),
    Maker("Minolta", ("minolta",)),
    Maker("Konica", ("konica",)),
    Maker("Nikon", ("nikon",)),
    Maker("Canon", ("canon",)),
    Maker("Fujifilm", ("fujifilm", "fuji photo film", "fuji film", "fuji")),
    Maker("OM System", ("om digital solutions", "om system")),
    Maker("Olympus", ("olympus",)),
    Maker("Sony Ericsson", ("sony ericsson", "sonyericsson")),  # phones: not Sony's cameras
    Maker("Sony", ("sony",)),
    Maker("Panasonic", ("panasonic",)),
    Maker("Leica", ("leica",)),
    Maker("Pentax", ("pentax", "asahi optical")),
    Maker("Ricoh", ("ricoh",)),
    Maker("Ricoh", ("caplio",), model_prefix="Caplio"),
    Maker("Kodak", ("eastman kodak", "kodak")),
    Maker("Apple", ("apple",)),
    Maker("Samsung", ("samsung",)),
    Maker("Casio", ("casio",)),
    Maker("Sanyo", ("sanyo",)),
    Maker("Sigma", ("sigma",)),
    Maker("Hasselblad", ("hasselblad",)),
    Maker("Phase One", ("phase one",)),
    Maker("GoPro", ("gopro",)),
    Maker("DJI", ("dji",)),
    Maker("Google", ("google",)),
    Maker("Huawei", ("huawei",)),
    Maker("Xiaomi", ("xiaomi",)),
    Maker("OnePlus", ("oneplus",)),
    Maker("Motorola", ("motorola",)),
    Maker("LG", ("lge", "lg electronics", "lg")),
    Maker("Nokia", ("nokia",)),
    Maker("HTC", ("htc",)),
    Maker("Epson", ("seiko epson", "epson")),
    Maker("HP", ("hewlett-packard", "hewlett packard", "hp")),
    Maker("FLIR", ("flir systems", "flir")),
    Maker("Polaroid", ("polaroid",)),
    Maker("Samsung", ("samsung techwin",)),
    Maker("Tamron", ("tamron",)),
    Maker("Tokina", ("tokina",)),
    Maker("Zeiss", ("carl zeiss", "zeiss")),
    Maker("Voigtländer", ("voigtlander", "voigtländer")),
    Maker("Samyang", ("samyang",)),
    Maker("Viltrox", ("viltrox",)),
    Maker("Laowa", ("laowa", "venus optics")),
    Maker("Mamiya", ("mamiya",)),
    Maker("Yashica", ("yashica",)),
    Maker("Vivitar", ("vivitar",)),
    Maker("Kyocera", ("kyocera",)),
    Maker("Contax", ("contax",)),
    Maker("Agfa", ("agfaphoto", "agfa")),
    Maker("BenQ", ("benq",)),
    Maker("Toshiba", ("toshiba",)),
    Maker("JVC", ("jvc", "victor company of japan")),
    Maker("Sharp", ("sharp",)),
    Maker("Microsoft", ("microsoft",)),
    Maker("Nothing", ("nothing",)),
    Maker("Oppo", ("oppo",)),
    Maker("Vivo", ("vivo",)),
    Maker("Realme", ("realme",)),
    Maker("Honor", ("honor",)),
    Maker("Jolla", ("jolla",)),
)

# Brands whose lens names start with their own line name rather than the maker's.
LENS_LINES: dict[str, str] = {
    "nikkor": "Nikon",
    "fujinon": "Fujifilm",
    "zuiko": "Olympus",
    "lumix": "Panasonic",
    "smc pentax": "Pentax",
    "hd pentax": "Pentax",
}

# Corporate words that say nothing about the brand of an unknown maker.
CORPORATE_WORDS = re.compile(
    r"\b(corporation|corp|company|co|ltd|limited|inc|incorporated|gmbh|ag|s\.?a|"
    r"imaging|optical|electric|electronics|computer|techwin|global|industries|"
    r"mobile|communications|technology|technologies)\b\.?",
    re.IGNORECASE,
)


def _compile(maker: Maker) -> re.Pattern[str]:
    words = "|".join(re.escape(p).replace(r"\ ", r"[\s_-]+") for p in maker.patterns)
    return re.compile(rf"(?<![\w-])(?:{words})(?![\w])", re.IGNORECASE)


_COMPILED: tuple[tuple[Maker, re.Pattern[str]], ...] = tuple((m, _compile(m)) for m in MAKERS)


def find_maker(text: str) -> Maker | None:
    """The first maker of the table named anywhere in ``text``, on word boundaries."""
    for maker, pattern in _COMPILED:
        if pattern.search(text):
            return maker
    return None


def leading_maker(text: str) -> tuple[Maker, str] | None:
    """The maker ``text`` starts with, and the rest of ``text`` after that name."""
    for maker, pattern in _COMPILED:
        match = pattern.match(text)
        if match:
            return maker, text[match.end() :].lstrip(" _-,")
    return None


def maker_by_name(name: str) -> Maker | None:
    """The maker whose canonical name is ``name`` (case-insensitive)."""
    folded = name.casefold()
    return next((m for m in MAKERS if m.name.casefold() == folded), None)
