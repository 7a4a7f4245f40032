"""Filter chips: every facet (year, camera, lens, tag, place, country, collection),
visibility and the owner's to-dos, narrowing whatever the sidebar shows, all combined.

Each active filter is a small removable chip; "Filter" offers the values the catalog has
(the sidebar's facets, handed over with :meth:`set_facets` each time it counts again).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QMenu, QPushButton, QSizePolicy, QToolButton, QWidget

_KINDS = (  # facet key, menu title, PhotoFilter field
    ("years", "Year", "year"),
    ("cameras", "Camera", "camera_id"),
    ("lenses", "Lens", "lens_id"),
    ("tags", "Tag", "tag_id"),
    ("cities", "Place", "city_id"),
    ("countries", "Country", "country_code"),
    ("collections", "Collection", "collection_id"),
)
_VISIBILITY = (("public", "Public"), ("unlisted", "Unlisted"), ("private", "Private"))
_MISSING = (("untitled", "Has no title"), ("untagged", "Has no tags"))
MENU_ITEMS = 60  # per facet: the most used first, as the sidebar counts them


class FilterChipsBar(QWidget):
    """The active chips and a menu to add one; ``changed`` when either moves."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filterChips")
        self._chips: dict[str, tuple[str, Any]] = {}  # field -> (label, value)
        self._facets: dict[str, list[Any]] = {}
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(6)
        self.add_button = QToolButton(text="Filter", objectName="addFilter")  # type: ignore[call-arg]  # PySide6 stubs: no inherited property kwargs (objectName, text)
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.add_button.setMenu(QMenu(self.add_button))
        self.add_button.menu().aboutToShow.connect(self._fill_menu)
        self._layout.addWidget(self.add_button)
        self._layout.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def set_facets(self, facets: dict[str, list[Any]]) -> None:
        self._facets = facets

    def fields(self) -> dict[str, Any]:
        """The PhotoFilter fields the chips stand for."""
        return {name: value for name, (_label, value) in self._chips.items()}

    def set_chip(self, field: str, label: str, value: Any) -> None:
        self._chips[field] = (label, value)
        self._rebuild()
        self.changed.emit()

    def clear(self) -> None:
        """Remove every chip (one ``changed``)."""
        if self._chips:
            self._chips.clear()
            self._rebuild()
            self.changed.emit()

    def remove_chip(self, field: str) -> None:
        if self._chips.pop(field, None) is not None:
            self._rebuild()
            self.changed.emit()

    def _fill_menu(self) -> None:
        menu = self.add_button.menu()
        menu.clear()
        for facet_key, title, field in _KINDS:
            sub = menu.addMenu(title)
            items = [i for i in self._facets.get(facet_key, []) if i.count]
            top = {i.id for i in sorted(items, key=lambda i: -i.count)[:MENU_ITEMS]}
            for item in (i for i in items if i.id in top):  # in the sidebar's order
                value = int(item.id) if field == "year" else item.id
                label = "Undated" if value == 0 and field == "year" else item.label
                action = sub.addAction(f"{label}  ({item.count:,})")
                action.triggered.connect(
                    lambda _c=False, f=field, t=title, lb=label, v=value: self.set_chip(
                        f, f"{t}: {lb}", v
                    )
                )
            sub.setEnabled(not sub.isEmpty())
        sub = menu.addMenu("Visibility")
        for value, label in _VISIBILITY:
            sub.addAction(label).triggered.connect(
                lambda _c=False, v=value, lb=label: self.set_chip("visibility", lb, v)
            )
        sub = menu.addMenu("Missing")
        for field, label in _MISSING:
            sub.addAction(label).triggered.connect(
                lambda _c=False, f=field, lb=label: self.set_chip(f, lb, True)
            )

    def _rebuild(self) -> None:
        while self._layout.count() > 2:
            item = self._layout.takeAt(1)  # None only past the end
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for position, (field, (label, _value)) in enumerate(self._chips.items(), start=1):
            chip = QPushButton(f"{label}  ✕", objectName="chip")  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (objectName)
            chip.setToolTip("Remove this filter")
            chip.clicked.connect(lambda _c=False, f=field: self.remove_chip(f))
            self._layout.insertWidget(position, chip)
