"""The prompt: a template (the default in ``resources/``, or the owner's) filled with what
the catalog knows about a photo — camera, lens, date, season and city.

The prompt version is a hash of the template, so changing the wording re-describes photos
(and keys the cache), while per-photo facts do not.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from string import Template

from catalog.ai.errors import AiConfigError

DEFAULT_TEMPLATE_PATH = Path(__file__).resolve().parents[2] / "resources" / "ai_prompt.txt"

_SEASONS_NORTH = ("winter",) * 2 + ("spring",) * 3 + ("summer",) * 3 + ("autumn",) * 3 + ("winter",)
_FLIP = {"winter": "summer", "summer": "winter", "spring": "autumn", "autumn": "spring"}


@dataclass(frozen=True)
class PhotoFacts:
    """What the catalog knows about a photo, as plain values (never ORM objects)."""

    camera: str | None = None
    lens: str | None = None
    date_taken: datetime | None = None
    city: str | None = None
    region: str | None = None
    country_code: str | None = None
    latitude: float | None = None  # the city's; decides the hemisphere's season


def load_template(custom: str | None = None, path: Path = DEFAULT_TEMPLATE_PATH) -> str:
    """The owner's template when set, else the default shipped in ``resources/``."""
    if custom and custom.strip():
        return custom
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise AiConfigError(f"cannot read the default AI prompt {path}: {exc.strerror}") from exc


def prompt_version(template: str) -> str:
    """A stable 16-hex-digit identity of the template (stored on photos and cache rows)."""
    return hashlib.sha256(template.encode("utf-8")).hexdigest()[:16]


def season(facts: PhotoFacts) -> str | None:
    if facts.date_taken is None:
        return None
    name = _SEASONS_NORTH[facts.date_taken.month - 1]
    return _FLIP[name] if facts.latitude is not None and facts.latitude < 0 else name


def render(template: str, facts: PhotoFacts) -> str:
    """Fill ``$context``, ``$camera``, ``$lens``, ``$date``, ``$season``, ``$place``.

    Unknown placeholders and stray ``$`` signs are left as written: an owner's template
    must never make a run fail.
    """
    values = {
        "camera": facts.camera or "unknown",
        "lens": facts.lens or "unknown",
        "date": _date_text(facts) or "unknown",
        "season": season(facts) or "unknown",
        "place": _place_text(facts) or "unknown",
    }
    return Template(template).safe_substitute(values, context=context_lines(facts))


def context_lines(facts: PhotoFacts) -> str:
    lines = [
        ("Camera", facts.camera),
        ("Lens", facts.lens),
        ("Taken", _date_text(facts)),
        ("Season", season(facts)),
        ("Place", _place_text(facts)),
    ]
    known = [f"- {label}: {value}" for label, value in lines if value]
    return "\n".join(known) if known else "- nothing beyond the image"


def _date_text(facts: PhotoFacts) -> str | None:
    if facts.date_taken is None:
        return None
    return f"{facts.date_taken:%B} {facts.date_taken.year}"


def _place_text(facts: PhotoFacts) -> str | None:
    if not facts.city:
        return None
    region = facts.region if facts.region != facts.city else None
    return ", ".join(p for p in (facts.city, region, facts.country_code) if p)
