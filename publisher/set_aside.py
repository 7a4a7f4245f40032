"""Photos a publish could not publish, remembered so that the next plan names them apart.

A photo with no pixels to render from (no thumbnail, original missing) is found by a few
``stat`` calls at every plan. One whose files are there but cannot be made into renditions
(a damaged original, a thumbnail that does not decode) is found only when rendering it; the
publish remembers it here (``publish_set_aside``), with a signature of what it tried: its
rendition keys and its files' sizes and times. Every plan — the full one and the incremental
one, which revisits every remembered photo — sets such a photo aside (not counted to add,
listed as cannot be published; a live one keeps its last renditions) while its signature is
the same, and tries it again once it changes (the owner rebuilt its thumbnails, or copied the
original back whole). ``publish --force`` tries them all again.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, delete, insert, inspect, select

from publisher.renditions import RENDITION_VERSION, RenditionSource
from publisher.tables import publish_set_aside


@dataclass(frozen=True)
class SetAside:
    """A photo the newest publish could not publish: what it tried, where, and why."""

    photo_id: str
    signature: str
    file: str
    reason: str  # the advice, without the "meanwhile" note a live photo's outcome adds


def source_signature(source: RenditionSource, keys: dict[int, str]) -> str:
    """What rendering ``keys`` would read: the keys (content, EXIF, turns, sizes) and, for
    each thumbnail and the original, its size and modification time (or its absence)."""
    parts: list[object] = [RENDITION_VERSION, sorted(keys.items())]
    paths = [source.thumb(size) for size in sorted(keys)]
    if source.original:
        paths.append(Path(source.original))
    for path in paths:
        try:
            stat = os.stat(path)
        except OSError:
            parts.append((str(path), None))
            continue
        parts.append((str(path), stat.st_size, stat.st_mtime_ns))
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def read_set_aside(conn: Connection) -> dict[str, SetAside]:
    """Every remembered photo (a handful: the ones that failed). None in a snapshot written
    before the table existed (a dry run does not create it: publisher.snapshot)."""
    if not inspect(conn).has_table(publish_set_aside.name):
        return {}
    rows = conn.execute(select(publish_set_aside)).mappings()
    return {
        r["photo_id"]: SetAside(r["photo_id"], r["signature"], r["file"], r["reason"]) for r in rows
    }


def save_set_aside(engine: Engine, records: dict[str, SetAside]) -> None:
    """Remember exactly these photos (a publish's whole list: fixed ones are forgotten)."""
    with engine.begin() as conn:
        if read_set_aside(conn) == records:
            return  # the common case: nothing failed, nothing to forget
        conn.execute(delete(publish_set_aside))
        if records:
            conn.execute(
                insert(publish_set_aside),
                [
                    {"photo_id": r.photo_id, "signature": r.signature, "file": r.file,
                     "reason": r.reason}
                    for r in records.values()
                ],
            )  # fmt: skip
