"""Grid cards rendered once per publish and reused by every page that shows them.

A cold facet or search page showed 30 cards, each a Jinja include (a new template context,
URL quoting, a srcset, escaping): ~35 µs a card, most of a page's Jinja. What a card shows depends
only on its photo's row in the publish, except two things: the link's ``?ctx=`` (where
previous/next stay) and whether its image loads lazily. So the card is rendered once, with
markers where those go, and each page joins the pieces with its own two values (~1 µs a
card). Caches live per publish (``Viewer.card_fragments``): a new publish starts empty.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from jinja2 import Environment
from markupsafe import Markup, escape

from webviewer.rows import Card

_HREF = "\x00"  # where the page's ?ctx= query goes
_LOADING = "\x01"  # where loading="lazy" goes (first screen of a first page: eager)
_NEXT = "\x02"  # between the cards of one batch
LAZY = 'loading="lazy" '
EAGER_CARDS = 8  # the first page's first cards load at once (they are on screen)
Choices = dict[str, list[tuple[str, str]]]  # filter name → (value, label) choices
Pieces = tuple[str, str, str]  # before the query, between query and loading, after


class CardFragments:
    """One publish's rendered cards, by photo id: at most ``capacity`` (the oldest go
    first), so a crawler walking every facet of a million photos cannot hold them all.
    Reads take no lock (one dict look-up); only adding does."""

    def __init__(self, env: Environment, capacity: int) -> None:
        source = env.loader.get_source(env, "_photo_card.html")[0]  # type: ignore[union-attr]
        # The card's own source inlined in a loop: one render for a page's new cards
        # (an include or a render per card costs ~30 % more).
        self._batch = env.from_string("{% for card in cards %}" + source + _NEXT + "{% endfor %}")
        self._single = env.get_template("_photo_card.html")
        self._capacity = capacity
        self._pieces: dict[str, Pieces | None] = {}
        self._lock = threading.Lock()

    def grid(self, cards: Sequence[Card], query: str, first_page: bool) -> Markup:
        """The cards linking to their photo pages with ``query`` (URL-encoded, e.g.
        ``?ctx=tag%3Asunset`` or ``""``); all lazy but the first screen of a first page."""
        pieces = self._pieces
        missing = [card for card in cards if card.id not in pieces]
        if missing:
            self._add(missing)
        q = str(escape(query))
        out = []
        for n, card in enumerate(cards):
            loading = "" if first_page and n < EAGER_CARDS else LAZY
            found = pieces.get(card.id)
            if found is None:  # its text holds a marker character, or already evicted
                out.append(self._single.render(card=card, query=Markup(q), loading=Markup(loading)))
            else:
                out.append(found[0] + q + found[1] + loading + found[2])
        return Markup("".join(out))

    def _add(self, cards: list[Card]) -> None:
        html = self._batch.render(cards=cards, query=Markup(_HREF), loading=Markup(_LOADING))
        rendered = str(html).split(_NEXT)[:-1]
        if len(rendered) != len(cards):  # a card's own text held the separator
            rendered = [
                str(self._single.render(card=c, query=Markup(_HREF), loading=Markup(_LOADING)))
                for c in cards
            ]
        with self._lock:
            for card, one in zip(cards, rendered, strict=True):
                self._pieces[card.id] = _split(one)
            while len(self._pieces) > self._capacity:
                del self._pieces[next(iter(self._pieces))]


def _split(html: str) -> Pieces | None:
    """A card's pieces around the two markers, or None when its own text holds a marker
    (then it is rendered whole each time)."""
    if html.count(_HREF) != 1 or html.count(_LOADING) != 1 or _NEXT in html:
        return None
    head, _, rest = html.partition(_HREF)
    middle, _, tail = rest.partition(_LOADING)
    return head, middle, tail


class OptionLists:
    """The search form's ``<option>`` lists, rendered once per publish: ~670 options (every
    camera, lens, city and year) were most of a search page's Jinja. Each option is
    rendered by the template twice, plain and selected, when its list is first needed; a
    page joins the plain ones with its selected one swapped in (a few µs, where rendering
    the list per new choice cost ~1 ms, and a cache of whole lists per choice held MBs)."""

    def __init__(self, env: Environment, choices: Callable[[], Choices]) -> None:
        self._template = env.get_template("_options.html")
        self._choices: Callable[[], Choices] | None = choices
        self._loaded: Choices = {}
        self._lists: dict[str, _Options] = {}
        self._lock = threading.Lock()

    def html(self, name: str, selected: str | None) -> Markup:
        found = self._lists.get(name)
        if found is None:
            with self._lock:
                if self._choices is not None:  # read once; the reader (and its request) go
                    self._loaded, self._choices = self._choices(), None
                found = self._lists.get(name)
                if found is None:
                    found = self._lists[name] = self._prepare(self._loaded[name])
        return found.html(selected or "")

    def _prepare(self, options: list[tuple[str, str]]) -> _Options:
        def one(option: tuple[str, str], selected: str | None) -> str:
            return str(self._template.render(options=[option], selected=selected))

        # (No choice's value is None: the plain rendering selects nothing.)
        plain = [one(option, None) for option in options]
        chosen = [one(option, option[0]) for option in options]
        return _Options(plain, chosen, [value for value, _ in options])


class _Options:
    """One filter's options, each rendered plain and selected."""

    def __init__(self, plain: list[str], chosen: list[str], values: list[str]) -> None:
        self._plain = plain
        self._chosen = chosen
        self._where: dict[str, list[int]] = {}
        for n, value in enumerate(values):
            self._where.setdefault(value, []).append(n)
        self._whole = Markup("".join(plain))

    def html(self, selected: str) -> Markup:
        where = self._where.get(selected)
        if not where:
            return self._whole
        out = list(self._plain)
        for n in where:
            out[n] = self._chosen[n]
        return Markup("".join(out))
