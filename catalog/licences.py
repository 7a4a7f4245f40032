"""The licences an owner can put their photos under: an id kept in the settings, and the
name and deed URL the site, the feed and the images' EXIF Copyright show."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Licence:
    id: str
    name: str
    url: str  # "" when there is no public deed ("All rights reserved")


LICENCES = (
    Licence("all-rights-reserved", "All rights reserved", ""),
    Licence("cc-by-4.0", "CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    Licence("cc-by-sa-4.0", "CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
    Licence("cc-by-nc-4.0", "CC BY-NC 4.0", "https://creativecommons.org/licenses/by-nc/4.0/"),
    Licence(
        "cc-by-nc-sa-4.0", "CC BY-NC-SA 4.0", "https://creativecommons.org/licenses/by-nc-sa/4.0/"
    ),
    Licence("cc-by-nd-4.0", "CC BY-ND 4.0", "https://creativecommons.org/licenses/by-nd/4.0/"),
    Licence(
        "cc-by-nc-nd-4.0", "CC BY-NC-ND 4.0", "https://creativecommons.org/licenses/by-nc-nd/4.0/"
    ),
    Licence(
        "cc0-1.0", "CC0 1.0 (public domain)", "https://creativecommons.org/publicdomain/zero/1.0/"
    ),
)
DEFAULT = LICENCES[0]
_BY_ID = {x.id: x for x in LICENCES}


def licence(licence_id: str) -> Licence:
    """The licence of an id; an unknown one (a newer version's) reads as the safe default."""
    return _BY_ID.get(licence_id, DEFAULT)


def copyright_notice(owner: str, licence_id: str, year: int | None = None) -> str:
    """ "© 2024 Ada Lovelace. CC BY 4.0" — what EXIF Copyright and the site say."""
    chosen = licence(licence_id)
    who = " ".join(x for x in ("©", str(year) if year else "", owner.strip()) if x)
    return f"{who}. {chosen.name}" if owner.strip() else chosen.name
