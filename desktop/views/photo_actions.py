"""What the owner can do to a selection of photos, as menu actions and keys.

Every action asks what it must (a name, a confirmation), then hands one catalog operation
to the writer thread through :meth:`DesktopContext.perform`; the change comes back through
``catalog_changed``. Removing asks first and never touches the original files.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtWidgets import QInputDialog, QMenu, QMessageBox, QWidget

from catalog import collections as colls
from catalog import operations as ops
from catalog.changes import CatalogChanges
from catalog.ingest.discover import RAW_SUFFIXES
from catalog.operations import collections as coll_ops
from catalog.owner_input import parse_position, parse_shift
from catalog.rows import PhotoRow
from catalog.settings import Settings
from desktop.context import DesktopContext
from desktop.describing import DescribeController

T = TypeVar("T")
Act = TypeVar("Act", bound=Callable[..., None])
WholeSelection = Callable[[Callable[[list[str]], None]], None]


def on_whole_selection(method: Act) -> Act:
    """Run an action on the whole selection: at once, or (a big view whose id list is still
    being read) once every selected photo's id has arrived — never on the loaded part."""

    @functools.wraps(method)
    def run(self: PhotoActions, *args: object, **kwargs: object) -> None:
        def act(ids: list[str]) -> None:
            self._given = ids
            try:
                method(self, *args, **kwargs)
            finally:
                self._given = None

        self.when_whole(act)

    return run  # type: ignore[return-value]  # same signature as the method wrapped


def ai_describe_available() -> bool:
    """Whether the AI package is installed, without importing it (it loads the openai client)."""
    return importlib.util.find_spec("catalog.ai") is not None


AI_SETUP_HINT = (
    "Describe with AI needs an AI endpoint: store an OpenAI API key, or give the URL of "
    "a local endpoint (it needs no key), in Settings."
)


def ai_describe_ready(settings: Settings) -> bool:
    """Whether Describe with AI can work now: the package is there and an endpoint is set up."""
    from catalog.credentials import ai_endpoint_ready  # the keyring: only when asked

    return ai_describe_available() and ai_endpoint_ready(settings.ai_base_url)


def pair_source_of(row: PhotoRow | None) -> str | None:
    """The file of a RAW+JPEG pair its pictures come from ("raw" or "jpeg"); None for a
    photo of one file."""
    if row is None or not row.companion_path:
        return None
    return "raw" if Path(row.source_path).suffix.lower() in RAW_SUFFIXES else "jpeg"


class PhotoActions:
    """Operations on the selected photos; ``selection`` returns their ids in grid order.

    ``when_whole`` runs a callable with the whole selection's ids, now or once they have
    arrived (the window's); by default at once with ``selection()``."""

    def __init__(
        self,
        ctx: DesktopContext,
        parent: QWidget,
        selection: Callable[[], list[str]],
        when_whole: WholeSelection | None = None,
    ) -> None:
        self._ctx = ctx
        self._parent = parent
        self._selection = selection
        self.when_whole: WholeSelection = when_whole or (lambda act: act(self._selection()))
        self._given: list[str] | None = None  # the selection an action runs on

    def _ids(self) -> list[str]:
        return self._given if self._given is not None else self._selection()

    @on_whole_selection
    def set_rating(self, rating: int) -> None:
        ids, catalog = self._ids(), self._ctx.catalog
        if ids:
            self._ctx.perform(lambda: ops.set_rating(catalog, ids, rating), what="the rating")

    @on_whole_selection
    def set_visibility(self, visibility: str) -> None:
        ids, catalog = self._ids(), self._ctx.catalog
        if ids:
            self._ctx.perform(
                lambda: ops.set_visibility(catalog, ids, visibility), what="the visibility"
            )

    @on_whole_selection
    def rotate(self, turns: int) -> None:
        """Turn the selection clockwise by ``turns`` quarter turns (negative: anticlockwise)."""
        ids, catalog = self._ids(), self._ctx.catalog
        if ids:
            self._ctx.perform(lambda: ops.rotate(catalog, ids, turns), what="the rotation")

    @on_whole_selection
    def use_pair_source(self, source: str) -> None:
        """RAW+JPEG pairs among the selection take their pictures from ``source`` ("raw" or
        "jpeg"), derived again on the writer thread; one undoable step."""
        ids, catalog = self._ids(), self._ctx.catalog
        if ids:
            self._ctx.perform(
                lambda: ops.use_pair_source(catalog, ids, source), what="the pair's source"
            )

    @on_whole_selection
    def shift_time(self) -> None:
        """Fix a camera clock for the selection: ±HH:MM, as ``exiftree shift-time --by``."""
        catalog = self._ctx.catalog
        self._ask_then_perform(
            "Shift capture time",
            "Move the time of {n:,} photos by ±HH:MM (e.g. -01:00):",
            parse_shift,
            lambda ids, delta: ops.shift_time(catalog, ids, delta),
            what="the time shift",
        )

    @on_whole_selection
    def fix_location(self) -> None:
        """Place the selection at a typed position; its city is looked up again."""
        catalog = self._ctx.catalog
        self._ask_then_perform(
            "Fix location",
            "Position of {n:,} photos as LAT, LON:",
            parse_position,
            lambda ids, position: ops.fix_place(catalog, ids, position=position),
            what="the location",
        )

    def _ask_then_perform(
        self,
        title: str,
        prompt: str,
        parse: Callable[[str], T],
        operation: Callable[[list[str], T], CatalogChanges],
        what: str,
    ) -> None:
        """Ask for one typed value, parse it (a bad one is a message, not an edit), then run
        the operation on the selection as one undoable step."""
        ids = self._ids()
        text = self._ask(title, prompt.format(n=len(ids)))
        if not ids or text is None:
            return
        try:
            value = parse(text)
        except ValueError as exc:
            self._ctx.events.operation_failed.emit(str(exc))
            return
        self._ctx.perform(lambda: operation(ids, value), what=what)

    def _ask(self, title: str, prompt: str) -> str | None:
        text, ok = QInputDialog.getText(self._parent, title, prompt)
        return text if ok and text.strip() else None

    @on_whole_selection
    def remove_from_catalog(self, confirm: bool = True) -> None:
        ids, catalog = self._ids(), self._ctx.catalog
        if not ids:
            return
        if confirm:
            n = len(ids)
            answer = QMessageBox.question(
                self._parent,
                "Remove from catalog",
                f"Remove {n:,} photo{'s' if n != 1 else ''} from the catalog?\n\n"
                "The original files stay where they are; only the catalog entries, "
                "thumbnails and edits are removed. Edit ▸ Undo brings them back.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._ctx.perform(lambda: ops.remove_photos(catalog, ids), what="the removal")

    @on_whole_selection
    def add_tags(self) -> None:
        ids = self._ids()
        names = self._ask_tags("Add tags", f"Tags for {len(ids):,} photos (comma separated):")
        if names and ids:
            catalog = self._ctx.catalog
            self._ctx.perform(lambda: ops.add_tags(catalog, ids, names), what="the tags")

    @on_whole_selection
    def remove_tags(self) -> None:
        ids = self._ids()
        names = self._ask_tags("Remove tags", f"Tags to remove from {len(ids):,} photos:")
        if names and ids:
            catalog = self._ctx.catalog
            self._ctx.perform(lambda: ops.remove_tags(catalog, ids, names), what="the tags")

    def _ask_tags(self, title: str, prompt: str) -> list[str]:
        """Comma-separated tag names from the owner; empty when cancelled."""
        text, ok = QInputDialog.getText(self._parent, title, prompt)
        return [t.strip() for t in text.split(",") if t.strip()] if ok else []

    @on_whole_selection
    def add_to_collection(self, coll_id: str, ids: list[str] | None = None) -> None:
        ids, catalog = ids or self._ids(), self._ctx.catalog
        if ids:
            self._ctx.perform(
                lambda: coll_ops.add_photos(catalog, coll_id, ids), what="the collection"
            )

    @on_whole_selection
    def remove_from_collection(self, coll_id: str) -> None:
        ids, catalog = self._ids(), self._ctx.catalog
        if ids:
            self._ctx.perform(
                lambda: coll_ops.remove_photos(catalog, coll_id, ids), what="the collection"
            )

    def new_collection(
        self, with_selection: bool = True, on_created: Callable[[str], None] | None = None
    ) -> None:
        name, ok = QInputDialog.getText(self._parent, "New collection", "Name:")
        if not ok or not name.strip():
            return
        if with_selection:
            self.when_whole(lambda ids: self.create_collection(name, ids, on_created))
        else:
            self.create_collection(name, [], on_created)

    def create_collection(
        self, name: str, ids: list[str], on_created: Callable[[str], None] | None = None
    ) -> None:
        catalog = self._ctx.catalog
        created: dict[str, str] = {}

        def create() -> CatalogChanges:
            changes = coll_ops.create_collection(catalog, name, ids=ids)
            created["id"] = next(iter(changes.collection_ids))
            return changes

        self._ctx.perform(
            create, lambda _c: on_created and on_created(created["id"]), what="the new collection"
        )

    def fill_collection_menu(self, menu: QMenu, removing: bool = False) -> None:
        """Menu entries, one per collection (read when the menu opens)."""
        menu.clear()
        with self._ctx.catalog.reading() as session:
            infos = colls.list_collections(session)
        for info in infos:
            target = self.remove_from_collection if removing else self.add_to_collection
            menu.addAction(info.name, lambda c=info.id, t=target: t(c))  # type: ignore[misc]  # PySide6 stubs: overloaded addAction leaves the lambda uninferred
        if not removing:
            if infos:
                menu.addSeparator()
            menu.addAction("New collection…", self.new_collection)
        menu.setEnabled(bool(infos) or not removing)

    @on_whole_selection
    def reprocess(self) -> None:
        ids = self._ids()
        if not ids:
            return
        catalog = self._ctx.catalog

        def job() -> Any:
            from catalog.ingest import reprocess  # heavy imports: off the UI thread

            return reprocess(catalog, ids)

        self._ctx.tasks.run_job(
            job,
            lambda _r: self._ctx.events.catalog_changed.emit(
                CatalogChanges.of(ids, facets=True, thumbnails=True)
            ),
            lambda e: self._ctx.events.operation_failed.emit(f"Reprocessing failed: {e}"),
        )

    describer: DescribeController | None = None  # set by the window: runs AI jobs

    @on_whole_selection
    def describe_with_ai(self) -> None:
        """Describe the selection; progress and failures show in the status area."""
        ids = self._ids()
        if not ai_describe_ready(self._ctx.settings):
            self._ctx.events.operation_failed.emit(AI_SETUP_HINT)
        elif ids and self.describer is not None:
            self.describer.start(ids)

    @on_whole_selection
    def approve_ai_text(self, ids: list[str] | None = None) -> None:
        """Review mode: the selection's AI text may now be published."""
        ids = ids or self._ids()
        if ids and ai_describe_available():
            self._approve(ids)

    def approve_all_ai_text(self) -> None:
        if ai_describe_available():
            self._approve(None)

    def _approve(self, ids: list[str] | None) -> None:
        """One undoable step: Undo puts the text back to awaiting review."""
        catalog = self._ctx.catalog
        self._ctx.perform(lambda: ops.approve_ai_text(catalog, ids), what="the AI review")
