"""Olympus' and Agfa's "[picture info]" APP12 segment: the only place 1990s compacts (Olympus
D-320L, C-1400L, Agfa ePhoto) wrote their f-number, shutter speed and date.

It is plain text, ``key=value`` lines under ``[section]`` headings ("FNumber=F2.8",
"Shutter=33363" in microseconds, "TimeDate=909698819" in seconds since 1970), so a few lines
read it; exiv2 does not, exiftool does (its PictureInfo group).
"""

from __future__ import annotations

from datetime import UTC, datetime

APP12 = 0xEC
MAX_SEGMENTS = 4


def read_picture_info(head: bytes | bytearray) -> dict[str, str]:
    """``key -> value`` of the "[picture info]" and "[camera info]" sections of a JPEG's
    APP12 segment (``head``: the segments before its scan); empty when it has none."""
    values: dict[str, str] = {}
    for segment in _app12_segments(head):
        text = segment.split(b"\xff", 1)[0].decode("latin-1")
        if "[picture info]" not in text:
            continue
        section = ""
        for line in text.replace("\r", "\n").split("\n"):
            line = line.strip()
            if line.startswith("[") and line.endswith("]"):
                section = line
            elif "=" in line and section in ("[picture info]", "[camera info]"):
                key, _, value = line.partition("=")
                values.setdefault(key.strip(), value.strip())
    return values


def _app12_segments(head: bytes | bytearray) -> list[bytes]:
    if head[:2] != b"\xff\xd8":
        return []
    found: list[bytes] = []
    position = 2
    while position + 4 <= len(head) and head[position] == 0xFF and len(found) < MAX_SEGMENTS:
        marker = head[position + 1]
        length = int.from_bytes(head[position + 2 : position + 4], "big")
        if marker == 0xDA:
            break
        if marker == APP12:
            found.append(bytes(head[position + 4 : position + 2 + length]))
        position += 2 + length
    return found


def f_number(info: dict[str, str]) -> float | None:
    """The f-number of "FNumber=F2.8"."""
    return _positive(info.get("FNumber", "").lstrip("Ff"))


def exposure_s(info: dict[str, str]) -> float | None:
    """Seconds from "Shutter=33363" (microseconds): 0.033363 s."""
    value = _positive(info.get("Shutter", ""))
    return value / 1e6 if value is not None else None


def taken(info: dict[str, str]) -> datetime | None:
    """The date of "TimeDate" (seconds since 1970: the camera clock, read as UTC as exiftool
    does)."""
    value = _positive(info.get("TimeDate", ""))
    if value is None or not 315532800 <= value < 4102444800:  # 1980 to 2100
        return None
    return datetime.fromtimestamp(value, UTC).replace(tzinfo=None)


def _positive(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value > 0 else None
