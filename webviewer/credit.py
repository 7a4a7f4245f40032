"""Who made the photos and on what terms: the owner's name and licence from the snapshot's
site settings, said the same way on the photo page, in JSON-LD and in the feed."""

from __future__ import annotations

from collections.abc import Mapping


def owner(site: Mapping[str, str]) -> str:
    return (site.get("author") or "").strip()


def copyright_notice(site: Mapping[str, str], year: int | None = None) -> str:
    """ "© 2008 Ada Lovelace" ("" when the owner has not given a name)."""
    name = owner(site)
    return " ".join(x for x in ("©", str(year) if year else "", name) if x) if name else ""


def licence_name(site: Mapping[str, str]) -> str:
    return (site.get("license") or "").strip()


def licence_url(site: Mapping[str, str]) -> str:
    """The deed's URL, only when it is a plain http(s) link."""
    url = (site.get("license_url") or "").strip()
    return url if url.startswith(("https://", "http://")) else ""


def rights(site: Mapping[str, str], year: int | None = None) -> str:
    """ "© 2008 Ada Lovelace. CC BY 4.0": for feeds and credit lines."""
    return ". ".join(x for x in (copyright_notice(site, year), licence_name(site)) if x)
