"""A local preview (SQLite) searches exactly as production (PostgreSQL) does."""

from __future__ import annotations

import pytest

from tests.webviewer.conftest import Snap
from tests.webviewer.snapshot_data import LIVE_SEQ
from webviewer.db import SnapshotDB, make_engine

QUERIES = [
    "golden",  # a title word
    "gold",  # a prefix
    "GOLDEN alley",  # case, and every word must match
    "sunset tokyo",  # a tag and a city
    "nikon d70",  # a camera
    "reykjavík",  # an accent, kept (PostgreSQL's 'simple' configuration keeps it)
    "reykjavik",  # ...so the unaccented spelling is another word
    "18-70mm f/3.5",  # a lens name's punctuation
    "x100v",  # letters and digits in one word
    "harbour",  # only the unlisted photo says it: never in results
    "leak",  # only closed, removed or rolled-back versions say it
    "zzzz nothing",
    "<script>alert(1)</script>",
    "'; DROP TABLE photos; --",
    "",
]


@pytest.fixture(scope="module")
def matches(sqlite_snap: Snap, postgres_snap: Snap) -> dict[str, dict[str, list[str]]]:
    """Each query's matches in each backend."""
    found: dict[str, dict[str, list[str]]] = {}
    for snap in (sqlite_snap, postgres_snap):
        db = SnapshotDB(make_engine(snap.url, statement_timeout_ms=5000))
        search = db.dialect.text_matches
        for q in QUERIES:
            ids = db.run(lambda conn, q=q, search=search: search(conn, LIVE_SEQ, q))
            found.setdefault(q, {})[snap.backend] = ids
        db.engine.dispose()
    return found


@pytest.mark.parametrize("q", QUERIES)
def test_sqlite_and_postgres_find_the_same_photos(
    q: str, matches: dict[str, dict[str, list[str]]]
) -> None:
    assert matches[q]["sqlite"] == matches[q]["postgres"]


def test_the_searches_find_what_a_visitor_expects(
    matches: dict[str, dict[str, list[str]]], sqlite_snap: Snap
) -> None:
    facts = sqlite_snap.facts
    found = {q: by_backend["sqlite"] for q, by_backend in matches.items()}
    golden = {pid for pid, title in facts.titles.items() if title.lower().startswith("golden")}
    assert golden and golden <= set(found["golden"]) == set(found["gold"])
    assert set(found["sunset tokyo"]) <= set(facts.by_tag["sunset"])
    assert found["reykjavík"] and not found["reykjavik"]
    assert found["18-70mm f/3.5"] and found["nikon d70"]
    assert facts.unlisted not in found["harbour"]
    assert not found["leak"] and not found["zzzz nothing"] and not found[""]
