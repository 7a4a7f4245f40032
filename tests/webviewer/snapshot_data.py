"""A realistic published snapshot written straight into ``webviewer.schema`` tables.

Three publishes: seq 1 (an older live one), seq 2 (the live one), seq 3 (rolled back).
Rows that must never show — an old title, a removed photo, the rolled-back publish's
photo, the unlisted photo in lists — carry LEAK markers the tests search for.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw
from sqlalchemy import Engine, insert

from catalog.slugs import slugify  # the publisher's own
from webviewer import schema as s

LIVE_SEQ = 2
SIZES = (400, 800, 1600)
XSS_TITLE = "<script>alert(1)</script>"
XSS_MODEL = '"><img src=x onerror=alert(1)>'
OLD_TITLE = "LEAK-old-version-title"
REMOVED_TITLE = "LEAK-removed-photo"
ROLLED_BACK_TITLE = "LEAK-rolled-back-publish"
UNLISTED_TITLE = "Unlisted harbour at dawn"

CAMERAS = [  # (make, name, photos)
    ("Nikon", "Nikon D70", 22),
    ("Canon", "Canon EOS 5D Mark II", 18),
    ("Fujifilm", "Fujifilm X100V", 12),
    ("Sony", "Sony RX100", 3),  # below the "at least 5" line
    ("Evil", XSS_MODEL, 5),
]
LENSES = [
    ("Nikon", "AF-S DX 18-70mm f/3.5-4.5G", 18.0, 70.0, 3.5),
    ("Canon", "EF 50mm f/1.8", 50.0, 50.0, 1.8),
]
CITIES = [  # (name, admin1, cc, lat, lon)
    ("Tokyo", "Tokyo", "JP", 35.68, 139.76),
    ("Portland", "Oregon", "US", 45.52, -122.68),
    ("Paris", "Île-de-France", "FR", 48.85, 2.35),
    ("Reykjavík", "Capital Region", "IS", 64.14, -21.94),
]
TAGS = ["sunset", "street", "mountains", "portrait", "night", "rain", "harbour", "Москва"]
WORDS = ["Golden", "Quiet", "Blue", "Late", "Bright", "Misty", "Hidden", "Long"]
NOUNS = ["alley", "ridge", "window", "bridge", "market", "shore", "tram", "garden"]


@dataclass
class Facts:
    """What the tests assert against."""

    listed: list[str] = field(default_factory=list)
    unlisted: str = ""
    untitled: str = ""
    xss_photo: str = ""
    versioned_photo: str = ""
    removed_photo: str = ""
    rolled_back_photo: str = ""
    by_camera: dict[str, list[str]] = field(default_factory=dict)
    by_tag: dict[str, list[str]] = field(default_factory=dict)
    by_city: dict[str, list[str]] = field(default_factory=dict)
    by_year: dict[int, list[str]] = field(default_factory=dict)
    collection: list[str] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)


def make_media(media_dir: Path, count: int = 80) -> list[list[dict[str, Any]]]:
    """Small JPEG renditions (landscape, portrait and square) for ``count`` photos."""
    all_renditions = []
    for n in range(count):
        rng = random.Random(n)
        ratio = rng.choice([1.5, 1.5, 1.333, 0.667, 0.75, 1.0, 1.78])
        digest = hashlib.sha256(f"photo-{n}".encode()).hexdigest()
        image = _painting(rng, ratio)
        renditions = []
        for size in SIZES:
            w, h = (size, round(size / ratio)) if ratio >= 1 else (round(size * ratio), size)
            key = f"p/{digest[:2]}/{digest}-v1-{size}.jpg"
            path = media_dir / key
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                small = image.resize((max(1, w // 2), max(1, h // 2)))
                small.save(path, "JPEG", quality=80)
            renditions.append({"size": size, "key": key, "width": w, "height": h, "bytes": 1000})
        all_renditions.append(renditions)
    return all_renditions


def _painting(rng: random.Random, ratio: float) -> Image.Image:
    """A landscape-ish picture: a graded sky, a sun, two ridges."""
    w, h = (480, round(480 / ratio)) if ratio >= 1 else (round(480 * ratio), 480)
    top = tuple(rng.randint(20, 200) for _ in range(3))
    bottom = tuple(rng.randint(120, 255) for _ in range(3))
    image = Image.new("RGB", (w, h))
    draw = ImageDraw.Draw(image)
    for y in range(h):
        t = y / h
        draw.line(
            [(0, y), (w, y)],
            fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    cx, cy, r = rng.randint(0, w), rng.randint(0, h // 2), rng.randint(15, 60)
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(255, 230, 170))
    for depth in (0.55, 0.75):
        shade = tuple(int(c * (1.1 - depth)) for c in top)
        points = [(0, h)] + [
            (x, int(h * depth + rng.randint(-40, 40))) for x in range(0, w + 60, 60)
        ]
        draw.polygon(points + [(w, h)], fill=shade)
    return image


def write_snapshot(engine: Engine, renditions: list[list[dict[str, Any]]]) -> Facts:
    """Create the tables and write three publishes; return the facts tests check."""
    s.metadata.create_all(engine)
    facts = Facts()
    rows = _rows(renditions, facts)
    with engine.begin() as conn:
        now = datetime(2026, 11, 1, 12, 0)
        for seq, state in ((1, s.LIVE), (2, s.LIVE), (3, s.ROLLED_BACK)):
            conn.execute(
                insert(s.publishes).values(
                    seq=seq,
                    id=str(uuid.UUID(int=seq)),
                    published_at=now + timedelta(days=seq),
                    state=state,
                    photo_count=len(facts.listed),
                )
            )
        for table, values in rows.items():
            if values:
                conn.execute(insert(table), values)
    return facts


def _rows(renditions: list[list[dict[str, Any]]], facts: Facts) -> dict[Any, list[dict]]:
    rows: dict[Any, list[dict]] = {t: [] for t in s.VERSIONED_TABLES}
    live = {"valid_from": 1, "valid_to": None}
    cameras = [_entity(make, name) for make, name, _ in CAMERAS]
    lenses = [_entity(make, name) for make, name, *_ in LENSES]
    cities = [_entity("", f"{c[0]} {c[1]} {c[2]}") for c in CITIES]
    tags = [_entity("", name) for name in TAGS]
    plan = [i for i, (_, _, n) in enumerate(CAMERAS) for _ in range(n)]
    tag_counts: dict[int, int] = {}
    city_counts: dict[int, int] = {}
    collection_id = str(uuid.uuid5(uuid.NAMESPACE_URL, "collection"))
    for n, cam in enumerate(plan):
        rng = random.Random(1000 + n)
        photo_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"photo-{n}"))
        title = f"{WORDS[n % 8]} {NOUNS[(n // 8) % 8]} {n}"
        if cam == 4 and n == plan.index(4):
            title = XSS_TITLE
            facts.xss_photo = photo_id
        untitled = n == len(plan) - 2  # among the newest: the feed names it from its EXIF
        if untitled:
            facts.untitled = photo_id
        city = n % len(CITIES)
        city_counts[city] = city_counts.get(city, 0) + 1
        photo_tags = sorted({n % len(TAGS), (n * 3 + 1) % len(TAGS)})
        for t in photo_tags:
            tag_counts[t] = tag_counts.get(t, 0) + 1
            facts.by_tag.setdefault(TAGS[t], []).append(photo_id)
            rows[s.photo_tags].append({**live, "photo_id": photo_id, "tag_id": tags[t]["id"]})
        year = 2019 + n % 5
        lens = n % 2 if cam in (0, 1) else None
        renders = renditions[n % len(renditions)]
        width, height = renders[-1]["width"], renders[-1]["height"]
        text = " ".join(
            [
                title,
                f"A {NOUNS[n % 8]} seen on a walk.",
                *(TAGS[t] for t in photo_tags),
                CAMERAS[cam][1],
                LENSES[lens][1] if lens is not None else "",
                CITIES[city][0],
            ]
        )
        photo = {
            **live,
            "id": photo_id,
            "listed": True,
            "title": None if untitled else title,
            "description": f"A {NOUNS[n % 8]} seen on a walk.",
            "date_taken": datetime(year, 1 + n % 12, 1 + n % 27, 8 + n % 10, 30),
            "year": year,
            "width": width,
            "height": height,
            "camera_id": cameras[cam]["id"],
            "lens_id": lenses[lens]["id"] if lens is not None else None,
            "city_id": cities[city]["id"],
            "camera_name": CAMERAS[cam][1],
            "lens_name": LENSES[lens][1] if lens is not None else None,
            "focal_length_mm": rng.choice([23.0, 35.0, 50.0, 70.0]),
            "focal_length_35mm": None,
            "aperture": rng.choice([1.8, 2.8, 4.0, 8.0]),
            "exposure_display": "1/250 s",
            "iso": rng.choice([100, 200, 400, 1600]),
            "placeholder_color": "#" + "".join(f"{rng.randint(30, 120):02x}" for _ in range(3)),
            "shuffle_key": rng.randint(0, 2**31 - 1),
            "renditions": renders,
            "search_text": text,
            "first_published_at": datetime(2026, 10, 1) + timedelta(hours=n),
        }
        rows[s.photos].append(photo)
        facts.listed.append(photo_id)
        facts.titles[photo_id] = title
        facts.by_camera.setdefault(slugify(CAMERAS[cam][1]), []).append(photo_id)
        facts.by_city.setdefault(slugify(" ".join(CITIES[city][:3])), []).append(photo_id)
        facts.by_year.setdefault(year, []).append(photo_id)
        if n % 6 == 0:
            position = len(facts.collection)
            facts.collection.append(photo_id)
            rows[s.collection_photos].append(
                {**live, "collection_id": collection_id, "photo_id": photo_id, "position": position}
            )
    _versions_and_leaks(rows, facts, renditions, cameras[0]["id"])
    _facets(rows, cameras, lenses, cities, tags, tag_counts, city_counts, facts, collection_id)
    return rows


def _versions_and_leaks(rows: dict, facts: Facts, renditions: list, camera_id: str) -> None:
    """An edited photo (old version closed at seq 2), a removed photo, the rolled-back
    publish's new photo and an unlisted photo."""
    photos = rows[s.photos]
    edited = photos[1]
    facts.versioned_photo = edited["id"]
    photos.append(
        {**edited, "valid_from": 1, "valid_to": 2, "title": OLD_TITLE, "search_text": OLD_TITLE}
    )
    edited["valid_from"] = 2
    base = {**photos[2], "camera_id": camera_id, "shuffle_key": 12345}
    facts.removed_photo = str(uuid.uuid5(uuid.NAMESPACE_URL, "removed"))
    photos.append(
        {
            **base,
            "id": facts.removed_photo,
            "valid_from": 1,
            "valid_to": 2,
            "title": REMOVED_TITLE,
            "search_text": REMOVED_TITLE,
        }
    )
    facts.rolled_back_photo = str(uuid.uuid5(uuid.NAMESPACE_URL, "rolled-back"))
    photos.append(
        {
            **base,
            "id": facts.rolled_back_photo,
            "valid_from": 3,
            "valid_to": None,
            "title": ROLLED_BACK_TITLE,
            "search_text": ROLLED_BACK_TITLE,
        }
    )
    # the rolled-back publish also "closed" a live photo: at seq 2 it must still show
    photos[3]["valid_to"] = 3
    photos.append({**photos[3], "valid_from": 3, "valid_to": None, "title": ROLLED_BACK_TITLE})
    facts.unlisted = str(uuid.uuid5(uuid.NAMESPACE_URL, "unlisted"))
    photos.append(
        {
            **base,
            "id": facts.unlisted,
            "listed": False,
            "title": UNLISTED_TITLE,
            "search_text": f"{UNLISTED_TITLE} sunset",
            "valid_from": 1,
        }
    )
    rows[s.photo_tags].append(
        {
            "valid_from": 1,
            "valid_to": None,
            "photo_id": facts.unlisted,
            "tag_id": rows[s.photo_tags][0]["tag_id"],
        }
    )


def _facets(
    rows: dict,
    cameras: list,
    lenses: list,
    cities: list,
    tags: list,
    tag_counts: dict,
    city_counts: dict,
    facts: Facts,
    collection_id: str,
) -> None:
    live = {"valid_from": 1, "valid_to": None}
    first = {}
    for photo in rows[s.photos]:
        if photo["listed"] and photo["valid_to"] is None and photo["valid_from"] <= 2:
            first.setdefault(photo["camera_id"], photo["id"])
    for (make, name, count), cam in zip(CAMERAS, cameras, strict=True):
        rows[s.cameras].append(
            {
                **live,
                **cam,
                "make": make,
                "name": name,
                "photo_count": count,
                "cover_photo_id": first.get(cam["id"]),
            }
        )
    for (make, name, lo, hi, ap), lens in zip(LENSES, lenses, strict=True):
        count = sum(
            1
            for p in rows[s.photos]
            if p["lens_id"] == lens["id"]
            and p["valid_to"] is None
            and p["valid_from"] <= 2
            and p["listed"]
        )
        rows[s.lenses].append(
            {
                **live,
                **lens,
                "make": make,
                "name": name,
                "focal_min_mm": lo,
                "focal_max_mm": hi,
                "max_aperture": ap,
                "photo_count": count,
                "cover_photo_id": facts.listed[0],
            }
        )
    for i, (name, admin1, cc, lat, lon) in enumerate(CITIES):
        rows[s.cities].append(
            {
                **live,
                **cities[i],
                "name": name,
                "admin1": admin1,
                "country_code": cc,
                "latitude": lat,
                "longitude": lon,
                "photo_count": city_counts.get(i, 0),
                "cover_photo_id": None,
            }
        )
    for i, tag in enumerate(tags):
        rows[s.tags].append({**live, **tag, "name": TAGS[i], "photo_count": tag_counts.get(i, 0)})
    rows[s.collections].append(
        {
            **live,
            "id": collection_id,
            "slug": "best-of",
            "name": "Best of",
            "description": "The ones I keep coming back to.",
            "date": datetime(2024, 5, 1),
            "position": 0,
            "cover_photo_id": facts.collection[0],
            "photo_count": len(facts.collection),
        }
    )
    rows[s.site] += [
        {**live, "key": "title", "value": "Ada's Photographs"},
        {**live, "key": "author", "value": "Ada Lovelace"},
        {**live, "key": "license", "value": "CC BY 4.0"},
        {**live, "key": "license_url", "value": "https://creativecommons.org/licenses/by/4.0/"},
        {**live, "key": "description", "value": "Streets, mountains and harbours."},
        {
            **live,
            "key": "analytics_snippet",
            "value": '<script defer src="https://stats.example.org/script.js"></script>',
        },
        {"valid_from": 1, "valid_to": 2, "key": "title", "value": OLD_TITLE},
    ]
    rows[s.site] = [
        r
        for r in rows[s.site]
        if not (r["key"] == "title" and r["valid_to"] is None and r["valid_from"] == 1)
    ]
    rows[s.site].append(
        {"valid_from": 2, "valid_to": None, "key": "title", "value": "Ada's Photographs"}
    )


def _entity(make: str, name: str) -> dict[str, str]:
    return {"id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{make}/{name}")), "slug": slugify(name)}
