"""URL slugs for cameras, lenses, cities and anything else that appears in a link.

Accents are folded to ASCII where Unicode can decompose them (``Crémieux`` → ``cremieux``);
letters of other scripts are kept as they are (``Москва`` stays readable) rather than lost.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

# Letters that NFKD does not decompose into a base letter plus a mark.
_FOLD = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "&": " and ",
    }
)
_SEPARATORS = re.compile(r"[^\w]+|_+")
FALLBACK_SLUG = "untitled"
MAX_SLUG_CHARS = 180


def slugify(text: str) -> str:
    """Lower-case words joined by hyphens; never empty, never longer than MAX_SLUG_CHARS."""
    folded = unicodedata.normalize("NFKD", str(text).casefold().translate(_FOLD))
    bare = "".join(c for c in folded if not unicodedata.combining(c))
    slug = "-".join(part for part in _SEPARATORS.split(bare) if part)
    slug = slug[:MAX_SLUG_CHARS].strip("-")
    return unicodedata.normalize("NFC", slug) or FALLBACK_SLUG


def unique_slug(session: Session, table: Any, text: str, *, exclude_id: str | None = None) -> str:
    """``slugify(text)``, with ``-2``, ``-3``… appended while another row of ``table`` has it."""
    base = slugify(text)
    candidate, n = base, 1
    while True:
        query = select(table.id).where(table.slug == candidate)
        if exclude_id is not None:
            query = query.where(table.id != exclude_id)
        if session.scalar(query) is None:
            return candidate
        n += 1
        candidate = f"{base}-{n}"
