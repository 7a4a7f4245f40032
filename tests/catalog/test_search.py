"""Full-text search: what the owner types finds photos, and no input can break the query."""

from __future__ import annotations

import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from catalog import edits
from catalog.catalog import Catalog
from catalog.query import PhotoFilter, photo_ids
from catalog.search import match_expression, reindex, search_ids
from tests.factories import add_photo

FTS_TABLE = (
    "CREATE VIRTUAL TABLE photo_search USING fts5(photo_id UNINDEXED, title, description, "
    "tags, camera, lens, city, tokenize = 'unicode61 remove_diacritics 2')"
)


def find(catalog: Catalog, words: str) -> list[str]:
    with catalog.reading() as session:
        return search_ids(session, words)


def test_every_field_is_searchable(catalog):
    photo = add_photo(
        catalog,
        title="Morning light",
        description="Fishing boats leave the harbour",
        tags=["seascape"],
        camera="Fujifilm X-T4",
        lens="XF 23mm F1.4 R",
        city=("Saint-Malo", "Brittany", "FR"),
    )
    add_photo(catalog, title="Something else", camera="Canon EOS 40D")
    for words in (
        "morning",
        "harbour",
        "seascape",
        "fujifilm",
        "x-t4",
        "23mm",
        "malo",
        "brittany",
        "boats harbour",
    ):
        assert find(catalog, words) == [photo.id], words


def test_the_last_word_matches_as_a_prefix_while_typing(catalog):
    photo = add_photo(catalog, title="Lighthouse")
    assert find(catalog, "ligh") == [photo.id]
    assert find(catalog, "ligh house") == []  # earlier words are whole words


def test_accents_and_case_do_not_matter(catalog):
    photo = add_photo(catalog, title="Café Crème", city=("Zürich", "Zurich", "CH"))
    assert find(catalog, "cafe creme") == [photo.id]
    assert find(catalog, "ZURICH") == [photo.id]


def test_fts_syntax_in_user_text_is_just_text(catalog):
    photo = add_photo(catalog, title='Said "NOT" AND (maybe) OR title:x*')
    for words in ('"', "NOT", "AND OR", "(", "title:x", "*", "NEAR(a b)", "-", '"NOT"', "^x"):
        find(catalog, words)  # never raises
    assert find(catalog, "not and") == [photo.id]
    assert find(catalog, '"') == [] and find(catalog, "   ") == []


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_no_text_can_raise_an_fts_syntax_error(user_text):
    db = sqlite3.connect(":memory:")
    db.execute(FTS_TABLE)
    db.execute("INSERT INTO photo_search VALUES ('p', 'x', 'y', 'z', 'c', 'l', 'town')")
    expression = match_expression(user_text)
    if expression is not None:
        db.execute("SELECT photo_id FROM photo_search WHERE photo_search MATCH ?", (expression,))


def test_search_combines_with_the_other_filters(catalog):
    a = add_photo(catalog, title="Red boat", camera="Nikon D70")
    add_photo(catalog, title="Red boat", camera="Canon EOS 40D", visibility="private")
    with catalog.reading() as session:
        assert photo_ids(session, PhotoFilter(text="red boat", visibility="public")) == [a.id]


def test_reindex_all_rebuilds_the_index_from_the_catalog(catalog):
    photo = add_photo(catalog, title="Not yet indexed")
    with catalog.writing() as session:
        session.execute(text("DELETE FROM photo_search"))
    assert find(catalog, "indexed") == []
    with catalog.writing() as session:
        session.execute(text("INSERT INTO photo_search(photo_id, title) VALUES ('ghost', 'x')"))
        reindex(session)
    assert find(catalog, "indexed") == [photo.id]
    assert find(catalog, "x") == []


def test_reindexing_one_photo_replaces_its_row_and_no_other(catalog):
    a = add_photo(catalog, title="Alpha")
    b = add_photo(catalog, title="Beta")
    edits.set_title(catalog, a.id, "Gamma")
    with catalog.writing() as session:
        reindex(session, [a.id, a.id])
        rows = session.execute(text("SELECT count(*) FROM photo_search")).scalar()
    assert rows == 2
    assert find(catalog, "alpha") == [] and find(catalog, "gamma") == [a.id]
    assert find(catalog, "beta") == [b.id]


def test_reindexing_most_of_the_catalog_rebuilds_it_with_the_same_rows(catalog, monkeypatch):
    """Past half the catalog, reindex rebuilds everything (cheaper than FTS5 deletes): the
    rows are the same as those reindexed one by one."""
    photos = [add_photo(catalog, title=f"Boat {i}", tags=["sea"]) for i in range(5)]
    edits.add_tags(catalog, [p.id for p in photos[:3]], ["harbour"])  # 3 of 5: one by one
    with catalog.reading() as session:
        one_by_one = sorted(session.execute(text("SELECT rowid, * FROM photo_search")).all())
    monkeypatch.setattr("catalog.search.REBUILD_ABOVE", 0)
    with catalog.writing() as session:
        session.execute(text("INSERT INTO photo_search(photo_id, title) VALUES ('ghost', 'x')"))
        reindex(session, [p.id for p in photos[:3]])
        rebuilt = sorted(session.execute(text("SELECT rowid, * FROM photo_search")).all())
    assert rebuilt == one_by_one
    assert sorted(find(catalog, "harbour")) == sorted(p.id for p in photos[:3])


def test_search_finds_file_names_and_folders(catalog):
    wanted = add_photo(catalog, source_path="/archive/Tuscany 2019/DSC_0042.jpg", title="Hill")
    add_photo(catalog, source_path="/archive/Norway/DSC_0043.jpg", title="Fjord")
    assert find(catalog, "DSC_0042") == [wanted.id]
    assert find(catalog, "dsc_0042.jpg") == [wanted.id]
    assert find(catalog, "tuscany") == [wanted.id]
    assert find(catalog, "tuscany hill") == [wanted.id]  # folder and title together
    assert find(catalog, "tuscany fjord") == []
