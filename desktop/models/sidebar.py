"""The sidebar's model: sources of photos with counts, built from the catalog's facets.

Each selectable item carries the :class:`PhotoFilter` fields it stands for and a stable key
(``"camera:<id>"``), so a rebuilt tree can restore the owner's selection and expansion.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QLocale, QObject, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

KEY_ROLE = Qt.ItemDataRole.UserRole + 10
FILTER_ROLE = Qt.ItemDataRole.UserRole + 11
COUNT_ROLE = Qt.ItemDataRole.UserRole + 12
KIND_ROLE = Qt.ItemDataRole.UserRole + 13  # "library" | "camera" | ... | "header" | "group"

RECENT_DAYS = 7

_SECTIONS = (  # facet key, heading, PhotoFilter field, item kind
    ("collections", "Collections", "collection_id", "collection"),
    ("cameras", "Cameras", "camera_id", "camera"),
    ("lenses", "Lenses", "lens_id", "lens"),
    ("tags", "Tags", "tag_id", "tag"),
    ("cities", "Places", "city_id", "city"),
    ("years", "Years", "year", "year"),
)


@dataclass
class SidebarData:
    """What a background read gathers for one rebuild."""

    library_counts: dict[str, int] = field(default_factory=dict)
    facets: dict[str, list[Any]] = field(default_factory=dict)  # FacetItem lists


def library_sources() -> list[tuple[str, str, dict[str, Any]]]:
    """(key, label, filter fields) of the fixed sources at the top."""
    since = datetime.now() - timedelta(days=RECENT_DAYS)
    return [
        ("all", "All photos", {}),
        ("recent", "Recently imported", {"imported_since": since}),
        ("attention", "Needs attention", {"needs_attention": True}),
        ("private", "Private", {"visibility": "private"}),
    ]


class SidebarModel(QStandardItemModel):
    """Headers (not selectable) over sources (selectable, with a count)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.populate(SidebarData())

    def populate(self, data: SidebarData) -> None:
        self.clear()
        root = self.invisibleRootItem()
        library = _header("Library", "section:library")
        for key, label, fields in library_sources():
            library.appendRow(_source(key, label, fields, data.library_counts.get(key), "library"))
        root.appendRow(library)
        for facet_key, heading, field_name, kind in _SECTIONS:
            section = _header(heading, f"section:{facet_key}")
            items = data.facets.get(facet_key, [])
            if facet_key == "cities":
                _add_places(section, items)
            else:
                for item in items:
                    value: Any = int(item.id) if field_name == "year" else item.id
                    label = item.label
                    section.appendRow(
                        _source(f"{kind}:{item.id}", label, {field_name: value}, item.count, kind)
                    )
            if section.rowCount() or facet_key == "collections":
                root.appendRow(section)

    def find_key(self, key: str) -> QStandardItem | None:
        """The item with this key, anywhere in the tree."""
        matches = self.match(
            self.index(0, 0),
            KEY_ROLE,
            key,
            1,
            Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive,
        )
        return self.itemFromIndex(matches[0]) if matches else None


def _header(label: str, key: str) -> QStandardItem:
    item = QStandardItem(label.upper())
    item.setData(key, KEY_ROLE)
    item.setData("header", KIND_ROLE)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled)
    return item


def _source(
    key: str, label: str, fields: dict[str, Any], count: int | None, kind: str
) -> QStandardItem:
    item = QStandardItem(label)
    item.setData(key, KEY_ROLE)
    item.setData(fields, FILTER_ROLE)
    item.setData(count, COUNT_ROLE)
    item.setData(kind, KIND_ROLE)
    item.setToolTip(label)
    flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
    if kind == "collection":
        flags |= Qt.ItemFlag.ItemIsDropEnabled
    item.setFlags(flags)
    return item


def _add_places(section: QStandardItem, cities: list[Any]) -> None:
    """Country, then region, then city; each level counts the photos below it."""
    countries: dict[str, QStandardItem] = {}
    regions: dict[tuple[str, str], QStandardItem] = {}
    for city in cities:
        country_name, region_name = _place_group(city)
        country = countries.get(country_name)
        if country is None:
            code = getattr(city, "group", None) or ""
            country = _source(f"country:{code}", country_name, {"country_code": code}, 0, "country")
            countries[country_name] = country
            section.appendRow(country)
        region = regions.get((country_name, region_name))
        if region is None:
            region = _group(region_name or "—", f"region:{country_name}:{region_name}")
            regions[(country_name, region_name)] = region
            country.appendRow(region)
        region.appendRow(
            _source(f"city:{city.id}", city.label, {"city_id": city.id}, city.count, "city")
        )
        for parent in (country, region):
            parent.setData((parent.data(COUNT_ROLE) or 0) + city.count, COUNT_ROLE)


def _group(label: str, key: str) -> QStandardItem:
    item = QStandardItem(label)
    item.setData(key, KEY_ROLE)
    item.setData("group", KIND_ROLE)
    item.setData(0, COUNT_ROLE)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled)
    return item


def _place_group(city: Any) -> tuple[str, str]:
    """(country name, region) of a city facet (``group`` is the country code)."""
    return country_name(getattr(city, "group", None) or ""), getattr(city, "subgroup", "") or ""


def country_name(code: str) -> str:
    """ "FR" -> "France", by Qt's locale tables; the code itself when unknown."""
    territory = QLocale.codeToTerritory(code.upper()) if code else QLocale.Country.AnyTerritory
    if territory == QLocale.Country.AnyTerritory:
        return code.upper() or "Unknown country"
    return QLocale.territoryToString(territory)
