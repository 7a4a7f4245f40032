"""What the viewer keeps per publish (rendered cards, cards, search matches, the search
form's options) follows the live publish: an edit shows, a photo made private is gone."""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup
from sqlalchemy import create_engine, insert, select, update
from starlette.testclient import TestClient

from tests.webviewer.conftest import Snap
from tests.webviewer.test_pages import _walk_stream
from webviewer import schema as s
from webviewer.app import create_app
from webviewer.fragments import LAZY, CardFragments, OptionLists
from webviewer.rows import Card, Rendition


def _publish(snap: Snap, change: Any) -> None:
    """A new live publish after the current one, in which ``change(conn, seq)`` happened
    (as the publisher writes it: rows closed at the new seq, new versions from it)."""
    engine = create_engine(snap.url)
    with engine.begin() as conn:
        live = conn.execute(
            select(s.publishes)
            .where(s.publishes.c.state == s.LIVE)
            .order_by(s.publishes.c.seq.desc())
        ).first()
        assert live is not None
        seq = max(conn.execute(select(s.publishes.c.seq)).scalars()) + 1
        change(conn, seq)
        values = {**live._mapping, "seq": seq, "id": f"publish-{seq}"}
        conn.execute(insert(s.publishes).values(values))
    engine.dispose()


def _close(table: Any, seq: int, **where: str) -> Any:
    """Close the live rows of ``table`` matching ``where`` at ``seq``."""
    condition = s.visible_in(table, seq - 1)
    for column, value in where.items():
        condition = condition & (table.c[column] == value)
    return update(table).where(condition).values(valid_to=seq)


def _a_tagged_photo(snap: Snap) -> tuple[str, str, str]:
    """A listed photo with a tag and a title: (id, tag slug, title)."""
    facts = snap.facts
    special = {facts.untitled, facts.versioned_photo, facts.xss_photo}
    for tag, ids in facts.by_tag.items():
        for photo in ids:
            title = facts.titles.get(photo)
            if title and tag.isascii() and photo not in special:
                return photo, tag, title
    raise AssertionError("the test snapshot has no titled, tagged photo")


def test_a_photo_made_private_leaves_cached_grids_and_searches(fresh_postgres_snap: Snap) -> None:
    snap = fresh_postgres_snap
    photo, tag, title = _a_tagged_photo(snap)
    search = f"/search/?q={title.split()[0]}"
    with TestClient(create_app(snap.settings())) as client:
        client.cookies.set("seed", "5")
        assert photo in _walk_stream(client, f"/tags/{tag}/")  # its card is now cached
        assert photo in _walk_stream(client, search)  # and its search matches

        def make_private(conn: Any, seq: int) -> None:
            conn.execute(_close(s.photos, seq, id=photo))
            conn.execute(_close(s.photo_tags, seq, photo_id=photo))

        _publish(snap, make_private)
        assert photo not in _walk_stream(client, f"/tags/{tag}/")
        assert photo not in _walk_stream(client, search)
        assert photo not in _walk_stream(client, "/")
        assert client.get(f"/photos/{photo}/").status_code == 404
        assert f"<b>{title}</b>" not in client.get(f"/tags/{tag}/").text


def test_an_edited_title_replaces_the_cached_card(fresh_postgres_snap: Snap) -> None:
    snap = fresh_postgres_snap
    photo, tag, title = _a_tagged_photo(snap)
    with TestClient(create_app(snap.settings(page_size=100))) as client:
        assert title in client.get(f"/tags/{tag}/").text

        def retitle(conn: Any, seq: int) -> None:
            row = conn.execute(
                select(s.photos).where(s.visible_in(s.photos, seq - 1), s.photos.c.id == photo)
            ).first()
            conn.execute(_close(s.photos, seq, id=photo))
            conn.execute(
                insert(s.photos).values(
                    {
                        **{k: v for k, v in row._mapping.items() if k != "row_id"},
                        "valid_from": seq,
                        "valid_to": None,
                        "title": "Retitled <b>",
                    }
                )
            )

        _publish(snap, retitle)
        page = client.get(f"/tags/{tag}/").text
        assert "Retitled &lt;b&gt;" in page
        assert f"<b>{title}</b>" not in page


def test_the_same_words_in_any_order_find_the_same_photos(client: TestClient) -> None:
    one = _walk_stream(client, "/search/?q=misty+bridge")
    assert one == _walk_stream(client, "/search/?q=Bridge+MISTY")
    assert _walk_stream(client, "/search/?q=misty+bridge&year=2020") == [
        photo for photo in one if photo in _walk_stream(client, "/years/2020/")
    ]


def _card(n: int, title: str | None, renditions: bool = True) -> Card:
    sizes = (400, 800) if renditions else ()
    return Card(
        id=f"0b0b0b0b-0000-4000-8000-{n:012d}",
        title=title,
        description=None,
        width=1600,
        height=1000,
        color="#123456",
        renditions=tuple(Rendition(n, f"p/{n}.jpg", n, n * 5 // 8) for n in sizes),
        camera_name="Nikon D70",
        focal_length_mm=35.0,
        aperture=2.8,
    )


def _one_by_one(fragments: CardFragments, cards: list[Card], query: str, first: bool) -> str:
    """The cards rendered plainly, one template render each (what fragments must equal)."""
    env = fragments._single.environment
    template = env.get_template("_photo_card.html")
    return "".join(
        template.render(card=c, query=query, loading=Markup("" if first and n < 8 else LAZY))
        for n, c in enumerate(cards)
    )


def test_rendered_cards_equal_a_plain_render_whatever_their_titles_hold(
    sqlite_snap: Snap,
) -> None:
    """Cards are cached as pieces around marker characters: a title holding those
    characters, markup or nothing at all still renders exactly as a plain render would."""
    env = create_app(sqlite_snap.settings()).state.viewer.templates
    titles = ["Plain", "<script>x</script> & co", "nul \x00 here", "\x01\x02", None, "ok"]
    cards = [_card(n, title) for n, title in enumerate(titles, start=1)]
    cards.append(_card(99, "no image", renditions=False))
    for query, first in (("", True), ("?ctx=tag%3Asunset&x=1", False), ("?ctx=a", True)):
        fragments = CardFragments(env, capacity=3)  # smaller than a page: evictions too
        for _ in range(2):  # rendered, then from the cache
            html = str(fragments.grid(cards, query, first))
            assert html == _one_by_one(fragments, cards, query, first)
    assert "<script>x" not in html and "&lt;script&gt;x" in html
    assert 'href="/photos/0b0b0b0b-0000-4000-8000-000000000001/?ctx=a"' in html


def test_the_search_form_shows_the_visitors_choices_and_only_those(client: TestClient) -> None:
    """Each filter's options are rendered once; a page swaps in its selected one."""

    def selected(page: str, name: str) -> list[str]:
        select = page.split(f'<select id="filter-{name}"', 1)[1].split("</select>", 1)[0]
        return re.findall(r'<option value="([^"]*)" selected>', select)

    page = client.get("/search/?q=sunset&camera=nikon-d70&year=2020").text
    assert selected(page, "camera") == ["nikon-d70"] and selected(page, "year") == ["2020"]
    assert selected(page, "lens") == [] and selected(page, "city") == []
    page = client.get("/search/?q=sunset&year=2021").text  # another choice, same lists
    assert selected(page, "camera") == [] and selected(page, "year") == ["2021"]
    assert page.count('<option value="nikon-d70" >') == 1


def test_option_lists_equal_a_plain_render_whatever_their_labels_hold(sqlite_snap: Snap) -> None:
    env = create_app(sqlite_snap.settings()).state.viewer.templates
    choices = {
        "camera": [("a", "<script>x</script> & co"), ("b", 'say "hi"'), ("", "blank"), ("a", "2")],
        "year": [("2020", "2020")],
    }
    lists = OptionLists(env, lambda: choices)
    template = env.get_template("_options.html")
    for name, options in choices.items():
        for chosen in (None, "", "a", "b", "2020", "unknown"):
            plain = template.render(options=options, selected=chosen or "")
            assert lists.html(name, chosen) == Markup(plain)
    assert "&lt;script&gt;x" in lists.html("camera", "a")
