"""Static assets held in memory and served under content-hashed URLs (cached forever)."""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response

STATIC_DIR = Path(__file__).resolve().parent / "static"
IMMUTABLE = "public, max-age=31536000, immutable"


def load_static(folder: Path = STATIC_DIR) -> dict[str, tuple[bytes, str, str]]:
    """path → (bytes, short sha-256, media type) for every file under ``folder``."""
    files = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            data = path.read_bytes()
            media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if media_type.startswith("text/") or media_type.endswith(("javascript", "json")):
                media_type += "; charset=utf-8"
            rel = path.relative_to(folder).as_posix()
            files[rel] = (data, hashlib.sha256(data).hexdigest()[:12], media_type)
    return files


async def serve_static(request: Request) -> Response:
    """``/static/<hash>/<path>``: immutable when the hash is current, short-lived otherwise."""
    files = request.app.state.viewer.static_files
    found = files.get(request.path_params["path"])
    if found is None:
        return Response("Not found\n", status_code=404, media_type="text/plain")
    data, digest, media_type = found
    cache = IMMUTABLE if request.path_params["digest"] == digest else "public, max-age=300"
    return Response(data, media_type=media_type, headers={"cache-control": cache})
